"""CSV export: RFC 4180, UTF-8, one row per annotation, columns as ``records.FIELDS``.

Two dialects share the one writer: ``PLAIN`` (comma, no byte order mark: for programs) and
``EXCEL`` (semicolon and a UTF-8 byte order mark: German Excel opens it with a double click,
reads umlauts as UTF-8 only with the mark, and splits columns at the list separator of the
region, which is ``;`` where the decimal separator is a comma). Both end lines with CRLF.

Spreadsheet formula injection is neutralised as OWASP recommends: a cell that begins with ``=``,
``+``, ``-``, ``@``, tab, carriage return, line feed or NUL gets a leading apostrophe ``'``, and so
does a cell that already begins with apostrophes followed by one of those, so the rule can be
undone exactly: from a cell whose text after its leading apostrophes begins with one of those
characters, drop one apostrophe. Tags are joined with ``"; "``.
"""

import csv
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from articleapp.exports.contract import Format
from articleapp.exports.records import FIELDS, record
from articleapp.exports.rows import iter_annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
# Only a cell beginning with one of these can need the apostrophe: a quick first test.
RISKY_FIRST = frozenset(FORMULA_TRIGGERS) | {"'"}


def neutralise(value):
    """Return a cell value that no spreadsheet evaluates as a formula."""
    text = str(value)
    if text[:1] in RISKY_FIRST and text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def unneutralise(text):
    """Undo ``neutralise``: the rule a reader of the file applies."""
    stripped = text.lstrip("'")
    if stripped != text and stripped.startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    byte_order_mark: bool


PLAIN = Dialect(delimiter=",", byte_order_mark=False)
EXCEL = Dialect(delimiter=";", byte_order_mark=True)


def cells(row):
    values = dict(row, tags="; ".join(row["tags"]))
    return [neutralise(values[field]) for field in FIELDS]


class Line:
    """A file whose ``write`` hands back what it is given: ``csv.writer`` then returns lines."""

    def write(self, line):
        return line


def write(annotations, context, dialect=PLAIN):
    """Yield the CSV text line by line: the header, then one line per annotation."""
    if dialect.byte_order_mark:
        # U+FEFF encoded as UTF-8 is the byte order mark EF BB BF (what "utf-8-sig" writes).
        yield "\ufeff"
    writer = csv.writer(Line(), delimiter=dialect.delimiter, lineterminator="\r\n")
    yield writer.writerow(FIELDS)
    for row in iter_annotations(annotations, context):
        yield writer.writerow(cells(record(row)))


def write_excel(annotations, context):
    """Yield the CSV text for spreadsheets: semicolons and a byte order mark."""
    return write(annotations, context, EXCEL)


FORMAT = Format("csv", "CSV", "csv", "text/csv; charset=utf-8", write)
EXCEL_FORMAT = Format(
    "csv-excel", _("CSV for Excel"), "csv", "text/csv; charset=utf-8", write_excel
)
