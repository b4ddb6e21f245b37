"""Stylesheets written into the page, and allowed by the hash of their text in the policy.

A linked stylesheet holds back the first paint for a round trip of its own (on a phone's network
150 ms and more: Lighthouse's "render-blocking resources"). ``site.css`` is under 6 kB gzipped,
so the public pages carry it in a ``<style>`` and paint once the document has arrived. The
Content-Security-Policy stays ``style-src 'self'`` plus the SHA-256 of each text in
``INLINED`` (a CSP Level 2 hash source), never ``'unsafe-inline'``; and no nonce, because a
cached reading page is served to every reader as it is.

- ``{% inline_stylesheet "articleapp/css/site.css" %}`` (``{% load stylesheets %}``) writes one.
- ``CSPMiddleware`` is django-csp's, extended where its docstring says (``get_policy_parts``)
  to add the hashes of every stylesheet in ``INLINED`` to every policy.

The text is the source file, found by the staticfiles finders, without its comments, and each
``url()`` in it (the fonts) is the file's ``{% static %}`` URL: the page's address is not the
stylesheet's, and in production the URL is the hashed one that the page preloads. It is read
once per process; a new release restarts the processes.
"""

import base64
import functools
import hashlib
import posixpath
import re
from pathlib import Path

from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

INLINED = ("articleapp/css/site.css", "articleapp/css/embed.css")
COMMENT = re.compile(r"/\*.*?\*/", re.S)
URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")

register = template.Library()


@functools.cache
def stylesheet(name):
    """Return ``(text, hash source)`` of the stylesheet ``name`` as pages carry it."""
    if name not in INLINED:
        raise ValueError(f"{name} is not in INLINED: its hash would be missing from the policy")
    source = Path(finders.find(name)).read_text(encoding="utf-8")
    folder = posixpath.dirname(name)

    def absolute(match):
        return f'url("{static(posixpath.normpath(posixpath.join(folder, match.group(2))))}")'

    text = URL.sub(absolute, COMMENT.sub("", source)).strip()
    if "</" in text:
        raise ValueError(f"{name} holds '</', which would end the <style> element early")
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return text, f"'sha256-{digest}'"


def hash_sources():
    return [stylesheet(name)[1] for name in INLINED]


@register.simple_tag
def inline_stylesheet(name):
    """Write the stylesheet ``name`` (one of ``INLINED``) into the page."""
    # Our own file, checked above to hold no "</": not data, and nothing to escape in CSS.
    return format_html("<style>{}</style>", mark_safe(stylesheet(name)[0]))


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's middleware, with the inlined stylesheets' hashes in ``style-src``."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only:
            update = dict(parts.update or {})
            update["style-src"] = [*update.get("style-src", ()), *hash_sources()]
            parts.update = update
        return parts
