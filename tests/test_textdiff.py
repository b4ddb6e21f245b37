from hypothesis import given
from hypothesis import strategies as st

from articleapp.textdiff import Segment, tokens, word_diff

WORDS = st.lists(
    st.sampled_from(
        ["Mistral", "Nvidia", "baut", "in", "Paris", "Köln", " ", "  ", "\n", ".", "-"]
    ),
    max_size=30,
).map("".join)


def side(segments, kind):
    return "".join(segment.text for segment in segments if segment.kind in {"kept", kind})


def test_one_changed_word_is_one_removal_and_one_addition():
    """Replacing one word marks just that word, however long the text around it."""
    before = "Eine Partnerschaft mit Chiphersteller Nvidia. " * 20
    after = before.replace("Chiphersteller", "dem Chip-Hersteller", 1)
    assert word_diff(before, after) == [
        Segment("kept", "Eine Partnerschaft mit "),
        Segment("removed", "Chiphersteller"),
        Segment("added", "dem Chip-Hersteller"),
        Segment("kept", before[len("Eine Partnerschaft mit Chiphersteller") :]),
    ]


def test_spaces_between_changed_words_join_the_change():
    """Two neighbouring changed words are one change, not two split by a kept space."""
    assert word_diff("a b c", "x y c") == [
        Segment("removed", "a b"),
        Segment("added", "x y"),
        Segment("kept", " c"),
    ]


def test_texts_to_and_from_nothing():
    """An empty text on either side is one addition or one removal; equal texts are kept."""
    assert word_diff("", "neu") == [Segment("added", "neu")]
    assert word_diff("alt", "") == [Segment("removed", "alt")]
    assert word_diff("", "") == []
    assert word_diff("gleich", "gleich") == [Segment("kept", "gleich")]


def test_tokens_are_words_spaces_and_single_marks():
    """Words, whitespace runs and each other character are tokens of their own."""
    assert tokens("Chip-Hersteller,  „KI“") == [
        "Chip",
        "-",
        "Hersteller",
        ",",
        "  ",
        "„",
        "KI",
        "“",
    ]


@given(WORDS, WORDS)
def test_the_diff_holds_both_texts(old, new):
    """Kept and removed segments give the old text; kept and added ones the new text."""
    segments = word_diff(old, new)
    assert side(segments, "removed") == old
    assert side(segments, "added") == new
    assert all(segment.text for segment in segments)


@given(WORDS, WORDS)
def test_segments_alternate_and_removals_come_first(old, new):
    """No two kept segments touch, and within a change the removal comes before the addition."""
    kinds = [segment.kind for segment in word_diff(old, new)]
    for first, second in zip(kinds, kinds[1:], strict=False):
        assert (first, second) not in {("kept", "kept"), ("added", "removed")}
        assert first != second
