"""How the interface puts a name into a sentence: in quotation marks, once.

Titles and quotes may carry quotation marks of their own (the first article is „KI für Bürger“:
Mistral AI bezieht Stellung gegen Big Tech), and wrapping such a text in another pair gives
„„KI für Bürger“: …“. ``quoted`` adds the marks of the interface language (“…” in English,
„…“ in German) only to a text that neither starts nor ends with a quotation mark: a title that
opens with a quotation reads as a name already, and marks of two pairs side by side never
appear. Every message, heading and label that quotes a title or a quote goes through it, in
templates as ``{{ text|quoted }}``.
"""

from django.utils.translation import gettext

QUOTATION_MARKS = frozenset("„“”‚‘’«»‹›\"'")


def is_quoted(text):
    """Whether ``text`` starts or ends with a quotation mark of its own."""
    text = str(text).strip()
    return bool(text) and (text[0] in QUOTATION_MARKS or text[-1] in QUOTATION_MARKS)


def quoted(text):
    """Return ``text`` in the interface language's quotation marks, unless it carries its own."""
    text = str(text)
    if is_quoted(text):
        return text
    # Translators: quotation marks around a name or quote, „%(text)s“ in German.
    return gettext("“%(text)s”") % {"text": text}
