"""The world the admin access test posts into: objects of every kind, a user for each role, and
a snapshot of every table a post to the admin could change."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.utils import timezone

from articleapp.models import Annotation, Entity
from articleapp.reanchoring import reanchor_paragraph
from tests.support.admin_pages import ANYONE, STAFF
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.pages import signed_in_session

ROLES = ("anonymous", "user", "staff", "exporter", "editor", "superuser")

SNAPSHOT_APPS = ("articleapp", "taggit", "auth", "axes", "admin")
FIRST_PARAGRAPH = "Mistral AI und Nvidia bauen in Frankreich Rechenzentren."
SECOND_PARAGRAPH = "Der Plan Verwaistwort stammt aus Paris von Quendolin Mayr."


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
