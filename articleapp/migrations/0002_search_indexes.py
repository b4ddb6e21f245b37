"""GIN indexes for German full-text search of paragraphs and comments, on PostgreSQL only.

They index the same expression that ``articleapp.search`` queries (``SearchVector(column,
config="german")``), so the planner uses them. They live outside the model state on purpose:
SQLite has no GIN indexes, and a model-state index would be recreated whenever SQLite rebuilds
the table.
"""

from django.db import migrations

INDEXES = [
    ("paragraph", "text", "paragraph_text_search_idx"),
    ("annotation", "comment", "annotation_comment_search_idx"),
]


def search_indexes():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    for model_name, column, name in INDEXES:
        yield model_name, GinIndex(SearchVector(column, config="german"), name=name)


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in search_indexes():
        schema_editor.add_index(apps.get_model("articleapp", model_name), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in search_indexes():
        schema_editor.remove_index(apps.get_model("articleapp", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("articleapp", "0001_initial")]

    operations = [migrations.RunPython(add_indexes, remove_indexes, elidable=False)]
