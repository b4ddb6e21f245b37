"""``{{ text|markdown }}``: a comment in Markdown as sanitised HTML (a template builtin)."""

from django import template

from articleapp.markdown import render_markdown

register = template.Library()


@register.filter(is_safe=True)
def markdown(text):
    return render_markdown(str(text))
