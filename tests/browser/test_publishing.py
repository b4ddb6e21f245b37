"""The publishers' faces of the site in Chromium: schema.org data under the real CSP.

The pages are served with the project's own headers (no policy is imposed by the test), so a
CSP violation here is one a reader's browser would report.
"""

import json

import pytest

from articleapp.models import Entity
from tests.support.servers import other_site

pytestmark = pytest.mark.django_db(transaction=True)

JSON_LD = "script[type='application/ld+json']"


def read_json_ld(page):
    """The page's JSON-LD as the browser's DOM holds it, parsed."""
    return json.loads(page.locator(JSON_LD).text_content())


def test_json_ld_is_data_the_browser_neither_runs_nor_blocks(page, live_server, seeded):
    """The reading page and an entity page load under their CSP without a violation or an
    error; their JSON-LD reads back from the DOM as a NewsArticle and the entity."""
    page.goto(live_server.url + seeded.get_absolute_url())
    document = read_json_ld(page)
    assert document["@type"] == "NewsArticle"
    assert document["headline"] == seeded.title
    assert {node["name"] for node in document["mentions"]} >= {"Mistral AI", "Nvidia"}
    entity = Entity.objects.get(name="Mistral AI")
    page.goto(live_server.url + entity.get_absolute_url())
    assert read_json_ld(page)["sameAs"] == f"http://www.wikidata.org/entity/{entity.wikidata_id}"
    assert page.problems.csp_violations() == []
    page.problems.assert_clean()


def framing_page(embed_url):
    """Another site's article that frames the embed."""
    return (
        "<!DOCTYPE html><html lang='de'><title>Andere Seite</title>"
        f"<iframe src='{embed_url}' width='640' height='600'></iframe></html>"
    )


def embed_of_first_paragraph(live_server, seeded):
    position = seeded.paragraphs.order_by("position").first().position
    return f"{live_server.url}/articles/{seeded.slug}/paragraphs/{position}/embed/"


def test_another_site_may_frame_the_embed_only_when_allowed(
    make_page, live_server, seeded, settings
):
    """By default ('self') Chromium refuses to show the embed in another site's frame; with
    that site in EMBED_FRAME_ANCESTORS it shows the paragraph and its notes, without an error."""
    settings.RANDNOTIZ_BASE_URL = live_server.url
    with other_site(framing_page(embed_of_first_paragraph(live_server, seeded))) as site:
        refused = make_page()
        refused.goto(site)
        [frame] = refused.main_frame.child_frames
        frame.wait_for_load_state()
        assert frame.url.startswith("chrome-error:")
        assert "refused to connect" in frame.inner_text("body")

        settings.EMBED_FRAME_ANCESTORS = [site]
        allowed = make_page()
        allowed.goto(site)
        frame = allowed.frame_locator("iframe")
        frame.locator(".paragraph-text mark.hl").first.wait_for()
        assert frame.locator(".embed-notes .note").count() >= 1
        allowed.problems.assert_clean()


def test_share_link_of_an_embedded_note_opens_the_reading_page_at_the_note(
    page, live_server, seeded, settings
):
    """The note's "open in the article" link opens a new window at the reading page, which
    scrolls to the note and emphasises it."""
    settings.RANDNOTIZ_BASE_URL = live_server.url
    with other_site(framing_page(embed_of_first_paragraph(live_server, seeded))) as site:
        settings.EMBED_FRAME_ANCESTORS = [site]
        page.goto(site)
        share = page.frame_locator("iframe").locator(".embed-notes .note-links a").first
        target = share.get_attribute("href")
        with page.context.expect_page() as opened:
            share.click()
        reading = opened.value
        reading.wait_for_load_state()
        assert reading.url == target
        note = reading.locator(f"#{target.rsplit('#', 1)[1]}")
        note.wait_for()
        assert "is-active" in note.get_attribute("class")
        assert note.is_visible() and reading.evaluate("window.opener") is None
