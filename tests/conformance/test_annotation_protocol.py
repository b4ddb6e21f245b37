"""The W3C Web Annotation Protocol (Recommendation of 23 February 2017), read side, held against
the annotation container and its annotations.

Every MUST and SHOULD of section 3 (Annotation Retrieval), 4 and 4.1 (Annotation Containers,
Container Retrieval), 4.2 (Container Representations, with 4.2.1-4.2.4 on preferences) and 4.3
(Annotation Pages) that applies to a read-only container is quoted verbatim (markup removed)
as the message of the assertion that checks it. Rules about creating, updating or deleting
annotations (section 5) do not apply: those methods are refused with 405, the status section 6
names, and the clients here enforce CSRF as a browser's would. Two SHOULDs are not followed,
deliberately, and their tests say so: Turtle (the JSON-LD is the one serialisation) and
``Accept-Post`` (nothing may be posted).

The article has five published annotations, a draft and an orphan; pages hold two, so the
container has three pages.
"""

import json
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings

from articleapp.exports import container as container_module
from articleapp.exports import w3c
from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity, make_user

LD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
LDP = "http://www.w3.org/ns/ldp#"
MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
UNSAFE = ["POST", "PUT", "PATCH", "DELETE"]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

pytestmark = pytest.mark.django_db


def prefer(*iris):
    """A Prefer header as the protocol writes it: one include of space-separated IRIs."""
    return f'return=representation;include="{" ".join(iris)}"'


@pytest.fixture(autouse=True)
def two_a_page(monkeypatch):
    monkeypatch.setattr(container_module, "CONTAINER_PAGE_SIZE", 2)


@pytest.fixture
def article(db):
    text = "Mistral, Nvidia, SAP und Aleph Alpha bauen mit Siemens in Paris ein Rechenzentrum."
    article = make_article(paragraphs=[text])
    paragraph = article.paragraphs.get()
    editor = make_user(username="redakteurin")
    for name in ("Mistral", "Nvidia", "SAP", "Aleph Alpha", "Siemens"):
        annotate_quote(paragraph, name, entity=make_entity(name=name), author=editor)
    annotate_quote(paragraph, "Paris", status=Annotation.Status.DRAFT)
    orphan = annotate_quote(paragraph, "Rechenzentrum")
    Annotation.objects.filter(pk=orphan.pk).update(anchor_status=Annotation.AnchorStatus.ORPHANED)
    return article


@pytest.fixture
def client():
    """A client that enforces CSRF, as a browser's requests meet it."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def container_url(article):
    return f"http://testserver/articles/{article.slug}/annotations/"


@pytest.fixture
def annotation_url(client, container_url):
    return get(client, container_url)["first"]["items"][0]["id"]


def get(client, url, **headers):
    response = client.get(url, HTTP_ACCEPT=LD, **headers)
    assert response.status_code == 200, url
    return json.loads(response.content)


def links(response):
    """The ``Link`` header as a set of (target, rel) pairs."""
    found = set()
    for link in response["Link"].split(","):
        target, _, rel = link.strip().partition(";")
        found.add((target.strip("<> "), rel.strip().removeprefix("rel=").strip('"')))
    return found


def published_ids(article):
    annotations = Annotation.objects.published().filter(paragraph__article=article)
    return [
        f"http://testserver/articles/{article.slug}/annotations/{pk}"
        for pk in annotations.for_export().values_list("pk", flat=True)
    ]


# 3. Annotation Retrieval ------------------------------------------------------------------------


def test_annotation_answers_get_head_and_options(client, annotation_url):
    """3: GET, HEAD and OPTIONS on an annotation's IRI."""
    rule = (
        "The Annotation Server MUST support the following HTTP methods on the Annotation's IRI: "
        "GET (retrieve the description of the Annotation), HEAD (retrieve the headers of the "
        "Annotation without an entity-body), OPTIONS (enable CORS pre-flight requests [CORS])."
    )
    got = client.get(annotation_url, HTTP_ACCEPT=LD)
    assert got.status_code == 200 and json.loads(got.content)["id"] == annotation_url, rule
    head = client.head(annotation_url, HTTP_ACCEPT=LD)
    assert head.status_code == 200 and head.content == b"", rule
    assert head["ETag"] == got["ETag"] and head["Content-Type"] == got["Content-Type"], rule
    preflight = client.options(
        annotation_url,
        HTTP_ORIGIN="https://annotator.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept, if-none-match",
    )
    assert preflight.status_code == 204, rule
    assert preflight["Access-Control-Allow-Origin"] == "*", rule
    assert "GET" in preflight["Access-Control-Allow-Methods"].split(", "), rule
    allowed = preflight["Access-Control-Allow-Headers"].lower().split(", ")
    assert {"accept", "if-none-match"} <= set(allowed), rule
    # What a script on another site may then read of the answer itself.
    assert got["Access-Control-Allow-Origin"] == "*", rule
    exposed = got["Access-Control-Expose-Headers"].split(", ")
    assert {"ETag", "Link", "Allow"} <= set(exposed), rule


@pytest.mark.parametrize("kind", ["annotation", "container"])
def test_https_for_every_interaction(article, kind, annotation_url, container_url):
    """3 and 4: with production's settings, plain HTTP is redirected to HTTPS, and over HTTPS
    every IRI the container gives is an https one."""
    rule = (
        "Servers SHOULD use HTTPS rather than HTTP for all interactions, including retrieval "
        "of Annotations."
        if kind == "annotation"
        else "Implementations SHOULD use HTTPS rather than HTTP for all interactions with "
        "Annotation Containers."
    )
    url = annotation_url if kind == "annotation" else container_url
    with override_settings(SECURE_SSL_REDIRECT=True):
        plain = Client(enforce_csrf_checks=True)
        response = plain.get(url, HTTP_ACCEPT=LD)
        assert response.status_code == 301, rule
        assert response["Location"] == url.replace("http://", "https://", 1), rule
        secure = plain.get(url.replace("http://", "https://", 1), HTTP_ACCEPT=LD, secure=True)
        data = json.loads(secure.content)
    iris = [data["id"]]
    if kind == "container":
        iris += [data["last"], data["first"]["id"], data["first"]["next"]]
        iris += [item["id"] for item in data["first"]["items"]]
    assert all(iri.startswith("https://testserver/") for iri in iris), rule


def test_annotation_is_json_ld_with_the_profile(client, annotation_url):
    """3: the JSON-LD representation with the Web Annotation profile."""
    rule = (
        "Servers MUST support the JSON-LD representation using the Web Annotation profile. "
        "These responses MUST have a Content-Type header with the application/ld+json media "
        "type, and it SHOULD have the Web Annotation profile IRI of "
        "http://www.w3.org/ns/anno.jsonld in the profile parameter."
    )
    for accept in (LD, "application/ld+json", "application/json", "*/*"):
        response = client.get(annotation_url, HTTP_ACCEPT=accept)
        assert response["Content-Type"] == LD, rule
        assert json.loads(response.content)["@context"] == w3c.CONTEXT, rule


@pytest.mark.parametrize("kind", ["annotation", "container"])
def test_turtle_is_deliberately_not_offered(client, kind, annotation_url, container_url):
    """3 and 4.1: a SHOULD not followed. The JSON-LD is the one serialisation (any JSON-LD
    processor turns it into Turtle, docs/export-formats.md); Turtle is a 406 naming it."""
    rule = (
        "Servers SHOULD support a Turtle representation, and MAY support other formats."
        if kind == "annotation"
        else "That description MUST be available in JSON-LD, SHOULD be available in Turtle, "
        "and MAY be available in other formats."
    )
    url = annotation_url if kind == "annotation" else container_url
    response = client.get(url, HTTP_ACCEPT="text/turtle")
    assert response.status_code == 406, rule
    assert "application/ld+json" in response.content.decode(), rule


def test_annotation_content_negotiation(client, annotation_url):
    """3: JSON-LD for JSON clients, the note on the reading page for browsers."""
    rule = (
        "If more than one representation of the Annotation is available, then the server "
        "SHOULD support content negotiation."
    )
    assert client.get(annotation_url, HTTP_ACCEPT=LD)["Content-Type"] == LD, rule
    browser = client.get(annotation_url, HTTP_ACCEPT=BROWSER)
    pk = annotation_url.rsplit("/", 1)[1]
    assert browser.status_code == 303 and browser["Location"].endswith(f"/#a-{pk}"), rule


def test_annotation_status_200(client, annotation_url):
    """3: 200 for a retrieved annotation."""
    rule = (
        "Servers SHOULD use the 200 HTTP status code when no errors occurred while processing "
        "the request to retrieve an Annotation, and MAY use 3XX HTTP status codes to redirect "
        "to a new location."
    )
    assert client.get(annotation_url, HTTP_ACCEPT=LD).status_code == 200, rule


def test_annotation_link_types_on_every_answer(client, annotation_url):
    """3: ldp:Resource (and oa:Annotation) as Link types, on answers and refusals alike."""
    rule = (
        "The response from the Annotation Server MUST have a Link header entry where the "
        "target IRI is http://www.w3.org/ns/ldp#Resource and the rel parameter value is type. "
        "The Annotation type of http://www.w3.org/ns/oa#Annotation MAY also be added with the "
        "same rel type."
    )
    responses = [
        client.get(annotation_url, HTTP_ACCEPT=LD),
        client.head(annotation_url, HTTP_ACCEPT=LD),
        client.options(annotation_url),
        client.get(annotation_url, HTTP_ACCEPT=BROWSER),
        client.get(annotation_url, HTTP_ACCEPT="text/turtle"),
        *(client.generic(method, annotation_url) for method in UNSAFE),
    ]
    for response in responses:
        assert (f"{LDP}Resource", "type") in links(response), (response.status_code, rule)
        assert ("http://www.w3.org/ns/oa#Annotation", "type") in links(response), rule


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_annotation_etag(client, annotation_url, method):
    """3: an entity tag that works as HTTP's: the same tag gives 304, another a 200."""
    rule = (
        "For HEAD and GET requests, the response MUST have an ETag header with an entity "
        "reference value that implements the notion of entity tags from HTTP [RFC7232]."
    )
    response = client.generic(method, annotation_url, HTTP_ACCEPT=LD)
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 2, rule
    again = client.generic(method, annotation_url, HTTP_ACCEPT=LD, HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again["ETag"]) == (304, etag), rule
    other = client.generic(method, annotation_url, HTTP_ACCEPT=LD, HTTP_IF_NONE_MATCH='"x"')
    assert other.status_code == 200, rule


def test_annotation_allow_header(client, annotation_url):
    """3: Allow lists the methods an annotation answers, on every answer and refusal."""
    rule = (
        "The response MUST have an Allow header that lists the HTTP methods available for "
        "interacting with the Annotation [RFC7231]."
    )
    for method in ["GET", "HEAD", "OPTIONS", *UNSAFE]:
        response = client.generic(method, annotation_url, HTTP_ACCEPT=LD)
        assert response["Allow"] == "GET, HEAD, OPTIONS", (method, rule)
        if method in UNSAFE:
            assert response.status_code == 405, (method, rule)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_annotation_vary_accept(client, annotation_url, method):
    """3: answers that depend on Accept say so."""
    rule = (
        "For HEAD and GET requests, if the server supports content negotiation by format or "
        "JSON-LD profile, the response MUST have a Vary header with Accept in the value "
        "[RFC7231]."
    )
    response = client.generic(method, annotation_url, HTTP_ACCEPT=LD)
    assert "Accept" in response["Vary"].split(", "), rule


# 4. Annotation Containers, 4.1 Container Retrieval ------------------------------------------


def test_container_is_a_basic_container(client, container_url):
    """4: an LDP Basic Container, in its Link types and its own types."""
    rule = (
        "Annotation Containers SHOULD implement the LDP Basic Container specification, but MAY "
        "instead implement another type of Container, such as a Direct or Indirect Container, "
        "to fulfill business needs."
    )
    response = client.get(container_url, HTTP_ACCEPT=LD)
    assert (f"{LDP}BasicContainer", "type") in links(response), rule
    assert "BasicContainer" in json.loads(response.content)["type"], rule


def test_container_iri(container_url):
    """4: no query or fragment, a path ending in a slash."""
    rule = (
        "The URI of an Annotation Container MUST NOT have a query or fragment component, and "
        'the path component MUST end in a "/" character.'
    )
    parts = urlsplit(container_url)
    assert (parts.query, parts.fragment) == ("", ""), rule
    assert parts.path.endswith("/"), rule


def test_container_answers_get_head_and_options(client, container_url):
    """4.1: GET, HEAD and OPTIONS on the container's IRI."""
    rule = (
        "The Annotation Server MUST support the following HTTP methods on the Annotation "
        "Container's IRI: GET (retrieve the description of the Container and the list of its "
        "contents, described below), HEAD (retrieve the headers of the Container without an "
        "entity-body), OPTIONS (enable CORS pre-flight requests [CORS])."
    )
    got = client.get(container_url, HTTP_ACCEPT=LD)
    assert got.status_code == 200 and json.loads(got.content)["first"]["items"], rule
    head = client.head(container_url, HTTP_ACCEPT=LD)
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == got["ETag"], rule
    preflight = client.options(
        container_url,
        HTTP_ORIGIN="https://annotator.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="prefer",
    )
    assert preflight.status_code == 204, rule
    assert preflight["Access-Control-Allow-Origin"] == "*", rule
    assert "prefer" in preflight["Access-Control-Allow-Headers"].lower().split(", "), rule
    assert "Preference-Applied" in got["Access-Control-Expose-Headers"].split(", "), rule


def test_container_description_in_json_ld_with_both_contexts(client, container_url):
    """4.1: the description in JSON-LD, with the LDP and the Web Annotation contexts."""
    rule = (
        "When an HTTP GET request is issued against the Annotation Container, the server MUST "
        "return a description of the container. That description MUST be available in JSON-LD"
    )
    response = client.get(container_url, HTTP_ACCEPT=LD)
    assert response["Content-Type"] == LD, rule
    data = json.loads(response.content)
    rule = (
        "The JSON-LD serialization of the Container's description SHOULD use both the LDP "
        "context (http://www.w3c.org/ns/ldp.jsonld), and the Web Annotation's profile and "
        "context [annotation-model], unless the request would determine otherwise."
    )
    # The context's IRI as the Recommendation's own examples write it (w3.org, not w3c.org).
    assert data["@context"] == [w3c.CONTEXT, "http://www.w3.org/ns/ldp.jsonld"], rule


def test_container_status_200(client, container_url):
    """4.1: 200 when nothing calls for a redirect."""
    rule = (
        "Servers SHOULD use the 200 HTTP status code if the request is successfully completed "
        "without errors and does not require redirection based on the client's preferences."
    )
    for preference in (None, prefer(IRIS), prefer(MINIMAL), prefer(DESCRIPTIONS)):
        headers = {"HTTP_PREFER": preference} if preference else {}
        assert client.get(container_url, HTTP_ACCEPT=LD, **headers).status_code == 200, rule


def test_container_allow_header(client, container_url):
    """4.1: Allow on GET, HEAD and OPTIONS (and on the 405s)."""
    rule = (
        "All supported methods for interacting with the Annotation Container SHOULD be "
        "advertised in the Allow header of the GET, HEAD and OPTIONS responses from the "
        "container's IRI . The Allow header MAY also be included on any other responses."
    )
    for method in ["GET", "HEAD", "OPTIONS", *UNSAFE]:
        response = client.generic(method, container_url, HTTP_ACCEPT=LD)
        assert response["Allow"] == "GET, HEAD, OPTIONS", (method, rule)


def test_container_link_header_on_all_responses(client, container_url, article):
    """4.1: both Link components on every answer: 200, 304, HEAD, OPTIONS, the browser's 303,
    406, 400, 412 and the 405s of POST, PUT, PATCH and DELETE without a CSRF token."""
    rule = (
        "Annotation Containers MUST return a Link header [RFC5988] on all responses with the "
        "following components: It MUST advertise its type by including a link where the rel "
        "parameter value is type and the target IRI is the appropriate Container Type, such as "
        "http://www.w3.org/ns/ldp#BasicContainer for Basic Containers. It MUST advertise that "
        "it imposes Annotation protocol specific constraints by including a link where the "
        "target IRI is http://www.w3.org/TR/annotation-protocol/, and the rel parameter value "
        "is the IRI http://www.w3.org/ns/ldp#constrainedBy."
    )
    etag = client.get(container_url, HTTP_ACCEPT=LD)["ETag"]
    responses = {
        200: client.get(container_url, HTTP_ACCEPT=LD),
        304: client.get(container_url, HTTP_ACCEPT=LD, HTTP_IF_NONE_MATCH=etag),
        204: client.options(container_url),
        303: client.get(container_url, HTTP_ACCEPT=BROWSER),
        406: client.get(container_url, HTTP_ACCEPT="image/png"),
        400: client.get(container_url + "?iris=2", HTTP_ACCEPT=LD),
        412: client.get(container_url, HTTP_ACCEPT=LD, HTTP_IF_MATCH='"other"'),
    }
    responses["HEAD"] = client.head(container_url, HTTP_ACCEPT=LD)
    for method in UNSAFE:
        body = json.dumps({"type": "Annotation", "target": container_url})
        responses[method] = client.generic(method, container_url, body, LD)
        assert responses[method].status_code == 405, (method, rule)
    for key, response in responses.items():
        if isinstance(key, int):
            assert response.status_code == key, (key, rule)
        assert (f"{LDP}BasicContainer", "type") in links(response), (key, rule)
        constraint = ("http://www.w3.org/TR/annotation-protocol/", f"{LDP}constrainedBy")
        assert constraint in links(response), (key, rule)
    assert Annotation.objects.filter(paragraph__article=article).count() == 7


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_container_etag(client, container_url, method, article):
    """4.1: an entity tag that works as HTTP's, and moves when the contents do."""
    rule = (
        "For HEAD and GET requests, responses from Annotation Containers MUST include an ETag "
        "header that implements the notion of entity tags from HTTP [RFC7232]."
    )
    etag = client.generic(method, container_url, HTTP_ACCEPT=LD)["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 2, rule
    again = client.generic(method, container_url, HTTP_ACCEPT=LD, HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again["ETag"]) == (304, etag), rule
    draft = Annotation.objects.drafts().get()
    draft.status = Annotation.Status.PUBLISHED
    draft.save()
    changed = client.generic(method, container_url, HTTP_ACCEPT=LD, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag, rule


def test_container_without_accept_is_json_ld(client, container_url):
    """4.1: no Accept header, JSON-LD."""
    rule = (
        "If the Accept header is absent from a GET request, then Annotation Servers MUST "
        "respond with a JSON-LD representation of the Annotation Container"
    )
    response = client.get(container_url)
    assert response.status_code == 200 and response["Content-Type"] == LD, rule
    assert "AnnotationCollection" in json.loads(response.content)["type"], rule


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_container_vary_accept(client, container_url, method):
    """4.1: answers that depend on Accept (and Prefer) say so; pages depend on Accept only."""
    rule = (
        "If the server supports content negotiation by format or JSON-LD profile, the response "
        "to a HEAD or GET request from the Annotation Container MUST have a Vary header that "
        "includes Accept in the value"
    )
    response = client.generic(method, container_url, HTTP_ACCEPT=LD)
    assert {"Accept", "Prefer"} <= set(response["Vary"].split(", ")), rule
    page = client.generic(method, container_url + "?page=1", HTTP_ACCEPT=LD)
    assert "Accept" in page["Vary"].split(", "), rule


def test_no_accept_post_for_a_container_nothing_is_posted_to(client, container_url):
    """4.1: the rule is for containers that take POST; this one refuses it."""
    rule = (
        "Responses from Annotation Containers that support the use of the POST method to "
        "create Annotations SHOULD include an Accept-Post header on responses to GET, HEAD and "
        "OPTIONS requests."
    )
    for method in ("GET", "HEAD", "OPTIONS"):
        assert "Accept-Post" not in client.generic(method, container_url, HTTP_ACCEPT=LD), rule
    assert client.post(container_url, "{}", LD).status_code == 405, rule


# 4.2 Container Representations ----------------------------------------------------------------


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


def items_of_all_pages(client, container_url, **headers):
    """Follow ``first`` and every ``next``: the container's items in order."""
    data = get(client, container_url, **headers)
    page = data["first"] if isinstance(data["first"], dict) else get(client, data["first"])
    items = list(page["items"])
    while "next" in page:
        page = get(client, page["next"])
        items += page["items"]
    return items


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
