from hypothesis import given
from hypothesis import strategies as st

from articleapp.snippets import (
    ELLIPSIS,
    MATCH_START,
    MATCH_STOP,
    WORD_SLACK,
    excerpt,
    headline_html,
    keyword_in_context,
    mark_terms,
    marked_html,
    marked_words,
    word_pattern,
)
from tests.support.html import parse_html, visible_text

TEXT = "Im Rahmen dieser Partnerschaft sollte Microsoft auch eine kleine Beteiligung an Mistral"


def test_keyword_in_context_keeps_a_few_words_either_side():
    """The quote comes with at most three words before and after, and says what was cut."""
    start = TEXT.index("Microsoft")
    context = keyword_in_context(TEXT, start, start + len("Microsoft"), words=3)
    assert context.quote == "Microsoft"
    assert context.before == "dieser Partnerschaft sollte "
    assert context.after == " auch eine kleine"
    assert context.cut_before and context.cut_after


def test_keyword_in_context_at_the_edges_cuts_nothing():
    """A quote at the start of a short text has no ellipsis before or after."""
    context = keyword_in_context("Mistral baut.", 0, 7)
    assert (context.before, context.quote, context.after) == ("", "Mistral", " baut.")
    assert not context.cut_before and not context.cut_after


@given(st.text(max_size=60), st.integers(0, 70), st.integers(0, 70))
def test_keyword_in_context_is_a_substring_around_the_quote(text, start, end):
    """Whatever the offsets, before + quote + after is a contiguous piece of the text."""
    context = keyword_in_context(text, start, end)
    clamped_start = min(start, len(text))
    assert context.quote == text[clamped_start : max(clamped_start, min(end, len(text)))]
    assert text[:clamped_start].endswith(context.before)
    assert context.before + context.quote + context.after in text


def test_marked_html_escapes_and_marks():
    """Markup in the text is escaped; marker pairs become <mark>."""
    html = str(marked_html(f"<b>&{MATCH_START}Microsoft{MATCH_STOP} x"))
    assert html == "&lt;b&gt;&amp;<mark>Microsoft</mark> x"


@given(st.text(alphabet=st.sampled_from(["a", "<", "&", MATCH_START, MATCH_STOP]), max_size=30))
def test_marked_html_is_always_balanced(text):
    """Stray, doubled or unclosed markers never produce unbalanced HTML."""
    html = marked_html(text)
    assert parse_html(html).balanced
    assert visible_text(html) == text.replace(MATCH_START, "").replace(MATCH_STOP, "")


def test_mark_terms_marks_every_occurrence_case_insensitively():
    """Each occurrence of each term is marked, whatever its case."""
    html = str(mark_terms("Mistral und MISTRAL mit Microsoft", ["mistral", "microsoft"]))
    assert html.count("<mark>") == 3
    assert "<mark>MISTRAL</mark>" in html


def test_mark_terms_cuts_long_text_around_the_first_match():
    """In a long text the excerpt starts near the first match, with ellipses."""
    text = "Anfang " * 100 + "Microsoft" + " Ende" * 100
    html = str(mark_terms(text, ["Microsoft"], width=120))
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>Microsoft</mark>" in html
    assert len(visible_text(html)) <= 122


def shown_piece(html):
    """The excerpt's text without the ellipses that say text was left out."""
    return visible_text(html).removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)


def assert_cut_between_words(text, html):
    """Some occurrence of the excerpt in ``text`` starts and ends between words, as its
    ellipses say (a repeated word can make the excerpt occur more than once)."""
    piece = shown_piece(html)
    cut_before = visible_text(html).startswith(ELLIPSIS)
    cut_after = visible_text(html).endswith(ELLIPSIS)
    fits = []
    for begin in (i for i in range(len(text) + 1) if text.startswith(piece, i)):
        end = begin + len(piece)
        fits.append(
            (begin == 0 or text[begin - 1].isspace())
            and (end == len(text) or text[end].isspace())
            and cut_before == (begin > 0)
            and cut_after == (end < len(text))
        )
    assert any(fits), (text, piece)


def test_mark_terms_cuts_at_word_boundaries_both_sides():
    """A long text is cut between words, never inside one, with an ellipsis at each cut."""
    text = (
        "Der französische KI-Hersteller Mistral hat eine Initiative ins Leben gerufen, die durch "
        "diverse Projekte den Fortschritt durch künstliche Intelligenz bürgerfreundlicher machen "
        "soll. Gleichzeitig übt das Unternehmen Kritik an großen Tech-Konzernen."
    )
    for term in ["Mistral", "Projekte", "Gleichzeitig", "Konzernen", "fehlt"]:
        html = mark_terms(text, [term], width=80)
        assert_cut_between_words(text, html)
        if term != "fehlt":
            assert f"<mark>{term}</mark>" in str(html)


def test_a_match_near_the_end_fills_the_excerpt_and_keeps_the_full_stop():
    """A late match shows the text before it rather than a short stub, up to the text's end."""
    text = "Anfang " * 40 + "am Ende kritisiert Mistral."
    html = str(mark_terms(text, ["Mistral"], width=100))
    assert html.endswith("<mark>Mistral</mark>.") and len(visible_text(html)) > 90


@given(
    st.lists(st.text(alphabet="abcäöü", min_size=1, max_size=12), min_size=1, max_size=80),
    st.integers(0, 79),
    st.integers(20, 200),
)
def test_excerpts_of_ordinary_text_start_and_end_between_words(words, index, width):
    """Whatever the words, the match and the width, no word shorter than the slack is split."""
    text = " ".join(words)
    term = words[index % len(words)]
    html = mark_terms(text, [term], width=width)
    assert parse_html(html).balanced
    assert_cut_between_words(text, html)
    assert len(shown_piece(html)) <= width + WORD_SLACK


def test_excerpt_without_a_pattern_is_the_beginning():
    """With nothing to mark, the excerpt is the text's first words."""
    html = str(excerpt("eins zwei drei vier fünf sechs", None, width=15))
    assert html == "eins zwei drei…"


def test_headline_html_says_where_postgresql_left_text_out():
    """Ellipses before a fragment that starts late and after one that ends early, none else."""
    text = "Eins zwei drei Mistral vier fünf. Sechs sieben Mistral acht neun."
    middle = f"drei {MATCH_START}Mistral{MATCH_STOP} vier"
    assert str(headline_html(middle, text)) == "…drei <mark>Mistral</mark> vier…"
    match = f"{MATCH_START}Mistral{MATCH_STOP}"
    two = f"Eins zwei drei {match} {ELLIPSIS} {match} acht neun."
    assert str(headline_html(two, text)) == (
        "Eins zwei drei <mark>Mistral</mark> … <mark>Mistral</mark> acht neun."
    )
    assert str(headline_html("<b>", "<b>")) == "&lt;b&gt;"


def test_headline_html_puts_back_the_punctuation_postgresql_dropped():
    """A headline that reaches the text's edges ends with its full stop, not an ellipsis."""
    text = "„Mistral“ baut Rechenzentren."
    html = str(headline_html(f"Mistral“ baut {MATCH_START}Rechenzentren{MATCH_STOP}", text))
    assert html == "„Mistral“ baut <mark>Rechenzentren</mark>."


def test_marked_words_and_word_pattern_mark_whole_words_only():
    """The forms PostgreSQL marked are marked again in another text, as whole words only."""
    words = marked_words(
        f"Die {MATCH_START}Partnerschaft{MATCH_STOP} mit {MATCH_START}Nvidia{MATCH_STOP}"
    )
    assert words == ["Partnerschaft", "Nvidia"]
    html = str(excerpt("Partnerschaftsvertrag: die Partnerschaft mit NVIDIA", word_pattern(words)))
    assert html == "Partnerschaftsvertrag: die <mark>Partnerschaft</mark> mit <mark>NVIDIA</mark>"
    assert word_pattern([]) is None
