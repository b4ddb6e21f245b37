"""Hostile values in every URL the project serves: never a 5xx, for readers and staff alike.

Every URL pattern comes from the resolver (``tests.support.url_patterns``), public and admin, so a
page
added later is fuzzed without being listed here. Each parameter of the path gets each hostile
value, and each query parameter a page might read gets them on top of a working URL: NUL, the
superscript two (``"²".isdigit()`` is true, ``int("²")`` fails), a byte that is not UTF-8, a
right-to-left override, 10 kB of text, negative, zero and huge numbers. POST-only pages are
posted to with a valid CSRF token. Run for anonymous readers, a signed-in user without rights
and staff of each group; on PostgreSQL too, where NUL reaches the database as an error.
"""

from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.http import QueryDict
from django.test import Client, RequestFactory
from taggit.models import Tag

from articleapp.models import Annotation
from tests.support.factories import annotate_quote, built_once, make_article, make_entity
from tests.support.pages import signed_in_session
from tests.support.url_patterns import url_templates

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor", "staff_exporter", "staff", "superuser"]
GROUPS = {"editor": "Editors", "staff_exporter": "Exporters"}
# The roles whose permissions lead our pages down different paths: every query parameter is
# tried on its own for them, on our own pages (see ``thorough``).
THOROUGH_ROLES = {"editor", "staff_exporter"}
CSRF_SECRET = "c" * 32

# URL-encoded, as they travel.
HOSTILE = {
    "NUL": "ab%00cd",
    "superscript two": "%C2%B2",
    "not UTF-8": "%FF",
    "10 kB": "x" * 10_240,
    "negative": "-1",
    "huge": "9" * 30,
}
# A page that looks up at most this many parameters by name gets each on its own; one that
# reads them all (the admin's lists and forms take every parameter as a filter or an initial
# value) gets them all at once.
ONE_BY_ONE_UP_TO = 6


def build_world():
    """An article with a published annotation, a suggestion and an orphan; a user per role."""
    article = make_article(
        paragraphs=["Mistral AI und Nvidia bauen Rechenzentren.", "Der Plan Wortweg stammt."]
    )
    first, second = article.paragraphs.order_by("position")
    entity = make_entity(name="Mistral AI", tags=["ki"])
    published = annotate_quote(first, "Mistral AI", entity=entity, tags=["oeffentlich"])
    annotate_quote(
        first,
        "Nvidia",
        entity=make_entity(name="Nvidia"),
        status=Annotation.Status.DRAFT,
        is_suggestion=True,
    )
    orphan = annotate_quote(second, "Wortweg")
    Annotation.objects.filter(pk=orphan.pk).update(anchor_status=Annotation.AnchorStatus.ORPHANED)
    users = {role: make_role(role) for role in ROLES}
    return {
        "article": article,
        "entity": entity,
        "annotation": published,
        "tag": Tag.objects.get(name="oeffentlich"),
        "superuser": users["superuser"],
        "sessions": {role: signed_in_session(user) for role, user in users.items()},
    }


def make_role(role):
    if role == "anonymous":
        return None
    user = get_user_model().objects.create(
        username=f"fuzz-{role}",
        is_staff=role not in {"user"},
        is_superuser=role == "superuser",
    )
    if role in GROUPS:
        user.groups.add(Group.objects.get(name=GROUPS[role]))
    return user


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        cache.clear()
        yield build_world()
    cache.clear()


def model_admin_at(template):
    """The ModelAdmin whose URLs ``template`` is one of, or None."""
    parts = template.prefix.strip("/").split("/")
    if len(parts) < 3 or parts[0] != "admin":
        return None
    for model, model_admin in admin.site._registry.items():
        if (model._meta.app_label, model._meta.model_name) == (parts[1], parts[2]):
            return model_admin
    return None


def first_object(model_admin, world):
    request = RequestFactory().get("/")
    request.user = world["superuser"]
    return model_admin.get_queryset(request).order_by("pk").first()


def real_value(template, name, world):
    """A value for parameter ``name`` that names something that exists."""
    model_admin = model_admin_at(template)
    if model_admin is not None and name in {"object_id", "id", "_1", "_2"}:
        obj = first_object(model_admin, world)
        if obj is None:
            return "1"
        if name == "_2":
            record = obj.history.order_by("history_id").first() if hasattr(obj, "history") else None
            return str(record.history_id) if record else "1"
        return str(obj.pk)
    prefix = template.prefix
    values = {
        "content_type_id": str(ContentType.objects.get_for_model(Annotation).pk),
        "object_id": str(world["annotation"].pk),
        "pk": str(world["annotation"].pk),
        "export_format": "json",
        "app_label": "articleapp",
        "url": "articleapp/nothing/",
    }
    if name == "slug":
        if prefix.startswith("/entities/"):
            return world["entity"].slug
        if prefix.startswith("/tags/"):
            return world["tag"].slug
        return world["article"].slug
    return values.get(name, "1")


def filter_names(template):
    """The parameters of an admin list's filters: the list reads them all at once, by name
    only through its filters, so they are named here from the ModelAdmin's ``list_filter``."""
    model_admin = model_admin_at(template)
    if model_admin is None or not template.name.endswith("_changelist"):
        return []
    names = []
    for entry in model_admin.list_filter:
        if isinstance(entry, str):
            names += [entry, f"{entry}__exact", f"{entry}__id__exact", f"{entry}__isnull"]
    return names


def base_query(template):
    """The query a page needs to get as far as reading the others (the autocomplete's field)."""
    if template.name == "admin:autocomplete":
        return "app_label=articleapp&model_name=annotation&field_name=entity&"
    return ""


class RecordingQueryDict(QueryDict):
    """A query string that notes the names a page looked up, present or not."""

    def __init__(self, *args, **kwargs):
        self.looked_up = set()  # QueryDict looks keys up while it fills itself: not the page
        super().__init__(*args, **kwargs)
        self.looked_up = set()

    def __getitem__(self, key):
        self.looked_up.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.looked_up.add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self.looked_up.add(key)
        return super().getlist(key, default)

    def lists(self):
        self.looked_up.update(self.keys())
        return super().lists()


class RecordQueryMiddleware:
    """Give each request a ``RecordingQueryDict`` (test only, first in the middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = RecordingQueryDict(request.META.get("QUERY_STRING", ""))
        return self.get_response(request)


def answer(client, url, method="GET"):
    """The response to one request, whatever it writes undone (each in its own savepoint) and
    the client's cookies as before (a POST to the sign-out page would end its session)."""
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    with transaction.atomic():
        if method == "POST":
            response = client.post(url, {"csrfmiddlewaretoken": CSRF_SECRET})
        else:
            response = client.get(url)
        transaction.set_rollback(True)
    client.cookies = SimpleCookie(cookies)
    return response


def names_read(client, path, template):
    """The query parameters the page at ``path`` looks up, and its filters if it is a list."""
    response = answer(client, f"{path}?{base_query(template)}")
    if response.status_code == 405:
        response = answer(client, f"{path}?{base_query(template)}", "POST")
    return sorted(set(response.wsgi_request.GET.looked_up) | set(filter_names(template)))


def query_kind(template, names):
    """What decides how a page reads its query: the admin's generic views (change form, delete
    page, …) read theirs the same way for every ModelAdmin of another app, so those are fuzzed
    once per view kind; our own pages and ModelAdmins each on their own."""
    model_admin = model_admin_at(template)
    if model_admin is None or type(model_admin).__module__.startswith("articleapp"):
        return template.name
    return (template.name.rsplit("_", 1)[-1], tuple(names))


def hostile_urls(client, template, world, fuzzed_kinds):
    """Yield the URLs to try: each path parameter with each hostile value, then the query
    parameters the page reads (on a URL that names real things) with each hostile value and
    with an existing id. ``fuzzed_kinds`` collects ``query_kind``s already done."""
    real = {p.name: real_value(template, p.name, world) for p in template.parameters}
    for parameter in template.parameters:
        for value in HOSTILE.values():
            yield template.fill({**real, parameter.name: value})
    path = template.fill(real)
    prefix = base_query(template)
    names = names_read(client, path, template)
    kind = query_kind(template, names)
    if kind in fuzzed_kinds:
        return
    fuzzed_kinds.add(kind)
    for value in [*HOSTILE.values(), str(world["annotation"].pk)]:
        if len(names) <= ONE_BY_ONE_UP_TO:
            for name in names:
                yield f"{path}?{prefix}{name}={value}"
        elif names:
            yield f"{path}?{prefix}" + "&".join(f"{name}={value}" for name in names)


def client_for(world, role):
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    session = world["sessions"][role]
    if session is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client


def failure(response, url):
    exc_info = getattr(response, "exc_info", None)
    error = f"{exc_info[0].__name__}: {exc_info[1]}"[:200] if exc_info else ""
    shown = url if len(url) < 200 else url[:120] + "…" + url[-60:]
    return f"{response.request['REQUEST_METHOD']} {shown} → {response.status_code} {error}"


@pytest.mark.parametrize("role", ROLES)
def test_no_url_answers_a_server_error(world, role, settings):
    """Every URL pattern with hostile path and query values answers below 500 for the role."""
    settings.MIDDLEWARE = [f"{__name__}.RecordQueryMiddleware", *settings.MIDDLEWARE]
    client = client_for(world, role)
    failures, tried, fuzzed_kinds = [], 0, set()
    for template in url_templates():
        for url in hostile_urls(client, template, world, fuzzed_kinds):
            response = answer(client, url)
            if response.status_code == 405:
                response = answer(client, url, "POST")
            tried += 1
            if response.status_code >= 500:
                failures.append(failure(response, url))
    assert tried > 500
    assert failures == [], "\n".join(failures[:30])


def test_every_url_pattern_is_fuzzed():
    """The fuzzing reaches the public pages, the container and the admin's own pages."""
    names = {template.name for template in url_templates()}
    for name in [
        "articleapp:annotation-container",
        "articleapp:tag-detail",
        "admin:articleapp_article_annotate",
        "admin:articleapp_annotation_changelist",
        "admin:autocomplete",
        "admin:articleapp_article_simple_history",
        "admin:view_on_site",
    ]:
        assert name in names
    assert len(names) > 90


def test_the_pages_own_parameters_are_found(world, settings):
    """Recording finds the parameters a page reads: the container's page and iris, the
    Annotate page's annotation, the list's search, order and filters, the autocomplete's term."""
    settings.MIDDLEWARE = [f"{__name__}.RecordQueryMiddleware", *settings.MIDDLEWARE]
    client = client_for(world, "editor")
    templates = {template.name: template for template in url_templates()}

    def read(name):
        template = templates[name]
        real = {p.name: real_value(template, p.name, world) for p in template.parameters}
        return set(names_read(client, template.fill(real), template))

    assert {"page", "iris"} <= read("articleapp:annotation-container")
    assert "annotation" in read("admin:articleapp_article_annotate")
    assert {"status", "q", "p"} <= read("admin:articleapp_annotation_changelist")
    assert "term" in read("admin:autocomplete")
