"""The staff exports: the export page and the plain URL of each format."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from articleapp.exports import w3c
from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity, make_user
from tests.support.pages import content

LD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


@pytest.fixture
def article(db):
    article = make_article(paragraphs=["Mistral und Nvidia bauen ein Rechenzentrum in Paris."])
    paragraph = article.paragraphs.get()
    annotate_quote(paragraph, "Mistral", author=make_user(username="geheim"), tags=["KI"])
    annotate_quote(paragraph, "Nvidia")
    annotate_quote(paragraph, "Paris", status=Annotation.Status.DRAFT)
    return article


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


@pytest.mark.django_db
def test_conll_document_line_is_a_choice_of_the_conll_export(exporter, article):
    """docstart=conll2003 on the CoNLL URL writes the four-column line; the page carries the
    choice into that URL; with another format, or an unknown value, it is a 400 naming it."""
    annotate_quote(article.paragraphs.get(), "Paris", entity=make_entity(name="Paris"))
    body = content(exporter.get("/export/annotations.conll?docstart=conll2003")).decode()
    assert body.startswith("-DOCSTART- -X- O O\n\n")
    assert content(exporter.get("/export/annotations.conll")).startswith(b"-DOCSTART- O\n\n")
    chosen = exporter.get("/export/", {"format": "conll", "docstart": "conll2003"})
    assert chosen["Location"] == "/export/annotations.conll?docstart=conll2003"
    for url in (
        "/export/annotations.json?docstart=conll2003",
        "/export/annotations.conll?docstart=conll2000",
        "/export/?format=csv&docstart=conll2003",
    ):
        response = exporter.get(url)
        assert response.status_code == 400, url
        assert "docstart" in response.context["form"].errors, url
