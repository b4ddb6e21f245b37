"""Annotations: the full list, with publishing actions, and the base of the review queues."""

from django.contrib import admin, messages
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from articleapp.admin.annotate import comment_preview_view
from articleapp.admin.base import TaggedHistoryAdmin
from articleapp.forms import AnnotationAdminForm
from articleapp.locking import save_each_versioned, version_column
from articleapp.models import Annotation


class SeenByReadersFilter(admin.SimpleListFilter):
    """Whether readers see the annotation: the reader rule, ``Annotation.objects.published()``."""

    title = _("readers see it")
    parameter_name = "readers"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(is_visible_to_readers=self.value() == "yes")
        return queryset


class AnnotationAdminBase(TaggedHistoryAdmin):
    """An admin of annotations: every list shows where each stands and whether readers see it."""

    form = AnnotationAdminForm
    list_display = [
        "quote",
        "entity",
        "article",
        "paragraph_position",
        "start",
        "end",
        "status",
        "anchor_badge",
        "seen_by_readers",
        "is_suggestion",
        version_column,
    ]
    list_filter = [
        "status",
        "anchor_status",
        SeenByReadersFilter,
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

    class Media:
        css = {"all": ["articleapp/admin/states.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_reader_visibility()

    @admin.display(description=_("anchor"), ordering="anchor_status")
    def anchor_badge(self, annotation):
        return anchor_badge(annotation)

    @admin.display(description=_("readers see it"), boolean=True, ordering="is_visible_to_readers")
    def seen_by_readers(self, annotation):
        return annotation.is_visible_to_readers

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
                # Publishing is an editor's word on the words as they stand now.
                annotation.is_suggestion = False
                annotation.confirm_words()

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
    def get_urls(self):
        return [
            path(
                "comment-preview/",
                self.admin_site.admin_view(require_POST(self.comment_preview_view)),
                name="articleapp_annotation_comment_preview",
            ),
            *super().get_urls(),
        ]

    def comment_preview_view(self, request):
        return comment_preview_view(self, request)


def anchor_badge(annotation):
    """The annotation's anchor state as a badge: in place, moved, words changed or orphaned."""
    return format_html(
        '<span class="rn-anchor rn-anchor-{}">{}</span>',
        annotation.anchor_status,
        annotation.get_anchor_status_display(),
    )
