"""Articles with their paragraphs: every change of texts goes through ``articleapp.textchanges``."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models, transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articleapp import suggestions, textchanges
from articleapp.admin.annotate import annotate_view
from articleapp.admin.base import VersionedAdmin
from articleapp.admin.importing import import_view, may_import
from articleapp.forms import ParagraphAdminForm, ParagraphInlineForm
from articleapp.locking import version_column
from articleapp.models import Annotation, Article, Paragraph
from articleapp.wording import quoted


class ParagraphInline(admin.StackedInline):
    model = Paragraph
    form = ParagraphInlineForm
    extra = 0
    fields = ["position", "text", "version"]
    ordering = ["position"]


@admin.register(Article)
class ArticleAdmin(VersionedAdmin):
    list_display = [
        "title",
        "kicker",
        "paragraph_count",
        "changed_count",
        "orphan_count",
        "suggestion_count",
        "annotate_link",
        "published_on",
        "updated_at",
    ]
    search_fields = ["title", "kicker", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "created_at"
    inlines = [ParagraphInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["editorial_state"]
    change_form_template = "admin/articleapp/article/change_form.html"

    class Media:
        css = {"all": ["articleapp/admin/states.css"]}

    actions = ["suggest_annotations"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                paragraph_total=Count("paragraphs", distinct=True),
                changed_total=Count(
                    "paragraphs__annotations",
                    filter=Q(
                        paragraphs__annotations__anchor_status=Annotation.AnchorStatus.CHANGED
                    ),
                    distinct=True,
                ),
                orphan_total=Count(
                    "paragraphs__annotations",
                    filter=Q(
                        paragraphs__annotations__anchor_status=Annotation.AnchorStatus.ORPHANED
                    ),
                    distinct=True,
                ),
                suggestion_total=Count(
                    "paragraphs__annotations",
                    filter=Q(
                        paragraphs__annotations__is_suggestion=True,
                        paragraphs__annotations__status=Annotation.Status.DRAFT,
                    ),
                    distinct=True,
                ),
            )
        )

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="articleapp_article_import",
            ),
            path(
                "<path:object_id>/annotate/",
                self.admin_site.admin_view(self.annotate_view),
                name="articleapp_article_annotate",
            ),
            path(
                "<path:object_id>/suggest/",
                self.admin_site.admin_view(require_POST(self.suggest_view)),
                name="articleapp_article_suggest",
            ),
            *super().get_urls(),
        ]

    def annotate_view(self, request, object_id):
        return annotate_view(self, request, object_id)

    def import_view(self, request):
        return import_view(self, request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"may_import": may_import(self, request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def suggest_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(gettext("No such article."))
        if not self.has_suggest_permission(request, article):
            return HttpResponseRedirect(
                reverse("admin:articleapp_article_change", args=[article.pk])
            )
        self.report_suggestions(request, [article])
        return HttpResponseRedirect(
            reverse("admin:articleapp_suggestedannotation_changelist")
            + f"?paragraph__article__id__exact={article.pk}"
        )

    @admin.action(description=_("Suggest annotations from the gazetteer"), permissions=["suggest"])
    def suggest_annotations(self, request, queryset):
        self.report_suggestions(request, queryset)

    def has_suggest_permission(self, request, article=None):
        """Suggestions change the article's editorial state and are new (draft) annotations."""
        return self.has_change_permission(request, article) and request.user.has_perm(
            "articleapp.add_annotation"
        )

    def report_suggestions(self, request, articles):
        gazetteer = suggestions.build_gazetteer()
        for article in articles:
            report = suggestions.suggest(article, gazetteer)
            counts = {
                "created": ngettext(
                    "%(count)d new suggestion", "%(count)d new suggestions", report.created
                )
                % {"count": report.created},
                "annotated": ngettext(
                    "%(count)d mention already annotated",
                    "%(count)d mentions already annotated",
                    report.already_annotated,
                )
                % {"count": report.already_annotated},
                "rejected": ngettext(
                    "%(count)d rejected before",
                    "%(count)d rejected before",
                    report.rejected_before,
                )
                % {"count": report.rejected_before},
            }
            self.message_user(
                request,
                gettext("%(article)s: %(created)s; %(annotated)s, %(rejected)s.")
                % {"article": quoted(article), **counts},
                messages.SUCCESS,
            )

    @admin.display(description=_("paragraphs"), ordering="paragraph_total")
    def paragraph_count(self, article):
        return article.paragraph_total

    @admin.display(description=_("words changed"), ordering="changed_total")
    def changed_count(self, article):
        return queue_count("changedannotation", article, article.changed_total)

    @admin.display(description=_("orphans"), ordering="orphan_total")
    def orphan_count(self, article):
        return queue_count("orphanedannotation", article, article.orphan_total)

    @admin.display(description=_("suggestions"), ordering="suggestion_total")
    def suggestion_count(self, article):
        return queue_count("suggestedannotation", article, article.suggestion_total)

    @admin.display(description=_("annotate"))
    def annotate_link(self, article):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articleapp_article_annotate", args=[article.pk]),
            gettext("Annotate"),
        )

    @admin.display(description=_("editorial state"))
    def editorial_state(self, article):
        """How many of the article's annotations stand where, each queue linked, filtered."""
        if article.pk is None:
            return "—"
        Anchor = Annotation.AnchorStatus
        counts = Annotation.objects.filter(paragraph__article=article).aggregate(
            **{state: Count("pk", filter=Q(anchor_status=state)) for state in Anchor.values},
            suggestions=Count("pk", filter=Q(is_suggestion=True, status=Annotation.Status.DRAFT)),
        )
        parts = [
            (Anchor.ANCHORED.label, "rn-anchored-count", counts[Anchor.ANCHORED]),
            (Anchor.MOVED.label, "rn-moved-count", counts[Anchor.MOVED]),
            (
                gettext("words changed, to check"),
                "rn-changed-count",
                queue_count("changedannotation", article, counts[Anchor.CHANGED]),
            ),
            (
                Anchor.ORPHANED.label,
                "rn-orphan-count",
                queue_count("orphanedannotation", article, counts[Anchor.ORPHANED]),
            ),
            (
                gettext("suggestions to review"),
                "rn-suggestion-count",
                queue_count("suggestedannotation", article, counts["suggestions"]),
            ),
        ]
        items = format_html_join(
            "",
            '<li>{}: <span class="{}">{}</span></li>',
            ((capfirst(label), css, count) for label, css, count in parts),
        )
        return format_html(
            '<ul class="rn-editorial-state">{}<li><a href="{}">{}</a></li></ul>',
            items,
            reverse("admin:articleapp_article_annotate", args=[article.pk]),
            gettext("Annotate"),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Paragraph:
            return super().save_formset(request, form, formset, change)
        before = textchanges.before(form.instance)
        for paragraph in formset.save(commit=False):
            paragraph.save()
        report = textchanges.reconcile(before, removed=formset.deleted_objects)
        report_text_changes(self, request, report)
        return None


def queue_count(queue, article, count):
    """A count of the article's rows in a review queue, linked to them there if any."""
    if not count:
        return 0
    url = reverse(f"admin:articleapp_{queue}_changelist")
    return format_html(
        '<a href="{}?paragraph__article__id__exact={}">{}</a>', url, article.pk, count
    )


def report_text_changes(modeladmin, request, report):
    """Tell the editor where the annotations of each changed paragraph went."""
    for change in report.changes:
        paragraph, reanchored = change.paragraph, change.report
        if change.pieces > 1:
            modeladmin.message_user(
                request,
                ngettext(
                    "%(paragraph)s was split into %(count)d paragraph; its annotations "
                    "went with their words.",
                    "%(paragraph)s was split into %(count)d paragraphs; its annotations "
                    "went with their words.",
                    change.pieces,
                )
                % {"paragraph": paragraph, "count": change.pieces},
                messages.INFO,
            )
        modeladmin.message_user(
            request,
            gettext("%(paragraph)s: %(anchored)s, %(moved)s, %(changed)s, %(orphaned)s.")
            % {"paragraph": paragraph, **reanchoring_counts(reanchored)},
            messages.WARNING if reanchored.orphaned or reanchored.changed else messages.INFO,
        )


def reanchoring_counts(report):
    """The parts of a re-anchoring message: how many annotations ended in each state."""
    anchored, moved, orphaned = len(report.anchored), len(report.moved), len(report.orphaned)
    changed = len(report.changed)
    return {
        "anchored": ngettext(
            "%(count)d annotation in place", "%(count)d annotations in place", anchored
        )
        % {"count": anchored},
        "moved": ngettext("%(count)d moved", "%(count)d moved", moved) % {"count": moved},
        "changed": ngettext(
            "%(count)d with changed words (hidden from readers until confirmed)",
            "%(count)d with changed words (hidden from readers until confirmed)",
            changed,
        )
        % {"count": changed},
        "orphaned": ngettext("%(count)d orphaned", "%(count)d orphaned", orphaned)
        % {"count": orphaned},
    }


@admin.register(Paragraph)
class ParagraphAdmin(VersionedAdmin):
    form = ParagraphAdminForm
    list_display = ["__str__", "article", "position", "excerpt", version_column]
    list_filter = ["article"]
    search_fields = ["text", "article__title"]
    list_select_related = ["article"]
    ordering = ["article", "position"]
    fields = ["article", "position", "text", "version"]

    def get_readonly_fields(self, request, obj=None):
        # A paragraph stays in its article, as its annotations do (AnnotationAdminForm).
        return ["article"] if obj is not None else []

    @admin.display(description=_("text"))
    def excerpt(self, paragraph):
        return paragraph.text[:120] + ("…" if len(paragraph.text) > 120 else "")

    def save_model(self, request, obj, form, change):
        # Compared with what is stored, not with the form's initial text: a restored history
        # version starts from the old text. A paragraph added to an article changes its text too.
        before = textchanges.before(obj.article)
        super().save_model(request, obj, form, change)
        report_text_changes(self, request, textchanges.reconcile(before))

    def delete_model(self, request, obj):
        textchanges.reconcile(textchanges.before(obj.article), removed=[obj])

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            paragraphs = list(queryset.select_related("article"))
            for article in {paragraph.article for paragraph in paragraphs}:
                removed = [paragraph for paragraph in paragraphs if paragraph.article == article]
                textchanges.reconcile(textchanges.before(article), removed=removed)
