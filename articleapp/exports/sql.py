"""Database expressions the exports use where Django's own cost most of an export's time.

Each is written for the two databases Randnotiz runs on, PostgreSQL and SQLite, and says what it
replaced and why; other databases get ``NotSupportedError`` rather than a silently different file.
"""

import json

from django.db import NotSupportedError
from django.db.models import CharField, Func, Lookup


class UTCTimestamp(Func):
    """A date-time column as ISO 8601 text in UTC with a ``Z``, written by the database.

    ``2025-05-01T09:30:00Z``, with ``.ffffff`` when there are microseconds: what Python's
    ``astimezone(UTC).isoformat()`` writes, ``+00:00`` as ``Z``. Loading a datetime object per
    value (Django's PostgreSQL loader is Python code) and formatting it again took more of an
    export's time than all other columns together (cProfile, 10,000 rows: 105 of 135 ms).
    """

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("UTCTimestamp is written for PostgreSQL and SQLite")

    def as_postgresql(self, compiler, connection, **extra_context):
        template = (
            "replace(to_char(%(expressions)s AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z')"
        )
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores an aware date-time on SQLite as UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]".
        template = "replace(%(expressions)s, ' ', 'T') || 'Z'"
        return super().as_sql(compiler, connection, template=template, **extra_context)


class InValues(Lookup):
    """``lhs IN (values)`` with the values sent as one parameter, not one parameter each.

    Django prepares and the driver binds every value of an ``__in`` filter on its own: for a
    chunk's 2,000 ids that was most of the tag query's time (13 of 18 ms of client CPU). Not
    registered as a lookup; used as ``filter(InValues(F("column"), [1, 2, …]))``.
    """

    lookup_name = "in_values"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        raise NotSupportedError("InValues is written for PostgreSQL and SQLite")

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        db_type = self.lhs.output_field.db_type(connection)
        return f"{lhs} = ANY(%s::{db_type}[])", [*params, list(self.rhs)]

    def as_sqlite(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(list(self.rhs))]
