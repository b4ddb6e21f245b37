"""Top-level URLs: health probes, the admin and the reading app."""

from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from project import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # The language switcher carries no CSRF token, so that public pages hold nothing per reader
    # and can be cached and served as they are. A forged switch changes only the interface
    # language of the forger's victim: it stores nothing on the server (see SECURITY.md).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("articleapp.urls")),
]
