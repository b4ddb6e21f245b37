"""Web Annotation Protocol, sections 4 (Annotation Containers) and 4.1 (Container Retrieval)."""

import json
from urllib.parse import urlsplit

import pytest

from articleapp.exports import w3c
from articleapp.models import Annotation
from tests.support.protocol import (
    BROWSER,
    DESCRIPTIONS,
    IRIS,
    LD,
    LDP,
    MINIMAL,
    UNSAFE,
    links,
    prefer,
)

pytestmark = pytest.mark.django_db


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
