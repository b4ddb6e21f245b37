"""``{{ text|markdown }}``: a comment in Markdown as sanitised HTML (a template builtin).

``{{ text|markdown:"_blank" }}`` gives its links that target (embeds: see ``render_markdown``).
``{{ html|excerpt:40 }}`` keeps its first 40 words, with "…" only when words were left out.
"""

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

from articleapp.markdown import render_markdown

register = template.Library()


@register.filter(is_safe=True)
def markdown(text, link_target=""):
    return render_markdown(str(text), str(link_target))


@register.filter(is_safe=True)
def excerpt(html, word_count):
    """The first ``word_count`` words of ``html``, its tags closed, and "…" only when words were
    left out: Django's ``truncatewords_html`` adds it to a text of exactly that many words."""
    word_count = int(word_count)
    if len(strip_tags(str(html)).split()) <= word_count:
        return html
    return Truncator(html).words(word_count, html=True)
