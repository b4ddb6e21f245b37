"""Annotations: the full list, with publishing actions, and the base of the review queues."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articleapp.admin.base import TaggedHistoryAdmin
from articleapp.forms import AnnotationAdminForm
from articleapp.locking import save_each_versioned, version_column
from articleapp.models import Annotation


class AnnotationAdminBase(TaggedHistoryAdmin):
    form = AnnotationAdminForm
    list_display = [
        "quote",
        "entity",
        "article",
        "paragraph_position",
        "start",
        "end",
        "status",
        "anchor_status",
        "is_suggestion",
        version_column,
    ]
    list_filter = [
        "status",
        "anchor_status",
        "is_suggestion",
        "paragraph__article",
        "entity__kind",
        "entity",
        "tags",
    ]
    search_fields = ["quote", "comment", "entity__name", "paragraph__article__title"]
    autocomplete_fields = ["paragraph", "entity"]
    readonly_fields = [
        "quote",
        "prefix",
        "suffix",
        "anchor_status",
        "published_quote",
        "is_suggestion",
        "author",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["entity", "paragraph__article"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "paragraph",
                    ("start", "end"),
                    "quote",
                    ("prefix", "suffix"),
                    ("anchor_status", "published_quote"),
                    "version",
                ]
            },
        ),
        (_("Annotation"), {"fields": ["entity", "comment", "tags", "status", "is_suggestion"]}),
        (_("History"), {"fields": ["author", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("article"), ordering="paragraph__article__title")
    def article(self, annotation):
        return annotation.paragraph.article

    @admin.display(description=_("¶"), ordering="paragraph__position")
    def paragraph_position(self, annotation):
        return annotation.paragraph.position

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected annotations"), permissions=["change"])
    def publish(self, request, queryset):
        self.set_status(request, queryset, Annotation.Status.PUBLISHED)

    @admin.action(description=_("Unpublish the selected annotations"), permissions=["change"])
    def unpublish(self, request, queryset):
        self.set_status(request, queryset, Annotation.Status.DRAFT)

    def set_status(self, request, queryset, status):
        orphans = queryset.filter(anchor_status=Annotation.AnchorStatus.ORPHANED).count()
        if status == Annotation.Status.PUBLISHED and orphans:
            self.message_user(
                request,
                ngettext(
                    "%(count)d orphaned annotation stays hidden until it is re-attached.",
                    "%(count)d orphaned annotations stay hidden until they are re-attached.",
                    orphans,
                )
                % {"count": orphans},
                messages.WARNING,
            )

        def change(annotation):
            annotation.status = status
            if status == Annotation.Status.PUBLISHED and not annotation.is_orphaned:
                annotation.published_quote = annotation.quote
                annotation.is_suggestion = False

        saved, conflicts = save_each_versioned(request, queryset.exclude(status=status), change)
        self.report_conflicts(request, conflicts)
        self.message_user(
            request,
            ngettext(
                "%(count)d annotation set to %(status)s.",
                "%(count)d annotations set to %(status)s.",
                len(saved),
            )
            % {"count": len(saved), "status": Annotation.Status(status).label},
            messages.SUCCESS,
        )


@admin.register(Annotation)
class AnnotationAdmin(AnnotationAdminBase):
    pass
