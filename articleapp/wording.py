"""How the interface puts a name into a sentence: in quotation marks, once.

Titles and quotes may carry quotation marks of their own (the first article is „KI für Bürger“:
Mistral AI bezieht Stellung gegen Big Tech). ``quoted`` adds the marks of the interface language
(“…” in English, „…“ in German) to a text, with two exceptions and one adjustment:

- a text that starts with a quotation mark, as that title does, reads as a name already and is
  left as it is (so is one that both starts and ends with one, „Nein“);
- the typographic double marks inside the text become the interface language's single ones, as
  quotations within a quotation are written (‚…‘ in German, ‘…’ in English): the quote "die
  Initiative „AI for Citizens“" is shown as „die Initiative ‚AI for Citizens‘“, never without
  marks of its own nor with two closing marks side by side.

Every message, heading and label that quotes a title or a quote goes through it, in templates
as ``{{ text|quoted }}``.
"""

from django.utils.translation import gettext, pgettext

QUOTATION_MARKS = frozenset("„“”‚‘’«»‹›\"'")
# The typographic double marks that open a quotation within a text, each with the mark that
# closes it. “ does both: it closes a German „…“ and opens an English “…”. Straight marks are
# left alone: they are as often inches, code or markup as quotations.
CLOSING_MARK = {"„": "“", "“": "”"}


def is_quoted(text):
    """Whether ``text`` starts with a quotation mark of its own."""
    text = str(text).strip()
    return bool(text) and text[0] in QUOTATION_MARKS


def nested(text):
    """Return ``text`` with its double quotation marks turned into the interface language's
    single ones; a mark it cannot pair is kept as it is."""
    # Translators: the single marks a quotation within a quotation opens with, ‚ in German.
    opening = pgettext("nested quotation", "‘")
    # Translators: the single marks a quotation within a quotation closes with, ‘ in German.
    closing = pgettext("nested quotation", "’")
    shown, open_marks = [], []
    for character in text:
        if open_marks and character == CLOSING_MARK[open_marks[-1]]:
            open_marks.pop()
            shown.append(closing)
        elif character in CLOSING_MARK:
            open_marks.append(character)
            shown.append(opening)
        else:
            shown.append(character)
    if open_marks:  # unpaired: the text's own marks say more than a guess would
        return text
    return "".join(shown)


def quoted(text):
    """Return ``text`` in the interface language's quotation marks, unless it starts with its
    own; quotations inside it in single marks."""
    text = str(text)
    if is_quoted(text):
        return text
    # Translators: quotation marks around a name or quote, „%(text)s“ in German.
    return gettext("“%(text)s”") % {"text": nested(text)}
