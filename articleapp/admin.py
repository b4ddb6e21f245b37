"""The editors' admin: articles with paragraphs, the entity gazetteer, annotations, suggestions
and orphans, with optimistic locking, re-anchoring on text edits and the change history."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models, transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articleapp import admin_third_party, params, reanchoring, review, suggestions
from articleapp.admin_history import GuardedHistoryAdmin
from articleapp.annotate import annotate_view
from articleapp.forms import (
    AnnotationAdminForm,
    EntityAdminForm,
    EntityAliasInlineFormSet,
    ParagraphAdminForm,
    ParagraphInlineForm,
    conflict_message,
    posted_version,
)
from articleapp.models import (
    Annotation,
    Article,
    Entity,
    EntityAlias,
    OrphanedAnnotation,
    Paragraph,
    SuggestedAnnotation,
    VersionConflict,
)


def history_id(value, name):
    """An id from a history URL, read strictly: django-simple-history hands the text to the
    database as it is, and ``²`` or ``%FF`` there was a 500; here it is a 404."""
    try:
        return str(params.whole_number(unquote(value), name=name))
    except params.InvalidParameter:
        raise Http404(gettext("No such history entry.")) from None


class VersionedAdmin(GuardedHistoryAdmin):
    """Turn a save that lost the race against another editor's into a message, not a 500."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except VersionConflict as conflict:
            return self.refuse_conflict(request, conflict)

    def history_view(self, request, object_id, extra_context=None):
        object_id = history_id(object_id, "id")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        object_id, version_id = history_id(object_id, "id"), history_id(version_id, "version")
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except VersionConflict as conflict:
            return self.refuse_conflict(request, conflict)

    def refuse_conflict(self, request, conflict):
        self.message_user(
            request,
            conflict_message(conflict.instance, conflict.expected_version),
            messages.ERROR,
        )
        return HttpResponseRedirect(request.get_full_path())


class TaggedHistoryAdmin(VersionedAdmin):
    """A versioned admin whose history also lists the changes of tags (see articleapp.history)."""

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        super().set_history_delta_changes(request, historical_records, **kwargs)
        newer = None
        for older in historical_records:
            if newer is not None and _tags_changed(older, newer):
                changes = getattr(newer, "history_delta_changes", None) or []
                changes.append(
                    {
                        "field": capfirst(gettext("tags")),
                        "old": older.tag_names or "—",
                        "new": newer.tag_names or "—",
                    }
                )
                newer.history_delta_changes = changes
            newer = older


def _tags_changed(older, newer):
    # NULL: recorded before tags were; nothing to compare.
    known = older.tag_names is not None and newer.tag_names is not None
    return known and older.tag_names != newer.tag_names


def save_each_versioned(request, queryset, change):
    """Apply ``change`` to each object and save it at the version the editor's list showed.

    The changelist posts ``version_<pk>`` for every row (see ``version_column``); an object
    changed since is left alone and reported. Returns ``(saved, conflicts)``.
    """
    saved, conflicts = [], []
    for obj in queryset:
        obj.version = posted_version(request.POST, f"version_{obj.pk}", obj.version)
        change(obj)
        try:
            with transaction.atomic():
                obj.save()
        except VersionConflict as conflict:
            conflicts.append(conflict_message(conflict.instance, conflict.expected_version))
        else:
            saved.append(obj)
    return saved, conflicts


def report_conflicts(modeladmin, request, conflicts):
    for message in conflicts:
        modeladmin.message_user(request, message, messages.ERROR)


@admin.display(description=_("version"))
def version_column(obj):
    # Posted with the changelist form, so that actions can check each row's version.
    return format_html(
        '{}<input type="hidden" name="version_{}" value="{}">', obj.version, obj.pk, obj.version
    )


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
    actions = ["suggest_annotations"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                paragraph_total=Count("paragraphs", distinct=True),
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
        matcher = suggestions.build_matcher()
        for article in articles:
            report = suggestions.suggest(article, matcher)
            self.message_user(
                request,
                gettext(
                    "„%(article)s“: %(created)s new suggestions; %(annotated)s mentions already "
                    "annotated, %(rejected)s rejected before."
                )
                % {
                    "article": article,
                    "created": report.created,
                    "annotated": report.already_annotated,
                    "rejected": report.rejected_before,
                },
                messages.SUCCESS,
            )

    @admin.display(description=_("paragraphs"), ordering="paragraph_total")
    def paragraph_count(self, article):
        return article.paragraph_total

    @admin.display(description=_("orphans"), ordering="orphan_total")
    def orphan_count(self, article):
        if not article.orphan_total:
            return 0
        return format_html(
            '<a href="{}?paragraph__article__id__exact={}">{}</a>',
            reverse("admin:articleapp_orphanedannotation_changelist"),
            article.pk,
            article.orphan_total,
        )

    @admin.display(description=_("suggestions"), ordering="suggestion_total")
    def suggestion_count(self, article):
        if not article.suggestion_total:
            return 0
        return format_html(
            '<a href="{}?paragraph__article__id__exact={}">{}</a>',
            reverse("admin:articleapp_suggestedannotation_changelist"),
            article.pk,
            article.suggestion_total,
        )

    @admin.display(description=_("annotate"))
    def annotate_link(self, article):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articleapp_article_annotate", args=[article.pk]),
            gettext("Annotate"),
        )

    @admin.display(description=_("editorial state"))
    def editorial_state(self, article):
        if article.pk is None:
            return "—"
        annotations = Annotation.objects.filter(paragraph__article=article)
        counts = {
            "orphans": annotations.orphaned().count(),
            "suggestions": annotations.suggestions().count(),
            "moved": annotations.filter(anchor_status=Annotation.AnchorStatus.MOVED).count(),
        }
        orphans_url = reverse("admin:articleapp_orphanedannotation_changelist")
        return format_html(
            '{}: <a class="rn-orphan-count" href="{}?paragraph__article__id__exact={}">{}</a>'
            ' · {}: {} · {}: {} · <a href="{}">{}</a>',
            gettext("Orphaned annotations"),
            orphans_url,
            article.pk,
            counts["orphans"],
            gettext("suggestions to review"),
            counts["suggestions"],
            gettext("moved"),
            counts["moved"],
            reverse("admin:articleapp_article_annotate", args=[article.pk]),
            gettext("Annotate"),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Paragraph:
            return super().save_formset(request, form, formset, change)
        deleted = [f.instance for f in formset.deleted_forms if f.instance.pk is not None]
        for paragraph in deleted:
            reanchoring.rescue_annotations(paragraph, exclude=deleted)
        old_texts = dict(
            Paragraph.objects.filter(pk__in=[f.instance.pk for f in formset.forms]).values_list(
                "pk", "text"
            )
        )
        super().save_formset(request, form, formset, change)
        # Paragraphs added right after an edited one may be its second half: a split by hand.
        paragraphs = list(form.instance.paragraphs.order_by("position"))
        edited = [paragraph for paragraph in paragraphs if paragraph.pk in old_texts]
        before = [old_texts[paragraph.pk] for paragraph in edited]
        paired = {index: paragraphs.index(paragraph) for index, paragraph in enumerate(edited)}
        splits = reanchoring.find_splits(before, [p.text for p in paragraphs], paired)
        for index, paragraph in enumerate(edited):
            if before[index] == paragraph.text:
                continue
            pieces = paragraphs[paired[index] : paired[index] + splits.get(index, 1)]
            if len(pieces) > 1:
                self.message_user(
                    request,
                    gettext(
                        "%(paragraph)s was split into %(count)s paragraphs; its annotations "
                        "went with their words."
                    )
                    % {"paragraph": paragraph, "count": len(pieces)},
                    messages.INFO,
                )
            report = reanchoring.reanchor_split(pieces, before[index])
            report_reanchoring(self, request, paragraph, report)
        return None


def report_reanchoring(modeladmin, request, paragraph, report):
    modeladmin.message_user(
        request,
        gettext(
            "%(paragraph)s: %(anchored)s annotations in place, %(moved)s moved, %(orphaned)s "
            "orphaned."
        )
        % {
            "paragraph": paragraph,
            "anchored": len(report.anchored),
            "moved": len(report.moved),
            "orphaned": len(report.orphaned),
        },
        messages.WARNING if report.orphaned else messages.INFO,
    )


@admin.register(Paragraph)
class ParagraphAdmin(VersionedAdmin):
    form = ParagraphAdminForm
    list_display = ["__str__", "article", "position", "excerpt", version_column]
    list_filter = ["article"]
    search_fields = ["text", "article__title"]
    list_select_related = ["article"]
    ordering = ["article", "position"]
    fields = ["article", "position", "text", "version"]

    @admin.display(description=_("text"))
    def excerpt(self, paragraph):
        return paragraph.text[:120] + ("…" if len(paragraph.text) > 120 else "")

    def save_model(self, request, obj, form, change):
        # Compared with what is stored, not with the form's initial text: a restored history
        # version starts from the old text.
        stored_text = Paragraph.objects.filter(pk=obj.pk).values_list("text", flat=True).first()
        super().save_model(request, obj, form, change)
        if change and stored_text is not None and stored_text != obj.text:
            report_reanchoring(self, request, obj, reanchoring.reanchor_paragraph(obj, stored_text))

    def delete_model(self, request, obj):
        reanchoring.rescue_annotations(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        paragraphs = list(queryset)
        for paragraph in paragraphs:
            reanchoring.rescue_annotations(paragraph, exclude=paragraphs)
        super().delete_queryset(request, queryset)


class EntityAliasInline(admin.TabularInline):
    model = EntityAlias
    formset = EntityAliasInlineFormSet
    extra = 1


@admin.register(Entity)
class EntityAdmin(TaggedHistoryAdmin):
    form = EntityAdminForm
    list_display = ["name", "kind", "is_public", "wikidata_link", "alias_list", "tag_list"]
    list_filter = ["kind", "is_public", "tags"]
    search_fields = ["name", "slug", "aliases__name", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [EntityAliasInline]
    fields = [
        "name",
        "slug",
        "kind",
        "is_public",
        "description",
        "wikidata_id",
        "tags",
        "version",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases", "tags")

    @admin.display(description=_("Wikidata"), ordering="wikidata_id")
    def wikidata_link(self, entity):
        if not entity.wikidata_id:
            return "—"
        return format_html(
            '<a href="{}" rel="noopener">{}</a>', entity.wikidata_url, entity.wikidata_id
        )

    @admin.display(description=_("aliases"))
    def alias_list(self, entity):
        return ", ".join(alias.name for alias in entity.aliases.all())

    @admin.display(description=_("tags"))
    def tag_list(self, entity):
        return ", ".join(sorted(tag.name for tag in entity.tags.all()))


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
        report_conflicts(self, request, conflicts)
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
        report_conflicts(self, request, conflicts)
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
        report_conflicts(self, request, conflicts)
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


# taggit's and axes' admins, again, with the permission checks they lack.
admin_third_party.register(admin.site)
