"""Capturing quotes, and re-anchoring them after a paragraph's text changed: worked examples."""

import pytest

from articleapp.anchoring import CONTEXT_LENGTH, Anchor, AnchorStatus, Quote, capture, reanchor
from tests.support.anchoring import PARAGRAPH, quote_of


def anchored_text(text, anchor):
    """Return the text an anchor points at, or None if it is orphaned."""
    return None if anchor.start is None else text[anchor.start : anchor.end]


def test_capture_takes_quote_and_context():
    """capture() returns the span and CONTEXT_LENGTH code points on either side."""
    quote, start, end = quote_of(PARAGRAPH, "Initiative")
    assert quote.exact == "Initiative"
    assert quote.prefix == PARAGRAPH[start - CONTEXT_LENGTH : start]
    assert quote.suffix == PARAGRAPH[end : end + CONTEXT_LENGTH]
    assert len(quote.prefix) == len(quote.suffix) == CONTEXT_LENGTH


def test_capture_context_is_cut_at_the_text_ends():
    """Near the ends of the text the context is shorter."""
    assert capture("Mistral AI", 0, 7) == Quote("Mistral", "", " AI")
    assert capture("Mistral AI", 8, 10) == Quote("AI", "Mistral ", "")


def test_capture_counts_code_points():
    """Context length counts non-BMP characters as one each."""
    text = "🚀" * 40 + "Mistral" + "😀" * 40
    assert capture(text, 40, 47) == Quote("Mistral", "🚀" * 32, "😀" * 32)


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (3, 3), (4, 3), (0, 11), (11, 12)])
def test_capture_rejects_spans_out_of_bounds_or_empty(start, end):
    """capture() raises ValueError unless 0 <= start < end <= len(text)."""
    with pytest.raises(ValueError):
        capture("Mistral AI", start, end)


def test_capture_accepts_the_whole_text():
    """The whole text is a valid span with empty context."""
    assert capture("Mistral AI", 0, 10) == Quote("Mistral AI", "", "")


def test_anchor_offsets_must_match_status():
    """An orphaned anchor has no offsets and any other anchor has a non-empty span."""
    with pytest.raises(ValueError):
        Anchor(1, 2, AnchorStatus.ORPHANED)
    with pytest.raises(ValueError):
        Anchor(None, None, AnchorStatus.MOVED)
    with pytest.raises(ValueError):
        Anchor(3, 3, AnchorStatus.ANCHORED)


def test_unchanged_text_stays_anchored():
    """Re-anchoring in the same text keeps the offsets."""
    quote, start, end = quote_of(PARAGRAPH, "Tech-Konzernen")
    assert reanchor(PARAGRAPH, quote, start, end) == Anchor(start, end, AnchorStatus.ANCHORED)


def test_changed_context_at_the_same_place_stays_anchored():
    """If the old offsets still hold the quote, the context does not matter."""
    quote, start, end = quote_of(PARAGRAPH, "Mistral")
    text = "x" * (start - 8) + "Anbieter" + "Mistral" + " verkauft"
    assert reanchor(text, quote, start, end) == Anchor(start, end, AnchorStatus.ANCHORED)


def test_insertion_before_the_span_moves_it():
    """Text inserted before the quote shifts it by the inserted length."""
    quote, start, end = quote_of(PARAGRAPH, "Tech-Konzernen")
    text = "Neu: " + PARAGRAPH
    assert reanchor(text, quote, start, end) == Anchor(start + 5, end + 5, AnchorStatus.MOVED)


def test_insertion_after_the_span_keeps_it():
    """Text inserted after the quote leaves it anchored."""
    quote, start, end = quote_of(PARAGRAPH, "Tech-Konzernen")
    text = PARAGRAPH[:end] + " (etwa Microsoft)" + PARAGRAPH[end:]
    assert reanchor(text, quote, start, end) == Anchor(start, end, AnchorStatus.ANCHORED)


def test_insertion_inside_the_span_is_found_fuzzily():
    """A word inserted inside the quote still re-anchors, covering the edited quote."""
    quote, start, end = quote_of(PARAGRAPH, "künstliche Intelligenz (KI) bürgerfreundlicher")
    text = PARAGRAPH.replace("(KI) bürger", "(KI) sehr bürger")
    anchor = reanchor(text, quote, start, end)
    assert anchor.status == AnchorStatus.MOVED
    assert anchored_text(text, anchor) == "künstliche Intelligenz (KI) sehr bürgerfreundlicher"


def test_deleting_the_span_orphans_it():
    """A quote whose text was deleted is orphaned."""
    quote, start, end = quote_of(PARAGRAPH, "Black Box")
    text = PARAGRAPH.replace("eine Black Box und ", "")
    assert reanchor(text, quote, start, end) == Anchor(None, None, AnchorStatus.ORPHANED)


def test_duplicate_quote_is_told_apart_by_context():
    """Of two occurrences of the quote the one in the captured context is chosen."""
    text = "Mistral baut Rechenzentren. Dann kauft Microsoft bei Mistral ein."
    quote, start, end = quote_of(text, "Mistral", occurrence=1)
    # The text before the first occurrence grew, so it is now nearer the old start.
    edited = "Erst kurz: " + "x" * 30 + text
    expected_start = edited.index("bei Mistral") + 4
    assert reanchor(edited, quote, start, end) == Anchor(
        expected_start, expected_start + 7, AnchorStatus.MOVED
    )


def test_duplicates_with_equal_context_go_to_the_nearest():
    """When context cannot tell occurrences apart, the one nearest the old start wins."""
    text = "ab Mistral cd " * 5  # occurrences start at 3, 17, 31, 45 and 59
    quote = Quote("Mistral", "ab ", " cd")
    assert reanchor(text, quote, 36, 43) == Anchor(31, 38, AnchorStatus.MOVED)
    assert reanchor(text, quote, 38, 45) == Anchor(31, 38, AnchorStatus.MOVED)  # a tie: earlier


def test_whitespace_edit_inside_the_quote():
    """Doubled whitespace inside the quote is tolerated."""
    quote, start, end = quote_of(PARAGRAPH, "eine Black Box und")
    text = PARAGRAPH.replace("eine Black Box und", "eine Black  Box\nund")
    anchor = reanchor(text, quote, start, end)
    assert anchor.status == AnchorStatus.MOVED
    assert anchored_text(text, anchor) == "eine Black  Box\nund"


def test_punctuation_edit_inside_the_quote():
    """Changed punctuation inside the quote is tolerated."""
    quote, start, end = quote_of(PARAGRAPH, "„One Size fits all“-Angebot")
    text = PARAGRAPH.replace("„One Size fits all“-Angebot", '"One-Size-fits-all"-Angebot')
    anchor = reanchor(text, quote, start, end)
    assert anchor.status == AnchorStatus.MOVED
    assert anchored_text(text, anchor) == '"One-Size-fits-all"-Angebot'


def test_whitespace_edit_around_the_quote():
    """Whitespace added around an edited quote is not part of the new span."""
    quote, start, end = quote_of(PARAGRAPH, "Tech-Konzernen")
    text = PARAGRAPH.replace("großen Tech-Konzernen: Deren", "großen   Tech-Konzerne  : Deren")
    anchor = reanchor(text, quote, start, end)
    assert anchor.status == AnchorStatus.MOVED
    assert anchored_text(text, anchor) == "Tech-Konzerne"


def test_paragraph_split_in_two():
    """After a split, the half holding the quote re-anchors and the other orphans it."""
    quote, start, end = quote_of(PARAGRAPH, "Tech-Konzernen")
    split = PARAGRAPH.index("Gleichzeitig")
    first, second = PARAGRAPH[:split].rstrip(), PARAGRAPH[split:]
    assert reanchor(first, quote, start, end) == Anchor(None, None, AnchorStatus.ORPHANED)
    anchor = reanchor(second, quote, start, end)
    assert anchor == Anchor(start - split, end - split, AnchorStatus.MOVED)


def test_paragraph_split_just_before_the_quote():
    """A split right before the quote leaves its context in the other half, which orphans it."""
    quote, start, end = quote_of(PARAGRAPH, "Gleichzeitig übt")
    first, second = PARAGRAPH[:start].rstrip(), PARAGRAPH[start:]
    assert reanchor(first, quote, start, end).status == AnchorStatus.ORPHANED
    assert reanchor(second, quote, start, end) == Anchor(0, end - start, AnchorStatus.MOVED)


def test_look_alike_elsewhere_does_not_attract_a_deleted_quote():
    """Similar text in other surroundings is not taken for a deleted quote."""
    text = (
        "Der Hersteller Mistral AI hat eine Initiative gestartet. "
        "Ganz anders sieht es bei Mistral KI in der Werbung aus, die viel verspricht."
    )
    quote, start, end = quote_of(text, "Mistral AI")
    edited = text.replace("Der Hersteller Mistral AI hat eine Initiative gestartet. ", "")
    assert reanchor(edited, quote, start, end).status == AnchorStatus.ORPHANED


def test_edited_quote_in_its_own_place_beats_a_look_alike():
    """An edited quote is found in its own surroundings, not at a look-alike."""
    text = (
        "Ganz anders sieht es bei Mistral KI in der Werbung aus. "
        "Der Hersteller Mistral AI hat eine Initiative gestartet."
    )
    quote, start, end = quote_of(text, "Mistral AI")
    edited = text.replace("Mistral AI hat", "Mistral-AI hat")
    anchor = reanchor(edited, quote, start, end)
    assert anchor.status == AnchorStatus.MOVED
    assert anchored_text(edited, anchor) == "Mistral-AI"


def test_quote_of_the_whole_paragraph():
    """A quote without context re-anchors on the quote's similarity alone."""
    quote = capture("Mistral AI bezieht Stellung", 0, 27)
    anchor = reanchor("Mistral AI bezieht Stellung.", quote, 0, 27)
    assert anchor == Anchor(0, 27, AnchorStatus.ANCHORED)
    anchor = reanchor("Mistral AI bezog Stellung", quote, 0, 27)
    assert anchor == Anchor(0, 25, AnchorStatus.MOVED)
    assert reanchor("Nvidia", quote, 0, 27).status == AnchorStatus.ORPHANED


def test_old_offsets_beyond_the_new_text():
    """Old offsets past the end of a shortened text are handled."""
    quote, start, end = quote_of(PARAGRAPH, "Angebot")
    assert reanchor("Kurz.", quote, start, end).status == AnchorStatus.ORPHANED
    assert reanchor("", quote, start, end).status == AnchorStatus.ORPHANED
    # The word survives but none of its context: without context it is not the same mention.
    assert reanchor("Das Angebot.", quote, start, end).status == AnchorStatus.ORPHANED


def test_empty_quote_is_orphaned():
    """A quote without text cannot be anchored."""
    assert reanchor("Mistral", Quote("", "", ""), 0, 0).status == AnchorStatus.ORPHANED


def test_emoji_in_text_keep_code_point_offsets():
    """Offsets count non-BMP characters as one code point each."""
    quote, start, end = quote_of("🚀 Mistral AI 😀", "Mistral AI")
    anchor = reanchor("🇫🇷🚀 Mistral AI 😀", quote, start, end)
    assert anchor == Anchor(start + 2, end + 2, AnchorStatus.MOVED)


def test_long_quote_edited_in_a_64_kib_text():
    """A long edited quote in a 64 KiB text re-anchors (the run must finish)."""
    words = PARAGRAPH.split()
    filler = " ".join(words[index * 7 % len(words)] for index in range(12_000))[: 64 * 1024]
    start = 30_000
    quote = capture(filler, start, start + 5_000)
    edited = filler[:start] + "EINGEFÜGT " + filler[start : start + 2_500]
    edited += " und noch mehr " + filler[start + 2_500 :]
    edited = edited[: 64 * 1024]
    anchor = reanchor(edited, quote, start, start + 5_000)
    assert anchor.status == AnchorStatus.MOVED


def test_unfindable_quote_in_a_64_kib_text():
    """A long quote with no match in a 64 KiB text is orphaned (the run must finish)."""
    text = ("Mistral AI bezieht Stellung gegen Big Tech. " * 1_500)[: 64 * 1024]
    quote = Quote("Nvidia baut Rechenzentren in Frankreich " * 100, "Vorher: ", " Nachher")
    assert reanchor(text, quote, 100, 4_100).status == AnchorStatus.ORPHANED


def test_many_exact_occurrences_in_a_64_kib_text():
    """A one-character quote that occurs everywhere in 64 KiB is placed (the run must finish)."""
    text = "a" * (64 * 1024)
    assert reanchor(text, Quote("a", "a", "a"), 70_000, 70_001).status == AnchorStatus.MOVED
    assert reanchor(text, Quote("a", "b", "c"), 70_000, 70_001).status == AnchorStatus.ORPHANED


def test_deleted_mention_does_not_jump_to_another_mention_of_the_same_name():
    """Deleting one "Mistral" orphans its annotation instead of moving it onto another one."""
    old = "Mistral kritisiert Big Tech scharf. Später kooperiert Mistral mit Microsoft."
    quote, start, end = quote_of(old, "Mistral")
    new = "Später kooperiert Mistral mit Microsoft."
    assert reanchor(new, quote, start, end).status == AnchorStatus.ORPHANED


def test_insertion_right_before_the_quote_keeps_its_context():
    """A word inserted between context and quote still re-anchors exactly."""
    old = "Mistral baut Rechenzentren."
    quote, start, end = quote_of(old, "Rechenzentren")
    new = "Mistral baut neue Rechenzentren."
    assert reanchor(new, quote, start, end) == Anchor(18, 31, AnchorStatus.MOVED)
