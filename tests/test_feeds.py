"""The Atom feeds, read with feedparser (the feed readers' parser): newest articles, an entity's
mentions, a tag's annotations; public objects only, 404 for the rest, ETags, discovery links."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.test import Client
from django.urls import reverse

from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.pages import count_queries
from tests.support.publishing import build_world, hidden_traces
from tests.support.schema_org import head_links

pytestmark = pytest.mark.django_db

BASE = "https://randnotiz.example"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world(settings):
    settings.RANDNOTIZ_BASE_URL = BASE
    settings.PAGE_CACHE_SECONDS = 0
    return build_world()


def feed_urls(world):
    entity, tag = world["entities"][0], world["tag"]
    return {
        "articles": reverse("articleapp:article-feed"),
        "entity": reverse("articleapp:entity-feed", kwargs={"slug": entity.slug}),
        "tag": reverse("articleapp:tag-feed", kwargs={"slug": tag.slug}),
    }


def fetch(client, url):
    """GET a feed; return the response and feedparser's reading of it (well-formed Atom)."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    assert feed.version == "atom10"
    return response, feed


def test_article_feed_lists_the_newest_articles_first(client, world):
    """Newest first; each entry links to its reading page, with title, author and summary."""
    older = world["article"]
    newer = make_article(paragraphs=["Ein neuer Text <b>mit</b> Auszeichnung."], kicker="")
    _, feed = fetch(client, feed_urls(world)["articles"])
    assert feed.feed.title == "Randnotiz: neue Artikel"
    assert feed.feed.link == f"{BASE}/"
    assert [entry.link for entry in feed.entries] == [
        BASE + newer.get_absolute_url(),
        BASE + older.get_absolute_url(),
    ]
    first, second = feed.entries
    assert first.title == newer.title
    assert first.summary == "<p>Ein neuer Text &lt;b&gt;mit&lt;/b&gt; Auszeichnung.</p>"
    assert second.author == "nen"
    assert second.summary.startswith("<p><strong>Künstliche Intelligenz</strong></p><p>Mistral")
    assert second.published and second.updated


def test_entity_feed_lists_its_published_mentions_newest_first(client, world):
    """Each published mention once, newest save first, linking to its note on the page."""
    mistral = world["entities"][0]
    article = make_article(paragraphs=["Später sprach Mistral AI erneut."])
    later = annotate_quote(article.paragraphs.get(), "Mistral AI", entity=mistral)
    _, feed = fetch(client, feed_urls(world)["entity"])
    assert feed.feed.title == "Randnotiz: Erwähnungen von Mistral AI"
    assert feed.feed.link == BASE + mistral.get_absolute_url()
    first_mention = world["published"][0]
    assert [entry.link for entry in feed.entries] == [
        f"{BASE}{article.get_absolute_url()}#a-{later.pk}",
        f"{BASE}{world['article'].get_absolute_url()}#a-{first_mention.pk}",
    ]
    assert feed.entries[0].id == feed.entries[0].link
    assert feed.entries[0].title == f"„Mistral AI“ · {article.title}"
    assert "<strong>Mistral AI</strong>" in feed.entries[0].summary


def test_tag_feed_lists_the_published_annotations_with_the_tag(client, world):
    """The tag's feed has its published annotation only, though hidden ones carry it too."""
    _, feed = fetch(client, feed_urls(world)["tag"])
    [entry] = feed.entries
    assert entry.link.endswith(f"#a-{world['published'][0].pk}")
    assert feed.feed.title == "Randnotiz: Schlagwort „Rechenzentren“"


def test_no_feed_shows_anything_hidden(client, world):
    """Drafts, orphans, changed words and entities not public: nowhere in any feed."""
    for name, url in feed_urls(world).items():
        response, _ = fetch(client, url)
        assert hidden_traces(world, response.content.decode()) == [], name


@pytest.mark.parametrize(
    "url",
    [
        "/entities/no-such-entity/feed/",
        "/entities/hidden-draft/feed/",
        "/entities/hidden-orphan/feed/",
        "/entities/niemand-erwaehnt/feed/",
        "/tags/no-such-tag/feed/",
        "/tags/entwurfs-tag-7f3a/feed/",
    ],
)
def test_feeds_of_unknown_or_hidden_entities_and_tags_are_404(client, world, url):
    """An unknown entity or tag, or one readers may not see, has no feed."""
    assert client.get(url).status_code == 404


def test_comments_are_sanitised_html_and_quotes_escaped_in_summaries(client, settings):
    """A hostile quote and comment end up as escaped text in the summary (Atom's HTML), and the
    comment's Markdown as its sanitised HTML: no element of theirs reaches a feed reader."""
    settings.PAGE_CACHE_SECONDS = 0
    article = make_article(paragraphs=["Vorher <script>alert(1)</script> nachher."])
    entity = make_entity(name="<img src=x onerror=alert(1)>", slug="boese")
    annotate_quote(
        article.paragraphs.get(),
        "<script>alert(1)</script>",
        entity=entity,
        comment="[x](javascript:alert(1)) <iframe src=//evil>",
    )
    response = client.get(reverse("articleapp:entity-feed", kwargs={"slug": "boese"}))
    root = ET.fromstring(response.content)  # our own output: trusted
    [summary] = [element.text for element in root.iter(f"{ATOM}summary")]
    assert "<script" not in summary and "<iframe" not in summary and "<img" not in summary
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary
    assert 'href="javascript:' not in summary  # left as text by the Markdown renderer
    [title] = [element.text for element in root.iter(f"{ATOM}title")][1:]
    assert title.startswith("„<script>alert(1)</script>“")  # text, as Atom titles are


def test_feeds_answer_304_to_their_etag_and_change_with_their_content(world):
    """A feed's ETag is answered 304 while nothing changed; a new mention changes it."""
    client = Client()
    url = feed_urls(world)["entity"]
    first = client.get(url)
    assert "Last-Modified" not in first
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    annotate_quote(world["article"].paragraphs.get(position=1), "Mistral", occurrence=1)
    Annotation.objects.filter(quote="Mistral").update(entity=world["entities"][0])
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 200


def test_feed_queries_do_not_grow_with_its_entries(client, settings):
    """An entity's feed costs the same queries for one mention as for twenty."""
    settings.PAGE_CACHE_SECONDS = 0
    entity = make_entity(name="Wort", slug="wort")
    article = make_article(paragraphs=["Wort " * 20])
    paragraph = article.paragraphs.get()
    annotate_quote(paragraph, "Wort", entity=entity, comment="*eins*", tags=["a"])
    url = reverse("articleapp:entity-feed", kwargs={"slug": "wort"})
    one = count_queries(client, url)
    for occurrence in range(2, 21):
        annotate_quote(paragraph, "Wort", occurrence, entity=entity, comment="zwei")
    assert count_queries(client, url) == one


def test_pages_announce_their_feeds(client, world):
    """Article list and reading pages link the article feed, entity and tag pages their own."""
    urls = feed_urls(world)
    pages = {
        reverse("articleapp:article-list"): urls["articles"],
        world["article"].get_absolute_url(): urls["articles"],
        world["entities"][0].get_absolute_url(): urls["entity"],
        reverse("articleapp:tag-detail", kwargs={"slug": world["tag"].slug}): urls["tag"],
    }
    for page_url, feed_url in pages.items():
        page = client.get(page_url).content.decode()
        links = head_links(page, "alternate", "application/atom+xml")
        assert links == [BASE + feed_url], page_url
        fetch(client, feed_url)
