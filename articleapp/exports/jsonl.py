"""JSON Lines export: one JSON object per line (keys as ``records.FIELDS``), UTF-8, ``\\n`` ends.

Each line is a complete JSON document, so a reader can process a file of any size line by line.
"""

import json

from articleapp.exports.records import iter_annotations, record


def stream(annotations, context=None):
    """Yield one line per annotation."""
    for annotation in iter_annotations(annotations, context):
        yield json.dumps(record(annotation), ensure_ascii=False) + "\n"
