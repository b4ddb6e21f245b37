"""schema.org JSON-LD for publishers: the reading page's NewsArticle, entities, list pages.

Built from what the page has already loaded, so it costs no query, and only from what readers
may see there: the entities of a reading page are those of its published annotations
(``Annotation.objects.published()``, the page's own rule, which also makes an entity public, see
``Entity.objects.public()``); an entity page's entity comes through ``public()``. A property
whose value is unknown (no publication date, no byline, no source) is left out, never guessed.

Every entity is one node wherever it appears: ``@id`` its entity page's absolute URL (see
``articleapp.canonical``), ``name``, a schema.org type for its kind and ``sameAs`` its Wikidata
IRI when it has one, so that search engines and linked-data clients join the mentions of a
reading page with the entity page and with Wikidata.

``script_tag`` writes a document into ``<script type="application/ld+json">`` escaped as
Django's ``json_script`` does: ``<``, ``>`` and ``&`` become ``\\u003C`` and so on, so no text in
it can close the element or open a comment, whatever an editor typed.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articleapp.canonical import absolute_url, base_url
from articleapp.exports.w3c import WIKIDATA_ENTITY
from articleapp.markdown import render_text
from articleapp.urlpieces import SlugUrls

CONTEXT = "https://schema.org"
SITE_NAME = "Randnotiz"
# schema.org has a type for these kinds; an initiative or anything else is a Thing.
KIND_TYPES = {
    "organisation": "Organization",
    "person": "Person",
    "place": "Place",
    "event": "Event",
    "product": "Product",
}
DEFAULT_TYPE = "Thing"
# The characters that could end the <script> element or start markup inside it, as JSON escapes.
# Replaced one after the other (no replacement puts in a character another one takes out):
# ``str.translate`` with a table took 340 µs on the seed page's 4 kB of German text, three
# ``str.replace`` calls 3 µs.
SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def entity_type(kind):
    return KIND_TYPES.get(kind, DEFAULT_TYPE)


def wikidata_iri(entity):
    """Return the entity's Wikidata concept IRI (not the page about it), or None."""
    return f"{WIKIDATA_ENTITY}{entity.wikidata_id}" if entity.wikidata_id else None


def entity_node(entity, path=None):
    """Return the node that stands for ``entity`` on every page: id, type, name, Wikidata.

    ``path`` is the entity page's path if the caller has it, else it is reversed.
    """
    url = absolute_url(path or entity.get_absolute_url())
    node = {"@type": entity_type(entity.kind), "@id": url, "name": entity.name, "url": url}
    iri = wikidata_iri(entity)
    if iri:
        node["sameAs"] = iri
    return node


def entity_document(entity, aliases=()):
    """Return the JSON-LD of an entity page: its node, with aliases and a plain description."""
    document = {"@context": CONTEXT, **entity_node(entity)}
    if aliases:
        document["alternateName"] = [alias.name for alias in aliases]
    description = render_text(entity.description) if entity.description else ""
    if description:
        document["description"] = description
    return document


def site_node():
    return {"@type": "WebSite", "name": SITE_NAME, "url": f"{base_url()}/"}


def news_article(article, entities):
    """Return the JSON-LD of a reading page: a NewsArticle that mentions ``entities``.

    ``entities`` are those of the page's published annotations, in order of appearance.
    ``author`` is the byline and ``publisher`` the source the article comes from; each is left
    out when the article does not name it, as ``datePublished`` is without a date.
    """
    url = absolute_url(article.get_absolute_url())
    document = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": article.language,
        "isAccessibleForFree": True,
    }
    if article.published_on:
        document["datePublished"] = article.published_on.isoformat()
    # When the text readers see last changed (articleapp.textchanges), not ``updated_at``,
    # which also moves with annotations and related articles.
    if article.text_changed_at:
        document["dateModified"] = article.text_changed_at.isoformat()
    if article.byline:
        document["author"] = {"@type": "Person", "name": article.byline}
    if article.source_name:
        document["publisher"] = {"@type": "Organization", "name": article.source_name}
    if article.source_url:
        document["isBasedOn"] = article.source_url
    if article.kicker:
        document["alternativeHeadline"] = article.kicker
    if entities:
        entity_path = SlugUrls("articleapp:entity-detail")
        document["mentions"] = [
            entity_node(entity, entity_path(entity.slug)) for entity in entities
        ]
    document["isPartOf"] = site_node()
    return document


def collection_page(name, url, entities=(), page_type="CollectionPage"):
    """Return the JSON-LD of a list page (articles, entities, a tag, search results) at ``url``
    (its canonical URL). ``entities`` (public ones only) are what it is about, e.g. a tag's.
    """
    document = {"@context": CONTEXT, "@type": page_type, "@id": url, "url": url, "name": name}
    if entities:
        document["about"] = [entity_node(entity) for entity in entities]
    document["isPartOf"] = site_node()
    return document


def script_tag(document):
    """Return ``document`` as a ``<script type="application/ld+json">`` element, safe HTML."""
    text = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=False)
    for character, json_escape in SCRIPT_ESCAPES:
        text = text.replace(character, json_escape)
    # Escaped above: no <, > or & is left in the text, so it cannot leave the element.
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text),  # noqa: S308
    )
