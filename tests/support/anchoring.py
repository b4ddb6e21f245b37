"""A paragraph to anchor quotes in, and hypothesis strategies of texts, spans and edits."""

from hypothesis import strategies as st

from articleapp.anchoring import capture

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
