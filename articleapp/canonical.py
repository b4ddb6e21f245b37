"""The public site's absolute URLs: one origin, ``RANDNOTIZ_BASE_URL``, never the request's Host.

Canonical links, Open Graph, schema.org ids, feeds, the sitemap, ``robots.txt`` and oEmbed all
name pages by absolute URL. They take scheme and host from the setting, not from the request:

- a page is cached once for every allowed host (``articleapp.pagecache``), so what it holds
  must not depend on the Host a reader happened to use;
- a canonical link names the one address of a page; served under ``www.`` and without, or
  behind a proxy, it must still name the same one;
- a Host header is the client's to choose: a forged one must not end up in a feed or a
  sitemap that a cache keeps for others.

``check_base_url`` (a deployment check) warns while the setting still names a host the site does
not serve, such as the development default.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.http.request import validate_host


def base_url():
    """Return scheme and host of the public site, without a trailing slash."""
    return settings.RANDNOTIZ_BASE_URL.rstrip("/")


def absolute_url(path):
    """Return the absolute URL of ``path`` (which starts with ``/``) on the public site."""
    return f"{base_url()}{path}"


def origin():
    """Return ``(scheme, host)`` of the public site, the host with its port if it has one."""
    parts = urlsplit(base_url())
    return parts.scheme, parts.netloc


def check_base_url(app_configs, **kwargs):
    """Warn when RANDNOTIZ_BASE_URL is no http(s) origin, or names a host the site refuses."""
    parts = urlsplit(base_url())
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path:
        return [
            checks.Error(
                f"RANDNOTIZ_BASE_URL must be a scheme and host such as https://randnotiz.example, "
                f"not {settings.RANDNOTIZ_BASE_URL!r}.",
                id="randnotiz.E001",
            )
        ]
    if not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        return [
            checks.Warning(
                f"RANDNOTIZ_BASE_URL names {parts.hostname}, which is not in ALLOWED_HOSTS: "
                "canonical links, feeds, the sitemap and embeds would point to another site.",
                hint="Set RANDNOTIZ_BASE_URL to the public address, e.g. https://randnotiz.example.",
                id="randnotiz.W001",
            )
        ]
    return []
