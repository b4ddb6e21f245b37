"""Property tests of re-anchoring: whatever the edit, the anchor is valid, exact where it can be,
in place only where the quote is, and similar enough where it was found fuzzily."""

from hypothesis import given
from rapidfuzz.distance import Levenshtein

from articleapp.anchoring import QUOTE_SIMILARITY, Anchor, AnchorStatus, capture, reanchor
from tests.support.anchoring import apply_edit, edit_strategy, texts_with_span


@given(texts_with_span())
def test_property_unchanged_text_is_anchored_in_place(text_with_span):
    """Re-anchoring a captured quote in the same text returns the same offsets."""
    text, start, end = text_with_span
    anchor = reanchor(text, capture(text, start, end), start, end)
    assert anchor == Anchor(start, end, AnchorStatus.ANCHORED)


@given(texts_with_span(), edit_strategy)
def test_property_anchor_is_a_valid_span(text_with_span, edit):
    """After any edit the anchor is orphaned or a non-empty span within the new text."""
    text, start, end = text_with_span
    edited = apply_edit(text, edit)
    anchor = reanchor(edited, capture(text, start, end), start, end)
    if anchor.status == AnchorStatus.ORPHANED:
        assert anchor.start is None and anchor.end is None
    else:
        assert 0 <= anchor.start < anchor.end <= len(edited)


@given(texts_with_span(), edit_strategy)
def test_property_exact_quote_is_found_exactly(text_with_span, edit):
    """If the exact quote is still in the text, the anchor points at an exact copy of it, or is
    orphaned because no copy keeps enough of its context (then it must not move elsewhere)."""
    text, start, end = text_with_span
    edited = apply_edit(text, edit)
    quote = capture(text, start, end)
    anchor = reanchor(edited, quote, start, end)
    if quote.exact in edited and anchor.status != AnchorStatus.ORPHANED:
        assert edited[anchor.start : anchor.end] == quote.exact


@given(texts_with_span(), edit_strategy)
def test_property_anchored_means_in_place(text_with_span, edit):
    """ANCHORED is returned only when the old offsets still hold the exact quote."""
    text, start, end = text_with_span
    edited = apply_edit(text, edit)
    quote = capture(text, start, end)
    anchor = reanchor(edited, quote, start, end)
    is_in_place = edited[start:end] == quote.exact
    assert (anchor.status == AnchorStatus.ANCHORED) == is_in_place
    if is_in_place:
        assert (anchor.start, anchor.end) == (start, end)


@given(texts_with_span(), edit_strategy)
def test_property_fuzzy_span_is_trimmed_and_similar(text_with_span, edit):
    """A span found fuzzily is trimmed of whitespace and passes the quote threshold."""
    text, start, end = text_with_span
    edited = apply_edit(text, edit)
    quote = capture(text, start, end)
    anchor = reanchor(edited, quote, start, end)
    if anchor.status == AnchorStatus.MOVED and quote.exact not in edited:
        assert not edited[anchor.start].isspace()
        assert not edited[anchor.end - 1].isspace()
        span = edited[anchor.start : anchor.end]
        assert Levenshtein.normalized_similarity(quote.exact.strip(), span) >= QUOTE_SIMILARITY
