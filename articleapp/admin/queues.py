"""The review queues: views of Annotation that list what needs an editor's decision.

Each queue is a proxy model of Annotation with a ModelAdmin of its own: the gazetteer's
suggestions (accept or reject), the annotations whose words an edit changed (confirm or select
again) and the orphans whose words were lost (re-attach or delete).
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articleapp import suggestions
from articleapp.admin import bulk_review, review
from articleapp.admin.annotations import AnnotationAdminBase
from articleapp.locking import (
    VersionConflict,
    conflict_message,
    posted_version,
    save_each_versioned,
    version_column,
)
from articleapp.models import (
    Annotation,
    ChangedAnnotation,
    OrphanedAnnotation,
    SuggestedAnnotation,
)
from articleapp.snippets import ELLIPSIS, keyword_in_context


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


class QueueAdmin(ConcretePermissionsMixin, AnnotationAdminBase):
    """A review queue: a view of Annotation, titled by the queue's name.

    ``row_actions`` are list actions offered as a button on each row too (``review``).
    """

    row_actions = ()

    class Media:
        css = {"all": ["articleapp/admin/review.css"]}

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        return [*columns, review.review_column(self, request)] if self.row_actions else columns

    def get_urls(self):
        return review.row_urls(self) + super().get_urls()

    def review_view(self, request, object_id, action):
        return review.review_view(self, request, object_id, action)

    def run_row_action(self, request, action, queryset):
        """Run the list action behind the row button ``action`` on that row."""
        getattr(self, action)(request, queryset)

    def changelist_view(self, request, extra_context=None):
        # Django's "Select %s to change" reads "zu prüfender Vorschlag zur Änderung auswählen"
        # in German; a queue is named by what it holds.
        title = capfirst(self.model._meta.verbose_name_plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # "%s ändern" would start the German title in lower case ("zu prüfender Vorschlag").
        may_change = self.has_change_permission(request)
        title = (_("Change %s") if may_change else _("View %s")) % self.model._meta.verbose_name
        extra_context = {"title": capfirst(title), **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("in context"))
    def context(self, annotation):
        """The quote marked in its paragraph, with a few whole words either side."""
        kwic = keyword_in_context(annotation.paragraph.text, annotation.start, annotation.end, 5)
        return format_html(
            "{}{}<mark>{}</mark>{}{}",
            ELLIPSIS if kwic.cut_before else "",
            kwic.before,
            kwic.quote,
            kwic.after,
            ELLIPSIS if kwic.cut_after else "",
        )


@admin.register(SuggestedAnnotation)
class SuggestedAnnotationAdmin(QueueAdmin):
    """Review the gazetteer's suggestions: accept (publish) or reject (delete and remember)."""

    # The article is a filter; the context says enough.
    list_display = ["quote", "entity", "why", "context", version_column]
    list_filter = ["paragraph__article", "entity__kind", "entity", "confidence", "reason"]
    actions = ["accept", "reject"]
    row_actions = ("accept", "reject")

    def get_queryset(self, request):
        return annotations_as_such(self, request).suggestions()

    def get_actions(self, request):
        # Deleting a suggestion forgets it, and the next gazetteer run suggests it again;
        # Reject deletes it and remembers. The site-wide "delete selected" is not offered here.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_list_display(self, request):
        # The decision beside the words and their entity, where the reason cannot push it out
        # of view.
        *columns, buttons = super().get_list_display(request)
        return [*columns[:2], buttons, *columns[2:]]

    def run_row_action(self, request, action, queryset):
        # One row, named on its button: done at once, without the bulk confirmation.
        (self.reject_rows if action == "reject" else self.accept_rows)(request, queryset)

    @admin.display(description=_("confidence and reason"), ordering="confidence")
    def why(self, annotation):
        if annotation.confidence is None:  # suggested before suggestions had reasons
            return "—"
        return format_html(
            "<strong>{}</strong>: {}",
            capfirst(annotation.get_confidence_display()),
            suggestions.describe(annotation),
        )

    @admin.action(
        description=_("Accept (publish) the selected suggestions"), permissions=["change"]
    )
    def accept(self, request, queryset):
        """Ask first, on a page that counts them; accept once confirmed."""
        if bulk_review.confirmed(self, request, queryset):
            return self.accept_rows(request, queryset)
        return bulk_review.confirmation(self, request, queryset, "accept")

    def accept_rows(self, request, queryset):
        """Accept each suggestion still at the version the editor saw; report the others."""
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
        """Ask first, on a page that counts them; reject once confirmed."""
        if bulk_review.confirmed(self, request, queryset):
            return self.reject_rows(request, queryset)
        return bulk_review.confirmation(self, request, queryset, "reject")

    def reject_rows(self, request, queryset):
        """Reject each suggestion still at the version the editor saw; report the others."""
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
class OrphanedAnnotationAdmin(QueueAdmin):
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
        return select_again_link(annotation)


@admin.register(ChangedAnnotation)
class ChangedAnnotationAdmin(QueueAdmin):
    """Annotations whose words an edit changed, hidden from readers: confirm or re-select.

    Confirming takes the words now at the annotation's place as its own (one click, on the row
    or for many at once); where the edit changed the meaning, the editor opens the annotation on
    the Annotate page instead and selects other words.
    """

    # Narrow enough for the buttons at 1280 px: the article is a filter, the words say enough.
    list_display = [
        "quote",
        "published_words",
        "entity",
        "status",
        "paragraph_position",
        "reselect",
        version_column,
    ]
    list_filter = ["paragraph__article", "status", "entity"]
    actions = ["confirm"]
    row_actions = ("confirm",)

    def get_queryset(self, request):
        return annotations_as_such(self, request).words_changed()

    def get_list_display(self, request):
        # The decision beside the two versions of the words, where a long quote cannot push
        # it out of view.
        *columns, buttons = super().get_list_display(request)
        return [*columns[:2], buttons, *columns[2:]]

    @admin.display(description=_("words readers saw"))
    def published_words(self, annotation):
        return annotation.published_quote or "—"

    @admin.display(description=_("select again"))
    def reselect(self, annotation):
        return select_again_link(annotation)

    @admin.action(
        description=_("Confirm the selected annotations with their new words"),
        permissions=["change"],
    )
    def confirm(self, request, queryset):
        saved, conflicts = save_each_versioned(request, queryset, Annotation.confirm_words)
        self.report_conflicts(request, conflicts)
        published = sum(1 for annotation in saved if annotation.is_published)
        parts = {
            "confirmed": ngettext(
                "%(count)d annotation confirmed with its new words",
                "%(count)d annotations confirmed with their new words",
                len(saved),
            )
            % {"count": len(saved)},
            "shown": ngettext(
                "%(count)d published one is shown to readers again",
                "%(count)d published ones are shown to readers again",
                published,
            )
            % {"count": published},
        }
        self.message_user(request, gettext("%(confirmed)s; %(shown)s.") % parts, messages.SUCCESS)


def select_again_link(annotation):
    """A link that opens the annotation on the Annotate page, to select its words there."""
    return format_html(
        '<a href="{}?annotation={}#annotation-form">{}</a>',
        reverse("admin:articleapp_article_annotate", args=[annotation.paragraph.article_id]),
        annotation.pk,
        gettext("Select its words…"),
    )
