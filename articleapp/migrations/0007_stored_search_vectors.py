"""Stored ``tsvector`` columns for German full-text search, on PostgreSQL only.

``0002_search_indexes`` indexed the expression ``to_tsvector('german', text)``. The index finds
rare words, but a common word is cheaper to find by scanning (the planner is right to), and then
PostgreSQL parses every scanned paragraph again, and once more to rank the candidates: a search
for a word in most paragraphs cost ~180 ms at 100,000 paragraphs (bench figure 9). A generated
column parses each text once, when it is written; the GIN index moves to the column.

Like 0002 this stays outside the model state, because SQLite has neither ``tsvector`` nor GIN;
``articleapp.search.StoredSearchVector`` reads the column.
"""

from django.db import migrations

COLUMNS = [
    ("articleapp_paragraph", "text", "paragraph_search_vector_idx", "paragraph_text_search_idx"),
    (
        "articleapp_annotation",
        "comment",
        "annotation_search_vector_idx",
        "annotation_comment_search_idx",
    ),
]
COLUMN = "search_vector"


def add_columns(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, source, index, old_index in COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {COLUMN} tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('german'::regconfig, COALESCE({source}, ''))) STORED"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({COLUMN})")
        schema_editor.execute(f"DROP INDEX IF EXISTS {old_index}")
        # Without statistics on the new column the planner takes every word for a rare one and
        # builds a bitmap of all paragraphs holding a common word, instead of scanning for 200.
        schema_editor.execute(f"ANALYZE {table}")


def remove_columns(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, source, index, old_index in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {COLUMN}")
        schema_editor.execute(
            f"CREATE INDEX {old_index} ON {table} "
            f"USING gin (to_tsvector('german'::regconfig, COALESCE({source}, '')))"
        )


class Migration(migrations.Migration):
    dependencies = [("articleapp", "0006_history_tag_names")]

    operations = [migrations.RunPython(add_columns, remove_columns, elidable=False)]
