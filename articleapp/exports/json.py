"""JSON export: an array with one object per annotation, keys as ``records.FIELDS``."""

import json

from articleapp.exports.records import iter_annotations, record


def stream(annotations, context=None):
    """Yield a JSON array in chunks, one object per annotation, without holding them all."""
    yield "["
    for index, annotation in enumerate(iter_annotations(annotations, context)):
        yield ("\n" if index == 0 else ",\n") + json.dumps(record(annotation), ensure_ascii=False)
    yield "\n]\n"
