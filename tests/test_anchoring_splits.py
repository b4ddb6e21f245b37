"""``split_pieces``: whether a paragraph's text was split into the paragraphs after it."""

from hypothesis import given
from hypothesis import strategies as st

from articleapp.anchoring import split_pieces
from tests.support.anchoring import ALPHABET, PARAGRAPH


def test_split_pieces_recognises_a_paragraph_split_in_two():
    """The old text is the two new paragraphs joined by a space: two pieces."""
    first, second = PARAGRAPH.split(" Gleichzeitig ")
    assert split_pieces(PARAGRAPH, [first, "Gleichzeitig " + second]) == 2


def test_split_pieces_tolerates_small_edits_with_the_split():
    """A split that also corrects a word is still a split."""
    first, second = PARAGRAPH.split(" Gleichzeitig ")
    edited = "Zugleich " + second.replace("meist", "oft")
    assert split_pieces(PARAGRAPH, [first, edited]) == 2


def test_split_pieces_into_three():
    """Three consecutive pieces of the old text are three pieces."""
    pieces = ["Mistral baut Rechenzentren.", "Nvidia liefert Chips.", "Paris freut sich."]
    assert split_pieces(" ".join(pieces), [*pieces, "Ganz etwas anderes."]) == 3


def test_an_edit_followed_by_a_new_paragraph_is_no_split():
    """A new paragraph after an edited one is not its second half."""
    old = "Mistral baut Rechenzentren in Paris."
    assert split_pieces(old, ["Mistral baut in Paris.", "Rechenzentren entstehen in Lyon."]) == 1
    # An unchanged first piece with a short paragraph after it is no split either.
    long_text = "Mistral baut Rechenzentren in Paris und Lyon. " * 8
    assert split_pieces(long_text, [long_text, "Kurz."]) == 1


@given(st.text(ALPHABET, min_size=1, max_size=80), st.text(ALPHABET, min_size=1, max_size=80))
def test_property_a_text_cut_in_two_at_a_space_is_split_in_two(first, second):
    """Whatever the text, cutting it at a space gives two pieces."""
    assert split_pieces(first + " " + second, [first, second]) == 2
