"""Randnotiz settings: one module, configured from the environment.

Environment variables:
- ``DEBUG``: "1"/"true"/"yes"/"on" to turn debug mode on (default off).
- ``SECRET_KEY``: required unless DEBUG is on.
- ``ALLOWED_HOSTS``: comma-separated host names (default with DEBUG: local addresses only).
- ``DATABASE_URL``: e.g. ``postgres://user@host:5432/name``; default a SQLite file beside manage.py.
- ``CONN_MAX_AGE``: seconds a database connection is kept open (default 600; 0 closes per request).
- ``CSRF_TRUSTED_ORIGINS``: comma-separated origins, for a deployment behind a proxy.
- ``STATIC_ROOT``: where ``collectstatic`` writes (default ``staticfiles/``).
- ``RANDNOTIZ_BASE_URL``: scheme and host of the public site, e.g. ``https://randnotiz.example``
  (default ``http://127.0.0.1:8000``): the one address pages name themselves by (canonical
  links, Open Graph, schema.org ids; see ``articleapp.canonical``) and the links of exports
  made by commands. The annotation container and staff exports use the request's own host.
  ``check --deploy`` warns while its host is not in ``ALLOWED_HOSTS``.
- ``SECURE_SSL_REDIRECT``: redirect plain HTTP to HTTPS (default on unless DEBUG).
- ``SECURE_PROXY_SSL_HEADER``: "1" when a proxy that terminates TLS sets ``X-Forwarded-Proto``.
- ``SECURE_HSTS_SECONDS``: HSTS max-age (default one year unless DEBUG, where it is 0).
- ``SECURE_HSTS_INCLUDE_SUBDOMAINS`` / ``SECURE_HSTS_PRELOAD``: HSTS flags (on unless DEBUG).
- ``AXES_FAILURE_LIMIT``: failed admin logins per username and address before a lock-out (5).
- ``AXES_COOLOFF_MINUTES``: how long a lock-out lasts (15).
- ``DATABASE_RETRY_AFTER``: seconds the "database unavailable" page asks clients to wait (30).
- ``REDIS_URL``: e.g. ``redis://127.0.0.1:6379/1``; the cache, else this process's memory.
- ``PAGE_CACHE_SECONDS``: how long a rendered reading page is kept (default 3600; 0 turns the
  page cache off).
- ``PAGE_STAMP_SECONDS``: how long a cached article version stamp is trusted (default 60 with
  Redis, 2 with local memory, where other processes cannot see a save).
- ``IMPORT_MAX_BYTES``: the largest file ``import_article`` and ``import_annotations`` read, and
  the largest page ``import_article --url`` and the admin's import page fetch (default
  104857600, 100 MiB); larger ones are refused with a one-line error.
- ``IMPORT_URL_TIMEOUT``: seconds an article import's whole fetch of a page may take (default 20).
- ``IMPORT_URL_ALLOW_PRIVATE``: "1" to let article imports fetch pages from this machine and
  private networks (default off: an editor's URL must not reach internal services).
- ``EMBED_FRAME_ANCESTORS``: comma-separated origins allowed to frame the embeds of paragraphs,
  e.g. ``https://news.example,https://*.blog.example`` (default ``'self'``, this site only;
  ``'none'`` for nobody). Every other page may be framed by nobody.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default)


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


# A CSP source for frame-ancestors: an http(s) origin, its host optionally a *. wildcard.
FRAME_ANCESTOR = re.compile(r"https?://(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?", re.I)


def env_frame_ancestors(name, default):
    """Return the origins in ``name`` (comma-separated), each checked: a malformed one would
    break the Content-Security-Policy header or let in more than meant."""
    sources = env_list(name, default)
    for source in sources:
        if source not in (SELF, NONE) and not FRAME_ANCESTOR.fullmatch(source):
            raise ImproperlyConfigured(
                f"{name}: {source!r} is not an origin like https://news.example, "
                f"https://*.news.example, {SELF} or {NONE}."
            )
    if NONE in sources and len(sources) > 1:
        raise ImproperlyConfigured(f"{name}: {NONE} cannot be combined with origins.")
    return sources


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (DEBUG=1 allows a development key)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, with the site of articleapp.admin_site as admin.site.
    "articleapp.apps.AdminSiteConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # The sitemap's view and template (articleapp/sitemaps.py).
    "django.contrib.sitemaps",
    "taggit",
    "simple_history",
    "csp",
    "axes",
    "articleapp",
]

# The header middleware come first so that static files and error pages carry the headers too;
# whitenoise answers static files (compressed at collectstatic) before the middleware below it;
# responses that hold no secret are compressed once everything below has made them (see
# project.compression); a NUL in the URL is refused (in the reader's language) before anything
# builds a query from it; the page cache answers readers without a session after that and
# before sessions, CSRF and authentication; a method a view does not answer is refused before
# CSRF judges the request (see project.methods); the database-error middleware is last so that
# it sees the views' exceptions first.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "project.middleware.SecurityHeadersMiddleware",
    # django-csp's, with the hashes of the stylesheets pages carry inline (project.stylesheets).
    "project.stylesheets.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "project.compression.PublicCompressionMiddleware",
    "project.language.ChosenLanguageMiddleware",
    "project.middleware.RejectNulMiddleware",
    "articleapp.middleware.CachedReadingPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "project.middleware.PrivateForSessionsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "project.middleware.MethodNotAllowedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the admin's history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "project.middleware.DatabaseErrorMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # ``|markdown`` for annotation comments and ``|quoted`` for names in sentences, in every
            # template without a ``{% load %}``.
            "builtins": ["articleapp.templatetags.markdown", "articleapp.templatetags.wording"],
            # ``{% inline_stylesheet %}``: the stylesheet in the page, its hash in the policy.
            "libraries": {"stylesheets": "project.stylesheets"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction begins and wait up to 20 s for it, instead
    # of failing with "database is locked" when two requests write at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A stopped or unreachable server answers the 503 page within seconds, not a hung worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
    # No JIT: our queries run in milliseconds, but on a large table the planner's cost estimate
    # crosses jit_above_cost and PostgreSQL spends 40-60 ms compiling a 7 ms query (measured on
    # the export's row query with a million annotations in the table).
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASE_RETRY_AFTER = env_int("DATABASE_RETRY_AFTER", 30)

# Argon2id first; the others only verify (and upgrade) hashes made before the switch.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "admin:login"
# Where a sign-in goes when its "next" is missing or refused (another site's address).
LOGIN_REDIRECT_URL = "admin:index"

RANDNOTIZ_BASE_URL = os.environ.get("RANDNOTIZ_BASE_URL", "").strip() or "http://127.0.0.1:8000"
# The import commands read whole files into memory (a JSON document is parsed as one); this
# bounds what one import can take. 100 MiB is a JSON export of about 250,000 annotations, a W3C
# one of about 75,000 (the seed's average: 425 and 1,360 bytes an annotation).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 100 * 1024 * 1024)
# Fetching an article's page (articleapp.fetching): how long, and whether internal addresses.
IMPORT_URL_TIMEOUT = env_int("IMPORT_URL_TIMEOUT", 20)
IMPORT_URL_ALLOW_PRIVATE = env_bool("IMPORT_URL_ALLOW_PRIVATE", False)
# The axes backend refuses a locked-out username+address before the model backend checks it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_VERBOSE = False

# Security headers; ``check --deploy`` with production variables reports nothing.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe these over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent by project.middleware.SecurityHeadersMiddleware (Django has no setting for these two).
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Scripts never need the CSRF cookie: forms carry the token, and JavaScript reads it from there.
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# The interface language: chosen with a form post and read by the server only, never by a script.
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# Pages and the admin load only their own files: no inline script, no inline style but the
# stylesheets project.stylesheets writes into pages (allowed by their hashes, added to style-src
# by its middleware), no eval, no data: URLs, nothing from other sites. Report violations in
# the browser console (the browser tests fail on any).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    },
}

# Who may frame the embeds of paragraphs (articleapp/embeds.py sends it as their
# frame-ancestors, without X-Frame-Options); everything else keeps 'none' and DENY above.
EMBED_FRAME_ANCESTORS = env_frame_ancestors("EMBED_FRAME_ANCESTORS", [SELF])

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files are for these pages only (CORP same-origin); no cross-origin reads either.
WHITENOISE_ALLOW_ALL_ORIGINS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TAGGIT_CASE_INSENSITIVE = True

# --- Cache (performance, issue 6) ------------------------------------------------------------
# Redis when REDIS_URL is set, shared by every process; otherwise each process's own memory.
# Reading pages are cached under their version stamp (articleapp/pagecache.py), so either is
# correct; Redis just shares the work between processes. A Redis outage degrades to rendering.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "project.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "randnotiz",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "randnotiz",
        }
    }
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)
# How long a process may trust a cached article stamp that another process could have moved:
# exact with Redis (a save deletes it there), at most this stale with local memory.
PAGE_STAMP_SECONDS = env_int("PAGE_STAMP_SECONDS", 60 if REDIS_URL else 2)
# --- end of cache ------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
