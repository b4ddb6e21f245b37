"""The admins of taggit's tags and axes' sign-in records, with the permission checks they lack.

taggit's "Merge selected tags" is offered to anyone who may view tags, and its merge page
(``merge-tags/``) checks nothing beyond staff status: any staff user, an Exporter or one without
a group, could create a tag and move every tagged item onto it, and with no tags chosen first
the page created the tag and then failed with a 500. axes' "Clean up expired attempts" is open
to anyone who may view sign-in attempts, though deleting attempts lifts lock-outs, and fails
with a 500 for everyone.

Both admins are subclassed with the permissions their writes need; ``register`` puts them on
the site in place of the originals (called from ``articleapp.admin``).
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.admin import TagAdmin
from taggit.models import Tag

# Where taggit's action leaves the chosen tags for its merge page.
SELECTED_TAGS = "selected_tag_ids"


class GuardedTagAdmin(TagAdmin):
    """taggit's tag admin; merging tags needs the permissions to add and change tags."""

    @admin.action(description=_("Merge selected tags"), permissions=["merge"])
    def render_tag_form(self, request, queryset):
        return super().render_tag_form(request, queryset)

    def has_merge_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def merge_tags_view(self, request):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        chosen = request.session.get(SELECTED_TAGS, "").split(",")
        pks = {pk for pk in chosen if pk.isascii() and pk.isdigit() and len(pk) <= 18}
        if not pks or len(pks) != len(chosen) or Tag.objects.filter(pk__in=pks).count() < len(pks):
            request.session.pop(SELECTED_TAGS, None)
            self.message_user(
                request, gettext("Choose the tags to merge in the list first."), messages.WARNING
            )
            return redirect(f"{self.admin_site.name}:taggit_tag_changelist")
        return super().merge_tags_view(request)


class GuardedAccessAttemptAdmin(AccessAttemptAdmin):
    """axes' attempts; cleaning up expired ones deletes them, so it needs delete permission."""

    @admin.action(description=_("Clean up expired attempts"), permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        # axes counts the cool-off back from the time its middleware puts on sign-in requests;
        # on this one it is missing, and axes 8.3.1 fails with a 500 (AttributeError).
        request.axes_attempt_time = timezone.now()
        return super().cleanup_expired_attempts(request, queryset)


def register(site):
    """Replace the admins of tags and attempts on ``site`` with these, where registered."""
    for model, model_admin in [(Tag, GuardedTagAdmin), (AccessAttempt, GuardedAccessAttemptAdmin)]:
        if site.is_registered(model):
            site.unregister(model)
            site.register(model, model_admin)
