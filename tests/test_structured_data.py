"""schema.org JSON-LD, Open Graph, Twitter cards and canonical links, read as their clients do.

extruct (the extractor of search-engine tooling) parses each public page; pyld expands the
JSON-LD offline against schema.org's own context entries (``tests.support.schema_org``). For
every page type, nothing of a draft, an orphan, an annotation whose words changed or an entity
not public appears anywhere in the markup (``tests.support.publishing``).
"""

import dataclasses
import json
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from pyld import jsonld

from articleapp import canonical, importer, structured_data
from articleapp.models import Annotation, Entity
from tests.support import schema_org
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.publishing import build_world, hidden_traces

pytestmark = pytest.mark.django_db

BASE = "https://randnotiz.example"
SCHEMA = "http://schema.org/"


@pytest.fixture
def world(settings):
    settings.RANDNOTIZ_BASE_URL = BASE
    settings.PAGE_CACHE_SECONDS = 0
    return build_world()


def public_pages(world):
    """The path of each public page type, with a name for the test report."""
    article, entity, tag = world["article"], world["entities"][0], world["tag"]
    return {
        "article list": reverse("articleapp:article-list"),
        "reading page": article.get_absolute_url(),
        "entity list": reverse("articleapp:entity-list"),
        "entity page": entity.get_absolute_url(),
        "tag page": reverse("articleapp:tag-detail", kwargs={"slug": tag.slug}),
        "search": reverse("articleapp:search") + "?q=Nvidia",
        "change log": reverse("articleapp:article-changes", kwargs={"slug": article.slug}),
    }


def read(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    page = response.content.decode()
    documents, opengraph = schema_org.extract(page, BASE + path)
    return page, documents, opengraph


def nodes(document):
    """Every node (a dict with a type, not a typed value) in a JSON-LD document, itself too."""
    if isinstance(document, list):
        return [node for item in document for node in nodes(item)]
    if not isinstance(document, dict):
        return []
    found = [document] if "@type" in document and "@value" not in document else []
    return found + [node for value in document.values() for node in nodes(value)]


def test_reading_page_is_a_news_article(client, world):
    """One NewsArticle with headline, dates, author, publisher, language, free access and the
    page as its main entity, all as written on the page."""
    article = world["article"]
    article.refresh_from_db()
    page, documents, _ = read(client, article.get_absolute_url())
    [document] = documents
    url = BASE + article.get_absolute_url()
    assert document["@context"] == "https://schema.org"
    assert document["@type"] == "NewsArticle"
    assert document["headline"] == article.title
    assert document["datePublished"] == "2025-05-01"
    # The text never changed since it was imported.
    assert "dateModified" not in document
    assert document["author"] == {"@type": "Person", "name": "nen"}
    assert document["publisher"] == {"@type": "Organization", "name": "heise online"}
    assert document["inLanguage"] == "de"
    assert document["isAccessibleForFree"] is True
    assert document["mainEntityOfPage"] == url == document["url"]
    assert document["isBasedOn"] == article.source_url


def test_date_modified_is_when_the_text_last_changed(client, world):
    """A re-import that changes the text sets ``dateModified``; saving the article unchanged
    or changing an annotation leaves it where it was."""
    article = world["article"]
    texts = list(article.paragraphs.values_list("text", flat=True))
    parsed = importer.ParsedArticle(article.kicker, article.title, article.byline, tuple(texts))
    importer.save(parsed, slug=article.slug)
    assert "dateModified" not in read(client, article.get_absolute_url())[1][0]
    texts[0] = texts[0].replace("bauen", "planen")
    importer.save(dataclasses.replace(parsed, paragraphs=tuple(texts)), slug=article.slug)
    article.refresh_from_db()
    [document] = read(client, article.get_absolute_url())[1]
    assert document["dateModified"] == article.text_changed_at.isoformat()
    article.save()
    annotation = Annotation.objects.published().filter(paragraph__article=article).first()
    annotation.comment = "Neu kommentiert"
    annotation.save()
    assert (
        read(client, article.get_absolute_url())[1][0]["dateModified"] == (document["dateModified"])
    )


def test_reading_page_mentions_the_published_entities_with_wikidata(client, world):
    """``mentions`` holds each published entity once, in order: its page as ``@id``, name, the
    type of its kind and its Wikidata IRI where it has one."""
    _, [document], _ = read(client, world["article"].get_absolute_url())
    mistral, person, event = world["entities"]
    assert document["mentions"] == [
        {
            "@type": "Organization",
            "@id": f"{BASE}/entities/mistral-ai/",
            "name": "Mistral AI",
            "url": f"{BASE}/entities/mistral-ai/",
            "sameAs": "http://www.wikidata.org/entity/Q119718658",
        },
        {
            "@type": "Person",
            "@id": f"{BASE}/entities/arthur-mensch/",
            "name": "Arthur Mensch",
            "url": f"{BASE}/entities/arthur-mensch/",
        },
        {
            "@type": "Event",
            "@id": f"{BASE}/entities/vivatech/",
            "name": "VivaTech",
            "url": f"{BASE}/entities/vivatech/",
            "sameAs": "http://www.wikidata.org/entity/Q30907596",
        },
    ]


def test_entity_page_carries_its_entity_as_the_reading_page_names_it(client, world):
    """The entity page's node has the same ``@id``, type, name and ``sameAs`` as the reading
    page's mention, so the two join; with aliases and the description as plain text."""
    mistral = world["entities"][0]
    mistral.description = "Ein *französisches* KI-Unternehmen ([Quelle](https://example.org))."
    mistral.save()
    mistral.aliases.create(name="Mistral")
    _, [reading], _ = read(client, world["article"].get_absolute_url())
    _, [document], _ = read(client, mistral.get_absolute_url())
    mention = reading["mentions"][0]
    assert {key: document[key] for key in mention} == mention
    assert document["alternateName"] == ["Mistral"]
    assert document["description"] == "Ein französisches KI-Unternehmen (Quelle)."


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [("organisation", "Organization"), ("person", "Person"), ("place", "Place"),
     ("event", "Event"), ("product", "Product"), ("initiative", "Thing"), ("other", "Thing")],
)  # fmt: skip
def test_every_kind_has_a_schema_org_type(kind, schema_type):
    """Each entity kind maps to its schema.org type; initiatives and others are Things."""
    assert kind in Entity.Kind.values
    assert structured_data.entity_type(kind) == schema_type


def test_unknown_properties_are_left_out_not_invented(client, settings):
    """An article without date, byline or source has no datePublished, author, publisher or
    isBasedOn; an entity without a Wikidata ID has no sameAs."""
    settings.RANDNOTIZ_BASE_URL = BASE
    settings.PAGE_CACHE_SECONDS = 0
    article = make_article(paragraphs=["Ein Satz über Quendolin."], byline="", kicker="")
    annotate_quote(article.paragraphs.get(), "Quendolin", entity=make_entity(name="Quendolin"))
    _, [document], _ = read(client, article.get_absolute_url())
    for absent in ["datePublished", "author", "publisher", "isBasedOn", "alternativeHeadline"]:
        assert absent not in document
    assert "sameAs" not in document["mentions"][0]
    assert document["headline"] == article.title


def test_every_public_page_expands_with_schema_org_terms_only(client, world):
    """Each page's JSON-LD expands offline with pyld: every term is one schema.org defines,
    every type and ``sameAs`` is an IRI, the Wikidata ones concept IRIs."""
    for name, path in public_pages(world).items():
        _, documents, _ = read(client, path)
        assert len(documents) == 1, name
        [document] = documents
        assert schema_org.unexpanded_terms(document) == set(), name
        expanded = schema_org.expand(document)
        assert expanded, name
        for node in nodes(expanded):
            assert all(kind.startswith(SCHEMA) for kind in node["@type"]), (name, node)
        for node in nodes(document):
            if "sameAs" in node:
                assert node["sameAs"].startswith("http://www.wikidata.org/entity/Q"), name


def test_every_public_page_has_canonical_open_graph_and_twitter_card(client, world):
    """Canonical link, og:url (the same), og:title, og:type, og:site_name and a Twitter summary
    card on every public page; absolute URLs on the configured site."""
    for name, path in public_pages(world).items():
        page, _, opengraph = read(client, path)
        [link] = schema_org.canonical_links(page)
        assert link == opengraph["og:url"], name
        assert urlsplit(link).path == urlsplit(path).path, name
        assert link.startswith(BASE + "/"), name
        assert opengraph["og:title"] and opengraph["og:site_name"] == "Randnotiz", name
        assert opengraph["og:type"] == ("article" if name == "reading page" else "website")
        twitter = schema_org.meta_names(page)
        assert twitter["twitter:card"] == "summary", name
        assert twitter["twitter:title"] == opengraph["og:title"], name


def test_reading_page_open_graph_describes_the_article(client, world):
    """og:title is the headline, og:description the start of the text, with article times."""
    article = world["article"]
    page, _, opengraph = read(client, article.get_absolute_url())
    assert opengraph["og:title"] == article.title
    assert opengraph["og:description"].startswith("Mistral AI und Nvidia bauen")
    assert opengraph["article:published_time"] == "2025-05-01"
    assert schema_org.meta_names(page)["description"] == opengraph["og:description"]


def test_canonical_url_keeps_only_the_page_and_the_search_words(client, world):
    """A paginated page's canonical names its page past the first; search keeps ``q``;
    nothing else of the query string is kept."""
    entity = world["entities"][0]
    page, _, _ = read(client, f"{entity.get_absolute_url()}?page=1&utm_source=x")
    assert schema_org.canonical_links(page) == [BASE + entity.get_absolute_url()]
    page, _, _ = read(client, "/search/?q=Mistral+AI&utm_source=x")
    assert schema_org.canonical_links(page) == [f"{BASE}/search/?q=Mistral+AI"]
    assert schema_org.meta_names(page)["robots"] == "noindex"


def test_absolute_urls_come_from_the_setting_not_the_host(client, world, settings):
    """Every absolute URL of a page is on RANDNOTIZ_BASE_URL whatever Host the reader sent,
    so the page cache may serve one copy to every allowed host."""
    settings.ALLOWED_HOSTS = ["randnotiz.example", "mirror.example"]
    path = world["article"].get_absolute_url()
    first = client.get(path, headers={"host": "mirror.example"}).content.decode()
    second = client.get(path, headers={"host": "randnotiz.example"}).content.decode()
    assert first == second
    assert "mirror.example" not in first
    settings.RANDNOTIZ_BASE_URL = "https://elsewhere.example/"
    page = client.get(path, headers={"host": "mirror.example"}).content.decode()
    assert schema_org.canonical_links(page) == [f"https://elsewhere.example{path}"]


def test_json_ld_is_escaped_inside_its_script(client, settings):
    """Text that would end the script element or open a comment is written as JSON escapes,
    and parses back to exactly what the editor typed."""
    settings.PAGE_CACHE_SECONDS = 0
    hostile = '</script><script>alert(1)</script><!-- & "quotes"'
    article = make_article(paragraphs=[f"Es geht um {hostile}."], title=hostile, byline=hostile)
    page = client.get(article.get_absolute_url()).content.decode()
    start = page.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    text = page[start : page.index("</script>", start)]
    assert "<" not in text and ">" not in text and "&" not in text
    document = json.loads(text)
    assert document["headline"] == hostile
    assert document["author"]["name"] == hostile


def test_tag_page_is_about_its_public_entities(client, world):
    """The tag page's CollectionPage is about the public entities carrying the tag."""
    mistral = world["entities"][0]
    mistral.tags.add(world["tag"])
    _, [document], _ = read(client, public_pages(world)["tag page"])
    assert document["@type"] == "CollectionPage"
    assert [node["@id"] for node in document["about"]] == [BASE + mistral.get_absolute_url()]


def test_nothing_hidden_appears_on_any_public_page(client, world):
    """Drafts, orphans, annotations whose words changed and entities not public: not their
    entities, Wikidata IDs, comments, tags or ids, in the JSON-LD or anywhere in the markup."""
    for name, path in public_pages(world).items():
        page, documents, _ = read(client, path)
        assert hidden_traces(world, page) == [], name
        public_ids = {BASE + entity.get_absolute_url() for entity in world["entities"]}
        for node in nodes(documents):
            if "/entities/" in node.get("@id", "") and node["@type"] != "CollectionPage":
                assert node["@id"] in public_ids, (name, node)


def test_base_url_deployment_check():
    """The deployment check warns about a base URL on a host the site does not serve and
    refuses one that is not a scheme and host."""
    with override_settings(
        RANDNOTIZ_BASE_URL="https://randnotiz.example", ALLOWED_HOSTS=["randnotiz.example"]
    ):
        assert canonical.check_base_url(None) == []
    with override_settings(
        RANDNOTIZ_BASE_URL="http://127.0.0.1:8000", ALLOWED_HOSTS=["randnotiz.example"]
    ):
        assert [issue.id for issue in canonical.check_base_url(None)] == ["randnotiz.W001"]
    for wrong in ["randnotiz.example", "ftp://randnotiz.example", "https://x.example/sub"]:
        with override_settings(RANDNOTIZ_BASE_URL=wrong):
            assert [issue.id for issue in canonical.check_base_url(None)] == ["randnotiz.E001"]


def test_the_offline_expansion_catches_a_misspelt_term_and_refuses_the_network():
    """The check above means something: a term schema.org lacks is reported, and the loader
    refuses any context but schema.org's."""
    document = {"@context": "https://schema.org", "@type": "NewsArticle", "headlin": "x"}
    assert schema_org.unexpanded_terms(document) == {"headlin"}
    with pytest.raises(jsonld.JsonLdError, match="example.org/context"):
        schema_org.expand({"@context": "https://example.org/context", "name": "x"})
