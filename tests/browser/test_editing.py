"""Editors in the admin, end to end in Chromium: annotate by selecting text, review
suggestions, edit text without losing annotations, and two editors saving at once."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from articleapp import suggestions
from articleapp.locking import conflict_message
from articleapp.models import Annotation, Paragraph, RejectedSuggestion
from tests.support.admin_browser import (
    SELECT_WORDS,
    choose_entity,
    log_in,
    make_editor,
    open_annotate,
    select_words,
)
from tests.support.factories import annotate_quote, make_article, make_entity

pytestmark = pytest.mark.django_db(transaction=True)


def test_annotate_by_selecting_text_and_publish(page, live_server):
    """Select words, link an entity, two tags, a comment, publish; readers see it."""
    article = make_article(paragraphs=["Der KI-Hersteller Mistral AI baut mit Nvidia in Paris."])
    paragraph = article.paragraphs.get()
    make_entity("Mistral AI", slug="mistral-ai")
    log_in(page, live_server, make_editor())
    open_annotate(page, live_server, article)
    select_words(page, paragraph, "Mistral AI")
    assert page.input_value("#id_start") == str(paragraph.text.index("Mistral AI"))
    choose_entity(page, "Mistral AI")
    page.fill("#id_tags", "Europa, Startup")
    page.fill("#id_comment", "Französischer **Hersteller**.")
    page.check("input[name=status][value=published]")
    page.click("input[name=save]")
    page.wait_for_selector(".messagelist .success")
    assert "/annotate/" in page.url
    annotation = Annotation.objects.get()
    assert annotation.quote == "Mistral AI" and annotation.entity.name == "Mistral AI"
    assert set(annotation.tags.names()) == {"Europa", "Startup"}
    assert annotation.comment == "Französischer **Hersteller**."
    # It stays on the page: the next selection is annotated the same way.
    select_words(page, paragraph, "Nvidia")
    page.click("input[name=save]")
    page.wait_for_selector(".messagelist .success")
    assert Annotation.objects.count() == 2
    page.problems.assert_clean()
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("mark.hl", has_text="Mistral AI").count() == 1
    assert page.locator("mark.hl", has_text="Nvidia").count() == 0


def test_emoji_before_the_selection(page, live_server):
    """A word double-clicked after emoji and a flag is stored at code-point offsets."""
    article = make_article(paragraphs=["🚀🇫🇷 Start: 𝔐istral baut Rechenzentren 😀 in Paris."])
    paragraph = article.paragraphs.get()
    log_in(page, live_server, make_editor())
    open_annotate(page, live_server, article)
    box = page.evaluate(SELECT_WORDS, [paragraph.pk, "Rechenzentren", 0])
    page.evaluate("window.getSelection().removeAllRanges()")
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("document.querySelector('#id_quote').value === 'Rechenzentren'")
    assert page.input_value("#id_start") == str(paragraph.text.index("Rechenzentren"))
    page.click("input[name=save]")
    page.wait_for_selector(".messagelist .success")
    annotation = Annotation.objects.get()
    assert paragraph.text[annotation.start : annotation.end] == "Rechenzentren"
    select_words(page, paragraph, "Paris")
    page.click("input[name=save]")
    page.wait_for_selector(".messagelist .success")
    paris = Annotation.objects.get(quote="Paris")
    assert paris.start == paragraph.text.index("Paris")
    page.problems.assert_clean()


def test_click_a_highlight_to_edit_and_delete(page, live_server):
    """Clicking a highlight opens its annotation; Delete removes it."""
    article = make_article(paragraphs=["Mistral AI baut in Paris."])
    annotation = annotate_quote(article.paragraphs.get(), "Paris", comment="alt")
    log_in(page, live_server, make_editor())
    open_annotate(page, live_server, article)
    page.click("mark.hl .hl-link")
    page.wait_for_url(re.compile(rf"annotation={annotation.pk}"))
    page.fill("#id_comment", "neu")
    page.click("input[name=save]")
    page.wait_for_selector(".messagelist .success")
    annotation.refresh_from_db()
    assert annotation.comment == "neu"
    page.click("mark.hl .hl-link")
    page.wait_for_url(re.compile(rf"annotation={annotation.pk}"))
    page.click("input[name=delete]")
    confirmation = page.locator(".rn-confirm-delete")
    expect(confirmation).to_contain_text("„Paris“ löschen? Es ist veröffentlicht")
    assert Annotation.objects.exists()
    confirmation.locator("input[name=delete]").click()
    page.wait_for_selector(".messagelist .success")
    assert not Annotation.objects.exists()
    page.problems.assert_clean()


def test_accept_one_suggestion_and_reject_another(page, live_server):
    """The Suggest button fills the review list; one is accepted, one rejected for good."""
    article = make_article(paragraphs=["Mistral AI kooperiert mit Nvidia in Paris."])
    make_entity("Mistral AI", slug="mistral-ai")
    make_entity("Nvidia", slug="nvidia")
    log_in(page, live_server, make_editor())
    page.goto(live_server.url + reverse("admin:articleapp_article_change", args=[article.pk]))
    page.click(".rn-suggest-form input[type=submit]")
    page.wait_for_selector("#result_list")
    assert page.locator("#result_list tbody tr").count() == 2

    def run_action(quote, action):
        row = page.locator("#result_list tbody tr").filter(
            has=page.locator("th.field-quote", has_text=quote)
        )
        row.locator("input.action-select").check()
        page.select_option("select[name=action]", action)
        page.click("button[name=index]")
        # Both ask first, counting what they act on.
        question = {"accept": "1 Vorschlag annehmen", "reject": "1 Vorschlag ablehnen?"}[action]
        assert question in page.inner_text("#content")
        page.click(f"#{action}-form input[type=submit]")
        page.wait_for_selector(".messagelist .success")

    run_action("Nvidia", "accept")
    run_action("Mistral AI", "reject")
    assert list(Annotation.objects.published().values_list("quote", flat=True)) == ["Nvidia"]
    assert not Annotation.objects.suggestions().exists()
    assert suggestions.suggest(article).created == 0
    page.problems.assert_clean()


def test_accept_and_reject_with_the_row_buttons(page, live_server):
    """Each row's own Accept and Reject buttons review that suggestion alone."""
    article = make_article(paragraphs=["Mistral AI kooperiert mit Nvidia in Paris."])
    make_entity("Mistral AI", slug="mistral-ai")
    make_entity("Nvidia", slug="nvidia")
    make_entity("Paris", slug="paris")
    suggestions.suggest(article)
    log_in(page, live_server, make_editor())
    page.goto(
        live_server.url
        + reverse("admin:articleapp_suggestedannotation_changelist")
        + f"?paragraph__article__id__exact={article.pk}"
    )

    def row(quote):
        return page.locator("#result_list tbody tr").filter(
            has=page.locator("th.field-quote", has_text=quote)
        )

    assert page.locator("#result_list tbody tr").count() == 3
    row("Nvidia").locator("button.rn-accept").click()
    page.wait_for_selector(".messagelist .success")
    assert f"paragraph__article__id__exact={article.pk}" in page.url
    assert page.locator("#result_list tbody tr").count() == 2
    row("Paris").locator("button.rn-reject").click()
    page.wait_for_selector(".messagelist .success")
    assert page.locator("#result_list tbody tr").count() == 1
    assert row("Mistral AI").count() == 1
    assert list(Annotation.objects.published().values_list("quote", flat=True)) == ["Nvidia"]
    assert list(Annotation.objects.suggestions().values_list("quote", flat=True)) == ["Mistral AI"]
    assert RejectedSuggestion.objects.get().quote == "Paris"
    assert suggestions.suggest(article).created == 0
    page.problems.assert_clean()


def test_text_edit_moves_one_annotation_and_orphans_another(page, live_server):
    """After a text edit the admin shows moved and orphaned; readers see only the moved one."""
    article = make_article(
        paragraphs=[
            "Mistral baut Rechenzentren und stellt Leute ein. Der Chef von Mistral sagt, Paris "
            "sei der richtige Ort."
        ]
    )
    paragraph = article.paragraphs.get()
    paris = annotate_quote(paragraph, "Paris")
    lost = annotate_quote(paragraph, "Rechenzentren")
    log_in(page, live_server, make_editor())
    page.goto(live_server.url + reverse("admin:articleapp_paragraph_change", args=[paragraph.pk]))
    page.fill(
        "#id_text",
        "Vorab: Mistral baut und stellt Leute ein. Der Chef von Mistral sagt, Paris sei der "
        "richtige Ort.",
    )
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .warning")
    changelist = live_server.url + reverse("admin:articleapp_annotation_changelist")
    # The admin's own filter by anchor status, whatever language the page is in.
    for state, quote in [("moved", "Paris"), ("orphaned", "Rechenzentren")]:
        page.goto(f"{changelist}?anchor_status__exact={state}")
        rows = page.locator("#result_list tbody tr")
        assert rows.count() == 1 and quote in rows.first.inner_text()
    page.goto(live_server.url + reverse("admin:articleapp_article_change", args=[article.pk]))
    assert page.locator(".rn-orphan-count").inner_text() == "1"
    page.goto(live_server.url + reverse("admin:articleapp_orphanedannotation_changelist"))
    assert page.locator("#result_list tbody tr").count() == 1
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("mark.hl", has_text="Paris").count() == 1
    assert page.locator("mark.hl", has_text="Rechenzentren").count() == 0
    assert {a.pk for a in Annotation.objects.published()} == {paris.pk}
    assert Annotation.objects.filter(pk=lost.pk).exists()
    page.problems.assert_clean()


def test_two_editors_save_the_same_annotation(make_page, live_server):
    """Two browser contexts open one annotation; the second save gets the conflict message."""
    article = make_article(paragraphs=["Mistral AI baut in Paris."])
    annotation = annotate_quote(article.paragraphs.get(), "Paris")
    opened_version = annotation.version
    url = live_server.url + reverse("admin:articleapp_annotation_change", args=[annotation.pk])
    first, second = make_page(), make_page()
    log_in(first, live_server, make_editor("anna"))
    log_in(second, live_server, make_editor("bea"))
    first.goto(url)
    second.goto(url)
    first.fill("#id_comment", "Annas Kommentar")
    second.fill("#id_comment", "Beas Kommentar")
    first.click("input[name=_save]")
    first.wait_for_selector(".messagelist .success")
    second.click("input[name=_save]")
    error = second.locator(".errornote, .errorlist.nonfield").last
    error.wait_for()
    assert "anna" in second.locator(".errorlist.nonfield").inner_text()
    with translation.override("de"):
        expected = conflict_message(annotation, opened_version)
    assert "während Sie daran gearbeitet haben" in expected
    assert second.locator(".errorlist.nonfield").inner_text() == expected
    annotation.refresh_from_db()
    assert annotation.comment == "Annas Kommentar"
    assert Paragraph.objects.count() == 1


def test_create_an_entity_in_a_popup_while_annotating(page, live_server):
    """The + beside the entity opens the entity form in a popup; the new entity is chosen."""
    article = make_article(paragraphs=["Die Initiative EuroStack wächst."])
    paragraph = article.paragraphs.get()
    log_in(page, live_server, make_editor())
    open_annotate(page, live_server, article)
    select_words(page, paragraph, "EuroStack")
    with page.expect_popup() as popup_info:
        page.click("#add_id_entity")
    popup = popup_info.value
    popup.wait_for_load_state()
    popup.fill("#id_name", "EuroStack")
    popup.select_option("#id_kind", "initiative")
    popup.click("input[name=_save]")
    popup.wait_for_event("close")
    page.wait_for_function("document.querySelector('#id_entity').value !== ''")
    page.click("input[name=save]")
    page.wait_for_selector(".messagelist .success")
    annotation = Annotation.objects.get()
    assert (annotation.quote, annotation.entity.slug) == ("EuroStack", "eurostack")
    page.problems.assert_clean()


# Selects from a few characters into one paragraph to a few characters into the next.
SELECT_ACROSS = """
([first, second]) => {
  const textIn = (id) => {
    const paragraph = document.querySelector(`.rn-paragraph[data-paragraph="${id}"]`);
    return document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT).nextNode();
  };
  const range = document.createRange();
  range.setStart(textIn(first), 3);
  range.setEnd(textIn(second), 4);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}
"""


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "Diese Auswahl reicht über einen Absatz hinaus."),
        ("en", "This selection runs beyond one paragraph."),
    ],
)
def test_a_selection_across_paragraphs_is_explained(page, live_server, language, message):
    """Selecting across two paragraphs says why nothing was taken and leaves the new
    annotation with no words (not "Paris", selected before: Save would have taken it); the next
    selection within one paragraph clears the message."""
    article = make_article(paragraphs=["Mistral baut in Paris.", "Nvidia liefert Chips."])
    first, second = article.paragraphs.order_by("position")
    log_in(page, live_server, make_editor())
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    open_annotate(page, live_server, article)
    notice = page.locator("#selection-message")
    assert notice.is_hidden()
    select_words(page, first, "Paris")
    page.evaluate(SELECT_ACROSS, [first.pk, second.pk])
    notice.wait_for(state="visible")
    assert message in notice.inner_text()
    assert notice.get_attribute("role") == "alert"
    assert page.input_value("#id_quote") == ""
    assert page.input_value("[name=paragraph]") == ""
    select_words(page, second, "Chips")
    notice.wait_for(state="hidden")
    assert page.input_value("#id_quote") == "Chips"
    page.problems.assert_clean()


def test_editing_a_selection_is_offered_not_taken(page, live_server):
    """An annotation opened for editing keeps its words when other words are selected (to copy
    them, or by a stray drag); they move only on "Anmerkung dorthin verschieben". A selection
    across paragraphs leaves its own words too."""
    article = make_article(paragraphs=["Mistral baut in Paris.", "Nvidia liefert Chips."])
    first, second = article.paragraphs.order_by("position")
    annotation = annotate_quote(first, "Paris", comment="Hauptstadt")
    log_in(page, live_server, make_editor())
    open_annotate(page, live_server, article)
    page.click("mark.hl .hl-link")
    page.wait_for_url(re.compile(rf"annotation={annotation.pk}"))
    pending = page.locator("#selection-pending")
    page.evaluate(SELECT_WORDS, [first.pk, "Mistral", 0])
    expect(pending).to_be_visible()
    expect(pending).to_contain_text("Neue Auswahl: ¶1, Zeichen 0–7: „Mistral“.")
    assert page.input_value("#id_quote") == "Paris"
    page.evaluate(SELECT_ACROSS, [first.pk, second.pk])
    expect(pending).to_be_hidden()
    assert page.input_value("#id_quote") == "Paris"
    page.click("input[name=save]")
    page.wait_for_selector(".messagelist .success")
    annotation.refresh_from_db()
    assert (annotation.quote, annotation.comment) == ("Paris", "Hauptstadt")
    page.click("mark.hl .hl-link")
    page.wait_for_url(re.compile(rf"annotation={annotation.pk}"))
    page.evaluate(SELECT_WORDS, [second.pk, "Chips", 0])
    page.click("#selection-apply")
    expect(pending).to_be_hidden()
    expect(page.locator("#selection-summary")).to_contain_text("„Chips“")
    page.click("input[name=save]")
    page.wait_for_selector(".messagelist .success")
    annotation.refresh_from_db()
    assert (annotation.paragraph, annotation.quote) == (second, "Chips")
    page.problems.assert_clean()


def test_leaving_with_unsaved_input_asks_first(page, live_server):
    """A comment typed and not saved is not lost to a click on another highlight without a
    question; saving asks nothing."""
    article = make_article(paragraphs=["Mistral baut in Paris."])
    annotate_quote(article.paragraphs.get(), "Paris")
    log_in(page, live_server, make_editor())
    open_annotate(page, live_server, article)
    select_words(page, article.paragraphs.get(), "Mistral")
    page.fill("#id_comment", "Noch nicht gesichert")
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.type))  # the fixture's handler stays
    page.click("mark.hl .hl-link")
    expect(page.locator("#id_comment")).to_have_value("Noch nicht gesichert")
    assert asked == ["beforeunload"]
    page.problems.dialogs.clear()
    page.click("input[name=save]")
    page.wait_for_selector(".messagelist .success")
    page.problems.assert_clean()


def test_changed_words_wait_in_the_queue_until_confirmed(page, make_page, live_server):
    """Edit the words of a published comment: readers lose it, the queue "Nach Textänderung zu
    prüfen" lists it with a badge; one click on Confirm shows it to readers again."""
    article = make_article(paragraphs=["Mistral AI baut mit dem Chiphersteller Nvidia in Paris."])
    paragraph = article.paragraphs.get()
    annotate_quote(paragraph, "Chiphersteller Nvidia", comment="Partnerschaft mit Nvidia")
    reader = make_page(viewport={"width": 1280, "height": 800})
    reader.goto(live_server.url + article.get_absolute_url())
    assert "Partnerschaft mit Nvidia" in reader.inner_text("main")
    log_in(page, live_server, make_editor())
    page.goto(live_server.url + reverse("admin:articleapp_paragraph_change", args=[paragraph.pk]))
    page.fill("#id_text", "Mistral AI baut mit dem Chip-Hersteller Nvidia in Paris.")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .warning")
    assert "1 mit geänderten Wörtern" in page.inner_text(".messagelist")
    reader.goto(live_server.url + article.get_absolute_url())
    assert "Partnerschaft mit Nvidia" not in reader.inner_text("main")
    page.goto(live_server.url + reverse("admin:articleapp_article_change", args=[article.pk]))
    page.click(".rn-changed-count a")
    assert page.inner_text("h1") == "Nach Textänderung zu prüfen"
    row = page.locator("#result_list tbody tr")
    assert row.count() == 1 and "Chip-Hersteller Nvidia" in row.inner_text()
    page.click("#result_list button.rn-confirm")
    page.wait_for_selector(".messagelist .success")
    assert page.locator("#result_list tbody tr").count() == 0
    reader.goto(live_server.url + article.get_absolute_url())
    assert "Partnerschaft mit Nvidia" in reader.inner_text("main")
    assert reader.locator("mark.hl", has_text="Chip-Hersteller Nvidia").count() == 1
    page.problems.assert_clean()
