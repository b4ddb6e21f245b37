"""Annotation exports: one module per format, all keeping one contract, and reading them back.

Every format is a ``contract.Format`` with the same ``stream(annotations, context)``, an
iterator of bytes, and a declared ``drops`` (``FORMATS[name]``); the export page and its URLs
(``views``), the command and the annotation container (``container``) share them. ``rows``
reads the database for every format; ``records`` is the flat record of the tabular formats;
``parsing`` and ``parsing_w3c`` read an export file back, ``reader`` loads it into the database.
"""

from articleapp.exports import brat, conll, csv, json, jsonl, w3c
from articleapp.exports.contract import ExportContext, Format

FORMATS = {
    format.name: format
    for format in (
        csv.FORMAT,
        csv.EXCEL_FORMAT,
        json.FORMAT,
        jsonl.FORMAT,
        w3c.FORMAT,
        conll.FORMAT,
        brat.FORMAT,
    )
}

__all__ = ["FORMATS", "ExportContext", "Format"]
