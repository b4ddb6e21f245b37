"""The Annotate page in Chromium: the admin's own look, text and form side by side from 1280 px
and stacked below, the selection shown as one line, clear messages in German and English, the
comment's preview, and annotating end to end with the mouse and without JavaScript."""

import pytest
from django.urls import reverse

from articleapp.models import Annotation
from tests.support.admin_browser import (
    choose_entity,
    log_in,
    make_editor,
    open_annotate,
    select_words,
)
from tests.support.factories import annotate_quote, make_article, make_entity

pytestmark = pytest.mark.django_db(transaction=True)

PARAGRAPHS = [
    "Der französische KI-Hersteller Mistral AI hat eine Initiative ins Leben gerufen, die "
    "durch diverse Projekte den Fortschritt durch künstliche Intelligenz bürgerfreundlicher "
    "machen soll.",
    "Mistral AI baut gemeinsam mit dem Chiphersteller Nvidia ein Rechenzentrum in Frankreich, "
    "das Unternehmen und Behörden in Europa offenstehen soll.",
    "Die Initiative richtet sich an Regierungen, die eigene Modelle betreiben wollen, ohne "
    "von großen amerikanischen Anbietern abhängig zu sein.",
]
LONG_COMMENT = (
    "Quelle: [Pressemitteilung](https://example.org/"
    + "sehr-langer-pfad-" * 12
    + ") mit **Zahlen** und einem Wort wie "
    + "Rechenzentrumsinfrastrukturbereitstellungsvereinbarung" * 2
)

# Every visible element under ``root`` whose box leaves the column's box left or right.
CROSSING = """
(root) => {
  const column = root.getBoundingClientRect();
  return Array.from(root.querySelectorAll('*'))
    .filter((element) => element.getClientRects().length > 0)
    .map((element) => [element, element.getBoundingClientRect()])
    .filter(([, box]) => box.width > 0
      && (box.left < column.left - 0.5 || box.right > column.right + 0.5))
    .map(([element, box]) => `${element.tagName}#${element.id}.${element.className}`
      + ` ${Math.round(box.left)}–${Math.round(box.right)}`
      + ` (column ${Math.round(column.left)}–${Math.round(column.right)})`);
}
"""

# The text box's width inside its padding, in ``ch`` of its own computed font.
WIDTH_IN_CH = """
(box) => {
  const style = getComputedStyle(box);
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre;font:' + style.font;
  probe.textContent = '0'.repeat(100);
  document.body.append(probe);
  const ch = probe.getBoundingClientRect().width / 100;
  probe.remove();
  const inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return inner / ch;
}
"""


@pytest.fixture
def article(db):
    article = make_article(paragraphs=PARAGRAPHS)
    annotate_quote(article.paragraphs.get(position=1), "Mistral AI", comment="Hersteller")
    make_entity("Nvidia", slug="nvidia")
    return article


@pytest.fixture
def editor(db):
    return make_editor()


def annotate_page(make_page, live_server, editor, article, width, language="de", **options):
    page = make_page(viewport={"width": width, "height": 900}, **options)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    log_in(page, live_server, editor)
    open_annotate(page, live_server, article)
    return page


def box(page, selector):
    return page.locator(selector).bounding_box()


def viewport_width(page):
    return page.evaluate("document.documentElement.clientWidth")


@pytest.mark.parametrize("width", [1280, 1440])
def test_the_page_has_the_admins_header_and_fonts(make_page, live_server, editor, article, width):
    """The admin's header across the whole width, the admin's font for page, text and form,
    and no style sheet of the public site."""
    page = make_page(viewport={"width": width, "height": 900})
    log_in(page, live_server, editor)
    admin_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    open_annotate(page, live_server, article)
    fonts = page.evaluate(
        """() => ['body', '.rn-paragraph', '#annotation-form label', '#id_comment']
             .map((selector) => getComputedStyle(document.querySelector(selector)).fontFamily)"""
    )
    assert fonts[:3] == [admin_font] * 3
    assert "serif" not in fonts[3].replace("sans-serif", "")
    header = box(page, "#header")
    assert page.locator("#header #branding").is_visible()
    assert (header["x"], header["width"]) == (0, viewport_width(page))
    sheets = page.evaluate("Array.from(document.styleSheets, (sheet) => sheet.href || '')")
    assert any(href.endswith("/admin/css/base.css") for href in sheets)
    assert not [href for href in sheets if "site.css" in href or "/articleapp/css/" in href]
    page.problems.assert_clean()


@pytest.mark.parametrize("width", [1280, 1440])
def test_text_and_form_side_by_side(make_page, live_server, editor, article, width):
    """From 1280 px the form stands right of the text, both inside the window; nothing in
    either crosses its column, and the comment box is at least 40 characters wide."""
    page = annotate_page(make_page, live_server, editor, article, width)
    page.fill("#id_comment", LONG_COMMENT)
    page.wait_for_selector("#comment-preview strong")
    text, form = box(page, ".rn-annotate-text"), box(page, "#annotation-form")
    assert text["x"] >= 0 and form["x"] >= text["x"] + text["width"]
    assert form["x"] + form["width"] <= viewport_width(page)
    assert form["y"] < text["y"] + text["height"] and text["y"] < form["y"] + form["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport_width(page)
    assert page.locator("#annotation-form").evaluate(CROSSING) == []
    assert page.locator(".rn-annotate-text").evaluate(CROSSING) == []
    assert page.locator("#id_comment").evaluate(WIDTH_IN_CH) >= 40
    # The whole form is in view beside the text, Save included.
    assert box(page, "input[name=save]")["y"] + 30 <= 900
    page.problems.assert_clean()


@pytest.mark.parametrize("width", [1000, 390])
def test_text_and_form_stack_below_1280(make_page, live_server, editor, article, width):
    """Below 1280 px the form comes under the text, both as wide as the window allows, and
    nothing runs out of either column."""
    page = annotate_page(make_page, live_server, editor, article, width)
    page.fill("#id_comment", LONG_COMMENT)
    page.wait_for_selector("#comment-preview strong")
    text, form = box(page, ".rn-annotate-text"), box(page, "#annotation-form")
    assert form["y"] >= text["y"] + text["height"]
    assert abs(form["x"] - text["x"]) <= 1
    assert form["x"] + form["width"] <= viewport_width(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport_width(page)
    assert page.locator("#annotation-form").evaluate(CROSSING) == []
    assert page.locator(".rn-annotate-text").evaluate(CROSSING) == []
    page.problems.assert_clean()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "¶2, Zeichen {start}–{end}: „Nvidia“"),
        ("en", "¶2, characters {start}–{end}: “Nvidia”"),
    ],
)
def test_the_selection_is_one_line_and_its_offsets_are_hidden(
    make_page, live_server, editor, article, language, expected
):
    """A selection reads "¶2, characters 50–56: “Nvidia”"; its offsets are posted, not shown."""
    page = annotate_page(make_page, live_server, editor, article, 1280, language)
    assert page.locator("#selection-fields").is_hidden()
    assert page.locator("#id_start").is_hidden() and page.locator("#id_quote").is_hidden()
    second = article.paragraphs.get(position=2)
    select_words(page, second, "Nvidia")
    start = second.text.index("Nvidia")
    line = expected.format(start=start, end=start + len("Nvidia"))
    assert page.inner_text("#selection-summary") == line
    assert page.input_value("#id_start") == str(start)
    assert page.input_value("[name=paragraph]") == str(second.pk)
    page.problems.assert_clean()


# Selects from a few characters into a paragraph to the end of the notes under it.
SELECT_INTO_THE_NOTES = """
(paragraphId) => {
  const paragraph = document.querySelector(`.rn-paragraph[data-paragraph="${paragraphId}"]`);
  const notes = paragraph.parentElement.querySelector('.rn-cards');
  const range = document.createRange();
  range.setStart(document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT).nextNode(), 3);
  range.setEndAfter(notes);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}
"""

# Selects the text of the first note under the paragraphs.
SELECT_A_NOTE = """
() => {
  const range = document.createRange();
  range.selectNodeContents(document.querySelector('.rn-card'));
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}
"""


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "Diese Auswahl reicht über den Text des Artikels hinaus."),
        ("en", "This selection reaches outside the article’s text."),
    ],
)
def test_a_selection_outside_the_text_is_explained(
    make_page, live_server, editor, article, language, message
):
    """Words selected into the notes, or in a note alone, say that only the text can be
    annotated and leave the new annotation with no words (never the ones selected before, which
    a press on Save would take); words in the text clear the message."""
    page = annotate_page(make_page, live_server, editor, article, 1280, language)
    first = article.paragraphs.get(position=1)
    notice = page.locator("#selection-outside")
    for selecting, words in [(SELECT_INTO_THE_NOTES, "Initiative"), (SELECT_A_NOTE, "Projekte")]:
        select_words(page, first, words)
        page.evaluate(selecting, first.pk)
        notice.wait_for(state="visible")
        assert message in notice.inner_text()
        assert notice.get_attribute("role") == "alert"
        assert page.locator("#selection-message").is_hidden()
        assert page.input_value("#id_quote") == ""
        assert "rn-empty" in page.locator("#selection-summary").get_attribute("class")
        select_words(page, first, "Fortschritt")
        assert page.input_value("#id_quote") == "Fortschritt"
        notice.wait_for(state="hidden")
    page.problems.assert_clean()


def test_the_comment_preview_shows_what_readers_will_see(make_page, live_server, editor, article):
    """Markdown is rendered and sanitised by the server as it types; raw HTML stays text."""
    page = annotate_page(make_page, live_server, editor, article, 1280)
    preview = page.locator(".rn-comment-preview")
    assert preview.is_hidden()
    page.fill("#id_comment", "Ein **fetter** [Link](https://example.org) <b>roh</b>")
    page.wait_for_selector("#comment-preview strong")
    assert page.inner_text("#comment-preview strong") == "fetter"
    link = page.locator("#comment-preview a")
    assert link.get_attribute("href") == "https://example.org"
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    assert page.locator("#comment-preview b").count() == 0
    assert "<b>roh</b>" in page.inner_text("#comment-preview")
    page.fill("#id_comment", "")
    preview.wait_for(state="hidden")
    page.problems.assert_clean()


# The boxes of the characters of ``quote`` in the paragraph, to drag the mouse over.
WORD_EDGES = """
([paragraphId, quote]) => {
  const paragraph = document.querySelector(`.rn-paragraph[data-paragraph="${paragraphId}"]`);
  const node = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT).nextNode();
  const start = node.textContent.indexOf(quote);
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + 1);
  const first = range.getBoundingClientRect();
  range.setStart(node, start + quote.length - 1);
  range.setEnd(node, start + quote.length);
  const last = range.getBoundingClientRect();
  return {x1: first.left + 1, y1: first.top + first.height / 2,
          x2: last.right - 1, y2: last.top + last.height / 2};
}
"""


def test_drag_over_words_and_create_an_annotation(make_page, live_server, editor, article):
    """At 1440 px: drag the mouse over words of a paragraph, choose an entity, tags, a comment
    and published, save; the annotation is stored at those words and readers see it."""
    page = annotate_page(make_page, live_server, editor, article, 1440)
    second = article.paragraphs.get(position=2)
    words = "Chiphersteller Nvidia"
    edges = page.evaluate(WORD_EDGES, [second.pk, words])
    page.mouse.move(edges["x1"], edges["y1"])
    page.mouse.down()
    page.mouse.move(edges["x2"], edges["y2"], steps=8)
    page.mouse.up()
    page.wait_for_function(
        "words => document.querySelector('#id_quote').value === words", arg=words
    )
    start = second.text.index(words)
    assert page.inner_text("#selection-summary") == (
        f"¶2, Zeichen {start}–{start + len(words)}: „{words}“"
    )
    choose_entity(page, "Nvidia")
    page.fill("#id_tags", "Chips, Partnerschaft")
    page.fill("#id_comment", "Partner für **Rechenzentren**.")
    page.wait_for_selector("#comment-preview strong")
    page.check("input[name=status][value=published]")
    page.click("input[name=save]")
    page.wait_for_selector(".messagelist .success")
    annotation = Annotation.objects.get(quote=words)
    assert (annotation.paragraph, annotation.start, annotation.end) == (
        second,
        start,
        start + len(words),
    )
    assert annotation.entity.name == "Nvidia" and annotation.is_published
    assert set(annotation.tags.names()) == {"Chips", "Partnerschaft"}
    assert page.locator(f"#a-{annotation.pk}").is_visible()
    page.problems.assert_clean()
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("mark.hl", has_text=words).count() == 1


def test_annotate_without_javascript(make_page, live_server, editor, article):
    """Without JavaScript the selection's fields are the form's own: choose the paragraph,
    type the words, save; words that occur once need no offsets."""
    page = annotate_page(make_page, live_server, editor, article, 1280, java_script_enabled=False)
    assert page.locator("#selection-fields").is_visible()
    assert page.locator("#selection-summary").is_hidden()
    page.select_option("[name=paragraph]", label="¶3")
    page.fill("[name=quote]", "Regierungen")
    page.fill("#id_comment", "Ohne Skript angelegt.")
    page.check("input[name=status][value=published]")
    page.click("input[name=save]")
    page.wait_for_selector(".messagelist .success")
    annotation = Annotation.objects.get(quote="Regierungen")
    third = article.paragraphs.get(position=3)
    assert (annotation.paragraph, annotation.start) == (third, third.text.index("Regierungen"))
    assert annotation.comment == "Ohne Skript angelegt." and annotation.is_published
    assert reverse("admin:articleapp_article_annotate", args=[article.pk]) in page.url


def test_an_opened_annotation_stands_beside_the_form(make_page, live_server, editor, article):
    """Opened for editing, a note far down the text is outlined and scrolled into view beside
    the form, with its words in the selection line."""
    third = article.paragraphs.get(position=3)
    annotation = annotate_quote(third, "Regierungen", comment="Kunden")
    page = make_page(viewport={"width": 1280, "height": 500})
    log_in(page, live_server, editor)
    open_annotate(page, live_server, article, annotation=annotation.pk)
    mark = page.locator(f'mark.rn-editing[data-annotation="{annotation.pk}"]')
    assert mark.count() == 1
    card = box(page, f"#a-{annotation.pk}")
    assert page.evaluate("window.scrollY") > 0
    assert card["y"] >= 0 and card["y"] + card["height"] <= 500
    start = third.text.index("Regierungen")
    assert page.inner_text("#selection-summary") == (
        f"¶3, Zeichen {start}–{start + len('Regierungen')}: „Regierungen“"
    )
    assert page.input_value("#id_comment") == "Kunden"
    page.problems.assert_clean()


def test_what_a_save_did_is_in_view(make_page, live_server, editor, seeded):
    """The page comes back at the paragraph of the annotation just saved; the message saying
    what was saved stands in the form's column beside it, in the first screen."""
    page = annotate_page(make_page, live_server, editor, seeded, 1440)
    last = seeded.paragraphs.order_by("position").last()
    select_words(page, last, last.text.split()[0])
    page.click("input[name=save]")
    message = page.locator("#annotation-form .messagelist .success")
    message.wait_for()
    assert page.evaluate("window.scrollY") > 0  # back at the paragraph, not the top
    placed = message.bounding_box()
    assert placed["y"] >= 0 and placed["y"] + placed["height"] <= 900
    page.problems.assert_clean()
