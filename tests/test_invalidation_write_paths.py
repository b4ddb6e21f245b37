"""Every write path (admin forms, the Annotate page, actions, review buttons, history restore,
both import commands), through real requests with CSRF checks, reaches readers at once."""

import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articleapp import invalidation
from articleapp.models import Annotation, Article
from tests.support.factories import make_user
from tests.support.forms import form_fields
from tests.support.reader_edits import (
    PUBLISHED,
    TEXT,
    assert_shows,
    draft,
    get_page,
    make_reader_article,
    orphan,
    published,
)


@pytest.fixture
def article(db):
    return make_reader_article()


@pytest.fixture
def reader(article, page_cache):
    """An anonymous reader's client whose page is in the page cache now."""
    reader = Client()
    get_page(reader, article)
    assert get_page(reader, article).query_count == 0
    return reader


@pytest.fixture
def editor(db):
    """A superuser's client that checks CSRF as browsers make it."""
    editor = Client(enforce_csrf_checks=True)
    editor.force_login(make_user(is_staff=True, is_superuser=True))
    return editor


def submit(client, url, form_id=None, post_to=None, **changes):
    """GET ``url``, fill in its form as a browser would, change fields, POST it; expect 302."""
    page = client.get(url)
    assert page.status_code == 200, url
    fields = {}
    for name, value in form_fields(page.content.decode(), form_id):
        fields.setdefault(name, []).append(value)
    fields.update({name: [str(value)] for name, value in changes.items()})
    response = client.post(post_to or url, fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def csrf_token(client, url):
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def change_url(obj):
    return reverse(f"admin:articleapp_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.django_db
def test_admin_change_form_reaches_readers(reader, editor, article):
    """An editor's save in the annotation's change form is on the reader's next view."""
    submit(editor, change_url(published()), "annotation_form", comment="Im Admin geändert")
    assert_shows(get_page(reader, article), "Im Admin geändert")


@pytest.mark.django_db
def test_annotate_page_reaches_readers(reader, editor, article):
    """A published annotation made on the Annotate page is on the reader's next view."""
    url = reverse("admin:articleapp_article_annotate", args=[article.pk])
    paragraph = article.paragraphs.get()
    start = paragraph.text.index("sagt")
    response = editor.post(
        url,
        {
            "csrfmiddlewaretoken": csrf_token(editor, url),
            "paragraph": paragraph.pk,
            "start": start,
            "end": start + len("sagt"),
            "quote": "sagt",
            "entity": "",
            "tags": "",
            "comment": "Auf der Annotate-Seite",
            "status": PUBLISHED,
        },
    )
    assert response.status_code == 302
    assert_shows(get_page(reader, article), "Auf der Annotate-Seite")


@pytest.mark.django_db
def test_admin_publish_action_reaches_readers(reader, editor, article):
    """The changelist's Publish action on a draft is on the reader's next view."""
    url = reverse("admin:articleapp_annotation_changelist")
    submit(editor, url, "changelist-form", action="publish", _selected_action=draft().pk)
    assert draft().is_published
    assert_shows(get_page(reader, article), "Entwurfsnotiz")


@pytest.mark.django_db
def test_review_accept_button_reaches_readers(reader, editor, article):
    """Accepting a suggestion on the review list publishes it on the reader's next view."""
    suggestion = draft()
    Annotation.objects.filter(pk=suggestion.pk).update(is_suggestion=True)
    url = reverse("admin:articleapp_suggestedannotation_changelist")
    accept = reverse("admin:articleapp_suggestedannotation_accept", args=[suggestion.pk])
    submit(editor, url, "changelist-form", post_to=accept)
    assert draft().is_published
    assert_shows(get_page(reader, article), "Nvidia")
    assert_shows(get_page(reader, article), "Entwurfsnotiz")


@pytest.mark.django_db
def test_history_restore_reaches_readers(reader, editor, article):
    """Restoring an earlier version from the history brings its comment back for readers."""
    annotation = published()
    first_version = annotation.history.earliest("history_id")
    submit(editor, change_url(annotation), "annotation_form", comment="Zwischenstand")
    assert_shows(get_page(reader, article), "Zwischenstand")
    url = reverse(
        "admin:articleapp_annotation_simple_history",
        args=[annotation.pk, first_version.history_id],
    )
    submit(editor, url, "historicalannotation_form")
    annotation.refresh_from_db()
    assert annotation.comment == "Erste Notiz"
    assert_shows(get_page(reader, article), "Erste Notiz")


@pytest.mark.django_db
def test_admin_delete_of_the_article_reaches_readers(reader, editor, article):
    """An article deleted in the admin is a 404 for the reader at once, not its cached page;
    its paragraphs and annotations go with it without a digest each."""
    url = reverse("admin:articleapp_article_delete", args=[article.pk])
    digests = mock.patch.object(invalidation, "content_digests", wraps=invalidation.content_digests)
    with digests as spy:
        submit(editor, url, post_to=url, post="yes")
    assert not Article.objects.filter(pk=article.pk).exists()
    assert spy.call_count == 0
    response = reader.get(article.get_absolute_url())
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", ["json", "w3c"])
def test_imported_annotations_reach_readers(reader, article, tmp_path, export_format):
    """Annotations imported from an export (written without model signals) are on the
    reader's next view, with or without tags."""
    orphan().delete()
    annotation = published()
    annotation.tags.clear()
    path = tmp_path / f"export.{export_format}"
    call_command(
        "export_annotations",
        "--format",
        export_format,
        "--article",
        article.slug,
        "--status",
        "published",
        "--output",
        str(path),
        verbosity=0,
    )
    annotation.delete()
    assert_shows(get_page(reader, article), "!Erste Notiz")
    assert get_page(reader, article).query_count == 0
    call_command("import_annotations", str(path), "--status", PUBLISHED, verbosity=0)
    assert_shows(get_page(reader, article), "Erste Notiz")


@pytest.mark.django_db
def test_reimported_article_reaches_readers(reader, article, tmp_path):
    """``import_article`` on an existing slug puts the new text before readers at once."""
    path = tmp_path / "artikel.txt"
    path.write_text(
        f"{article.kicker}\n\n{article.title}\n\n{TEXT} Neu importiert.\n\n({article.byline})\n",
        encoding="utf-8",
    )
    call_command("import_article", str(path), "--slug", article.slug, verbosity=0)
    assert_shows(get_page(reader, article), "Neu importiert.")
