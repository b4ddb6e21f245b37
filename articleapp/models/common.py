"""What the model modules share: text in NFC, the slug and Wikidata patterns, the order of
articles."""

import unicodedata

from django.core.validators import RegexValidator
from django.db.models import F
from django.utils.translation import gettext_lazy as _

WIKIDATA_ID_PATTERN = r"^Q[1-9][0-9]*$"
# Django's validate_slug as a database condition: ASCII letters, digits, hyphens and
# underscores. \Z, not $: in Python's re (SQLite's REGEXP) $ also matches before a final
# newline. A slug names files in the brat zip and is reversed into every article link.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+\Z"
validate_wikidata_id = RegexValidator(
    WIKIDATA_ID_PATTERN,
    _("A Wikidata ID is a Q followed by a number without leading zeros, e.g. Q2283."),
)


def normalize_text(text):
    """Return text in Unicode NFC, the form every offset counts in."""
    return unicodedata.normalize("NFC", text)


def newest_first(path=""):
    """The order of articles, newest first, for ``order_by`` on Article or through ``path``
    (``"paragraph__article__"``): by publication date, undated ones last on every database,
    then by when they came in."""
    return [
        F(f"{path}published_on").desc(nulls_last=True),
        F(f"{path}created_at").desc(),
        F(f"{path}pk").desc(),
    ]
