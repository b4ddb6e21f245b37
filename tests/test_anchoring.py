"""Tests for capturing quotes and re-anchoring them after a paragraph's text changed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from articleapp.anchoring import (
    CONTEXT_LENGTH,
    QUOTE_SIMILARITY,
    Anchor,
    AnchorStatus,
    Quote,
    capture,
    reanchor,
    split_pieces,
)

PARAGRAPH = (
    "Der französische KI-Hersteller Mistral hat eine Initiative ins Leben gerufen, die durch "
    "diverse Projekte den Fortschritt durch künstliche Intelligenz (KI) bürgerfreundlicher machen "
    "soll. Gleichzeitig übt das Unternehmen Kritik an großen Tech-Konzernen: Deren KI-Produkte "
    "seien für Anwender meist eine Black Box und „One Size fits all“-Angebot."
)


def quote_of(text, exact, occurrence=0):
    """Return (quote, start, end) for the given occurrence of exact in text."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(exact, start + 1)
    return capture(text, start, start + len(exact)), start, start + len(exact)


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


# Edits: replace text[at:at + length] with an inserted string.
ALPHABET = "ab .,\n„“😀é"
text_strategy = st.text(ALPHABET, min_size=1, max_size=120)
edit_strategy = st.tuples(
    st.integers(0, 200), st.integers(0, 40), st.text(ALPHABET + "Mistral", max_size=40)
)


def apply_edit(text, edit):
    """Return text with one stretch replaced by other text."""
    at, length, inserted = edit
    at = min(at, len(text))
    return text[:at] + inserted + text[at + length :]


@st.composite
def texts_with_span(draw):
    """Draw a text and a non-empty span in it."""
    text = draw(text_strategy)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


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
