from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db.models import F

from articleapp.exports import rows
from articleapp.exports.sql import InValues
from articleapp.models import Annotation, Article
from tests.support.factories import annotate_quote, make_article


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    [
        datetime(2025, 5, 1, 9, 30, tzinfo=UTC),
        datetime(2025, 5, 1, 9, 30, 0, 500000, tzinfo=UTC),
        datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2025, 3, 30, 2, 30, 0, 10, tzinfo=timezone(timedelta(hours=2))),
        datetime(1999, 1, 2, 3, 4, 5, 60, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_timestamps_are_utc_iso_8601_with_z(moment):
    """The database writes created/updated as Python's isoformat() in UTC would, with a Z."""
    article = make_article(paragraphs=["Mistral"])
    annotation = annotate_quote(article.paragraphs.get(), "Mistral")
    Annotation.objects.filter(pk=annotation.pk).update(created_at=moment, updated_at=moment)
    (row,) = rows.iter_annotations(Annotation.objects.all())
    expected = moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert (row.created, row.updated) == (expected, expected)


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", [[], [0], [1, 3], [0, 1, 2, 3, 4]])
def test_in_values_selects_exactly_the_values(chosen):
    """InValues(F(column), values) filters like column__in=values."""
    articles = [make_article() for _ in range(5)]
    pks = [articles[index].pk for index in chosen]
    found = Article.objects.filter(InValues(F("pk"), pks)).values_list("pk", flat=True)
    assert sorted(found) == sorted(pks)
