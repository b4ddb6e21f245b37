"""Embeds for other sites: one paragraph with its notes in a frame, and oEmbed to find it.

``paragraph_embed`` is the only page other sites may frame: it is sent with the CSP
``frame-ancestors`` of ``EMBED_FRAME_ANCESTORS`` (default ``'self'``) and without
``X-Frame-Options`` (``embeddable``); every other response keeps ``frame-ancestors 'none'`` and
``X-Frame-Options: DENY``. It shows the paragraph's published annotations only and holds nothing
per reader. Its links to other pages open in a new window (``target="_blank"``), since those
pages refuse to be framed; the highlights lead to their notes inside the frame.

``oembed`` answers the oEmbed protocol (https://oembed.com, section 2) for reading pages: the
``url`` of a reading page, of one of its paragraphs (``#p-<n>``) or notes (``#a-<id>``), or of
an embed, gives a ``rich`` response whose ``html`` is an iframe of the paragraph's embed. A
``url`` that is not an absolute http(s) URL is a 400; one that is not a reading page of this
site, or names a paragraph or note that is not there (or not published), is a 404; any
``format`` but ``json`` is a 501, as the protocol says. Reading pages announce it with
``<link rel="alternate" type="application/json+oembed">``.
"""

import functools
import math
import re
from urllib.parse import unquote, urlencode, urlsplit

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import conditional_page

from articleapp import canonical, params
from articleapp.markdown import render_text
from articleapp.models import Annotation, Paragraph
from articleapp.rendering import render_paragraph
from articleapp.structured_data import SITE_NAME
from articleapp.tagging import attach_tags
from project.methods import read_only

OEMBED_VERSION = "1.0"
URL_MAX_LENGTH = 2000
# The embed's width when the consumer sets none, and the rough measures of its layout
# (static/articleapp/css/embed.css) that its height is estimated from: text and notes wrap at
# about one character per PX_PER_CHARACTER pixels of width.
DEFAULT_WIDTH = 640
PX_PER_CHARACTER = 9
TEXT_LINE_PX = 29
NOTE_LINE_PX = 21
CHROME_PX = 96  # the article's title above, the site's line below, padding
NOTE_CHROME_PX = 58  # a note's head line, links line and spacing
MAX_HEIGHT = 1200
FRAGMENT = re.compile(r"(?P<kind>[pa])-(?P<number>[0-9]+)")
EMBEDDABLE_PAGES = {"articleapp:article-detail", "articleapp:paragraph-embed"}


def embeddable(view):
    """Let the sites of ``EMBED_FRAME_ANCESTORS`` frame the view's pages (read per response).

    django-csp's ``csp_replace`` sets the page's ``frame-ancestors``; ``xframe_options_exempt``
    keeps Django's ``X-Frame-Options: DENY`` off it, which would forbid every frame whatever
    the policy says.
    """

    @xframe_options_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        policy = {"frame-ancestors": settings.EMBED_FRAME_ANCESTORS}
        return csp_replace(policy)(view)(request, *args, **kwargs)

    return wrapper


def published_annotations(paragraph):
    """The paragraph's published annotations in text order, with entities and tags: two queries.

    Read through ``paragraph.annotations``, so each knows its paragraph (and article) without
    a query of its own.
    """
    annotations = (
        paragraph.annotations.published().select_related("entity").order_by("start", "-end", "pk")
    )
    return attach_tags(annotations)


@read_only
@embeddable  # outside conditional_page: its 304s must carry the embed's headers too
@conditional_page
def paragraph_embed(request, slug, position):
    """Show one paragraph of an article with its notes, for other sites to frame.

    Template ``articleapp/paragraph_embed.html`` with ``article``, ``paragraph``, ``html`` (the
    paragraph with its highlights) and ``annotations`` (each with ``note_number``). Three
    queries: paragraph with article, annotations with entities, their tags.
    """
    if position > params.MAX_POSITIVE_INTEGER:
        raise Http404("No such paragraph")
    paragraph = get_object_or_404(
        Paragraph.objects.select_related("article"), article__slug=slug, position=position
    )
    annotations = published_annotations(paragraph)
    for number, annotation in enumerate(annotations, start=1):
        annotation.note_number = number
    numbers = {annotation.pk: annotation.note_number for annotation in annotations}
    context = {
        "article": paragraph.article,
        "paragraph": paragraph,
        "html": render_paragraph(paragraph.text, annotations, numbers),
        "annotations": annotations,
    }
    return render(request, "articleapp/paragraph_embed.html", context)


def own_hosts(request):
    """The hosts a URL of this site may name: the public address's and the request's own."""
    return {canonical.origin()[1].lower(), request.get_host().lower()}


def embedded_paragraph(request, url):
    """Return the paragraph and the note id (or "") that the oEmbed ``url`` names.

    400 (``InvalidParameter``) for a URL that is not absolute http(s); 404 for one that is not
    a reading page or embed of this site, or whose paragraph or note is not there.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        raise params.InvalidParameter("url is not a URL") from None
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise params.InvalidParameter("url must be an absolute http or https URL")
    if parts.netloc.lower() not in own_hosts(request):
        raise Http404("Not a page of this site")
    try:
        match = resolve(unquote(parts.path))
    except Resolver404:
        raise Http404("Not a page of this site") from None
    if match.view_name not in EMBEDDABLE_PAGES:
        raise Http404("Not a page that can be embedded")
    slug = match.kwargs["slug"]
    fragment = FRAGMENT.fullmatch(parts.fragment)
    number = int(fragment["number"]) if fragment else None
    paragraphs = Paragraph.objects.select_related("article").filter(article__slug=slug)
    if fragment and fragment["kind"] == "a":
        if number > params.MAX_ID:
            raise Http404("No such note")
        annotation = get_object_or_404(
            Annotation.objects.published().select_related("paragraph__article"),
            pk=number,
            paragraph__article__slug=slug,
        )
        return annotation.paragraph, annotation.anchor
    position = match.kwargs.get("position", number)
    if position is None:
        # The article itself: its first paragraph, the lede.
        paragraph = paragraphs.order_by("position").first()
        if paragraph is None:
            raise Http404("The article has no text")
        return paragraph, ""
    if position > params.MAX_POSITIVE_INTEGER:
        raise Http404("No such paragraph")
    return get_object_or_404(paragraphs, position=position), ""


def lines(text, characters_per_line):
    return max(1, math.ceil(len(text) / characters_per_line))


def estimated_height(paragraph, annotations, width):
    """Estimate the embed's height in pixels at ``width``; taller content scrolls in the frame."""
    per_line = max(20, width // PX_PER_CHARACTER)
    height = CHROME_PX + lines(paragraph.text, per_line) * TEXT_LINE_PX
    for annotation in annotations:
        text = render_text(annotation.comment) if annotation.comment else ""
        height += NOTE_CHROME_PX + (lines(text, per_line) * NOTE_LINE_PX if text else 0)
    return min(height, MAX_HEIGHT)


def iframe(src, width, height, title):
    return format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy"></iframe>',
        src,
        width,
        height,
        title,
    )


def not_implemented_format():
    return HttpResponse(
        "Only format=json is implemented.\n", status=501, content_type="text/plain; charset=utf-8"
    )


@read_only
@conditional_page
def oembed(request):
    """Answer an oEmbed request for a reading page: JSON of type ``rich`` with an iframe.

    Parameters: ``url`` (required), ``format`` (``json``, the default), ``maxwidth`` and
    ``maxheight`` (whole pixels). Four queries at most: the paragraph with its article (or the
    annotation), its annotations and their tags, for the estimated height.
    """
    url = params.query_text(request.GET, "url", max_length=URL_MAX_LENGTH)
    if not url:
        raise params.InvalidParameter("url is required")
    max_width = params.query_number(
        request.GET, "maxwidth", minimum=1, maximum=params.MAX_POSITIVE_INTEGER
    )
    max_height = params.query_number(
        request.GET, "maxheight", minimum=1, maximum=params.MAX_POSITIVE_INTEGER
    )
    if params.query_text(request.GET, "format", default="json") != "json":
        return not_implemented_format()
    paragraph, anchor = embedded_paragraph(request, url)
    article = paragraph.article
    width = min(DEFAULT_WIDTH, max_width or DEFAULT_WIDTH)
    height = estimated_height(paragraph, published_annotations(paragraph), width)
    if max_height:
        height = min(height, max_height)
    path = reverse(
        "articleapp:paragraph-embed",
        kwargs={"slug": article.slug, "position": paragraph.position},
    )
    src = canonical.absolute_url(path) + (f"#{anchor}" if anchor else "")
    title = _("%(title)s, paragraph %(position)s") % {
        "title": article.title,
        "position": paragraph.position,
    }
    data = {
        "version": OEMBED_VERSION,
        "type": "rich",
        "title": title,
        "provider_name": SITE_NAME,
        "provider_url": f"{canonical.base_url()}/",
        "html": iframe(src, width, height, title),
        "width": width,
        "height": height,
    }
    if article.byline:
        data["author_name"] = article.byline
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def discovery_url(article):
    """The oEmbed URL for a reading page, for its ``<link rel="alternate">``."""
    query = urlencode({"url": canonical.absolute_url(article.get_absolute_url()), "format": "json"})
    return canonical.absolute_url(f"{reverse('articleapp:oembed')}?{query}")
