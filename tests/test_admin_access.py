"""Every admin page, every role: a POST changes stored data only for those who hold the right.

For each page of the admin site (``tests.support.admin_pages``: the site's own pages and every
URL of every registered ModelAdmin, changelist actions, add, change, delete, history, an old
version's form, the Annotate page, the review queues, ``/admin/r/``), each role GETs the page,
then posts the page's form back with changed values (``tests.support.forms.changed_data``),
with CSRF checks on and the CSRF token of its own session. The form is always the one a
superuser sees, the fullest there is, so a role that may not open the page, or sees it read-only,
still posts every field. Before and after, every row of the app's models, their history, the
tags, users, groups, permissions, the admin log and the sign-in records is read: unless the
role holds what ``Probe.needs`` names, nothing may differ. For the superuser, the same post must
change something (except where ``INERT`` says why not), which shows that the changed forms are
valid and the comparison can fail.

The world is built once for the module; each test runs in a savepoint and is rolled back.
"""

from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articleapp.models import Annotation, Article, Entity
from articleapp.reanchoring import reanchor_paragraph
from tests.support.admin_pages import ANYONE, STAFF, admin_probes
from tests.support.factories import annotate_quote, built_once, make_article, make_entity
from tests.support.forms import changed_data, django_fields, page_forms
from tests.support.pages import signed_in_session

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "user", "staff", "exporter", "editor", "superuser")
PROBES = admin_probes()
SNAPSHOT_APPS = ("articleapp", "taggit", "auth", "axes", "admin")
FIRST_PARAGRAPH = "Mistral AI und Nvidia bauen in Frankreich Rechenzentren."
SECOND_PARAGRAPH = "Der Plan Verwaistwort stammt aus Paris von Quendolin Mayr."
NEW_ANNOTATION_WORDS = "Rechenzentren"

PAGES_WITHOUT_ARGUMENTS = {
    "changelist",
    "add",
    "index",
    "login",
    "logout",
    "jsi18n",
    "password_change",
    "password_change_done",
    "taggit_tag_merge_tags",
    "articleapp_annotation_comment_preview",
}

# Pages where even a superuser's post changes nothing, and why.
INERT = {
    "articleapp_suggestedannotation_add": "suggestions come from the gazetteer, not a form",
    "articleapp_orphanedannotation_add": "orphans come from text changes, not a form",
    "articleapp_changedannotation_add": "changed words come from text changes, not a form",
    "axes_accessattempt_add": "sign-in records are made by signing in",
    "axes_accesslog_add": "sign-in records are made by signing in",
    "axes_accessfailurelog_add": "sign-in records are made by signing in",
    "axes_accessattempt_change": "every field of a sign-in record is read-only",
    "axes_accesslog_change": "every field of a sign-in record is read-only",
    "axes_accessfailurelog_change": "every field of a sign-in record is read-only",
    "password_change": "the form needs the user's current password, which the test cannot know",
    "articleapp_orphanedannotation_change": "an orphan's words are gone: only the Annotate page "
    "re-attaches it",
    "articleapp_suggestedannotation_simple_history": "redirects to the annotation's history",
    "articleapp_orphanedannotation_simple_history": "redirects to the annotation's history",
    "articleapp_changedannotation_simple_history": "redirects to the annotation's history",
    "axes_accessattempt_changelist:cleanup_expired_attempts": "no attempt has expired yet",
    "taggit_tag_changelist:render_tag_form": "it only chooses the tags for the merge page",
}


def build_world():
    """An article with a published annotation, a draft suggestion and an orphan; the roles."""
    article = make_article(paragraphs=[FIRST_PARAGRAPH, SECOND_PARAGRAPH], title="Erster Titel")
    article.title = "Rechenzentren in Frankreich"
    article.save()  # a second version, to restore the first
    first, second = article.paragraphs.order_by("position")
    mistral = make_entity("Mistral AI", tags=["Firma"])
    nvidia = make_entity("Nvidia")
    # Not annotated yet: the gazetteer suggests it, and it can be deleted.
    france = make_entity("Frankreich", kind=Entity.Kind.PLACE, tags=["Ort"])
    annotate_quote(first, "Mistral AI", entity=mistral, tags=["oeffentlich"])
    draft = annotate_quote(
        first,
        "Nvidia",
        entity=nvidia,
        comment="Geheimer Entwurf",
        tags=["Entwurfs-Tag"],
        status=Annotation.Status.DRAFT,
        is_suggestion=True,
    )
    orphan = annotate_quote(second, "Verwaistwort", comment="Verwaist")
    changed = annotate_quote(second, "Quendolin Mayr", comment="Geändert")
    second.text = "Der Plan stammt aus Paris von Quendolin K. Mayr."
    second.save()
    reanchor_paragraph(second)
    orphan.refresh_from_db()
    changed.refresh_from_db()
    assert orphan.is_orphaned and changed.has_changed_words
    now = timezone.now()
    sign_in = {"ip_address": "192.0.2.1", "user_agent": "Test", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(
        username="jemand", failures_since_start=1, attempt_time=now, **sign_in
    )
    AccessLog.objects.create(username="jemand", attempt_time=now, **sign_in)
    AccessFailureLog.objects.create(username="jemand", attempt_time=now, **sign_in)
    target_user = get_user_model().objects.create(username="zielperson")
    users = {role: make_role(role) for role in ROLES}
    return {
        "targets": {
            "articleapp.Article": article.pk,
            "articleapp.Paragraph": first.pk,
            "articleapp.Entity": france.pk,
            "articleapp.Annotation": draft.pk,
            "articleapp.SuggestedAnnotation": draft.pk,
            "articleapp.OrphanedAnnotation": orphan.pk,
            "articleapp.ChangedAnnotation": changed.pk,
            "auth.User": target_user.pk,
            "auth.Group": Group.objects.get(name="Exporters").pk,
        },
        "article": article.pk,
        "draft": draft.pk,
        "changed": changed.pk,
        "annotation_type": ContentType.objects.get_for_model(Annotation).pk,
        "users": {role: user.pk if user else None for role, user in users.items()},
        "sessions": {role: signed_in_session(user) for role, user in users.items()},
    }


def make_role(role):
    """The user of ``role``: staff of a group, staff without one, a plain user, or nobody."""
    if role == "anonymous":
        return None
    user = get_user_model().objects.create(
        username=f"{role}-rolle",
        is_staff=role != "user",
        is_superuser=role == "superuser",
    )
    group = {"editor": "Editors", "exporter": "Exporters"}.get(role)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        cache.clear()
        yield build_world()
    cache.clear()


def client_for(world, role):
    client = Client(enforce_csrf_checks=True)
    session = world["sessions"][role]
    if session is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client


def snapshot_tables():
    """The tables of the app's models, their history, tags, users, the admin log and axes."""
    return sorted(
        {
            model._meta.db_table
            for label in SNAPSHOT_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        }
    )


def snapshot():
    """Every row of every table a POST to the admin could change, by table.

    Plain SQL: the ORM would spend more time building the queries than running them.
    """
    tables = {}
    with connection.cursor() as cursor:
        for table in snapshot_tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            tables[table] = sorted(cursor.fetchall(), key=repr)
    return tables


def differences(before, after):
    return sorted(table for table in before if before[table] != after[table])


def may_write(world, role, needs):
    """Whether ``role`` holds everything ``needs`` names (see ``tests.support.admin_pages``)."""
    if not needs:
        return False
    if ANYONE in needs:
        return True
    pk = world["users"][role]
    if pk is None:
        return False
    user = get_user_model().objects.get(pk=pk)
    if STAFF in needs:
        return user.is_active and user.is_staff
    return user.has_perms(needs)


def target(world, probe):
    """The object a page of ``probe``'s model is opened for: named in the world, else the first."""
    if probe.model in world["targets"]:
        return world["targets"][probe.model]
    model = apps.get_model(probe.model)
    return model._base_manager.order_by("pk").values_list("pk", flat=True).first()


def oldest_version(model_label, pk):
    model = apps.get_model(model_label)._meta.concrete_model
    return model.history.filter(**{model._meta.pk.attname: pk}).order_by("history_id").first()


def request_for(world, probe):
    """``(url, source_url, form_id)``: where to post, which page's form, and which form there."""
    name, kind = f"admin:{probe.url_name}", probe.kind
    if kind in PAGES_WITHOUT_ARGUMENTS:
        url = reverse(name)
    elif kind == "app_list":
        url = reverse(name, kwargs={"app_label": "articleapp"})
    elif kind == "autocomplete":
        url = f"{reverse(name)}?app_label=articleapp&model_name=annotation&field_name=entity"
    elif kind == "view_on_site":
        url = reverse(name, args=[world["annotation_type"], world["draft"]])
    elif kind == "catch_all":
        url = "/admin/keine-solche-seite/"
    elif kind == "simple_history":
        pk = target(world, probe)
        url = reverse(name, args=[pk, oldest_version(probe.model, pk).history_id])
    elif kind == "redirect":
        model = apps.get_model(probe.model)._meta
        changelist = reverse(f"admin:{model.app_label}_{model.model_name}_changelist")
        url = f"{changelist}{target(world, probe)}/"
    elif kind == "articleapp_article_annotate":
        url = reverse(name, args=[world["article"]])
        if probe.variant != "new":
            url += f"?annotation={world['draft']}"
    elif kind == "articleapp_article_suggest":
        source = reverse("admin:articleapp_article_change", args=[world["article"]])
        return reverse(name, args=[world["article"]]), source, None
    elif kind in {"articleapp_suggestedannotation_accept", "articleapp_suggestedannotation_reject"}:
        source = reverse("admin:articleapp_suggestedannotation_changelist")
        return reverse(name, args=[world["draft"]]), source, "changelist-form"
    elif kind == "articleapp_changedannotation_confirm":
        source = reverse("admin:articleapp_changedannotation_changelist")
        return reverse(name, args=[world["changed"]]), source, "changelist-form"
    else:  # change, delete, history, the user's password
        url = reverse(name, args=[target(world, probe)])
    return url, url, None


def the_form(html, url, form_id=None):
    """The page's form that posts to ``url`` (or the one with ``form_id``), if there is one."""
    path = urlsplit(url).path
    for form in page_forms(html):
        if form_id is not None:
            if form.id == form_id:
                return form
        elif form.method == "post" and urlsplit(form.action).path in {"", path}:
            return form
    return None


FORMS = {}  # the superuser's form of each probe: the world is the same at every test's start


def source_data(world, probe, url, source, form_id):
    """The changed values of the form a superuser (or, to sign in, a visitor) gets at ``source``."""
    if probe.id not in FORMS:
        viewer_role = "anonymous" if probe.kind == "login" else "superuser"
        viewer = client_for(world, viewer_role)
        prepare(world, probe, viewer, viewer_role)
        page = viewer.get(source)
        form = the_form(page.content.decode(), url, form_id) if page.status_code == 200 else None
        data = [] if form is None else changed_data(form, django_fields(page))
        if form is not None:  # the changelist's row boxes, to tick
            data += [(c.name, c.value) for c in form.controls if c.name == ACTION_CHECKBOX_NAME]
        FORMS[probe.id] = [(name, value) for name, value in data if name != "csrfmiddlewaretoken"]
    return adapted(world, probe, FORMS[probe.id])


def adapted(world, probe, data):
    """What a page's own script or buttons add to its form."""
    if probe.kind == "changelist":
        selected = [value for name, value in data if name == ACTION_CHECKBOX_NAME]
        rows = [(n, v) for n, v in data if n not in {"action", ACTION_CHECKBOX_NAME}]
        if not probe.variant:
            return [*rows, ("action", "")]
        rows += [("action", probe.variant), ("index", "0")]
        if probe.variant == "delete_selected":  # protected rows would stop the whole deletion
            selected = [str(target(world, probe))]
        return rows + [(ACTION_CHECKBOX_NAME, pk) for pk in selected]
    if probe.kind == "articleapp_article_annotate":
        if probe.variant == "delete":
            return [*data, ("delete", "Löschen")]
        if probe.variant == "new":
            return [*without(data, SELECTION_FIELDS), *selection(world)]
        # Editing, the selection stays as the script shows it; the editor changes the rest.
        return [*without(data, SELECTION_FIELDS), *selection(world, world["draft"])]
    return data


def without(data, names):
    return [(name, value) for name, value in data if name not in names]


SELECTION_FIELDS = {"paragraph", "start", "end", "quote"}


def selection(world, annotation_pk=None):
    """What the Annotate page's script posts: the words the editor selects, or those of the
    annotation being edited."""
    if annotation_pk is not None:
        annotation = Annotation.objects.get(pk=annotation_pk)
        paragraph, start, words = annotation.paragraph, annotation.start, annotation.quote
    else:
        paragraph = Article.objects.get(pk=world["article"]).paragraphs.get(position=1)
        start, words = paragraph.text.index(NEW_ANNOTATION_WORDS), NEW_ANNOTATION_WORDS
    return [
        ("paragraph", str(paragraph.pk)),
        ("start", str(start)),
        ("end", str(start + len(words))),
        ("quote", words),
    ]


def tokens_in(html):
    return [
        value
        for form in page_forms(html)
        for name, value in form.data()
        if name == "csrfmiddlewaretoken"
    ]


def csrf_token(client, role, page):
    """The CSRF token of ``client``'s session: from the page it got, or a page it may open."""
    tokens = tokens_in(page.content.decode())
    if not tokens:
        fallback = "/admin/login/" if role in {"anonymous", "user"} else "/admin/password_change/"
        tokens = tokens_in(client.get(fallback).content.decode())
    return tokens[0]


def prepare(world, probe, client, role):
    """Steps a page needs before its form: taggit's merge page merges the tags chosen before."""
    if probe.kind == "taggit_tag_merge_tags":
        changelist = reverse("admin:taggit_tag_changelist")
        token = csrf_token(client, role, client.get(changelist))
        tags = apps.get_model("taggit.Tag")._base_manager.values_list("pk", flat=True)
        post(
            client,
            changelist,
            [("action", "render_tag_form"), ("index", "0"), ("csrfmiddlewaretoken", token)]
            + [(ACTION_CHECKBOX_NAME, str(pk)) for pk in tags],
        )


def post(client, url, pairs):
    """POST ``(name, value)`` pairs as a browser sends a form: a name may come several times."""
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return client.post(url, data)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("probe", PROBES, ids=lambda probe: probe.id)
def test_a_post_changes_nothing_without_the_right(world, probe, role):
    """The role posts the page's form with changed values; the database changes only if the
    role holds the permissions the page needs."""
    assert not probe.problem, f"{probe.id}: {probe.problem}"
    url, source, form_id = request_for(world, probe)
    data = source_data(world, probe, url, source, form_id)
    client = client_for(world, role)
    allowed = may_write(world, role, probe.needs)
    before = snapshot()
    own = client.get(source)
    assert own.status_code < 500, f"GET {source}: {own.status_code}"
    token = csrf_token(client, role, own)
    prepare(world, probe, client, role)
    response = post(client, url, [*data, ("csrfmiddlewaretoken", token)])
    assert response.status_code < 500, f"POST {url}: {response.status_code}"
    assert response.status_code != 403 or b"CSRF" not in response.content, "CSRF refused"
    if probe.kind == "changelist" and probe.variant and response.status_code == 200:
        confirmation = the_form(response.content.decode(), url)
        if confirmation is not None:  # delete_selected asks first: confirm it
            response = post(client, url, confirmation.data())
            assert response.status_code < 500
    changed = differences(before, snapshot())
    if not allowed:
        assert changed == [], f"{role} changed {changed} by POST {url}"
    elif role == "superuser" and probe.needs != (ANYONE,) and probe.id not in INERT:
        assert changed, f"the superuser's POST {url} changed nothing: is the form valid?"


def test_every_admin_page_is_classified():
    """Each URL of the admin is known, with who may write there; none is left unjudged."""
    assert [probe.id for probe in PROBES if probe.problem] == []
    assert [name for name in INERT if name not in {probe.id for probe in PROBES}] == []


def test_the_probes_cover_what_the_issue_names():
    """Changelist actions, add, change, delete, history, restore, the Annotate page, the review
    queues and /admin/r/ are all among the probes."""
    ids = {probe.id for probe in PROBES}
    for expected in [
        "articleapp_annotation_changelist:publish",
        "articleapp_annotation_changelist:delete_selected",
        "articleapp_annotation_add",
        "articleapp_annotation_change",
        "articleapp_annotation_delete",
        "articleapp_annotation_history",
        "articleapp_annotation_simple_history",
        "articleapp_article_annotate:new",
        "articleapp_article_annotate:edit",
        "articleapp_suggestedannotation_accept",
        "articleapp_orphanedannotation_changelist",
        "articleapp_changedannotation_changelist:confirm",
        "articleapp_changedannotation_confirm",
        "view_on_site",
        "taggit_tag_merge_tags",
    ]:
        assert expected in ids
