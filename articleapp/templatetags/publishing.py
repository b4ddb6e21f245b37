"""Tags for what a page says about itself to other sites: canonical URL and schema.org JSON-LD.

``{% load publishing %}`` in the ``meta`` block of a public page; see
``templates/articleapp/includes/page_meta.html`` and ``articleapp.structured_data``.
"""

from urllib.parse import urlencode

from django import template

from articleapp import canonical, embeds, structured_data
from articleapp.markdown import render_text

register = template.Library()


@register.simple_tag
def absolute_url(path):
    """The absolute URL of ``path`` on the public site (``RANDNOTIZ_BASE_URL``)."""
    return canonical.absolute_url(path)


@register.simple_tag
def canonical_url(path, page=None, q=""):
    """The canonical URL of a page: its path, the page of a paginated list past the first
    (``page`` is a Django ``Page``), the search words (``q``); nothing else of the query."""
    query = {}
    if q:
        query["q"] = q
    number = getattr(page, "number", 1)
    if number > 1:
        query["page"] = number
    url = canonical.absolute_url(path)
    return f"{url}?{urlencode(query)}" if query else url


@register.simple_tag
def news_article_json_ld(article, mentions):
    """The reading page's NewsArticle; ``mentions`` are the page's ``overview.Mention``s."""
    entities = [mention.entity for mention in mentions]
    return structured_data.script_tag(structured_data.news_article(article, entities))


@register.simple_tag
def entity_json_ld(entity):
    """The entity page's entity, with its aliases (prefetched by the view)."""
    document = structured_data.entity_document(entity, entity.aliases.all())
    return structured_data.script_tag(document)


@register.simple_tag
def collection_json_ld(name, url, entities=(), page_type="CollectionPage"):
    """A list page (articles, entities, a tag, search results) at its canonical ``url``."""
    document = structured_data.collection_page(str(name), url, entities, page_type)
    return structured_data.script_tag(document)


@register.filter
def plain_text(markdown):
    """A Markdown text as the words a reader sees, for a meta description."""
    return render_text(str(markdown))


@register.simple_tag
def oembed_url(article):
    """The oEmbed URL of a reading page, for its discovery link."""
    return embeds.discovery_url(article)
