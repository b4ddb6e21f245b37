import json
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from articleapp.exports import w3c
from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_user
from tests.support.pages import content

LD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
PREFER = 'return=representation; include="{}"'


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
def test_container_never_names_editors(client, article):
    """The public container shows the publication as creator, not the editor's user name."""
    content = client.get(container(article), HTTP_ACCEPT=LD).content.decode()
    assert "geheim" not in content


@pytest.mark.django_db
def test_prefer_contained_iris_and_minimal_container(client, article):
    """Prefer chooses IRIs, descriptions or a minimal container, and says it applied."""
    iris = client.get(container(article), HTTP_ACCEPT=LD, HTTP_PREFER=PREFER.format(w3c_iris()))
    data = json.loads(iris.content)
    assert iris["Preference-Applied"] == "return=representation"
    assert data["id"].endswith("?iris=1")
    # Protocol §4.2: the response to a preference names the preference-specific resource.
    assert iris["Content-Location"] == data["id"]
    assert all(isinstance(item, str) for item in data["first"]["items"])
    follow = json.loads(client.get(iris["Content-Location"], HTTP_ACCEPT=LD).content)
    assert follow["id"] == data["id"] and follow["first"]["items"] == data["first"]["items"]
    minimal = client.get(
        container(article),
        HTTP_ACCEPT=LD,
        HTTP_PREFER=PREFER.format("http://www.w3.org/ns/ldp#PreferMinimalContainer"),
    )
    assert json.loads(minimal.content)["first"].endswith("?page=0")
    assert minimal["Content-Location"] == json.loads(minimal.content)["id"]
    plain = client.get(container(article), HTTP_ACCEPT=LD)
    assert plain["Content-Location"] == json.loads(plain.content)["id"]


def w3c_iris():
    return "http://www.w3.org/ns/oa#PreferContainedIRIs"


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
def test_etag_gives_304(client, article):
    """A matching If-None-Match is answered with 304 and the same ETag."""
    etag = client.get(container(article), HTTP_ACCEPT=LD)["ETag"]
    response = client.get(container(article), HTTP_ACCEPT=LD, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    annotate_quote(article.paragraphs.get(), "Rechenzentrum")
    changed = client.get(container(article), HTTP_ACCEPT=LD, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_writes_are_not_allowed(article, method):
    """The container and annotations are read-only: 405 with Allow, as the Web Annotation
    Protocol says, for a client without a CSRF token too (it was a 403 from CSRF)."""
    client = Client(enforce_csrf_checks=True)
    annotation = Annotation.objects.published().first()
    body = json.dumps({"type": "Annotation", "body": "hallo"})
    for url in (container(article), f"{container(article)}{annotation.pk}"):
        response = getattr(client, method)(url, body, content_type=LD)
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert Annotation.objects.count() == 3


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
def test_options_describes_the_container(client, article):
    """OPTIONS answers with Allow and the LDP type, no body."""
    response = client.options(container(article))
    assert response.status_code == 204
    assert "BasicContainer" in response["Link"]


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


@pytest.mark.django_db
def test_export_page_redirects_to_the_plain_url(exporter, article):
    """The form maps its choices to /export/annotations.<format>?… ."""
    page = exporter.get("/export/")
    assert page.status_code == 200
    assert b"/export/annotations.w3c" in page.content
    response = exporter.get(
        "/export/",
        {"article": article.slug, "status": "published", "kind": "person", "format": "conll"},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"/export/annotations.conll?article={article.slug}&status=published&kind=person"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "shown"),
    [
        ({"format": "xlsx"}, "format", "xlsx"),
        ({"format": "csv", "status": "geheim"}, "status", "geheim"),
        ({"format": "csv", "article": "keiner"}, "article", "keiner"),
        ({"format": "csv", "kind": "planet"}, "kind", "planet"),
        ({"format": "csv", "tag": "\u00fcberall"}, "tag", "\u00fcberall"),
        ({"status": "published"}, "format", ""),
    ],
)
def test_export_page_shows_errors_as_a_400(exporter, article, query, field, shown):
    """A bad choice is the form again with its error and status 400, never a 500."""
    response = exporter.get("/export/", query)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert 'class="errornote"' in html and shown in html


@pytest.mark.django_db
def test_export_page_presets_published_and_csv(exporter, article):
    """Opened without parameters, the page selects status published and the CSV format."""
    response = exporter.get("/export/")
    form = response.context["form"]
    assert (form["status"].value(), form["format"].value()) == ("published", "csv")
    html = response.content.decode()
    assert '<option value="published" selected>' in html
    assert re.search(r'<input type="radio" name="format" value="csv"[^>]* checked>', html)
    submitted = exporter.get("/export/", {"status": "published", "format": "csv"})
    assert submitted["Location"] == "/export/annotations.csv?status=published"


@pytest.mark.django_db
def test_export_page_is_an_admin_page(exporter, article):
    """The page wears the admin's header, breadcrumbs and form styles, not the public site's."""
    html = exporter.get("/export/").content.decode()
    assert '<header id="header">' in html and 'class="breadcrumbs"' in html
    assert "admin/css/forms.css" in html and 'class="module aligned"' in html
    assert "articleapp/css/site.css" not in html
    assert 'class="submit-row"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("group", "status"), [("Exporters", 200), ("Editors", 403), (None, 403)])
@pytest.mark.parametrize("url", ["/export/", "/export/annotations.csv-excel"])
def test_only_exporters_open_the_export_page(article, group, status, url):
    """Staff of the group Exporters may export; Editors and staff without a group get 403."""
    user = make_user(is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    assert client.get(url).status_code == status


@pytest.mark.django_db
def test_the_admin_links_to_the_export_page_for_exporters_only(article):
    """The admin's user links lead exporters to the export page; editors do not see it."""
    for group, shown in (("Exporters", True), ("Editors", False)):
        user = make_user(is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        client = Client()
        client.force_login(user)
        assert ('href="/export/"' in client.get("/admin/").content.decode()) is shown


@pytest.mark.django_db
def test_bad_filter_on_export_url_is_400(exporter, article):
    """An unknown kind or tag on an export URL is a 400 naming it."""
    response = exporter.get("/export/annotations.json?kind=planet&tag=nope")
    assert response.status_code == 400
    content = response.content.decode()
    assert "planet" in content and "nope" in content


@pytest.mark.django_db
def test_w3c_export_url_has_the_profile_content_type(exporter, article):
    """The W3C export is served as JSON-LD with the anno.jsonld profile and resolvable ids."""
    response = exporter.get("/export/annotations.w3c")
    assert response["Content-Type"] == w3c.CONTENT_TYPE
    document = json.loads(content(response))
    first_id = document[1]["items"][0]["id"]
    assert exporter.get(first_id, HTTP_ACCEPT=LD).status_code == 200


@pytest.mark.django_db
def test_export_urls_answer_get_and_head_only(article):
    """The export page and every format answer HEAD; a POST is a 405 page, even for exporters
    and without a CSRF token."""
    from articleapp.exports import FORMATS

    exporter = Client(enforce_csrf_checks=True)
    exporter.force_login(make_user(permissions=["articleapp.export_annotations"]))
    for url in ["/export/", *(f"/export/annotations.{name}" for name in FORMATS)]:
        assert exporter.head(url).status_code == 200, url
        response = exporter.post(url)
        assert (response.status_code, response["Allow"]) == (405, "GET, HEAD"), url
