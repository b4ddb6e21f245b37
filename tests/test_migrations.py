"""Migrations that change data: they must run on what old versions left in the database."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_SLUG_CHECKS = [("articleapp", "0007_stored_search_vectors")]


@pytest.mark.django_db(transaction=True)
def test_slug_checks_repair_old_slugs_first(capsys):
    """0008 rewrites slugs an unchecked import let in (``../../zipslip``) before it adds the
    check constraints: the migration succeeds, rows and their paragraphs are kept."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_SLUG_CHECKS)
    old = executor.loader.project_state(BEFORE_SLUG_CHECKS).apps
    article_model = old.get_model("articleapp", "Article")
    bad = article_model.objects.create(slug="../../zipslip", title="Alt")
    article_model.objects.create(slug="zipslip", title="Schon da")
    old.get_model("articleapp", "Paragraph").objects.create(article=bad, position=1, text="Text.")
    entity = old.get_model("articleapp", "Entity").objects.create(slug="KI für alle", name="KI")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from articleapp.models import Article, Entity

    repaired = Article.objects.get(pk=bad.pk)
    assert repaired.slug == "zipslip-2"
    assert repaired.paragraphs.get().text == "Text."
    assert Entity.objects.get(pk=entity.pk).slug == "ki-fur-alle"
    assert "'../../zipslip' is not valid, now 'zipslip-2'" in capsys.readouterr().out
