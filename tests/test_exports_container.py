"""The annotation container beyond the protocol's rules (``tests/conformance``): what it shows
and hides, how it reads its parameters, what it costs."""

import json

import pytest

from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_user

LD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def container(article):
    return f"/articles/{article.slug}/annotations/"


@pytest.fixture
def article(db):
    article = make_article(paragraphs=["Mistral und Nvidia bauen ein Rechenzentrum in Paris."])
    paragraph = article.paragraphs.get()
    annotate_quote(paragraph, "Mistral", author=make_user(username="geheim"), tags=["KI"])
    annotate_quote(paragraph, "Nvidia")
    annotate_quote(paragraph, "Paris", status=Annotation.Status.DRAFT)
    return article


@pytest.mark.django_db
def test_container_lists_published_annotations_with_protocol_headers(client, article):
    """GET returns the collection with its first page embedded and the LDP headers."""
    response = client.get(container(article), HTTP_ACCEPT=LD)
    assert response.status_code == 200
    assert response["Content-Type"] == LD
    assert '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"' in response["Link"]
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert {"Accept", "Prefer"} <= set(response["Vary"].split(", "))
    assert response["ETag"].startswith('"')
    data = json.loads(response.content)
    assert data["type"] == ["BasicContainer", "AnnotationCollection"]
    assert data["total"] == 2
    items = data["first"]["items"]
    assert [item["target"]["selector"]["refinedBy"][0]["exact"] for item in items] == [
        "Mistral",
        "Nvidia",
    ]
    assert all(item["id"].startswith("http://testserver/articles/") for item in items)


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["testserver:99999", "TESTSERVER", "testserver."])
def test_iris_are_the_same_whatever_host_a_client_asks_with(client, article, settings, host):
    """An annotation's IRI is on the public site's one origin: a port or a spelling of the
    host a client chose appears neither in the ids nor in ``Content-Location``."""
    settings.ALLOWED_HOSTS = ["testserver", "testserver."]
    response = client.get(container(article) + "?iris=1", HTTP_ACCEPT=LD, HTTP_HOST=host)
    assert response.status_code == 200
    data = json.loads(response.content)
    iris = [data["id"], response["Content-Location"], *data["first"]["items"]]
    assert all(iri.startswith("http://testserver/articles/") for iri in iris), iris


@pytest.mark.django_db
def test_container_never_names_editors(client, article):
    """The public container shows the publication as creator, not the editor's user name."""
    content = client.get(container(article), HTTP_ACCEPT=LD).content.decode()
    assert "geheim" not in content


@pytest.mark.django_db
def test_pages_link_to_each_other(client, article, monkeypatch):
    """?page=N returns AnnotationPages linked by next and prev; a page too far is 404, a
    malformed one 400."""
    from articleapp.exports import container as container_module

    monkeypatch.setattr(container_module, "CONTAINER_PAGE_SIZE", 1)
    first = json.loads(client.get(container(article) + "?page=0", HTTP_ACCEPT=LD).content)
    second = json.loads(client.get(first["next"], HTTP_ACCEPT=LD).content)
    assert first["type"] == second["type"] == "AnnotationPage"
    assert second["prev"] == first["id"] and "next" not in second
    assert second["startIndex"] == 1
    assert client.get(container(article) + "?page=2", HTTP_ACCEPT=LD).status_code == 404
    assert client.get(container(article) + "?page=x", HTTP_ACCEPT=LD).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page=%C2%B2", 400),
        ("page=-1", 400),
        ("page=" + "9" * 30, 400),
        ("page=1%00", 400),
        ("page=", 200),
        ("page=1", 404),
        ("iris=%C2%B2", 400),
        ("iris=2", 400),
        ("iris=0", 200),
    ],
)
def test_container_parameters_are_read_strictly(client, article, query, status):
    """ "²".isdigit() is true but int("²") fails: a malformed page or iris is a 400 (it was a
    500); a page past the end is a 404."""
    response = client.get(f"{container(article)}?{query}", HTTP_ACCEPT=LD)
    assert response.status_code == status


@pytest.mark.django_db
def test_annotation_id_resolves_to_the_annotation(client, article):
    """Each annotation id returns that annotation; an HTML request goes to its permalink."""
    items = json.loads(client.get(container(article), HTTP_ACCEPT=LD).content)["first"]["items"]
    response = client.get(items[0]["id"], HTTP_ACCEPT=LD)
    assert response.status_code == 200
    assert json.loads(response.content) == items[0]
    assert '<http://www.w3.org/ns/oa#Annotation>; rel="type"' in response["Link"]
    assert "Accept" in response["Vary"].split(", ")
    assert (
        client.get(items[0]["id"], HTTP_ACCEPT=LD, HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )
    browser = client.get(items[0]["id"], HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    pk = items[0]["id"].rsplit("/", 1)[1]
    assert browser.status_code == 303
    assert browser["Location"] == f"/articles/{article.slug}/#a-{pk}"


@pytest.mark.django_db
def test_drafts_and_other_articles_are_not_served(client, article):
    """A draft, or an annotation under another article's container, is a 404."""
    draft = Annotation.objects.drafts().get()
    assert client.get(f"{container(article)}{draft.pk}", HTTP_ACCEPT=LD).status_code == 404
    other = make_article()
    published = Annotation.objects.published().first()
    assert client.get(f"{container(other)}{published.pk}", HTTP_ACCEPT=LD).status_code == 404
    assert client.get("/articles/nope/annotations/", HTTP_ACCEPT=LD).status_code == 404


@pytest.mark.django_db
def test_container_for_browsers_and_unacceptable_types(client, article):
    """HTML goes to the reading page; a type we cannot give is 406."""
    browser = client.get(container(article), HTTP_ACCEPT="text/html")
    assert (browser.status_code, browser["Location"]) == (303, f"/articles/{article.slug}/")
    assert client.get(container(article), HTTP_ACCEPT="image/png").status_code == 406
    assert client.get(container(article)).status_code == 200


@pytest.mark.django_db
def test_container_query_count_does_not_grow(client, article, django_assert_num_queries):
    """The container costs the same queries for 3 and for 30 annotations."""
    with django_assert_num_queries(4):
        client.get(container(article), HTTP_ACCEPT=LD)
    paragraph = article.paragraphs.get()
    for _ in range(27):
        annotate_quote(paragraph, "Rechenzentrum")
    with django_assert_num_queries(4):
        client.get(container(article), HTTP_ACCEPT=LD)
