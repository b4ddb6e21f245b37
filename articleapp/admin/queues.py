"""The review queues: views of Annotation that list what needs an editor's decision.

Each queue is a proxy model of Annotation with a ModelAdmin of its own: the gazetteer's
suggestions (accept or reject) and the orphans whose words were lost (re-attach or delete).
"""

from django.contrib import admin, messages
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articleapp import suggestions
from articleapp.admin import review
from articleapp.admin.annotations import AnnotationAdminBase
from articleapp.locking import (
    VersionConflict,
    conflict_message,
    posted_version,
    save_each_versioned,
    version_column,
)
from articleapp.models import Annotation, OrphanedAnnotation, SuggestedAnnotation


def annotations_as_such(queue_admin, request):
    """The queue's rows as Annotation instances, not proxies.

    django-simple-history records saves and deletions sent by Annotation itself, so the queues'
    actions and forms must save Annotations for their changes to appear in the history.
    """
    queryset = Annotation.objects.select_related(*queue_admin.list_select_related)
    ordering = queue_admin.get_ordering(request)
    return queryset.order_by(*ordering) if ordering else queryset


class ConcretePermissionsMixin:
    """A queue of annotations is a view of Annotation: use Annotation's permissions."""

    def _has(self, request, action):
        return request.user.has_perm(f"articleapp.{action}_annotation")

    def has_view_permission(self, request, obj=None):
        return self._has(request, "view") or self._has(request, "change")

    def has_change_permission(self, request, obj=None):
        return self._has(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._has(request, "delete")

    def has_add_permission(self, request):
        return False

    def has_module_permission(self, request):
        return self.has_view_permission(request)


@admin.register(SuggestedAnnotation)
class SuggestedAnnotationAdmin(ConcretePermissionsMixin, AnnotationAdminBase):
    """Review the gazetteer's suggestions: accept (publish) or reject (delete and remember)."""

    list_display = ["quote", "entity", "context", "article", "paragraph_position", version_column]
    list_filter = ["paragraph__article", "entity__kind", "entity"]
    actions = ["accept", "reject"]

    def get_queryset(self, request):
        return annotations_as_such(self, request).suggestions()

    def get_list_display(self, request):
        return [*super().get_list_display(request), review.review_column(self, request)]

    def get_urls(self):
        return [
            path(
                f"<path:object_id>/{action}/",
                self.admin_site.admin_view(require_POST(self.review_view)),
                {"action": action},
                name=f"articleapp_suggestedannotation_{action}",
            )
            for action in review.ACTIONS
        ] + super().get_urls()

    def review_view(self, request, object_id, action):
        return review.review_view(self, request, object_id, action)

    @admin.display(description=_("in context"))
    def context(self, annotation):
        return format_html(
            "…{}<mark>{}</mark>{}…", annotation.prefix, annotation.quote, annotation.suffix
        )

    @admin.action(
        description=_("Accept (publish) the selected suggestions"), permissions=["change"]
    )
    def accept(self, request, queryset):
        saved, conflicts = save_each_versioned(request, queryset, suggestions.accept)
        self.report_conflicts(request, conflicts)
        self.message_user(
            request,
            ngettext(
                "%(count)d suggestion accepted and published.",
                "%(count)d suggestions accepted and published.",
                len(saved),
            )
            % {"count": len(saved)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reject the selected suggestions"), permissions=["delete"])
    def reject(self, request, queryset):
        rejected, conflicts = 0, []
        for annotation in queryset:
            annotation.version = posted_version(
                request.POST, f"version_{annotation.pk}", annotation.version
            )
            try:
                suggestions.reject(annotation, request.user)
            except VersionConflict as conflict:
                conflicts.append(conflict_message(conflict.instance, conflict.expected_version))
            else:
                rejected += 1
        self.report_conflicts(request, conflicts)
        self.message_user(
            request,
            ngettext(
                "%(count)d suggestion rejected; it will not be suggested again.",
                "%(count)d suggestions rejected; they will not be suggested again.",
                rejected,
            )
            % {"count": rejected},
            messages.SUCCESS,
        )


@admin.register(OrphanedAnnotation)
class OrphanedAnnotationAdmin(ConcretePermissionsMixin, AnnotationAdminBase):
    """Annotations whose words were not found after a text change: re-attach or delete."""

    list_display = [
        "quote",
        "entity",
        "status",
        "article",
        "paragraph_position",
        "reattach",
        version_column,
    ]
    list_filter = ["paragraph__article", "status", "entity"]
    actions = ["delete_selected"]

    def get_queryset(self, request):
        return annotations_as_such(self, request).orphaned()

    @admin.display(description=_("re-attach"))
    def reattach(self, annotation):
        return format_html(
            '<a href="{}?annotation={}#annotation-form">{}</a>',
            reverse("admin:articleapp_article_annotate", args=[annotation.paragraph.article_id]),
            annotation.pk,
            gettext("Select its words…"),
        )
