from hypothesis import given
from hypothesis import strategies as st

from articleapp.snippets import (
    MATCH_START,
    MATCH_STOP,
    keyword_in_context,
    mark_terms,
    marked_html,
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
