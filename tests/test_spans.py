from hypothesis import given
from hypothesis import strategies as st

from articleapp.spans import codepoint_to_utf16, segments, utf16_to_codepoint


def test_segments_cut_at_every_boundary():
    """Overlapping spans give segments covered by the right keys, outermost first."""
    result = list(segments(10, [(0, 6, "a"), (3, 9, "b"), (3, 5, "c")]))
    assert [(s.start, s.end, s.span_keys) for s in result] == [
        (0, 3, ("a",)),
        (3, 5, ("a", "b", "c")),
        (5, 6, ("a", "b")),
        (6, 9, ("b",)),
        (9, 10, ()),
    ]


def test_invalid_spans_are_ignored():
    """Empty, reversed and out-of-range spans do not cut the text."""
    assert [(s.start, s.end) for s in segments(4, [(2, 2, "a"), (3, 1, "b"), (0, 9, "c")])] == [
        (0, 4)
    ]


@given(
    st.integers(min_value=1, max_value=60).flatmap(
        lambda length: st.tuples(
            st.just(length),
            st.lists(
                st.tuples(st.integers(0, length), st.integers(0, length), st.integers(0, 1000)),
                max_size=12,
            ),
        )
    )
)
def test_segments_tile_the_text(case):
    """Segments cover [0, length) exactly once, and each key covers exactly its span."""
    length, spans = case
    result = list(segments(length, spans))
    assert result[0].start == 0 and result[-1].end == length
    assert all(a.end == b.start for a, b in zip(result, result[1:], strict=False))
    for start, end, key in spans:
        if 0 <= start < end <= length:
            covered = {i for s in result if key in s.span_keys for i in range(s.start, s.end)}
            assert set(range(start, end)) <= covered


def test_utf16_conversion_with_emoji():
    """An emoji is two UTF-16 units but one code point."""
    text = "😀 Mistral"
    assert utf16_to_codepoint(text, 3) == 2
    assert codepoint_to_utf16(text, 2) == 3


@given(st.text(max_size=40), st.data())
def test_utf16_round_trip(text, data):
    """Code point → UTF-16 → code point is the identity."""
    offset = data.draw(st.integers(0, len(text)))
    assert utf16_to_codepoint(text, codepoint_to_utf16(text, offset)) == offset
