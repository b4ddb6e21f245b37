"""Top-level URLs: health probes, the admin and the reading app."""

from django.contrib import admin
from django.urls import include, path

from project import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("articleapp.urls")),
]
