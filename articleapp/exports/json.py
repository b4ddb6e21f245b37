"""JSON export: an array with one object per annotation, keys as ``records.FIELDS``."""

from articleapp.exports.records import dumps, iter_annotations, joined, record


def stream(annotations, context=None):
    """Yield a JSON array in chunks, one object per annotation, without holding them all."""
    yield "["
    yield from joined(
        ("\n" if index == 0 else ",\n") + dumps(record(row))
        for index, row in enumerate(iter_annotations(annotations, context))
    )
    yield "\n]\n"
