"""JSON Lines export: one JSON object per line (keys as ``records.FIELDS``), UTF-8, ``\\n`` ends.

Each line is a complete JSON document, so a reader can process a file of any size line by line.
"""

from articleapp.exports.records import dumps, iter_annotations, joined, record


def stream(annotations, context=None):
    """Yield the lines in chunks, one line per annotation."""
    yield from joined(dumps(record(row)) + "\n" for row in iter_annotations(annotations, context))
