"""Web Annotation Protocol, section 3 (Annotation Retrieval), and the rules on HTTPS and
Turtle that sections 3 and 4.1 share."""

import json

import pytest
from django.test import Client, override_settings

from articleapp.exports import w3c
from tests.support.protocol import (
    BROWSER,
    LD,
    LDP,
    UNSAFE,
    links,
)

pytestmark = pytest.mark.django_db


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
    """3 and 4: with production's settings (HTTPS redirection, the public site on https),
    plain HTTP is redirected to HTTPS, and every IRI the container gives is an https one."""
    rule = (
        "Servers SHOULD use HTTPS rather than HTTP for all interactions, including retrieval "
        "of Annotations."
        if kind == "annotation"
        else "Implementations SHOULD use HTTPS rather than HTTP for all interactions with "
        "Annotation Containers."
    )
    url = annotation_url if kind == "annotation" else container_url
    with override_settings(SECURE_SSL_REDIRECT=True, RANDNOTIZ_BASE_URL="https://testserver"):
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
