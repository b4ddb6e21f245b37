"""JSON export: an array with one object per annotation, keys as ``records.FIELDS``."""

from articleapp.exports.contract import Format
from articleapp.exports.records import dumps, record
from articleapp.exports.rows import iter_annotations


def write(annotations, context):
    """Yield a JSON array, one object per annotation, without holding them all."""
    yield "["
    for index, row in enumerate(iter_annotations(annotations, context)):
        yield ("\n" if index == 0 else ",\n") + dumps(record(row))
    yield "\n]\n"


FORMAT = Format("json", "JSON", "json", "application/json; charset=utf-8", write)
