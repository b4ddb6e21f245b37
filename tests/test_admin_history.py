"""Old versions in the admin's history: viewed by those who may view, restored only by editors.

The attack of issue 11: a staff user of the group Exporters (view permissions only) opened the
form of an old version and posted it back with changed values; django-simple-history saved it.
"""

from unittest.mock import patch

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articleapp.models import Annotation, Article, Entity, Paragraph
from articleapp.reanchoring import reanchor_paragraph
from tests.support.factories import annotate_quote, make_article, make_entity, make_user
from tests.support.forms import form_fields, page_forms
from tests.support.html import visible_text

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


@pytest.mark.parametrize(
    ("group", "last"),
    [("Editors", "Anmerkung wiederherstellen"), ("Exporters", "Anmerkung ansehen")],
)
def test_an_old_versions_breadcrumbs_are_in_the_admins_words(draft, group, last):
    """The old version's page is named as the rest of the admin names things: the app's and the
    model's German names, not "Articleapp › Historical Anmerkungen"."""
    page = signed_in(member_of(group)).get(revert_url(draft))
    crumbs = " ".join(visible_text(page.content.decode()).split())
    assert "Start › Artikel und Anmerkungen › Anmerkungen › " in crumbs
    assert f"› Verlauf › {last}" in crumbs
    assert "Articleapp" not in crumbs and "Historical" not in crumbs


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


# The history list, readable ----------------------------------------------------------------

LONG_PARAGRAPH = (
    "Neben dem Geschäft mit KI-Modellen möchte Mistral sich auch als Cloud-Provider aufstellen. "
    "Auf der Viva Tech 2025 in Paris gab das Unternehmen eine entsprechende Partnerschaft mit "
    "Chiphersteller Nvidia bekannt. Demnach wollen beide Unternehmen gemeinsam eine Reihe von "
    "KI-Rechenzentren in Frankreich bauen. Damit kann Mistral dann nicht nur KI-Modelle, sondern "
    "auch Rechenkapazitäten anbieten, um mit Tech-Konzernen wie OpenAI mithalten zu können."
)


def history_page(client, obj, language=None):
    """The history list of ``obj`` as ``client`` sees it, in ``language`` if given."""
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse(f"admin:articleapp_{obj._meta.model_name}_history", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    return page, page.content.decode()


def changes_of(record):
    return {change.label: change for change in record.readable_changes}


@pytest.fixture
def edited_paragraph():
    """A long paragraph in which an editor replaced one word (and its annotation moved)."""
    paragraph = make_article(paragraphs=[LONG_PARAGRAPH]).paragraphs.get()
    annotate_quote(paragraph, "Nvidia", comment="Partner")
    paragraph.text = paragraph.text.replace("Chiphersteller", "dem Chip-Hersteller")
    paragraph._history_user = make_user(username="redakteurin")
    paragraph.save()
    reanchor_paragraph(paragraph)
    return paragraph


def test_a_one_word_edit_shows_that_word_removed_and_added(edited_paragraph):
    """The history of a long paragraph marks the changed word with <del>/<ins>, uncut."""
    page, html = history_page(signed_in(member_of("Editors")), edited_paragraph)
    assert "<del>Chiphersteller</del><ins>dem Chip-Hersteller</ins>" in html
    assert "chars]" not in html
    assert "um mit Tech-Konzernen wie OpenAI mithalten zu können." in html
    newest = page.context["page_obj"].object_list[0]
    assert list(changes_of(newest)) == ["Text"]  # the lock's version is bookkeeping
    assert "redakteurin" in html


def test_choices_show_their_labels_in_german_and_english(edited_paragraph):
    """Anchoring and status are shown by their labels, with field labels and headers in the
    interface language, German by default and English when chosen."""
    annotation = Annotation.objects.get(quote="Nvidia")
    annotation.status = Annotation.Status.DRAFT
    annotation.save()
    editor = signed_in(member_of("Editors"))
    page, german = history_page(editor, annotation)
    status = changes_of(page.context["page_obj"].object_list[0])["Status"]
    assert (status.old, status.new) == ("Veröffentlicht", "Entwurf")
    anchoring = changes_of(page.context["page_obj"].object_list[1])["Verankerung"]
    assert (anchoring.old, anchoring.new) == ("An ihrer Stelle", "Verschoben")
    assert "<del>An ihrer Stelle</del> → <ins>Verschoben</ins>" in german
    assert '<th scope="col">Änderungen</th>' in german and "Changes" not in german
    assert "moved" not in german and "published" not in german
    page, english = history_page(editor, annotation, language="en")
    assert "<del>Published</del> → <ins>Draft</ins>" in english
    assert "<del>In place</del> → <ins>Moved</ins>" in english
    assert "<dt>Anchor</dt>" in english and '<th scope="col">Changes</th>' in english


def test_no_none_and_no_empty_change_reason(edited_paragraph):
    """Without change reasons there is no reason column and nowhere a "None"; a given reason
    is shown."""
    editor = signed_in(member_of("Editors"))
    _, html = history_page(editor, edited_paragraph)
    assert "None" not in html and "Änderungsgrund" not in html
    newest = edited_paragraph.history.order_by("-history_id").first()
    edited_paragraph.history.filter(pk=newest.pk).update(history_change_reason="Tippfehler")
    _, html = history_page(editor, edited_paragraph)
    assert "Änderungsgrund" in html and "<td>Tippfehler</td>" in html
    assert "None" not in html


def test_entity_fields_by_label_and_related_objects_by_name():
    """A boolean is Ja/Nein, a kind its label, an annotation's entity its name."""
    entity = make_entity("Mistral AI", slug="mistral-ai")
    entity.is_public = True
    entity.kind = Entity.Kind.PERSON
    entity.save()
    editor = signed_in(member_of("Editors"))
    page, _ = history_page(editor, entity)
    changes = changes_of(page.context["page_obj"].object_list[0])
    assert (changes["Öffentlich"].old, changes["Öffentlich"].new) == ("Nein", "Ja")
    assert changes["Art"].new == "Person"
    paragraph = make_article(paragraphs=["Mistral AI baut."]).paragraphs.get()
    annotation = annotate_quote(paragraph, "Mistral AI")
    annotation.entity = entity
    annotation.save()
    page, _ = history_page(editor, annotation)
    change = changes_of(page.context["page_obj"].object_list[0])["Entität"]
    assert (change.old, change.new) == ("-", "Mistral AI")


def test_the_oldest_record_of_a_page_is_compared_with_the_next_page(edited_paragraph):
    """With one record a page, the newest still lists its change (the older one is on page 2)."""
    from django.contrib import admin

    paragraph_admin = admin.site._registry[Paragraph]
    editor = signed_in(member_of("Editors"))
    with patch.object(paragraph_admin, "history_list_per_page", 1):
        page, html = history_page(editor, edited_paragraph)
    assert len(page.context["page_obj"].object_list) == 1
    assert "<del>Chiphersteller</del>" in html


def test_the_date_opens_the_version_and_an_editor_restores_it(edited_paragraph):
    """The date of a version links to its form; an editor's post restores the old words and
    the history then shows the way back; an Exporter's post is refused."""
    editor = signed_in(member_of("Editors"))
    _, html = history_page(editor, edited_paragraph)
    oldest = edited_paragraph.history.order_by("history_id").first()
    url = revert_url(edited_paragraph)
    assert f'href="{url}"' in html and str(oldest.pk) in url
    exporter = signed_in(member_of("Exporters"))
    token = history_form(exporter, url)[1]["csrfmiddlewaretoken"]
    assert (
        exporter.post(url, {**superuser_form(url), "csrfmiddlewaretoken": token}).status_code == 403
    )
    page, data = history_form(editor, url)
    assert editor.post(url, data).status_code == 302
    edited_paragraph.refresh_from_db()
    assert edited_paragraph.text == LONG_PARAGRAPH
    _, html = history_page(editor, edited_paragraph)
    assert "<del>dem Chip-Hersteller</del><ins>Chiphersteller</ins>" in html


def test_history_page_queries_do_not_grow_with_versions():
    """Three versions or twelve of an annotation cost the same queries (related objects come
    with the records)."""
    paragraph = make_article(paragraphs=["Mistral AI baut in Paris."]).paragraphs.get()
    annotation = annotate_quote(paragraph, "Paris", entity=make_entity("Paris", slug="paris"))
    editor = signed_in(member_of("Editors"))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            history_page(editor, annotation)
        return len(captured)

    def edit(times):
        for number in range(times):
            annotation.comment = f"Fassung {number}"
            annotation.tags.set([f"t{number}"])
            annotation.save()

    edit(2)
    queries()  # the first request of a session also touches the session
    few = queries()
    edit(10)
    assert annotation.history.count() > 12
    assert queries() == few


def test_changed_text_is_escaped_inside_the_marks(draft):
    """Markup typed into a text field is shown as text inside <ins>, never as markup."""
    draft.comment = 'Entwurf <img src=x onerror="alert(1)">'
    draft.save()
    _, html = history_page(signed_in(member_of("Editors")), draft)
    assert "<ins> &lt;img src=x onerror=&quot;alert(1)&quot;&gt;</ins>" in html
    assert "<img src=x" not in html
