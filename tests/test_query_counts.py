"""Each public page and export takes the same number of queries at two sizes (issue 6, figure 1)."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.support.factories import make_annotated_article, make_entity, make_user
from tests.support.pages import count_queries


@pytest.fixture
def no_page_cache():
    """Count the queries of rendering, not of serving a cached copy."""
    with override_settings(PAGE_CACHE_SECONDS=0):
        yield


@pytest.mark.django_db
def test_article_list_queries_do_not_grow(client):
    """The home page takes three queries for 2 articles as for a page of 20 out of 25, each
    with its annotations and entities counted: count, page, the entities mentioned most."""
    entity = make_entity()
    for _ in range(2):
        make_annotated_article(2, 2, entity)
    small = count_queries(client, "/")
    for _ in range(23):
        make_annotated_article(2, 2, make_entity())
    assert count_queries(client, "/") == small == 3
    assert count_queries(client, "/?page=2") == 3


@pytest.mark.django_db
def test_reading_page_queries_do_not_grow(client, no_page_cache):
    """A rendered reading page of 7 and of 50 paragraphs (10 annotations each), with related
    articles, takes ≤ 6 queries."""
    entity = make_entity(tags=["x"])
    small = make_annotated_article(7, 10, entity)
    large = make_annotated_article(50, 10, entity)
    for _ in range(6):
        make_annotated_article(1, 2, entity)
    assert count_queries(client, small.get_absolute_url()) == count_queries(
        client, large.get_absolute_url()
    )
    assert count_queries(client, large.get_absolute_url()) <= 6


@pytest.mark.django_db
def test_reading_page_reads_its_article_once(client, no_page_cache):
    """The article row read for the page's version stamp is the one rendered; after the rows
    and the related articles, only its digest and update time are read again
    (``reading.load``): six queries."""
    article = make_annotated_article(3, 2, make_entity(tags=["x"]))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    from_article = [query for query in queries if 'FROM "articleapp_article"' in query["sql"]]
    from_article = [query for query in from_article if "articleentity" not in query["sql"]]
    assert len(from_article) == 2 and len(queries) == 6
    assert '"articleapp_article"."title"' in from_article[0]["sql"]
    assert '"articleapp_article"."title"' not in from_article[1]["sql"]


@pytest.mark.django_db
def test_entity_page_queries_do_not_grow(client):
    """An entity page with 10 mentions in one article and with 100 in 25 articles takes the
    same six queries, on its first page and its second."""
    few, many = make_entity(aliases=["F"], tags=["t"]), make_entity(aliases=["M"], tags=["t"])
    make_annotated_article(10, 2, few)
    make_annotated_article(20, 2, many)
    for _ in range(24):
        make_annotated_article(2, 4, many)
    assert count_queries(client, few.get_absolute_url()) == 6
    assert count_queries(client, many.get_absolute_url()) == 6
    assert count_queries(client, f"{many.get_absolute_url()}?page=2") == 6


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", ["csv", "json"])
def test_export_queries_do_not_grow(client, export_format):
    """Exporting 6 and 60 annotations takes the same number of queries."""
    client.force_login(make_user(permissions=["articleapp.export_annotations"]))
    small = make_annotated_article(3, 2)
    large = make_annotated_article(30, 2)
    url = reverse("articleapp:export-annotations", kwargs={"export_format": export_format})
    assert count_queries(client, f"{url}?article={small.slug}") == count_queries(
        client, f"{url}?article={large.slug}"
    )
