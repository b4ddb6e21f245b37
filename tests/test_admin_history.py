"""Old versions in the admin's history: viewed by those who may view, restored only by editors.

The attack of issue 11: a staff user of the group Exporters (view permissions only) opened the
form of an old version and posted it back with changed values; django-simple-history saved it.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client, override_settings
from django.urls import reverse

from articleapp.models import Annotation, Article, Entity, Paragraph
from tests.support.factories import annotate_quote, make_article, make_entity, make_user
from tests.support.forms import form_fields, page_forms

pytestmark = pytest.mark.django_db


def member_of(group_name):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def signed_in(user):
    """A client that checks CSRF as browsers make it, signed in as ``user``."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def draft():
    """A draft annotation with an entity, one tag and a comment, and its history record."""
    paragraph = make_article(paragraphs=["Mistral AI baut in Paris."]).paragraphs.get()
    return annotate_quote(
        paragraph,
        "Paris",
        entity=make_entity("Paris", slug="paris"),
        comment="Entwurf",
        tags=["Ort"],
        status=Annotation.Status.DRAFT,
    )


def revert_url(obj):
    record = type(obj).history.filter(id=obj.pk).order_by("history_id").first()
    return reverse(
        f"admin:articleapp_{obj._meta.model_name}_simple_history", args=[obj.pk, record.pk]
    )


def history_form(client, url):
    """GET the old version's form; return the page and its fields as a browser sends them."""
    page = client.get(url)
    assert page.status_code == 200
    return page, dict(form_fields(page.content.decode(), form_id=page_form_id(page)))


def page_form_id(page):
    return f"{page.context['opts'].model_name}_form"


def superuser_form(url):
    """The fields of the old version's form as a superuser sees it: every field editable."""
    admin = Client()
    admin.force_login(make_user(is_staff=True, is_superuser=True))
    return history_form(admin, url)[1]


def test_exporter_cannot_publish_a_draft_through_its_history(draft):
    """The reported attack: a draft published with a new comment by an Exporter is refused."""
    url = revert_url(draft)
    data = superuser_form(url)
    exporter = signed_in(member_of("Exporters"))
    _, own = history_form(exporter, url)
    data.update(
        csrfmiddlewaretoken=own["csrfmiddlewaretoken"],
        status=Annotation.Status.PUBLISHED,
        comment="Veröffentlicht von jemandem ohne Recht dazu",
    )
    response = exporter.post(url, data)
    assert response.status_code == 403
    draft.refresh_from_db()
    assert (draft.status, draft.comment, draft.version) == ("draft", "Entwurf", 1)
    assert draft.history.count() == 1


@pytest.mark.parametrize(
    ("build", "field", "value"),
    [
        (lambda: make_article(title="Vorher"), "title", "Verunstaltet"),
        (lambda: make_article(paragraphs=["Vorher."]).paragraphs.get(), "text", "Verunstaltet."),
        (lambda: make_entity("Vorher", slug="vorher"), "name", "Verunstaltet"),
    ],
    ids=["article", "paragraph", "entity"],
)
def test_exporter_cannot_change_anything_through_the_history(build, field, value):
    """Articles, paragraphs and entities: the old version's form posted back is refused too."""
    obj = build()
    url = revert_url(obj)
    data = superuser_form(url)
    exporter = signed_in(member_of("Exporters"))
    data.update(csrfmiddlewaretoken=history_form(exporter, url)[1]["csrfmiddlewaretoken"])
    data[field] = value
    assert exporter.post(url, data).status_code == 403
    obj.refresh_from_db()
    assert getattr(obj, field) != value
    assert type(obj).history.filter(id=obj.pk).count() == 1


def test_the_exporters_history_page_is_read_only(draft):
    """An Exporter sees the old version with every field disabled and no Revert button."""
    page, fields = history_form(signed_in(member_of("Exporters")), revert_url(draft))
    form = page.context["adminform"].form
    assert form.fields and all(field.disabled for field in form.fields.values())
    assert set(fields) == {"csrfmiddlewaretoken"}
    html = page.content.decode()
    assert 'name="_save"' not in html
    assert "Entwurf" in html  # the version is still shown
    assert page.context["revert_disabled"]


def test_an_editor_still_restores_an_old_version(draft):
    """Editors keep the Revert button, and posting the form restores the version."""
    url = revert_url(draft)
    Annotation.objects.filter(pk=draft.pk).update(comment="Später", version=2)
    editor = signed_in(member_of("Editors"))
    page, data = history_form(editor, url)
    assert 'name="_save"' in page.content.decode()
    assert not page.context["revert_disabled"]
    response = editor.post(url, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.comment, draft.version) == ("Entwurf", 3)


@override_settings(SIMPLE_HISTORY_REVERT_DISABLED=True)
def test_revert_disabled_for_the_site_refuses_every_post(draft):
    """With SIMPLE_HISTORY_REVERT_DISABLED nobody restores, superusers included."""
    url = revert_url(draft)
    admin = signed_in(make_user(is_staff=True, is_superuser=True))
    page, data = history_form(admin, url)
    assert all(field.disabled for field in page.context["adminform"].form.fields.values())
    assert admin.post(url, {**superuser_form(url), **data}).status_code == 403


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_unsafe_methods_are_refused_too(draft, method):
    """Only GET and HEAD are reads; anything else from a view-only user is refused."""
    exporter = signed_in(member_of("Exporters"))
    token = history_form(exporter, revert_url(draft))[1]["csrfmiddlewaretoken"]
    response = getattr(exporter, method)(revert_url(draft), headers={"X-CSRFToken": token})
    assert response.status_code in (403, 405)


@pytest.mark.parametrize("version", ["999999", "x", "²"])
def test_an_unknown_version_is_404(version):
    """A version that does not exist, or an id that is no number, is 404 and never a 500."""
    article = make_article()
    url = reverse("admin:articleapp_article_simple_history", args=[article.pk, version])
    admin = Client()
    admin.force_login(make_user(is_staff=True, is_superuser=True))
    assert admin.get(url).status_code == 404
    assert admin.post(url, {"title": "x"}).status_code == 404
    assert Article.objects.get(pk=article.pk).title == article.title


def test_history_models_are_the_ones_the_admin_guards():
    """Every model with a history in the admin uses the guarded history admin."""
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    from articleapp.admin_history import GuardedHistoryAdmin

    history_admins = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert {model_admin.model for model_admin in history_admins} >= {
        Article,
        Paragraph,
        Entity,
        Annotation,
    }
    assert all(isinstance(model_admin, GuardedHistoryAdmin) for model_admin in history_admins)


def test_page_forms_reads_disabled_controls_as_not_sent():
    """The helper sends what a browser sends: disabled controls are left out."""
    html = '<form><input name="a" value="1"><input name="b" value="2" disabled></form>'
    assert page_forms(html)[0].data() == [("a", "1")]
