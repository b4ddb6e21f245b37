import re

import pytest
from playwright.sync_api import expect

from articleapp.models import Annotation

ACTIVE = re.compile(r"\bis-active\b")

pytestmark = pytest.mark.django_db(transaction=True)

# What the security work will send as Content-Security-Policy; the pages must run under it.
STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def enforce_strict_csp(page, live_server):
    """Serve every page of the live server with the strict policy, so violations surface.

    Only documents carry a policy; other requests pass untouched (a favicon fetched late could
    otherwise still be in the handler when the page closes, and fail the next test's setup).
    """

    def add_policy(route):
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": STRICT_CSP}
        route.fulfill(response=response, headers=headers)

    page.route(f"{live_server.url}/**", add_policy)


def open_reading_page(page, live_server, seeded, fragment=""):
    enforce_strict_csp(page, live_server)
    page.goto(live_server.url + seeded.get_absolute_url() + fragment)
    # The script has run once it reveals the filter bar (folded away on narrow screens).
    page.wait_for_selector(".filter-bar:not([hidden])", state="attached")


def first_annotation(entity_name):
    return (
        Annotation.objects.published()
        .filter(entity__name=entity_name)
        .order_by("paragraph__position", "start")
        .first()
    )


def test_reading_page_shows_entities_and_cards(page, live_server, seeded):
    """Mistral AI, Nvidia, Microsoft and VivaTech are highlighted with a card each, no errors."""
    open_reading_page(page, live_server, seeded)
    for name in ["Mistral AI", "Nvidia", "Microsoft", "VivaTech"]:
        annotation = first_annotation(name)
        assert page.locator(f"#h-{annotation.pk}").is_visible()
        card = page.locator(f"#a-{annotation.pk}")
        assert card.is_visible()
        assert card.locator(".card-entity a").first.inner_text() == name
    assert page.locator("mark.hl").count() >= 30
    page.problems.assert_clean()


def test_hover_links_highlight_and_card_both_ways(page, live_server, seeded):
    """Hovering a highlight emphasises its card; hovering a card emphasises its highlight."""
    open_reading_page(page, live_server, seeded)
    nvidia = first_annotation("Nvidia")
    page.locator(f"#h-{nvidia.pk}").hover()
    assert "is-active" in page.locator(f"#a-{nvidia.pk}").get_attribute("class")
    microsoft = first_annotation("Microsoft")
    page.locator(f"#a-{microsoft.pk}").hover()
    assert "is-active" in page.locator(f"#h-{microsoft.pk}").get_attribute("class")
    assert "is-active" not in page.locator(f"#a-{nvidia.pk}").get_attribute("class")
    page.problems.assert_clean()


def test_clicking_a_highlight_goes_to_its_card_and_back(page, live_server, seeded):
    """Clicking a highlight scrolls to and emphasises its card; the card's quote leads back."""
    open_reading_page(page, live_server, seeded)
    vivatech = first_annotation("VivaTech")
    page.locator(f"#h-{vivatech.pk} .hl-link").first.click()
    assert page.url.endswith(f"#a-{vivatech.pk}")
    card = page.locator(f"#a-{vivatech.pk}")
    # The emphasis follows the hashchange event, which fires after the URL changes.
    expect(card).to_have_class(ACTIVE)
    assert card.is_visible()
    card.locator(".card-quote a").click()
    assert page.url.endswith(f"#h-{vivatech.pk}")
    assert page.locator(f"#h-{vivatech.pk}").is_visible()
    page.problems.assert_clean()


def test_keyboard_moves_between_annotations(page, live_server, seeded):
    """j and k move focus through the highlights in reading order; Enter opens the card."""
    open_reading_page(page, live_server, seeded)
    ids = page.eval_on_selector_all("mark.hl[id]", "marks => marks.map(m => m.id)")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == ids[0]
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == ids[2]
    page.keyboard.press("k")
    focused = page.evaluate("document.activeElement.id")
    assert focused == ids[1]
    card_id = "a-" + focused.removeprefix("h-")
    assert "is-active" in page.locator(f"#{card_id}").get_attribute("class")
    page.keyboard.press("Enter")
    assert page.url.endswith(f"#{card_id}")
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.id") == ids[0]
    page.problems.assert_clean()


def test_tab_reaches_highlights_and_search_field_ignores_shortcuts(page, live_server, seeded):
    """Highlights are links in the tab order; typing j in the search box types a j."""
    open_reading_page(page, live_server, seeded)
    page.locator(".hl-link").first.focus()
    assert page.evaluate("document.activeElement.className") == "hl-link"
    page.locator("#site-search-q").fill("")
    page.locator("#site-search-q").press("j")
    assert page.locator("#site-search-q").input_value() == "j"
    page.problems.assert_clean()


def test_filter_bar_hides_by_kind_and_by_entity(page, live_server, seeded):
    """Kind and entity buttons toggle their highlights and cards, with aria-pressed state."""
    open_reading_page(page, live_server, seeded)
    places = page.locator('[data-filter-kind="place"]')
    assert places.get_attribute("aria-pressed") == "true"
    places.click()
    assert places.get_attribute("aria-pressed") == "false"
    assert page.locator("mark.hl-place:not(.is-filtered)").count() == 0
    assert page.locator(".card.kind-place:visible").count() == 0
    assert page.locator("mark.hl-organisation:not(.is-filtered)").count() > 0
    microsoft = first_annotation("Microsoft")
    button = page.locator('[data-filter-entity="microsoft"]')
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    assert "is-filtered" in page.locator(f"#h-{microsoft.pk}").get_attribute("class")
    assert not page.locator(f"#a-{microsoft.pk}").is_visible()
    assert page.locator(f"#a-{first_annotation('Nvidia').pk}").is_visible()
    page.locator("[data-filter-reset]").click()
    assert page.locator("mark.hl.is-filtered").count() == 0
    assert places.get_attribute("aria-pressed") == "true"
    page.problems.assert_clean()


def test_permalink_scrolls_to_and_emphasises_the_annotation(page, live_server, seeded):
    """Opening #a-<id> shows that card and emphasises it and its highlight."""
    annotation = first_annotation("Microsoft")
    open_reading_page(page, live_server, seeded, fragment=f"#a-{annotation.pk}")
    card = page.locator(f"#a-{annotation.pk}")
    assert card.is_visible()
    box = card.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 900
    expect(card).to_have_class(ACTIVE)
    expect(page.locator(f"#h-{annotation.pk}")).to_have_class(ACTIVE)
    page.problems.assert_clean()


def test_narrow_layout_folds_cards_under_their_paragraph(make_page, live_server, seeded):
    """At 390 px the cards sit below their paragraph's text and can be collapsed."""
    page = make_page(viewport={"width": 390, "height": 844})
    open_reading_page(page, live_server, seeded)
    row = page.locator("#p-1")
    text_box = row.locator(".paragraph-text").bounding_box()
    card_box = row.locator(".card").first.bounding_box()
    assert card_box["y"] >= text_box["y"] + text_box["height"]
    assert card_box["x"] < text_box["x"] + 10
    summary = row.locator("summary")
    assert summary.is_visible()
    summary.click()
    assert not row.locator(".card").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.problems.assert_clean()


def test_page_works_without_javascript(make_page, live_server, seeded):
    """Without JavaScript the text, highlights, cards and fragment links all work."""
    page = make_page(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page.goto(live_server.url + seeded.get_absolute_url())
    assert not page.locator(".filter-bar").is_visible()
    annotation = first_annotation("Nvidia")
    page.locator(f"#h-{annotation.pk} .hl-link").first.click()
    assert page.url.endswith(f"#a-{annotation.pk}")
    card = page.locator(f"#a-{annotation.pk}")
    assert card.is_visible()
    assert card.evaluate("e => e.matches(':target')")
    page.problems.assert_clean()


def test_every_microsoft_mention_is_two_clicks_away(page, live_server, seeded):
    """From the article page, one click on Microsoft lists all its mentions; a second opens one."""
    open_reading_page(page, live_server, seeded)
    page.locator(".who-list a", has_text=re.compile(r"^Microsoft$")).click()
    page.wait_for_url("**/entities/microsoft/")
    mentions = page.locator(".mentions .kwic")
    expected = Annotation.objects.published().filter(entity__slug="microsoft")
    assert mentions.count() == expected.count() == 4
    for mention in mentions.all():
        assert mention.locator("mark").inner_text() == "Microsoft"
    mentions.nth(2).click()
    page.wait_for_url(re.compile(r"#a-\d+$"))
    pk = page.url.rsplit("#a-", 1)[1]
    assert expected.filter(pk=pk).exists()
    assert page.locator(f"#a-{pk}").is_visible()
    page.problems.assert_clean()


def test_narrow_layout_starts_with_the_text(make_page, live_server, seeded):
    """On a phone the overview is folded so the article text comes first; it opens on demand."""
    page = make_page(viewport={"width": 390, "height": 844})
    open_reading_page(page, live_server, seeded)
    assert not page.locator(".who-list").is_visible()
    assert page.locator("#p-1 .paragraph-text").bounding_box()["y"] < 844
    page.locator(".overview-fold > summary").click()
    assert page.locator(".who-list").is_visible()
    page.problems.assert_clean()


def test_print_shows_annotations_as_numbered_notes(page, live_server, seeded):
    """In print the site chrome is gone and highlights and cards share running note numbers."""
    page.goto(live_server.url + seeded.get_absolute_url())
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".reading-tools").is_visible()
    numbers = page.evaluate(
        """() => {
            const style = (selector) =>
                getComputedStyle(document.querySelector(selector), "::before").content;
            return [style("mark[id]"), style(".card")];
        }"""
    )
    assert numbers == ["counter(note)", 'counter(card) "."']
    assert page.locator(".card").first.is_visible()
    page.problems.assert_clean()
