"""Old versions in the admin's history: shown to whoever may view, restored by whoever may change.

django-simple-history's form of an old version (``<id>/history/<history_id>/``) opens for anyone
who may view the model, and its POST saves the version with whatever was posted: the view checks
view-or-change permission only and builds the form as for adding, so Django's own rule, a user
without change permission gets a read-only form, never applies. A staff user of the group
Exporters (view permissions only) could change and publish anything that way (issue 11).

``GuardedHistoryAdmin`` closes that for every model with a history in the admin: a request that
is not a read (anything but GET and HEAD) needs the permission to restore, and everyone else gets
the page with every field disabled and no Revert button. The rule is one method,
``has_restore_permission``, which the Revert button follows too.

A proxy model's versions are its concrete model's: simple-history records them there, and its
views fail for a proxy (its options lack ``simple_history_manager_attribute``). The history pages
of a proxy's admin (the review queues of annotations) redirect to the concrete model's.
"""

from django.conf import settings
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model

READS = frozenset({"GET", "HEAD"})


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose old versions only users with change permission may restore."""

    def has_restore_permission(self, request, obj=None):
        """Whether the user may save an old version ``obj`` over the current object."""
        if getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False):
            return False
        # Restoring changes the object, whatever simple-history's own history permissions say.
        return self.has_change_permission(request, obj) and self.has_change_history_permission(
            request, obj
        )

    def revert_disabled(self, request, obj=None):
        return not self.has_restore_permission(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        if self.model._meta.proxy:
            return self.concrete_history_redirect("history", object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self.model._meta.proxy:
            return self.concrete_history_redirect("simple_history", object_id, version_id)
        # Looked up first: simple-history's own lookup fails with a 500 on an id like "x".
        version = self.history_version(object_id, version_id)
        if request.method not in READS and not self.has_restore_permission(request, version):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def concrete_history_redirect(self, page, *args):
        opts = self.model._meta.concrete_model._meta
        name = f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{page}"
        return HttpResponseRedirect(reverse(name, args=args))

    def history_version(self, object_id, version_id):
        """Return the object as it was at ``version_id``; 404 if there is no such version."""
        history_model = get_history_model_for_model(self.model)
        lookup = {self.model._meta.pk.attname: unquote(object_id), "history_id": version_id}
        try:
            record = history_model._default_manager.get(**lookup)
        except (history_model.DoesNotExist, ValueError, ValidationError):
            raise Http404 from None
        return record.instance

    def render_history_view(self, request, template, context, **kwargs):
        # The old version's form as a read-only page: what it shows, nothing it could send.
        if template == self.object_history_form_template and not self.has_restore_permission(
            request, context["original"]
        ):
            for field in context["adminform"].form.fields.values():
                field.disabled = True
        return super().render_history_view(request, template, context, **kwargs)
