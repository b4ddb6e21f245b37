"""The admin site: Django's, branded Randnotiz, with a "view on site" redirect that reveals no ids.

Django's ``/admin/r/<content type>/<id>/`` (``contenttypes.views.shortcut``) redirects any staff
user to an object's public address and answers 404 for an id that does not exist, so a staff user
without any permission could tell which ids of drafts and orphans exist. Here a user who may not
view the model gets the same 404 as for a missing id, decided before anything is looked up. "May
view" is what the model's ModelAdmin says (the review queues of annotations use Annotation's
permissions), or for a model without one its ``view`` or ``change`` permission.

Installed as the default site by ``articleapp.apps.AdminSiteConfig`` (Django's documented way),
so ``admin.site`` and every ``@admin.register`` use it.
"""

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Content type ids are small positive integers; anything else names no model.
CONTENT_TYPE_ID_DIGITS = 9


class RandnotizAdminSite(admin.AdminSite):
    # The brand is a name, the same in every language.
    site_header = "Randnotiz"
    site_title = "Randnotiz"
    index_title = gettext_lazy("Randnotiz administration")

    def get_urls(self):
        return [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            )
            if getattr(pattern, "name", None) == "view_on_site"
            else pattern
            for pattern in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Redirect to the object's public address, for users who may view its model."""
        if not self.may_view(request, content_type_id):
            # The words of Django's answer for a missing object: nothing tells the two apart.
            raise Http404(
                _("Content type %(ct_id)s object %(obj_id)s doesn’t exist")
                % {"ct_id": content_type_id, "obj_id": object_id}
            )
        return shortcut(request, content_type_id, object_id)

    def may_view(self, request, content_type_id):
        """Whether the user may view objects of the model with ``content_type_id``."""
        digits = content_type_id.isascii() and content_type_id.isdigit()
        if not digits or len(content_type_id) > CONTENT_TYPE_ID_DIGITS:
            return False
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except ContentType.DoesNotExist:
            return False
        if model is None:
            return False
        model_admin = self._registry.get(model)
        if model_admin is not None:
            return model_admin.has_view_or_change_permission(request)
        opts = model._meta
        return any(
            request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
            for action in ("view", "change")
        )
