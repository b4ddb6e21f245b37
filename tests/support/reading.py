"""The reading page's parts as its view builds them, for tests of the modules behind it."""

from articleapp import margin
from articleapp.reading import load
from tests.support.html import parse_html


def planned(article):
    """Return the article's paragraphs, loaded as the reading page loads them, and their margins."""
    paragraphs, _, _ = load(article)
    return paragraphs, margin.plan(paragraphs)


def elements(html, tag, css_class=None):
    """Return the attributes of each ``tag`` element in ``html``, of ``css_class`` if given."""
    return [
        attrs
        for name, attrs in parse_html(html).elements
        if name == tag and (css_class is None or css_class in (attrs.get("class") or "").split())
    ]
