"""Top-level URLs: health probes, the admin and the reading app."""

from django.contrib import admin
from django.urls import include, path

from project import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("", include("articleapp.urls")),
]
