"""Embeds: a paragraph with its notes that other sites may frame, and oEmbed to find it.

The embed is the one page with a ``frame-ancestors`` other than ``'none'`` and without
``X-Frame-Options``; oEmbed follows https://oembed.com section 2 (``rich``, JSON; 404 for a URL
it has nothing for, 501 for another format) and 400s a ``url`` that is not one.
"""

import json
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from articleapp.models import Annotation
from tests.support.factories import make_annotated_article, make_entity
from tests.support.html import parse_html, visible_text
from tests.support.pages import count_queries
from tests.support.publishing import FIRST, build_world, hidden_traces
from tests.support.schema_org import head_links
from tests.test_settings import assert_security_headers, csp_directives

pytestmark = pytest.mark.django_db

BASE = "https://randnotiz.example"


@pytest.fixture
def world(settings):
    settings.RANDNOTIZ_BASE_URL = BASE
    settings.PAGE_CACHE_SECONDS = 0
    return build_world()


def embed_url(article, position=1):
    return reverse(
        "articleapp:paragraph-embed", kwargs={"slug": article.slug, "position": position}
    )


def oembed(client, url, **query):
    return client.get(reverse("articleapp:oembed"), {"url": url, **query})


def iframe_attributes(html):
    [(tag, attributes)] = parse_html(html).elements
    assert tag == "iframe"
    return attributes


# The embed page ------------------------------------------------------------------------------


def test_embed_may_be_framed_by_the_configured_sites_only(client, world, settings):
    """The embed: no X-Frame-Options, frame-ancestors from EMBED_FRAME_ANCESTORS ('self' by
    default); the rest of its policy and the reading page's headers as everywhere."""
    url = embed_url(world["article"])
    response = client.get(url, secure=True)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    directives = csp_directives(response)
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["script-src"] == ["'self'"] and directives["default-src"] == ["'none'"]
    settings.EMBED_FRAME_ANCESTORS = ["https://news.example", "https://*.blog.example"]
    framed = client.get(url, secure=True)
    assert csp_directives(framed)["frame-ancestors"] == [
        "https://news.example",
        "https://*.blog.example",
    ]
    assert_security_headers(client.get(world["article"].get_absolute_url(), secure=True))
    assert csp_directives(client.get("/", secure=True))["frame-ancestors"] == ["'none'"]


def test_embed_answers_304_with_the_same_frame_headers(world):
    """A revalidated embed (304) keeps its frame headers: a browser updates the cached copy's
    headers from it, and a DENY there would break the frame."""
    client = Client()
    url = embed_url(world["article"])
    first = client.get(url)
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert "X-Frame-Options" not in again
    assert csp_directives(again)["frame-ancestors"] == ["'self'"]


def test_embed_shows_the_paragraph_and_its_published_notes(client, world):
    """The paragraph's text, each published annotation's note, nothing hidden."""
    page = client.get(embed_url(world["article"])).content.decode()
    assert FIRST in visible_text(page)
    for annotation in world["published"]:
        assert f'id="a-{annotation.pk}"' in page
        assert f'href="#a-{annotation.pk}"' in page  # the highlight leads to its note
    assert "Chef von <em>Mistral</em>" in page
    assert hidden_traces(world, page) == []
    assert head_links(page, "canonical") == [BASE + world["article"].get_absolute_url()]
    assert '<meta name="robots" content="noindex">' in page


def test_links_leaving_the_embed_open_a_new_window(client, world):
    """Every link but the highlights' opens a new window without an opener; each note has a
    share link that opens the reading page at the note."""
    page = client.get(embed_url(world["article"])).content.decode()
    links = [attributes for tag, attributes in parse_html(page).elements if tag == "a"]
    leaving = [link for link in links if not link["href"].startswith("#")]
    assert leaving
    for link in leaving:
        assert link["target"] == "_blank" and "noopener" in link["rel"], link
        assert link["href"].startswith(("https://", "http://")), link
    shares = [link["href"] for link in leaving if "#a-" in link["href"]]
    article_url = BASE + world["article"].get_absolute_url()
    in_text_order = sorted(world["published"], key=lambda annotation: annotation.start)
    assert shares == [f"{article_url}#a-{annotation.pk}" for annotation in in_text_order]


@pytest.mark.parametrize("position", ["3", "0", "9" * 12, "99999999999999999999"])
def test_embed_of_a_paragraph_that_is_not_there_is_404(client, world, position):
    """A position the article does not have, however large, is a 404."""
    url = f"/articles/{world['article'].slug}/paragraphs/{position}/embed/"
    assert client.get(url).status_code == 404


def test_embed_queries_do_not_grow_with_its_notes(client, settings):
    """Three queries for a paragraph with one note or with twenty."""
    settings.PAGE_CACHE_SECONDS = 0
    small = make_annotated_article(1, 1, entity=make_entity())
    large = make_annotated_article(1, 6, entity=make_entity())
    assert count_queries(client, embed_url(small)) == count_queries(client, embed_url(large))


# oEmbed ---------------------------------------------------------------------------------------


def test_oembed_answers_a_rich_iframe_of_the_lede(client, world):
    """A reading page's URL: version 1.0, type rich, provider, title, the iframe of its first
    paragraph's embed with the width and height it states."""
    article = world["article"]
    response = oembed(client, BASE + article.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["provider_name"] == "Randnotiz" and data["provider_url"] == f"{BASE}/"
    assert data["title"] == f"{article.title}, Absatz 1"
    assert data["author_name"] == "nen"
    frame = iframe_attributes(data["html"])
    assert frame["src"] == BASE + embed_url(article)
    assert (int(frame["width"]), int(frame["height"])) == (data["width"], data["height"])
    assert 0 < data["height"] <= 1200 and data["width"] == 640


def test_oembed_follows_paragraph_and_note_fragments(client, world):
    """``#p-2`` embeds paragraph 2; ``#a-<id>`` the paragraph of that note, scrolled to it; the
    embed's own URL itself."""
    article = world["article"]
    page = BASE + article.get_absolute_url()
    annotation = world["published"][1]
    cases = {
        f"{page}#p-2": BASE + embed_url(article, 2),
        f"{page}#a-{annotation.pk}": f"{BASE}{embed_url(article)}#a-{annotation.pk}",
        BASE + embed_url(article, 2): BASE + embed_url(article, 2),
    }
    for url, src in cases.items():
        data = json.loads(oembed(client, url).content)
        assert iframe_attributes(data["html"])["src"] == src, url


def test_oembed_keeps_within_maxwidth_and_maxheight(client, world):
    """The stated size never exceeds what the consumer allows."""
    url = BASE + world["article"].get_absolute_url()
    data = json.loads(oembed(client, url, maxwidth="300", maxheight="120").content)
    assert data["width"] == 300 and data["height"] == 120
    narrow = json.loads(oembed(client, url, maxwidth="300").content)
    wide = json.loads(oembed(client, url).content)
    assert narrow["height"] > wide["height"]  # the text wraps more often


def test_oembed_accepts_the_url_on_the_requests_own_host(client, world):
    """A URL on the host the request came to is ours too (the public address aside)."""
    response = oembed(client, "http://testserver" + world["article"].get_absolute_url())
    assert response.status_code == 200


def test_oembed_xml_is_501(client, world):
    """The protocol's answer to a format the provider does not implement."""
    url = BASE + world["article"].get_absolute_url()
    assert oembed(client, url, format="xml").status_code == 501
    assert oembed(client, url, format="json").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"url": ""},
        {"url": "nope"},
        {"url": "/articles/x/"},
        {"url": "ftp://randnotiz.example/articles/x/"},
        {"url": "http://[randnotiz.example/articles/x/"},
        {"url": "https://randnotiz.example/" + "x" * 3000},
        {"url": "https://randnotiz.example/", "maxwidth": "wide"},
        {"url": "https://randnotiz.example/", "maxheight": "0"},
    ],
)
def test_malformed_oembed_requests_are_400(client, world, query):
    """No url, one that is not an absolute http(s) URL or too long, a size that is no
    positive whole number: 400."""
    assert client.get(f"{reverse('articleapp:oembed')}?{urlencode(query)}").status_code == 400


def test_oembed_of_anything_but_a_visible_paragraph_is_404(client, world):
    """Another site, a page of ours that is no reading page, an unknown article, paragraph or
    note, a hidden note: 404 (the provider has no response for it)."""
    article = world["article"]
    page = BASE + article.get_absolute_url()
    for url in [
        f"https://elsewhere.example{article.get_absolute_url()}",
        f"{BASE}/entities/mistral-ai/",
        f"{BASE}/no/such/page/",
        f"{BASE}/articles/no-such-article/",
        f"{page}#p-9",
        f"{page}#a-{world['hidden']['draft']}",
        f"{page}#a-{world['hidden']['changed']}",
        f"{page}#a-99999999999999999999",
    ]:
        assert oembed(client, url).status_code == 404, url


def test_reading_page_announces_its_oembed(client, world):
    """The reading page's discovery link names an oEmbed URL that answers for it."""
    page = client.get(world["article"].get_absolute_url()).content.decode()
    [link] = head_links(page, "alternate", "application/json+oembed")
    assert link.startswith(f"{BASE}/oembed/?")
    response = client.get(link.removeprefix(BASE))
    assert json.loads(response.content)["type"] == "rich"


def test_oembed_queries_are_few_and_fixed(client, world):
    """At most four queries, whatever the paragraph holds."""
    url = f"{reverse('articleapp:oembed')}?{urlencode({'url': BASE + embed_url(world['article'])})}"
    assert count_queries(client, url) <= 4
    assert Annotation.objects.published().count() == 4
