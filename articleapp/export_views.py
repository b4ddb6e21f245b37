"""Staff exports and the read-only W3C annotation container (Web Annotation Protocol, read side).

The export page and its URLs need the permission ``articleapp.export_annotations`` and, since
they only read, answer GET and HEAD only (any other method is a 405 for everyone). The
container ``/articles/<slug>/annotations/`` and each annotation's URL are public and show
published annotations only; they never name editors. They answer GET, HEAD and OPTIONS; PUT,
PATCH, DELETE and POST are a 405 with ``Allow`` before CSRF is checked (``project.methods``), as
the Web Annotation Protocol asks of a read-only container.
"""

import hashlib
import json

from django.contrib import admin
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import gettext_lazy as _

from articleapp import exports, params
from articleapp.exports import records, w3c
from articleapp.exports.filters import ExportFilterForm, ExportForm
from articleapp.models import Annotation, Article
from project.methods import allow_methods, read_only

READ_METHODS = ["GET", "HEAD", "OPTIONS"]
ALLOW = ", ".join(READ_METHODS)
LDP = "http://www.w3.org/ns/ldp#"
PREFER_MINIMAL = f"{LDP}PreferMinimalContainer"
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
CONTAINER_PAGE_SIZE = 100
JSON_TYPES = [w3c.CONTENT_TYPE, "application/ld+json", "application/json"]


def base_url(request):
    return f"{request.scheme}://{request.get_host()}"


def export_url(format_name, query):
    path = reverse("articleapp:export-annotations", kwargs={"export_format": format_name})
    return f"{path}?{query}" if query else path


@read_only
@login_required
@permission_required("articleapp.export_annotations", raise_exception=True)
def export_page(request):
    """Choose filters and a format; template ``articleapp/export_form.html``, an admin page.

    Context: the admin site's (header, user tools, sidebar), ``form``, ``examples`` (a URL per
    format) and ``base_url``. Without parameters the form shows its presets (published, CSV); a
    valid choice redirects to the plain export URL, which staff can also script; an invalid one
    shows the form again with its errors and status 400. Queries: the admin's sidebar, the
    articles and the tags to choose from.
    """
    form = ExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect(export_url(form.cleaned_data["format"], form.query_string()))
    examples = [(export.label, export_url(name, "")) for name, export in exports.FORMATS.items()]
    context = {
        **admin.site.each_context(request),
        "title": _("Export annotations"),
        "form": form,
        "examples": examples,
        "base_url": base_url(request),
    }
    status = 400 if form.is_bound else 200
    return render(request, "articleapp/export_form.html", context, status=status)


@read_only
@login_required
@permission_required("articleapp.export_annotations", raise_exception=True)
def export_annotations(request, export_format):
    """Stream the annotations in ``export_format``, filtered by the query parameters.

    Bad parameters render ``articleapp/export_error.html`` (an admin page) with status 400.
    """
    exporter = exports.FORMATS.get(export_format)
    if exporter is None:
        raise Http404("Unknown export format")
    form = ExportFilterForm(request.GET)
    if not form.is_valid():
        context = {
            **admin.site.each_context(request),
            "title": _("Export not possible"),
            "form": form,
        }
        return render(request, "articleapp/export_error.html", context, status=400)
    context = exports.ExportContext(
        base_url=base_url(request),
        collection_url=base_url(request) + export_url(export_format, form.query_string()),
        include_authors=True,
    )
    return exporter.response(form.annotations(), context)


# The W3C annotation container ----------------------------------------------------------------


def wants_html(request):
    return request.get_preferred_type([*JSON_TYPES, "text/html"]) == "text/html"


def prefer_include(request):
    """Return the container preference the client asked for (Prefer: return=representation)."""
    prefer = request.headers.get("Prefer", "")
    if "return=representation" not in prefer.replace(" ", ""):
        return None
    for preference in (PREFER_MINIMAL, PREFER_IRIS, PREFER_DESCRIPTIONS):
        if preference in prefer:
            return preference
    return None


def ld_response(request, data, links, vary):
    """Serialise ``data`` as JSON-LD with ETag, Link, Allow and Vary; 304 if unchanged."""
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and (etag in parse_etags(if_none_match) or if_none_match.strip() == "*"):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=w3c.CONTENT_TYPE)
    response["ETag"] = etag
    response["Link"] = ", ".join(f'<{iri}>; rel="{rel}"' for iri, rel in links)
    response["Allow"] = ALLOW
    patch_vary_headers(response, vary)
    return response


def container_context(request, slug):
    return exports.ExportContext(
        base_url=base_url(request),
        collection_url=base_url(request)
        + reverse("articleapp:annotation-container", kwargs={"slug": slug}),
    )


def options_response(links):
    response = HttpResponse(status=204)
    response["Allow"] = ALLOW
    response["Link"] = ", ".join(f'<{iri}>; rel="{rel}"' for iri, rel in links)
    return response


def not_acceptable():
    response = HttpResponse(
        "This resource is available as application/ld+json or text/html.\n",
        status=406,
        content_type="text/plain; charset=utf-8",
    )
    response["Allow"] = ALLOW
    return response


@allow_methods(*READ_METHODS)
def annotation_container(request, slug):
    """The article's published annotations as an LDP BasicContainer / AnnotationCollection.

    ``?page=N`` (from 0) is one AnnotationPage of full descriptions, ``?page=N&iris=1`` one of
    annotation IRIs. Without ``page`` the collection is returned with its first page embedded
    as the ``Prefer`` header asks (descriptions by default). A browser asking for HTML is sent to
    the reading page. Queries: article, count, one page of annotations, their tags.
    """
    article = get_object_or_404(Article, slug=slug)
    links = [
        (f"{LDP}BasicContainer", "type"),
        (f"{LDP}Resource", "type"),
        ("http://www.w3.org/TR/annotation-protocol/", f"{LDP}constrainedBy"),
    ]
    if request.method == "OPTIONS":
        return options_response(links)
    if wants_html(request):
        return HttpResponseRedirect(article.get_absolute_url(), status=303)
    if request.get_preferred_type(JSON_TYPES) is None:
        return not_acceptable()
    context = container_context(request, article.slug)
    annotations = Annotation.objects.published().filter(paragraph__article=article)
    total = annotations.count()
    pages = w3c.page_count(total, CONTAINER_PAGE_SIZE)
    iris = params.query_flag(request.GET, "iris")
    container_url = context.collection_url

    def url_for_page(index, with_iris=iris):
        return f"{container_url}?page={index}" + ("&iris=1" if with_iris else "")

    def collection_id(with_iris=iris):
        return f"{container_url}?iris=1" if with_iris else container_url

    page = params.query_number(request.GET, "page")
    if page is not None:
        if page >= pages:
            raise Http404("No such page")
        data = container_page(
            annotations, context, page, total, iris, url_for_page, collection_id()
        )
        return ld_response(request, data, links, ["Accept"])
    preference = prefer_include(request)
    if preference is not None:  # else ``?iris=1``, the IRI of the IRIs' representation, decides
        iris = preference == PREFER_IRIS
    if preference == PREFER_MINIMAL or total == 0:
        first = url_for_page(0, iris)
    else:
        first = container_page(
            annotations,
            context,
            0,
            total,
            iris,
            lambda index: url_for_page(index, iris),
            collection_id(iris),
        )
        first.pop("@context")
    data = w3c.collection_data(
        collection_id(iris),
        total,
        f"Annotations of „{article.title}“",
        first,
        url_for_page(pages - 1, iris),
    )
    response = ld_response(request, data, links, ["Accept", "Prefer"])
    if preference:
        response["Preference-Applied"] = "return=representation"
    # Web Annotation Protocol §4.2: a preference-specific representation names its own IRI.
    response["Content-Location"] = collection_id(iris)
    return response


def container_page(annotations, context, index, total, iris, url_for_page, collection_id):
    """One AnnotationPage of the container: full annotations, or their IRIs."""
    start = index * CONTAINER_PAGE_SIZE
    rows = records.annotation_rows(annotations, start, start + CONTAINER_PAGE_SIZE)
    data = w3c.page_head(
        url_for_page(index),
        collection_id,
        total,
        index,
        w3c.page_count(total, CONTAINER_PAGE_SIZE),
        CONTAINER_PAGE_SIZE,
        url_for_page,
    )
    if iris:
        data["items"] = [context.annotation_url(row.article_slug, row.pk) for row in rows]
    else:
        software = w3c.generator(context)
        data["items"] = [w3c.annotation_data(row, context, software) for row in rows]
    return data


@allow_methods(*READ_METHODS)
def annotation_detail(request, slug, pk):
    """One published annotation as JSON-LD; a browser asking for HTML goes to its permalink."""
    rows = records.annotation_rows(
        Annotation.objects.published().filter(paragraph__article__slug=slug, pk=pk)
    )
    if not rows:
        raise Http404("No such annotation")
    row = rows[0]
    links = [
        ("http://www.w3.org/ns/oa#Annotation", "type"),
        (f"{LDP}Resource", "type"),
    ]
    if request.method == "OPTIONS":
        return options_response(links)
    if wants_html(request):
        annotation = Annotation.objects.select_related("paragraph__article").get(pk=row.pk)
        return HttpResponseRedirect(annotation.get_absolute_url(), status=303)
    if request.get_preferred_type(JSON_TYPES) is None:
        return not_acceptable()
    context = container_context(request, row.article_slug)
    return ld_response(request, w3c.annotation_data(row, context), links, ["Accept"])
