"""``{{ text|markdown }}``: a comment in Markdown as sanitised HTML (a template builtin).

``{{ text|markdown:"_blank" }}`` gives its links that target (embeds: see ``render_markdown``).
"""

from django import template

from articleapp.markdown import render_markdown

register = template.Library()


@register.filter(is_safe=True)
def markdown(text, link_target=""):
    return render_markdown(str(text), str(link_target))
