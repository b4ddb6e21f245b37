"""The publishers' faces of the site in Chromium: schema.org data under the real CSP.

The pages are served with the project's own headers (no policy is imposed by the test), so a
CSP violation here is one a reader's browser would report.
"""

import json

import pytest

from articleapp.models import Entity

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
