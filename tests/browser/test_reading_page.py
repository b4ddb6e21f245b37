import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_reading_page_shows_entities_and_cards(page, live_server, seeded):
    """Mistral AI, Nvidia, Microsoft and VivaTech are highlighted with a card each, no errors."""
    page.goto(live_server.url + seeded.get_absolute_url())
    for name in ["Mistral AI", "Nvidia", "Microsoft", "VivaTech"]:
        card = page.locator(".card .card-entity a", has_text=name).first
        assert card.is_visible()
    assert page.locator("mark.hl").count() >= 30
    page.problems.assert_clean()


def test_highlight_link_leads_to_its_card(page, live_server, seeded):
    """Clicking a highlighted span moves to its card (fragment link)."""
    page.goto(live_server.url + seeded.get_absolute_url())
    link = page.locator("mark.hl-event .hl-link").first
    target = link.get_attribute("href")
    link.click()
    assert page.url.endswith(target)
    assert page.locator(target).is_visible()
