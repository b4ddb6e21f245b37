"""How the stamp is kept: the article's reader digest, settled once, written only on a change."""

import pytest
from django.core.management import call_command
from django.db import transaction

from articleapp import invalidation, related
from articleapp.models import Article, ArticleEntity
from tests.support.reader_edits import (
    edit_annotation_comment,
    edit_draft_comment,
    make_reader_article,
    publish_draft,
    published,
)


@pytest.fixture
def article(db):
    return make_reader_article()


def stored(article):
    return Article.objects.values_list("reader_digest", "updated_at").get(pk=article.pk)


def expected_digest(article):
    """The reader digest ``article`` should have: its content, its related articles."""
    contents, _ = invalidation.content_digests([Article.objects.get(pk=article.pk)])
    related_part = related.related_parts([article.pk], "default")[article.pk]
    return invalidation.reader_digest(contents[article.pk], related_part)


@pytest.mark.django_db
def test_a_hidden_edit_writes_nothing_to_the_article(article):
    """A draft saved leaves the article's digest and ``updated_at`` as they were."""
    before = stored(article)
    edit_draft_comment(article)
    assert stored(article) == before


@pytest.mark.django_db
def test_deferred_touches_settle_once_at_the_end(article):
    """Inside ``deferred_touches`` the stamp waits; at the end it moves once, to the result."""
    before = stored(article)
    with invalidation.deferred_touches():
        edit_annotation_comment(article)
        publish_draft(article)
        assert stored(article) == before
    after = stored(article)
    assert after[0] != before[0] and after[1] > before[1]
    assert after[0] == expected_digest(article)


@pytest.mark.django_db
def test_deferred_touches_settle_nothing_when_the_write_fails(article):
    """A block that raises settles nothing; its transaction takes its writes back."""
    before = stored(article)
    with pytest.raises(RuntimeError), transaction.atomic(), invalidation.deferred_touches():
        edit_annotation_comment(article)
        raise RuntimeError("the import failed")
    assert stored(article) == before
    assert published().comment == "Erste Notiz"


@pytest.mark.django_db
def test_migrate_gives_articles_without_a_digest_theirs(article):
    """Articles stored before digests existed get one at ``migrate``, ``updated_at`` kept."""
    Article.objects.filter(pk=article.pk).update(
        reader_digest="", content_digest="", card_digest=""
    )
    ArticleEntity.objects.all().delete()
    updated_at = stored(article)[1]
    call_command("migrate", verbosity=0)
    digest, after = stored(article)
    assert after == updated_at
    assert digest == expected_digest(article)
    assert list(ArticleEntity.objects.values_list("entity__slug", "mentions")) == [("microsoft", 1)]
