"""Each article's read-only W3C annotation container (Web Annotation Protocol, read side).

``/articles/<slug>/annotations/`` is an LDP Basic Container and AnnotationCollection of the
article's published annotations; ``/articles/<slug>/annotations/<id>`` is one of them. Both are
public and never name editors. They answer GET, HEAD and OPTIONS; POST, PUT, PATCH and DELETE
are a 405 with ``Allow`` before CSRF is checked (``project.methods``), as the protocol asks of a
read-only container. Every response of the container carries its ``Link`` types and ``Allow``,
and CORS headers, so annotation clients on other sites can read it (it holds only what readers
see, and no cookie is honoured: ``*`` allows no credentials). ``ETag`` is a digest of the body;
Django's ``get_conditional_response`` answers ``If-None-Match`` (304) and ``If-Match`` (412).

The collection embeds its first page as the ``Prefer`` header asks (protocol 4.2.1):
``PreferMinimalContainer`` (no page embedded, only ``first``/``last`` links),
``PreferContainedIRIs`` or ``PreferContainedDescriptions`` (the default), alone or combined.
Its ``id``, echoed in ``Content-Location``, tells IRIs (``?iris=1``) from descriptions. Every
IRI is on the public site's one origin (``RANDNOTIZ_BASE_URL``, ``articleapp.canonical``), so an
annotation has the same IRI whatever Host a client asked with.
``?page=N`` (from 0) is one AnnotationPage, ``&iris=1`` of IRIs. A browser asking for HTML is
sent to the reading page. Turtle is not offered (406): see ``docs/export-formats.md``.
"""

import hashlib
import json
from datetime import UTC

from django.db.models import Count, Max
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers

from articleapp import canonical, params
from articleapp.exports import ExportContext, rows, w3c
from articleapp.models import Annotation, Article
from project.methods import allow_methods

READ_METHODS = ("GET", "HEAD", "OPTIONS")
ALLOW = ", ".join(READ_METHODS)
LDP = "http://www.w3.org/ns/ldp#"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
PREFER_MINIMAL = f"{LDP}PreferMinimalContainer"
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
PROTOCOL = "http://www.w3.org/TR/annotation-protocol/"
CONTAINER_PAGE_SIZE = 100
JSON_TYPES = [w3c.CONTENT_TYPE, "application/ld+json", "application/json"]


def link_header(*links):
    return ", ".join(f'<{iri}>; rel="{rel}"' for iri, rel in links)


CONTAINER_LINK = link_header(
    (f"{LDP}BasicContainer", "type"), (f"{LDP}Resource", "type"), (PROTOCOL, f"{LDP}constrainedBy")
)
ANNOTATION_LINK = link_header(
    ("http://www.w3.org/ns/oa#Annotation", "type"), (f"{LDP}Resource", "type")
)
# What a script on another site may read: every answer, and the headers the protocol uses.
CROSS_ORIGIN = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Allow, Content-Location, ETag, Link, Preference-Applied",
}
# The answer to a CORS preflight: Prefer and If-None-Match are not headers a page may send
# across origins without asking first.
PREFLIGHT = {
    "Access-Control-Allow-Methods": ALLOW,
    "Access-Control-Allow-Headers": "Accept, If-None-Match, Prefer",
    "Access-Control-Max-Age": "86400",
}


def with_protocol_headers(response, link):
    """``response`` with ``Allow``, the ``Link`` types and the CORS headers."""
    response["Allow"] = ALLOW
    response["Link"] = link
    for name, value in CROSS_ORIGIN.items():
        response[name] = value
    return response


def read_only_resource(link):
    """Decorate a view of the container: read methods only, and the headers on its 405 too."""
    return allow_methods(*READ_METHODS, headers={"Link": link, **CROSS_ORIGIN})


def wants_html(request):
    return request.get_preferred_type([*JSON_TYPES, "text/html"]) == "text/html"


def container_preferences(request):
    """Return ``(minimal, iris)`` from ``Prefer: return=representation; include="…"``.

    ``include`` is a space-separated list of IRIs (RFC 7240, LDP). ``iris`` is True for
    PreferContainedIRIs, False for PreferContainedDescriptions and None when neither (or, as
    a client must not send, both) is given; ``minimal`` says PreferMinimalContainer.
    """
    included = set()
    for preference in request.headers.get("Prefer", "").split(","):
        name, *parameters = (part.strip() for part in preference.split(";"))
        if name.replace(" ", "") != "return=representation":
            continue
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "include":
                included.update(value.strip().strip('"').split())
    wants_iris, wants_descriptions = PREFER_IRIS in included, PREFER_DESCRIPTIONS in included
    return PREFER_MINIMAL in included, None if wants_iris == wants_descriptions else wants_iris


def json_ld_response(request, data, link, vary):
    """``data`` as JSON-LD with ETag, the protocol headers and Vary; 304 or 412 by ETag."""
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response = HttpResponse(body, content_type=w3c.CONTENT_TYPE)
    response["ETag"] = etag
    patch_vary_headers(response, vary)
    response = get_conditional_response(request, etag=etag, response=response)
    return with_protocol_headers(response, link)


def options_response(link):
    response = with_protocol_headers(HttpResponse(status=204), link)
    for name, value in PREFLIGHT.items():
        response[name] = value
    return response


def refusal(link, status, message):
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return with_protocol_headers(response, link)


def not_acceptable(link):
    return refusal(link, 406, "This resource is available as application/ld+json or text/html.\n")


def timestamp(moment):
    """A date-time as the annotations write theirs: ISO 8601 in UTC with a ``Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@read_only_resource(CONTAINER_LINK)
def annotation_container(request, slug):
    """The article's published annotations as an LDP BasicContainer / AnnotationCollection.

    JSON-LD, no template. Queries: the article, total and last change, one page of annotations,
    their tags (four, however many there are).
    """
    article = get_object_or_404(Article, slug=slug)
    if request.method == "OPTIONS":
        return options_response(CONTAINER_LINK)
    if wants_html(request):
        redirect = HttpResponseRedirect(article.get_absolute_url(), status=303)
        return with_protocol_headers(redirect, CONTAINER_LINK)
    if request.get_preferred_type(JSON_TYPES) is None:
        return not_acceptable(CONTAINER_LINK)
    try:
        page = params.query_number(request.GET, "page")
        iris = params.query_flag(request.GET, "iris")
    except params.InvalidParameter as error:
        return refusal(CONTAINER_LINK, 400, f"{error}\n")
    annotations = Annotation.objects.published().filter(paragraph__article=article)
    summary = annotations.aggregate(total=Count("pk"), modified=Max("updated_at"))
    container_url = canonical.base_url() + reverse(
        "articleapp:annotation-container", kwargs={"slug": article.slug}
    )
    context = ExportContext(base_url=canonical.base_url(), collection_url=container_url)
    minimal, preferred_iris = container_preferences(request)
    if page is None and preferred_iris is not None:
        # The preference decides; else ``?iris=1``, the IRI of the IRIs' representation.
        iris = preferred_iris
    collection = Collection(container_url, summary, iris)
    if page is not None:
        if page >= collection.pages:
            raise Http404("No such page")
        data = {"@context": w3c.CONTEXT, **collection.page(annotations, context, page)}
        return json_ld_response(request, data, CONTAINER_LINK, ["Accept"])
    if minimal or not collection.total:
        first = collection.page_url(0)
    else:
        first = collection.page(annotations, context, 0)
    data = w3c.collection_data(
        collection.id,
        collection.total,
        f"Annotations of „{article.title}“",
        first,
        collection.page_url(collection.pages - 1),
        **collection.modified,
    )
    # The LDP context too, for the container's type (protocol 4.1).
    data["@context"] = [w3c.CONTEXT, LDP_CONTEXT]
    data["type"] = ["BasicContainer", "AnnotationCollection"]
    response = json_ld_response(request, data, CONTAINER_LINK, ["Accept", "Prefer"])
    if minimal or preferred_iris is not None:
        response["Preference-Applied"] = "return=representation"
    # Protocol 4.2: the IRI of a preference-specific representation, when not redirected.
    response["Content-Location"] = collection.id
    return response


class Collection:
    """The container as a collection of IRIs or descriptions: its ids, pages and summary."""

    def __init__(self, container_url, summary, iris):
        self.container_url = container_url
        self.total = summary["total"]
        self.iris = iris
        self.pages = w3c.page_count(self.total, CONTAINER_PAGE_SIZE)
        modified = summary["modified"]
        self.modified = {"modified": timestamp(modified)} if modified else {}

    @property
    def id(self):
        return f"{self.container_url}?iris=1" if self.iris else self.container_url

    def page_url(self, index):
        return f"{self.container_url}?page={index}" + ("&iris=1" if self.iris else "")

    def page(self, annotations, context, index):
        """One AnnotationPage (without ``@context``): full annotations, or their IRIs."""
        start = index * CONTAINER_PAGE_SIZE
        page_rows = rows.annotation_rows(annotations, start, start + CONTAINER_PAGE_SIZE)
        data = w3c.page_head(
            self.page_url(index),
            self.id,
            self.total,
            index,
            self.pages,
            CONTAINER_PAGE_SIZE,
            self.page_url,
        )
        del data["@context"]
        data["partOf"].update(self.modified)
        if self.iris:
            data["items"] = [context.annotation_url(row.article_slug, row.pk) for row in page_rows]
        else:
            software = w3c.generator(context)
            data["items"] = [w3c.annotation_data(row, context, software) for row in page_rows]
        return data


@read_only_resource(ANNOTATION_LINK)
def annotation_detail(request, slug, pk):
    """One published annotation as JSON-LD; a browser asking for HTML goes to its permalink.

    No template. Queries: the annotation and its tags; a redirect one more.
    """
    found = rows.annotation_rows(
        Annotation.objects.published().filter(paragraph__article__slug=slug, pk=pk)
    )
    if not found:
        raise Http404("No such annotation")
    row = found[0]
    if request.method == "OPTIONS":
        return options_response(ANNOTATION_LINK)
    if wants_html(request):
        annotation = Annotation.objects.select_related("paragraph__article").get(pk=row.pk)
        redirect = HttpResponseRedirect(annotation.get_absolute_url(), status=303)
        return with_protocol_headers(redirect, ANNOTATION_LINK)
    if request.get_preferred_type(JSON_TYPES) is None:
        return not_acceptable(ANNOTATION_LINK)
    context = ExportContext(base_url=canonical.base_url())
    data = w3c.annotation_data(row, context)
    return json_ld_response(request, data, ANNOTATION_LINK, ["Accept"])
