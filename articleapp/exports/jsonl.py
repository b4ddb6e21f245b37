"""JSON Lines export: one JSON object per line (keys as ``records.FIELDS``), UTF-8, ``\\n`` ends.

Each line is a complete JSON document, so a reader can process a file of any size line by line.
"""

from articleapp.exports.contract import Format
from articleapp.exports.records import dumps, record
from articleapp.exports.rows import iter_annotations


def write(annotations, context):
    """Yield one line per annotation."""
    for row in iter_annotations(annotations, context):
        yield dumps(record(row)) + "\n"


FORMAT = Format("jsonl", "JSON Lines", "jsonl", "application/jsonl; charset=utf-8", write)
