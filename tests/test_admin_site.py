"""The admin site's "view on site" redirect (``/admin/r/<content type>/<id>/``) tells no one
without view permission on a model which of its ids exist; a sign-in never leaves the site.

Django's shortcut view redirected any staff user to a draft's public address and answered 404
for a missing id, so a staff user without permissions could find the ids of drafts and orphans.
"""

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from articleapp.admin_site import RandnotizAdminSite
from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity, make_user
from tests.support.pages import text

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "user", "staff", "exporter", "editor", "superuser")
VIEWERS = {"exporter", "editor", "superuser"}  # view permission on everything with a page


def client_of(role):
    client = Client()
    if role == "anonymous":
        return client
    user = make_user(is_staff=role != "user", is_superuser=role == "superuser")
    group = {"editor": "Editors", "exporter": "Exporters"}.get(role)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


def objects_with_pages():
    """One object of every registered model that has a public address, hidden where it can be."""
    paragraph = make_article(paragraphs=["Mistral AI baut in Paris."]).paragraphs.get()
    draft = annotate_quote(paragraph, "Paris", status=Annotation.Status.DRAFT, is_suggestion=True)
    objects = {
        "articleapp.article": paragraph.article,
        "articleapp.paragraph": paragraph,
        "articleapp.entity": make_entity("Paris"),
        "articleapp.annotation": draft,
        "articleapp.suggestedannotation": draft,
        "articleapp.orphanedannotation": draft,
        "articleapp.changedannotation": draft,
    }
    registered = {
        model._meta.label_lower
        for model in admin.site._registry
        if hasattr(model, "get_absolute_url")
    }
    assert registered == set(objects), "give every model with a public address an object here"
    return objects


def shortcut(model_label, pk):
    content_type = ContentType.objects.get_by_natural_key(*model_label.split("."))
    return f"/admin/r/{content_type.pk}/{pk}/"


@pytest.mark.parametrize("role", ROLES)
def test_without_view_permission_an_object_and_a_missing_id_look_alike(role):
    """Staff without view permission get the same 404 for an existing (draft) id as for a
    missing one; those who may view are redirected; those who are not staff sign in first."""
    client = client_of(role)
    for label, obj in objects_with_pages().items():
        urls = shortcut(label, obj.pk), shortcut(label, obj.pk + 1000)
        existing, missing = (client.get(url) for url in urls)
        if role in {"anonymous", "user"}:
            assert existing.status_code == missing.status_code == 302
            assert existing["Location"].startswith("/admin/login/")
        elif role in VIEWERS:
            assert existing.status_code == 302, label
            assert existing["Location"].endswith(obj.get_absolute_url())
            assert missing.status_code == 404
        else:
            assert existing.status_code == missing.status_code == 404, label
            # The same page, but for the address the language switcher sends one back to.
            assert text(existing).replace(urls[0], "") == text(missing).replace(urls[1], "")


def test_a_view_only_permission_on_one_model_opens_that_model_only():
    """The rule is per model: view permission on annotations does not open articles."""
    user = make_user(is_staff=True, permissions=["articleapp.view_annotation"])
    client = Client()
    client.force_login(user)
    objects = objects_with_pages()
    assert client.get(shortcut("articleapp.annotation", objects["articleapp.annotation"].pk))[
        "Location"
    ].endswith(objects["articleapp.annotation"].get_absolute_url())
    article = shortcut("articleapp.article", objects["articleapp.article"].pk)
    assert client.get(article).status_code == 404


@pytest.mark.parametrize("content_type", ["x", "²", "0", "99999999999999999999", "1/2"])
def test_malformed_content_types_are_404(content_type):
    """Whatever stands where the content type id goes, the answer is 404, never a 500."""
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    assert client.get(f"/admin/r/{content_type}/1/").status_code == 404


def test_the_default_admin_site_is_ours():
    """``admin.site`` is the Randnotiz site, so every registration gets its rules."""
    assert isinstance(admin.site, RandnotizAdminSite)


@pytest.mark.parametrize(
    ("language", "index_title"),
    [("de", "Randnotiz-Verwaltung"), ("en", "Randnotiz administration")],
)
def test_the_admin_is_branded_randnotiz(language, index_title):
    """Header, window title and index title say Randnotiz, never "Django-Verwaltung"."""
    client = client_of("editor")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = text(client.get(reverse("admin:index")))
    assert '<div id="site-name"><a href="/admin/">Randnotiz</a></div>' in page
    assert f"<title>{index_title} | Randnotiz</title>" in page
    assert f"<h1>{index_title}</h1>" in page
    assert "Django" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_a_sign_in_with_a_refused_next_lands_on_the_admin(next_url):
    """Another site's address as ``next`` is refused, and the sign-in goes to the admin's index,
    not to Django's default ``/accounts/profile/`` (a 404 here)."""
    user = make_user(is_staff=True)
    client = Client(enforce_csrf_checks=True)
    form = client.get("/admin/login/")
    token = form.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/admin/login/?next=" + next_url,
        {"username": user.username, "password": "a-long-test-passphrase", "next": next_url},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
