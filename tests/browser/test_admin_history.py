"""The history of a paragraph in Chromium: a one-word edit reads as that word struck and added,
the page fits 1280 and 390 px, and the date of a version opens it for restoring."""

import pytest
from django.urls import reverse

from articleapp.models import Paragraph
from tests.support.factories import make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-passphrase"
TEXT = (
    "Auf der Viva Tech 2025 in Paris gab das Unternehmen eine entsprechende Partnerschaft mit "
    "Chiphersteller Nvidia bekannt. Demnach wollen beide Unternehmen gemeinsam eine Reihe von "
    "KI-Rechenzentren in Frankreich bauen, um mit Tech-Konzernen mithalten zu können."
)


@pytest.fixture
def edited(db):
    """An editor, and a paragraph whose one word was replaced."""
    editor = make_user(
        username="redakteurin",
        is_staff=True,
        permissions=["articleapp.view_paragraph", "articleapp.change_paragraph"],
    )
    editor.set_password(PASSWORD)
    editor.save()
    paragraph = make_article(paragraphs=[TEXT]).paragraphs.get()
    paragraph.text = TEXT.replace("Chiphersteller", "dem Chip-Hersteller")
    paragraph.save()
    return editor, paragraph


def open_history(page, live_server, user, paragraph):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    page.goto(live_server.url + reverse("admin:articleapp_paragraph_history", args=[paragraph.pk]))


def test_history_shows_the_changed_word_at_1280(page, live_server, edited):
    """The changed word is struck through and tinted, the new words tinted, the rest plain."""
    editor, paragraph = edited
    open_history(page, live_server, editor, paragraph)
    removed, added = page.locator(".rn-diff del"), page.locator(".rn-diff ins")
    assert (removed.inner_text(), added.inner_text()) == ("Chiphersteller", "dem Chip-Hersteller")
    style = removed.evaluate(
        "e => [getComputedStyle(e).textDecorationLine, getComputedStyle(e).backgroundColor]"
    )
    assert style[0] == "line-through" and style[1] != "rgba(0, 0, 0, 0)"
    headers = page.locator("#change-history thead th").all_text_contents()
    assert [header.strip() for header in headers][-1] == "Änderungen"
    assert "um mit Tech-Konzernen mithalten zu können." in page.locator(".rn-diff").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.problems.assert_clean()


def test_history_fits_a_phone(make_page, live_server, edited):
    """At 390 px each version is a block and nothing runs past the screen's edge."""
    editor, paragraph = edited
    page = make_page(viewport={"width": 390, "height": 844})
    open_history(page, live_server, editor, paragraph)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".rn-diff").bounding_box()["width"] >= 300
    page.problems.assert_clean()


def test_the_date_opens_the_version_to_restore(page, live_server, edited):
    """Following the oldest version's date and pressing Revert brings the old words back."""
    editor, paragraph = edited
    open_history(page, live_server, editor, paragraph)
    page.locator("#change-history tbody th a").last.click()
    page.locator("input[name=_save]").first.click()
    page.wait_for_selector(".messagelist")
    assert Paragraph.objects.get(pk=paragraph.pk).text == TEXT
