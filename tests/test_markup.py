"""HTML built from escaped parts: the same contract as Django's ``format_html``."""

from django.utils import html as django_html
from django.utils.safestring import SafeString, mark_safe
from hypothesis import given
from hypothesis import strategies as st

from articleapp.markup import escape, escape_value, format_html, join_html

TEMPLATE = '<a href="{}" title="{title}">{}</a>'


@given(st.text(), st.text(), st.text())
def test_format_html_gives_what_djangos_gives(href, text, title):
    """For any text, the result is Django's ``format_html``'s, and it is safe."""
    ours = format_html(TEMPLATE, href, text, title=title)
    assert ours == django_html.format_html(TEMPLATE, href, text, title=title)
    assert isinstance(ours, SafeString)


@given(st.text())
def test_escape_gives_what_djangos_gives(text):
    """Every character Django escapes is escaped the same way."""
    assert escape(text) == django_html.escape(text) and isinstance(escape(text), SafeString)


def test_safe_markup_and_numbers_are_not_escaped_again():
    """Markup already safe goes in as it is; numbers become their digits."""
    bold = mark_safe("<b>&amp;</b>")
    assert format_html("{}{}", bold, 42) == "<b>&amp;</b>42"
    assert escape_value(bold) == "<b>&amp;</b>" and escape_value("<") == "&lt;"


def test_join_html_escapes_plain_parts_and_the_separator():
    """Plain parts and the separator are escaped; safe parts are kept."""
    joined = join_html([mark_safe("<i>a</i>"), "<b>"], " & ")
    assert joined == "<i>a</i> &amp; &lt;b&gt;" and isinstance(joined, SafeString)
    assert join_html([]) == ""
