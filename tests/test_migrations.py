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


BEFORE_UNIQUE_SOURCES = [("articleapp", "0011_suggestion_confidence_and_ambiguity")]


@pytest.mark.django_db(transaction=True)
def test_unique_source_urls_separate_shared_ones_first(capsys):
    """0012 gives every article but the oldest of those sharing a source URL a fragment of its
    own before it adds the constraint: the migration succeeds, no source is lost."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_UNIQUE_SOURCES)
    old = executor.loader.project_state(BEFORE_UNIQUE_SOURCES).apps
    article_model = old.get_model("articleapp", "Article")
    url = "https://example.org/artikel#oben"
    first = article_model.objects.create(slug="a", title="A", source_url=url)
    second = article_model.objects.create(slug="b", title="B", source_url=url)
    without = article_model.objects.create(slug="c", title="C")
    also_without = article_model.objects.create(slug="d", title="D")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from articleapp.models import Article

    sources = dict(Article.objects.values_list("pk", "source_url"))
    assert sources[first.pk] == url
    assert sources[second.pk] == f"https://example.org/artikel#article-{second.pk}"
    assert sources[without.pk] == sources[also_without.pk] == ""
    assert f"Article {second.pk}: source URL" in capsys.readouterr().out
