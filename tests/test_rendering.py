from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articleapp.rendering import render_paragraph
from tests.support.html import parse_html, visible_text


def span(pk, start, end, kind="organisation"):
    entity = SimpleNamespace(kind=kind)
    return SimpleNamespace(pk=pk, start=start, end=end, entity=entity, entity_id=1)


TEXT = "Mistral & <Nvidia> \"bauen\" 'Rechenzentren'"


@pytest.mark.parametrize(
    "spans",
    [
        [],
        [span(1, 0, 7)],
        [span(1, 0, 7), span(2, 0, 7)],  # identical
        [span(1, 0, 18), span(2, 10, 18)],  # nested
        [span(1, 0, 12), span(2, 8, 18)],  # overlapping
        [span(1, 0, 7), span(2, 7, 9)],  # adjacent
        [span(1, 0, 40), span(2, 2, 30), span(3, 4, 20), span(4, 6, 10), span(5, 7, 8)],
    ],
    ids=["none", "single", "identical", "nested", "overlapping", "adjacent", "five-deep"],
)
def test_visible_text_equals_the_paragraph(spans):
    """Whatever the spans, the text a reader sees is exactly the paragraph text."""
    html = render_paragraph(TEXT, spans)
    assert visible_text(html) == TEXT
    assert parse_html(html).balanced


def test_markup_characters_are_escaped():
    """<, &, and quotes in the text never become markup."""
    html = str(render_paragraph(TEXT, [span(1, 10, 18)]))
    assert "<Nvidia>" not in html
    assert "&lt;Nvidia&gt;" in html
    assert "&amp;" in html
    assert "&quot;bauen&quot;" in html and "&#x27;Rechenzentren&#x27;" in html


def test_each_annotation_links_to_its_card_and_carries_the_card_target():
    """The first mark of an annotation has id h-<pk>; its text links to #a-<pk>."""
    html = str(
        render_paragraph("Microsoft-Cloud Azure", [span(7, 0, 9), span(8, 0, 21, "product")])
    )
    elements = parse_html(html).elements
    ids = [attrs.get("id") for tag, attrs in elements if tag == "mark" and attrs.get("id")]
    assert ids == ["h-8", "h-7"]
    links = [attrs["href"] for tag, attrs in elements if tag == "a"]
    assert links == ["#a-7", "#a-8"]


def test_nesting_depth_is_marked_per_level():
    """Nested highlights carry their depth so the stylesheet can tell levels apart."""
    html = str(render_paragraph("abcdef", [span(1, 0, 6), span(2, 1, 5), span(3, 2, 4)]))
    assert 'class="hl hl-organisation hl-depth-3"' in html


def test_annotation_without_entity_is_a_comment_highlight():
    """A comment-only annotation is styled as a comment."""
    note = SimpleNamespace(pk=1, start=0, end=3, entity=None, entity_id=None)
    assert "hl-comment" in str(render_paragraph("abc", [note]))


spans_strategy = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 30)), max_size=8)


@given(st.text(max_size=30), spans_strategy)
def test_any_text_and_spans_render_to_the_same_visible_text(text, pairs):
    """Any Unicode and any set of overlapping spans: visible text equals input, HTML balanced."""
    spans = [
        span(index, start, min(end, len(text)))
        for index, (start, end) in enumerate(pairs)
        if start < min(end, len(text))
    ]
    html = render_paragraph(text, spans)
    assert visible_text(html) == text
    assert parse_html(html).balanced
