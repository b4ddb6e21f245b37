"""Every XSS payload of the corpus, in every text field, rendered harmless on every page.

One set of hostile data (``tests.support.hostile``: every payload in every text field) is built
once for the module, and each page renders a group of payloads at once. A superuser with a
hostile name views the admin.

Each page that shows the data is parsed and checked by ``tests.support.xss.unsafe_markup``;
escaped fields must also show the payload as text, verbatim. The exports are checked in
``tests/test_xss_exports.py``.
"""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from taggit.models import Tag

from articleapp import importer
from articleapp.markdown import render_text
from articleapp.models import Annotation, Article, Entity, Paragraph
from tests.support import xss
from tests.support.hostile import GROUPS, joined, paragraph_text, tag_name
from tests.support.html import normalised, visible_text
from tests.support.pages import served
from tests.support.xss import PAYLOADS, unsafe_markup

pytestmark = pytest.mark.django_db

ADMIN_FORM_STRIDE = 8  # groups, for the article and entity forms: about 50 payloads each
ANNOTATION_FORM_STRIDE = 16
SEARCH_STRIDE = 16  # groups: each search reflects a whole group's payloads as its query
JSON_LD = '<script type="application/ld+json">'


def checked_page(client, url):
    """GET ``url``, expect 200, and fail with the first unsafe markup found."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    problems = unsafe_markup(page)
    assert problems == [], f"{url}: {problems[:5]}"
    return page


def json_ld(page):
    """The page's schema.org document (``unsafe_markup`` has checked it holds no markup)."""
    start = page.index(JSON_LD) + len(JSON_LD)
    return json.loads(page[start : page.index("</script>", start)])


def shown_text(page):
    """The page's visible text with whitespace runs collapsed, as a reader sees it."""
    return normalised(visible_text(page))


def assert_shown(shown, texts, where):
    for text in texts:
        assert normalised(text) in shown, (where, text)


def test_corpus_is_large_and_varied():
    """At least 300 distinct payloads, covering the attack families the issue names."""
    assert len(PAYLOADS) >= 300
    joined_corpus = "\n".join(PAYLOADS).lower()
    for family in ["<script", "onerror=", "javascript:", "data:", "vbscript:", "<svg", "<math",
                   "&#106;", "&colon;", "{{", "{%", "<noscript", 'onmouseover="']:  # fmt: skip
        assert family in joined_corpus, family


def test_every_payload_is_packed_whole_into_every_group_field():
    """The groups hold each payload once, in order, and fit every field they go into."""
    assert [index for group in GROUPS for index in group] == list(range(len(PAYLOADS)))
    assert all(len(f"alias {joined(group)}") <= 200 for group in GROUPS)
    assert len(GROUPS) < len(PAYLOADS) / 3


def test_article_list_escapes_every_title_and_kicker(client, hostile):
    """The article list shows all hostile titles, kickers and sources as text, on every page."""
    url = reverse("articleapp:article-list")
    pages = client.get(url).context["page"].paginator.num_pages
    shown = " ".join(
        shown_text(checked_page(client, f"{url}?page={n}")) for n in range(1, pages + 1)
    )
    for article in hostile["articles"]:
        assert_shown(shown, [article.title, article.kicker, article.source_name], article.slug)


def test_change_log_escapes_every_old_and_new_word(client, hostile):
    """A hostile article corrected twice by re-imports: its change log shows the removed and
    the added hostile words as text, inside <del> and <ins>; joined, they are the two texts."""
    article = hostile["articles"][0]
    texts = list(article.paragraphs.order_by("position").values_list("text", flat=True))
    versions = [texts[0], texts[0].replace(":", ";", 1), f"{PAYLOADS[-1]} {texts[0]}"]
    for version in versions[1:]:
        texts[0] = version
        parsed = importer.ParsedArticle(article.kicker, article.title, article.byline, tuple(texts))
        importer.save(parsed, slug=article.slug)
    page = checked_page(client, reverse("articleapp:article-changes", args=[article.slug]))
    start = page.index('<p class="diff"')  # the newest change, from the second to the third
    diff = page[start : page.index("</p>", start)]
    hidden = r'<span class="visually-hidden">.*?</span>'
    assert "<del>" in diff and "<ins>" in diff
    assert visible_text(re.sub(rf"<del>.*?</del>|{hidden}", "", diff)).strip() == versions[2]
    assert visible_text(re.sub(rf"<ins>.*?</ins>|{hidden}", "", diff)).strip() == versions[1]
    reading = checked_page(client, article.get_absolute_url())
    assert "Aktualisiert am" in shown_text(reading)


def test_reading_pages_escape_every_field(client, hostile):
    """Each reading page: title, kicker, byline, source, paragraphs, entity, tags shown as text."""
    for article, group, entity in zip(
        hostile["articles"], GROUPS, hostile["entities"], strict=True
    ):
        page = checked_page(client, article.get_absolute_url())
        shown = shown_text(page)
        texts = [article.title, article.kicker, article.byline, article.source_name, entity.name]
        texts += [paragraph_text(index) for index in group]
        texts += [tag_name(index) for index in group]
        assert_shown(shown, texts, article.slug)
        assert normalised(article.title) in shown_text(page[: page.index("</head>")])
        assert json_ld(page)["headline"] == article.title


def test_entity_pages_escape_every_field(client, hostile):
    """Each entity page: name, alias, tags and the mentions' article as text; the description
    as rendered Markdown (what ``render_text`` gives)."""
    for entity, group, article in zip(
        hostile["entities"], GROUPS, hostile["articles"], strict=True
    ):
        shown = shown_text(checked_page(client, entity.get_absolute_url()))
        texts = [entity.name, render_text(entity.description), f"alias {joined(group)}"]
        texts += [article.title]
        texts += [tag_name(index) for index in group]
        assert_shown(shown, texts, entity.slug)


def test_tag_pages_escape_every_field(client, hostile):
    """A tag page of each group: its name, the entity, each annotation's comment and article."""
    for entity, group, article in zip(
        hostile["entities"], GROUPS, hostile["articles"], strict=True
    ):
        shown = shown_text(checked_page(client, f"/tags/xss-{group[0]}/"))
        assert_shown(shown, [tag_name(group[0]), entity.name, article.title], entity.slug)


def test_entity_list_and_search_escape_names_and_queries(client, hostile):
    """The entity list shows every name as text; search reflects a hostile query harmlessly."""
    shown = shown_text(checked_page(client, reverse("articleapp:entity-list")))
    assert_shown(shown, [entity.name for entity in hostile["entities"]], "entity list")
    for group in GROUPS[::SEARCH_STRIDE]:
        page = checked_page(
            client, f"{reverse('articleapp:search')}?{urlencode({'q': joined(group)})}"
        )
        assert "<script>alert(1)</script>" not in page


def test_embeds_escape_every_field(client, hostile):
    """The embed of each group's first paragraph: its text, the article's title, the entity,
    tags and comment shown as text or sanitised Markdown; links leave the frame safely."""
    for article, group, entity in zip(
        hostile["articles"], GROUPS, hostile["entities"], strict=True
    ):
        url = reverse("articleapp:paragraph-embed", kwargs={"slug": article.slug, "position": 1})
        shown = shown_text(checked_page(client, url))
        texts = [paragraph_text(group[0]), article.title, entity.name, tag_name(group[0])]
        assert_shown(shown, texts + [render_text(PAYLOADS[group[0]])], article.slug)


def test_oembed_is_json_whose_html_is_one_escaped_iframe(client, hostile):
    """Each article's oEmbed answer is JSON; its html is one iframe of our embed whose title
    gives back the hostile title as text."""
    for article in hostile["articles"]:
        page_url = "http://testserver" + article.get_absolute_url()
        response = client.get(reverse("articleapp:oembed"), {"url": page_url})
        data = json.loads(served(response, "application/json"))
        elements = list(xss.elements(data["html"]))
        assert [tag for tag, _, _ in elements] == ["html", "head", "body", "iframe"]
        attributes = dict(elements[-1][1])
        assert set(attributes) == {"src", "width", "height", "title", "loading"}
        assert attributes["src"].startswith(f"{settings.RANDNOTIZ_BASE_URL}/articles/xss-")
        assert attributes["title"].startswith(article.title)
        assert data["title"].startswith(article.title)


def test_feeds_are_well_formed_and_escape_every_field(client, hostile):
    """Each entity's and tag's feed parses as XML and its summaries hold no element but those
    of sanitised Markdown and our own."""
    for entity, group in zip(hostile["entities"], GROUPS, strict=True):
        for url in [f"/entities/{entity.slug}/feed/", f"/tags/xss-{group[0]}/feed/"]:
            root = ET.fromstring(served(client.get(url), "application/atom+xml; charset=utf-8"))
            for summary in root.iter("{http://www.w3.org/2005/Atom}summary"):
                assert unsafe_markup(summary.text) == [], url


@pytest.mark.parametrize(
    ("path", "model"),
    [("articleapp/article", Article), ("articleapp/paragraph", Paragraph),
     ("articleapp/entity", Entity), ("articleapp/annotation", Annotation),
     ("auth/user", get_user_model()), ("taggit/tag", Tag)],
    ids=lambda value: value if isinstance(value, str) else "",
)  # fmt: skip
def test_admin_changelists_escape_every_field(viewer_client, hostile, path, model):
    """Every page of each admin list shows the hostile values harmlessly."""
    pages = (model.objects.count() + 99) // 100
    for number in range(pages):
        checked_page(viewer_client, f"/admin/{path}/?p={number + 1}")
    search = checked_page(viewer_client, f"/admin/{path}/?q=%3Cscript%3E")
    assert "<script>alert(1)</script>" not in search


def test_admin_change_forms_escape_every_field(viewer_client, hostile):
    """Change forms of every 8th article and entity and every 16th annotation are harmless.

    Admin forms escape through the same widgets for every value, and the lists above show every
    payload already; a sample keeps the suite fast.
    """
    objects = hostile["articles"][::ADMIN_FORM_STRIDE] + hostile["entities"][::ADMIN_FORM_STRIDE]
    objects += hostile["annotations"][::ANNOTATION_FORM_STRIDE]
    for obj in objects:
        opts = obj._meta
        checked_page(
            viewer_client,
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        )


def test_admin_user_forms_and_header_escape_usernames(viewer_client, hostile):
    """User change forms (hostile usernames) and the admin header (hostile viewer) are harmless."""
    page = checked_page(viewer_client, reverse("admin:index"))
    assert normalised(hostile["viewer"].username) in shown_text(page)
    User = get_user_model()
    for user in User.objects.order_by("pk")[:: ANNOTATION_FORM_STRIDE * 2]:
        checked_page(viewer_client, reverse("admin:auth_user_change", args=[user.pk]))
