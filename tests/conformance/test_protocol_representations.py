"""Web Annotation Protocol, sections 4.2 (Container Representations, with the preferences of
4.2.1-4.2.4) and 4.3 (Annotation Pages)."""

import json
from datetime import datetime

import pytest

from articleapp.models import Annotation
from tests.support.factories import make_article
from tests.support.protocol import (
    DESCRIPTIONS,
    IRIS,
    LD,
    MINIMAL,
    UNSAFE,
    get,
    items_of_all_pages,
    prefer,
    published_ids,
)

pytestmark = pytest.mark.django_db


def test_collection_iri_types_and_label(client, container_url, article):
    """4.2: an IRI, the AnnotationCollection type (with the container's), a label."""
    rule = (
        "The Collection MUST have an IRI that identifies it, and MUST have at least the "
        "AnnotationCollection class (the name associated with OrderedCollection in the JSON-LD "
        "context) but MAY have other types as well, including the type of LDP Container used. "
        "It SHOULD have a human readable label, and MAY have other properties such as creator "
        "and created."
    )
    data = get(client, container_url)
    assert data["id"] == container_url, rule
    assert data["type"] == ["BasicContainer", "AnnotationCollection"], rule
    assert data["label"] == f"Annotations of „{article.title}“", rule


def test_collection_first_and_last(client, container_url):
    """4.2: the first page, embedded or linked; a link to the last page."""
    rule = (
        "If there are greater than zero Annotations in the Container, the representation MUST "
        "either include a link to the first page of Annotations as the value of the first "
        "property, or include the representation of the first page embedded within the "
        "response. If there is more than one page of Annotations, then the representation "
        "SHOULD have a link to the last page using the last property."
    )
    embedded = get(client, container_url)
    assert embedded["first"]["type"] == "AnnotationPage", rule
    assert embedded["last"] == f"{container_url}?page=2", rule
    linked = get(client, container_url, HTTP_PREFER=prefer(MINIMAL))
    assert linked["first"] == f"{container_url}?page=0", rule
    assert get(client, linked["last"])["startIndex"] == 4, rule


def test_collection_total_and_modified(client, container_url, article):
    """4.2: the number of published annotations, and the latest change among them."""
    rule = (
        "The representation of the Container SHOULD include the total property with the total "
        "number of annotations in the Container. The Container SHOULD include the modified "
        "property with the most recent timestamp of when any of the annotations in the "
        "Container."
    )
    data = get(client, container_url)
    assert data["total"] == 5, rule
    modified = [item["modified"] for item in items_of_all_pages(client, container_url)]
    assert data["modified"] == max(modified, key=datetime.fromisoformat), rule
    first = Annotation.objects.published().order_by("pk").first()
    first.comment = "Geändert"
    first.save()
    changed = get(client, container_url)["modified"]
    assert datetime.fromisoformat(changed) > datetime.fromisoformat(data["modified"]), rule


@pytest.mark.parametrize(("preference", "iri"), [(IRIS, "?iris=1"), (DESCRIPTIONS, ""), (None, "")])
def test_collection_iri_tells_iris_from_descriptions(client, container_url, preference, iri):
    """4.2: the id differs for IRIs and descriptions, and Content-Location names it; that IRI
    serves the same representation without the header."""
    rule = (
        "The IRI of the Container provided in the response SHOULD differentiate between "
        "whether the pages contain just the IRIs, or the full descriptions of the Annotations. "
        "It is RECOMMENDED that this be done with a query parameter. The server MAY redirect "
        "the client to this IRI and deliver the response there, otherwise it MUST include a "
        "Content-Location header with the IRI as its value."
    )
    headers = {"HTTP_PREFER": prefer(preference)} if preference else {}
    response = client.get(container_url, HTTP_ACCEPT=LD, **headers)
    data = json.loads(response.content)
    assert data["id"] == container_url + iri, rule
    assert response["Content-Location"] == data["id"], rule
    assert get(client, response["Content-Location"]) == data, rule


# 4.2.1-4.2.4 Container Representation Preferences ---------------------------------------------


def test_minimal_container(client, container_url):
    """4.2.1 and 4.2.2: no annotations embedded, links to the first and last pages."""
    rules = (
        "If the PreferMinimalContainer preference is given, then the server SHOULD NOT embed "
        "the Annotations or references to them, but SHOULD include a reference to the first "
        "and last Annotation Pages.",
        "If the client requests the minimal representation of an Annotation Container, the "
        "response MUST NOT include either the ldp:contains predicate nor embed the first page "
        "of Annotations within the response.",
    )
    response = client.get(container_url, HTTP_ACCEPT=LD, HTTP_PREFER=prefer(MINIMAL))
    data = json.loads(response.content)
    assert isinstance(data["first"], str) and isinstance(data["last"], str), rules
    assert "items" not in data and "contains" not in data, rules
    assert response["Preference-Applied"] == "return=representation", rules


@pytest.mark.parametrize(
    ("preferences", "iris"),
    [((MINIMAL, IRIS), True), ((MINIMAL, DESCRIPTIONS), False), ((MINIMAL,), False)],
)
def test_minimal_container_pages_follow_the_other_preference(
    client, container_url, preferences, iris
):
    """4.2.1 and 4.2.2: with several preferences in one include, the minimal container's pages
    hold IRIs or descriptions as the other one asks (descriptions by default)."""
    rules = (
        "The client MAY send multiple preferences as the value of the include parameter as "
        "defined by the Linked Data Platform [ldp].",
        "Whether the pages are of IRI references or complete descriptions is governed by the "
        "use of PreferContainedIRIs and PreferContainedDescriptions respectively.",
        "The linked pages SHOULD follow any PreferContainedDescriptions or PreferContainedIRIs "
        "preferences.",
    )
    data = get(client, container_url, HTTP_PREFER=prefer(*preferences))
    assert isinstance(data["first"], str), rules
    assert data["id"] == container_url + ("?iris=1" if iris else ""), rules
    for url in (data["first"], data["last"]):
        items = get(client, url)["items"]
        assert items and all(isinstance(item, str) is iris for item in items), rules


def test_default_is_contained_descriptions(client, container_url):
    """4.2.1: without a preference, full descriptions."""
    rule = (
        "If no preference is given by the client, the server SHOULD default to the "
        "PreferContainedDescriptions behavior."
    )
    items = get(client, container_url)["first"]["items"]
    assert items and all(item["type"] == "Annotation" for item in items), rule


def test_contained_iris(client, container_url, article):
    """4.2.3: the first page embedded, of IRIs only; its linked pages too."""
    rules = (
        "If the Server supports Container preferences, it MUST respond to PreferContainedIRIs "
        "with a response containing an AnnotationPage as the value of first with its items "
        "containing only the IRIs of the contained Annotations.",
        "The linked pages SHOULD follow the PreferContainedIRIs preference.",
    )
    data = get(client, container_url, HTTP_PREFER=prefer(IRIS))
    assert data["first"]["type"] == "AnnotationPage", rules
    assert all(isinstance(item, str) for item in data["first"]["items"]), rules
    items = items_of_all_pages(client, container_url, HTTP_PREFER=prefer(IRIS))
    assert items == published_ids(article), rules


def test_contained_descriptions(client, container_url, article):
    """4.2.4: the first page embedded, of complete annotations; its linked pages too."""
    rules = (
        "If the Server supports Container preferences, it MUST respond to "
        "PreferContainedDescriptions with a response containing an AnnotationPage as the value "
        "of first with its items containing complete, inline Annotations.",
        "The linked pages SHOULD follow the PreferContainedDescriptions preference.",
    )
    data = get(client, container_url, HTTP_PREFER=prefer(DESCRIPTIONS))
    assert data["first"]["type"] == "AnnotationPage", rules
    items = items_of_all_pages(client, container_url, HTTP_PREFER=prefer(DESCRIPTIONS))
    assert [item["id"] for item in items] == published_ids(article), rules
    for item in items:
        assert item["type"] == "Annotation" and item["target"]["selector"], rules
        assert item == get(client, item["id"]), rules


# 4.3 Annotation Pages ------------------------------------------------------------------------


def test_pages_reconstruct_the_ordered_contents(client, container_url, article):
    """4.2: traversing the pages gives every published annotation once, in order; drafts and
    orphans are not in the container."""
    rule = (
        "Each Collection Page contains an ordered list with a subset of the managed "
        "Annotations, such that if every page is traversed, a client can reconstruct the "
        "complete, ordered contents of the container/collection."
    )
    for iris in (False, True):
        headers = {"HTTP_PREFER": prefer(IRIS)} if iris else {}
        items = items_of_all_pages(client, container_url, **headers)
        ids = items if iris else [item["id"] for item in items]
        assert ids == published_ids(article) and len(ids) == 5, rule


@pytest.mark.parametrize("iris", [False, True])
def test_pages_are_linked_annotation_pages(client, container_url, iris):
    """4.3: each page's IRI and type, next on all but the last, prev on all but the first,
    startIndex from zero."""
    rules = (
        "The Annotation Page MUST have an IRI that identifies it, and MUST have at least the "
        "AnnotationPage class but MAY have other types as well.",
        "If the Page is not the last Page in the Collection, then it MUST have a reference to "
        "the Page which follows it using the next property.",
        "If the Page is not the first Page in the Collection, it SHOULD have a reference ot the "
        "previous Page using the prev property.",
        "Pages SHOULD give the position of the first Annotation in the items list relative to "
        "the order of the Collection using the zero-based startIndex property.",
    )
    suffix = "&iris=1" if iris else ""
    pages = [get(client, f"{container_url}?page={index}{suffix}") for index in range(3)]
    for index, page in enumerate(pages):
        assert page["id"] == f"{container_url}?page={index}{suffix}", rules
        assert page["type"] == "AnnotationPage", rules
        assert page["startIndex"] == 2 * index, rules
        assert page.get("next") == (pages[index + 1]["id"] if index < 2 else None), rules
        assert page.get("prev") == (pages[index - 1]["id"] if index else None), rules


def test_pages_are_part_of_the_collection(client, container_url):
    """4.3: partOf names the collection, with its total and modified."""
    rule = (
        "Each page MUST have a link to the Collection that it is part of, using the partOf "
        "property. The description of the Collection SHOULD include both the total and "
        "modified properties."
    )
    for suffix, collection in (("", container_url), ("&iris=1", f"{container_url}?iris=1")):
        page = get(client, f"{container_url}?page=1{suffix}")
        whole = get(client, collection)
        assert page["partOf"] == {
            "id": collection,
            "total": whole["total"],
            "modified": whole["modified"],
        }, rule
        assert whole["first"]["partOf"] == page["partOf"], rule


def test_pages_refuse_other_methods(client, container_url):
    """4.3 leaves other methods on a page open; section 6 gives 405 for a method the resource
    does not allow, as here, CSRF enforced."""
    rule = (
        "This specification does not require any particular functionality when a client makes "
        "requests other than GET, HEAD or OPTIONS to a page."
    )
    for method in UNSAFE:
        response = client.generic(method, f"{container_url}?page=0", "{}", LD)
        assert (response.status_code, response["Allow"]) == (405, "GET, HEAD, OPTIONS"), rule


def test_empty_container(client, article):
    """4.2: a container without published annotations has no pages to link to."""
    rule = (
        "If there are greater than zero Annotations in the Container, the representation MUST "
        "either include a link to the first page of Annotations as the value of the first "
        "property, or include the representation of the first page embedded within the "
        "response."
    )
    empty = make_article()
    data = get(client, f"http://testserver/articles/{empty.slug}/annotations/")
    assert data["total"] == 0 and "first" not in data and "modified" not in data, rule
