"""The gazetteer: entities with their aliases and tags."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articleapp.admin.base import TaggedHistoryAdmin
from articleapp.forms import EntityAdminForm, EntityAliasInlineFormSet
from articleapp.models import Entity, EntityAlias


class EntityAliasInline(admin.TabularInline):
    model = EntityAlias
    formset = EntityAliasInlineFormSet
    extra = 1


@admin.register(Entity)
class EntityAdmin(TaggedHistoryAdmin):
    form = EntityAdminForm
    list_display = ["name", "kind", "is_public", "wikidata_link", "alias_list", "tag_list"]
    list_filter = ["kind", "is_public", "is_ambiguous", "tags"]
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
        # How the gazetteer suggests it (articleapp.gazetteer.judge).
        "is_ambiguous",
        "ambiguity_note",
        ("not_before", "not_after"),
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
