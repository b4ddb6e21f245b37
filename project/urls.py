"""Top-level URLs: the admin and the reading app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articleapp.urls")),
]
