"""The reading page's rows written in Python: notes, "+N more", popovers and their parts."""

import pytest
from django.urls import reverse
from django.utils import translation

from articleapp.notes import Notes
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.html import parse_html, visible_text
from tests.support.reading import elements, planned

pytestmark = pytest.mark.django_db

LONG = (
    "Mistral baut in Paris. Nvidia liefert Chips. Microsoft ist beteiligt. Paris bleibt "
    "Sitz. Mistral wächst, und Mistral stellt ein. " * 3
)
HOSTILE = "<script>alert(\"x\")</script> & 'y'"


def mention(article, position, quote, **fields):
    return annotate_quote(article.paragraphs.get(position=position), quote, **fields)


def margin_html(article, position=1, language="de"):
    """The margin of paragraph ``position`` as the page writes it, in the interface ``language``."""
    paragraphs, margins = planned(article)
    with translation.override(language):
        return str(Notes(article.language).margin(margins[position - 1]))


def test_an_entity_note_shows_entity_comment_tags_and_links():
    """A first mention with a comment and tags is a note: its ids and data attributes, the
    entity's link, kind, Markdown description and Wikidata link, the comment, the tag links."""
    mistral = make_entity(
        "Mistral AI", description="Ein **KI**-Unternehmen.", wikidata_id="Q119718658"
    )
    article = make_article([LONG])
    note = mention(article, 1, "Mistral", entity=mistral, comment="Seit *2023*.", tags=["KI"])
    html = margin_html(article)
    assert parse_html(html).balanced
    (item,) = elements(html, "li", "note")
    assert item["id"] == f"a-{note.pk}" and item["data-annotation"] == str(note.pk)
    assert item["data-note"] == "1" and item["data-kind"] == "organisation"
    assert item["data-entity"] == mistral.slug and item["class"] == "note kind-organisation"
    links = [attrs["href"] for attrs in elements(html, "a")]
    assert links == [
        mistral.get_absolute_url(),
        reverse("articleapp:tag-detail", kwargs={"slug": "ki"}),
        f"#h-{note.pk}",
        "https://www.wikidata.org/wiki/Q119718658",
        f"#a-{note.pk}",
    ]
    assert "<strong>KI</strong>" in html and "<em>2023</em>" in html
    assert "„Mistral“ → Mistral AI Organisation" in visible_text(html)
    assert elements(html, "ul", "tags")[0]["aria-label"] == "Schlagwörter"


def test_a_repeated_bare_mention_is_a_popover_after_the_fold():
    """A later bare mention of an entity is a ``<div popover>`` after the paragraph's notes."""
    paris = make_entity("Paris", kind="place")
    article = make_article(["Paris und wieder Paris."])
    first = mention(article, 1, "Paris", entity=paris)
    again = mention(article, 1, "Paris", occurrence=2, entity=paris)
    html = margin_html(article)
    (note,) = elements(html, "li", "note")
    (popover,) = elements(html, "div", "note-popover")
    assert note["id"] == f"a-{first.pk}" and popover["id"] == f"a-{again.pk}"
    assert "popover" in popover and "popover" not in note
    assert popover["class"] == "note kind-place note-popover"
    assert html.index("</details>") < html.index('class="note kind-place note-popover"')


def test_a_quote_that_is_the_entity_name_is_not_repeated():
    """„Nvidia“ → Nvidia says nothing: the head is the entity's link alone."""
    article = make_article(["Nvidia liefert Chips."])
    mention(article, 1, "Nvidia", entity=make_entity("Nvidia"))
    html = margin_html(article)
    assert not elements(html, "span", "note-quote")
    assert visible_text(html).count("Nvidia") == 3  # head, and twice in the hidden link texts


def test_a_comment_without_entity_is_a_comment_note():
    """A comment on words, not on an entity, quotes the words and names no entity."""
    article = make_article(["Eine Variante für alle Anwendungsfälle."])
    note = mention(article, 1, "Eine Variante", comment="Das ist **neu**.")
    html = margin_html(article)
    (item,) = elements(html, "li", "note")
    assert item["data-kind"] == "comment" and "data-entity" not in item
    assert elements(html, "span", "note-quote")
    assert elements(html, "div", "note-comment")[0]["id"] == f"c-{note.pk}"
    assert not elements(html, "button")


def test_a_long_comment_beside_a_short_paragraph_is_cut_with_read_on():
    """A comment too tall for its paragraph is clamped and gets a button that opens it."""
    article = make_article(["Kurz."])
    note = mention(article, 1, "Kurz", comment="Ein langer Kommentar. " * 40)
    html = margin_html(article)
    (comment,) = elements(html, "div", "note-comment")
    assert "clamp" in comment["class"].split()
    (button,) = elements(html, "button", "note-expand")
    assert button["aria-controls"] == f"c-{note.pk}" and button["aria-expanded"] == "false"
    assert "Weiterlesen" in visible_text(html)


def test_a_crowded_paragraph_folds_notes_under_more_with_their_names():
    """Notes past the paragraph's height fold under "+N weitere Anmerkungen: names"."""
    article = make_article(["Frankreich, Luxemburg, Singapur, England und die Schweiz."])
    for name in ["Frankreich", "Luxemburg", "Singapur", "England", "Schweiz"]:
        mention(article, 1, name, entity=make_entity(name, description="Ein Staat. " * 8))
    _, (paragraph_margin,) = planned(article)
    html = margin_html(article)
    assert paragraph_margin.folded
    (more,) = elements(html, "details", "more-notes")
    names = ", ".join(paragraph_margin.folded_names)
    count = len(paragraph_margin.folded)
    assert f"+{count} weitere Anmerkung" in visible_text(html)
    assert f": {names}" in visible_text(html)
    assert len(elements(html, "li", "note")) == paragraph_margin.note_count


def test_folds_carry_both_plural_forms_and_name_each_note_for_the_script():
    """The fold summaries give filters.js both translated forms of their count ("%(counter)s"
    left in) and one element per folded note's name, so a filter can recount them."""
    article = make_article(["Frankreich, Luxemburg, Singapur, England und die Schweiz."])
    for name in ["Frankreich", "Luxemburg", "Singapur", "England", "Schweiz"]:
        mention(article, 1, name, entity=make_entity(name, description="Ein Staat. " * 8))
    _, (paragraph_margin,) = planned(article)
    forms = {
        "de": [
            ("%(counter)s Anmerkung", "%(counter)s Anmerkungen"),
            ("+%(counter)s weitere Anmerkung", "+%(counter)s weitere Anmerkungen"),
        ],
        "en": [
            ("%(counter)s note", "%(counter)s notes"),
            ("+%(counter)s more note", "+%(counter)s more notes"),
        ],
    }
    for language, (notes, more) in forms.items():
        html = margin_html(article, language=language)
        summary = next(attrs for tag, attrs in parse_html(html).elements if tag == "summary")
        (count,) = elements(html, "span", "more-count")
        assert (summary["data-one"], summary["data-other"]) == notes
        assert (count["data-one"], count["data-other"]) == more
    elements_ = parse_html(html).elements
    named = [attrs["data-name-of"] for _, attrs in elements_ if "data-name-of" in attrs]
    assert named == [str(annotation.pk) for annotation in paragraph_margin.folded]


def test_a_paragraph_without_annotations_has_no_margin():
    """Nothing to say, no margin element."""
    article = make_article(["Ohne Anmerkungen."])
    assert margin_html(article) == ""


def test_strings_follow_the_interface_language_and_quotes_the_article_language():
    """The margin speaks the interface language; quotes and names keep the article's."""
    article = make_article(["Kurz."], language="de")
    mention(article, 1, "Kurz", comment="Ein langer Kommentar. " * 40)
    english = margin_html(article, language="en")
    german = margin_html(article, language="de")
    assert elements(english, "div", "margin")[0]["lang"] == "en"
    assert elements(english, "span", "note-quote")[0]["lang"] == "de"
    assert "1 note" in visible_text(english) and "Read on" in visible_text(english)
    assert "1 Anmerkung" in visible_text(german) and "Im Text" in visible_text(german)


def test_every_field_is_escaped():
    """Names, quotes, comments, tags, descriptions and the language are text, never markup."""
    entity = make_entity(HOSTILE, description=HOSTILE, kind="other")
    article = make_article([f"Vorher {HOSTILE} nachher."], language='de" onclick="x')
    mention(article, 1, HOSTILE, entity=entity, comment=HOSTILE, tags=[HOSTILE])
    html = margin_html(article)
    parsed = parse_html(html)
    assert parsed.balanced
    assert not [tag for tag, _ in parsed.elements if tag == "script"]
    assert all("onclick" not in attrs for _, attrs in parsed.elements)
    assert visible_text(html).count(HOSTILE) >= 5


def test_an_entity_and_a_tag_are_built_once_per_page(django_assert_num_queries):
    """Every note of an entity shares its parts, and writing the margins runs no query."""
    paris = make_entity("Paris", description="Hauptstadt.")
    article = make_article(["Paris und Paris.", "Wieder Paris."])
    mention(article, 1, "Paris", entity=paris, tags=["Ort"])
    mention(article, 1, "Paris", occurrence=2, entity=paris, tags=["Ort"])
    mention(article, 2, "Paris", entity=paris)
    paragraphs, margins = planned(article)
    notes = Notes(article.language)
    with django_assert_num_queries(0):
        rows = [notes.margin(paragraph_margin) for paragraph_margin in margins]
    assert list(notes.entities) == [paris.pk] and len(notes.tag_links) == 1
    assert notes.entity(paris) is notes.entity(paragraphs[1].published_annotations[0].entity)
    assert sum(row.count('class="note-description"') for row in rows) == 3


def test_a_row_holds_the_paragraph_and_its_margin():
    """A row is a section named after its paragraph, with the paragraph's text and margin."""
    article = make_article(["Paris liegt an der Seine."])
    mention(article, 1, "Paris", entity=make_entity("Paris"))
    paragraphs, margins = planned(article)
    with translation.override("de"):
        notes = Notes(article.language)
        row = str(notes.row(paragraphs[0], "Paris liegt an der Seine.", margins[0]))
    (section,) = elements(row, "section", "row")
    assert section["aria-label"] == "Absatz 1"
    assert elements(row, "p", "paragraph-text")[0]["id"] == "p-1"
    assert elements(row, "div", "margin")
