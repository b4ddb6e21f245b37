"""Re-anchoring given the old text: a quote found once before and once after the edit is moved
to its only copy, unless context or word edges say otherwise."""

from hypothesis import given

from articleapp.anchoring import Anchor, AnchorStatus, Quote, capture, reanchor
from tests.support.anchoring import apply_edit, edit_strategy, quote_of, texts_with_span


def test_short_paragraph_reworded_keeps_its_only_copy_of_the_quote():
    """Given the old text, a quote found once before and once after moves, whatever its context."""
    old = "Mistral baut in Paris."
    quote, start, end = quote_of(old, "Paris")
    new = "Heute baut Mistral in Paris."
    # Most of the short context changed: on context alone it is not recognised.
    assert reanchor(new, quote, start, end).status == AnchorStatus.ORPHANED
    assert reanchor(new, quote, start, end, old_text=old) == Anchor(22, 27, AnchorStatus.MOVED)


def test_only_copy_keeps_in_place_when_it_did_not_move():
    """The old text changes nothing for a quote still at its offsets."""
    old = "Mistral baut in Paris."
    quote, start, end = quote_of(old, "Mistral")
    assert reanchor("Mistral sitzt in Paris.", quote, start, end, old_text=old) == Anchor(
        0, 7, AnchorStatus.ANCHORED
    )


def test_quote_twice_in_the_old_text_still_needs_its_context():
    """A quote the old text held twice is placed by context, so a deleted one still orphans."""
    old = "Mistral kritisiert Big Tech scharf. Später kooperiert Mistral mit Microsoft."
    quote, start, end = quote_of(old, "Mistral")
    new = "Später kooperiert Mistral mit Microsoft."
    assert reanchor(new, quote, start, end, old_text=old).status == AnchorStatus.ORPHANED


def test_quote_twice_in_the_new_text_still_needs_its_context():
    """A quote that now occurs twice in other surroundings is orphaned, not guessed."""
    old = "Mistral baut in Paris."
    quote, start, end = quote_of(old, "Paris")
    new = "Paris hier, Paris dort, sagt Nvidia."
    assert reanchor(new, quote, start, end, old_text=old).status == AnchorStatus.ORPHANED


def test_only_copy_inside_a_longer_word_is_not_taken():
    """A whole word is not moved into a longer word that happens to contain it."""
    old = "Mistral baut in Paris."
    quote, start, end = quote_of(old, "Paris")
    new = "Heute isst Mistral Parisienne."
    assert reanchor(new, quote, start, end, old_text=old).status == AnchorStatus.ORPHANED


def test_only_copy_rule_needs_the_quote_at_its_old_offsets():
    """An orphan whose old offsets no longer held its words is not attached by the old text."""
    old = "Mistral baut in Lyon."
    quote = Quote("Paris", "Mistral baut in ", ".")
    new = "Heute baut Mistral in Paris."
    assert reanchor(new, quote, 16, 21, old_text=old).status == AnchorStatus.ORPHANED


def starts_of(text, exact):
    """Every start of exact in text, overlapping occurrences included."""
    return [index for index in range(len(text)) if text.startswith(exact, index)]


def word_edges(text, start, end):
    def is_word(character):
        return character.isalnum() or character == "_"

    return (start > 0 and is_word(text[start - 1]), end < len(text) and is_word(text[end]))


@given(texts_with_span(), edit_strategy)
def test_property_with_the_old_text_the_anchor_holds_the_exact_quote(text_with_span, edit):
    """With the old text given, an anchor is valid, an exact copy found is exactly the quote,
    and a quote unique in both texts with the same word edges is found at its only copy."""
    text, start, end = text_with_span
    edited = apply_edit(text, edit)
    quote = capture(text, start, end)
    anchor = reanchor(edited, quote, start, end, old_text=text)
    if anchor.status == AnchorStatus.ORPHANED:
        assert anchor.start is None and anchor.end is None
    else:
        assert 0 <= anchor.start < anchor.end <= len(edited)
        if quote.exact in edited:
            assert edited[anchor.start : anchor.end] == quote.exact
    old_copies, new_copies = starts_of(text, quote.exact), starts_of(edited, quote.exact)
    if len(old_copies) == len(new_copies) == 1:
        new_start = new_copies[0]
        new_end = new_start + len(quote.exact)
        if word_edges(edited, new_start, new_end) == word_edges(text, start, end):
            assert (anchor.start, anchor.end) == (new_start, new_end)
