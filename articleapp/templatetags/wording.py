"""``{{ text|quoted }}``: a title or quote in quotation marks, once (a template builtin)."""

from django import template

from articleapp import wording

register = template.Library()


@register.filter
def quoted(text):
    return wording.quoted(text)
