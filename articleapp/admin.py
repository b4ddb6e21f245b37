"""The editors' admin: articles with paragraphs, the entity gazetteer, annotations."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articleapp.forms import AnnotationAdminForm, EntityAliasInlineFormSet
from articleapp.models import Annotation, Article, Entity, EntityAlias, Paragraph


class ParagraphInline(admin.StackedInline):
    model = Paragraph
    extra = 0
    fields = ["position", "text"]
    ordering = ["position"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "kicker", "byline", "paragraph_count", "published_on", "updated_at"]
    search_fields = ["title", "kicker", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "created_at"
    inlines = [ParagraphInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(paragraph_total=Count("paragraphs"))

    @admin.display(description=_("paragraphs"), ordering="paragraph_total")
    def paragraph_count(self, article):
        return article.paragraph_total


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "position", "excerpt"]
    list_filter = ["article"]
    search_fields = ["text", "article__title"]
    list_select_related = ["article"]
    ordering = ["article", "position"]

    @admin.display(description=_("text"))
    def excerpt(self, paragraph):
        return paragraph.text[:120] + ("…" if len(paragraph.text) > 120 else "")


class EntityAliasInline(admin.TabularInline):
    model = EntityAlias
    formset = EntityAliasInlineFormSet
    extra = 1


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "wikidata_link", "alias_list", "tag_list"]
    list_filter = ["kind", "tags"]
    search_fields = ["name", "slug", "aliases__name", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [EntityAliasInline]

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


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    form = AnnotationAdminForm
    list_display = ["quote", "entity", "article", "paragraph_position", "start", "end", "status"]
    list_filter = ["status", "paragraph__article", "entity__kind", "entity", "tags"]
    search_fields = ["quote", "comment", "entity__name", "paragraph__article__title"]
    autocomplete_fields = ["paragraph", "entity"]
    readonly_fields = ["quote", "prefix", "suffix", "author", "created_at", "updated_at"]
    list_select_related = ["entity", "paragraph__article"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["paragraph", ("start", "end"), "quote", ("prefix", "suffix")]}),
        (_("Annotation"), {"fields": ["entity", "comment", "tags", "status"]}),
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
        count = queryset.exclude(status=status).update(status=status, updated_at=timezone.now())
        self.message_user(
            request,
            ngettext(
                "%(count)d annotation set to %(status)s.",
                "%(count)d annotations set to %(status)s.",
                count,
            )
            % {"count": count, "status": Annotation.Status(status).label},
            messages.SUCCESS,
        )
