"""The suggestion and orphan queues: titled by their names, snippets in whole words, a bulk
reject confirmed first."""

import pytest
from django.test import Client
from django.urls import reverse

from articleapp import suggestions
from articleapp.models import Annotation, RejectedSuggestion
from tests.support.factories import make_article, make_entity
from tests.support.forms import form_fields
from tests.support.pages import text
from tests.support.review_queues import SUGGESTIONS, in_language

LONG_TEXT = (
    "Am Montag erklärte die Regierung in einer langen Mitteilung, dass Mistral AI und Nvidia "
    "gemeinsam bauen wollen, und zwar ausgerechnet in einer Gegend ohne jede Stromleitung."
)

ORPHANS = reverse("admin:articleapp_orphanedannotation_changelist")


@pytest.fixture
def queue(db):
    make_entity("Mistral AI")
    make_entity("Nvidia")
    article = make_article(paragraphs=[LONG_TEXT])
    suggestions.suggest(article)
    return article


@pytest.mark.parametrize(
    ("language", "url", "title"),
    [
        ("de", SUGGESTIONS, "Zu prüfende Vorschläge"),
        ("en", SUGGESTIONS, "Suggestions to review"),
        ("de", ORPHANS, "Verwaiste Anmerkungen"),
        ("en", ORPHANS, "Orphaned annotations"),
    ],
)
def test_queue_titles_start_with_a_capital(admin_client, queue, language, url, title):
    """A queue is headed by its name, capitalised, not "zu prüfender Vorschlag zur Änderung…"."""
    page = text(in_language(admin_client, language).get(url))
    assert f"<h1>{title}</h1>" in page
    assert f"<title>{title} | Randnotiz</title>" in page


@pytest.mark.parametrize(("language", "title"), [("de", "Zu prüfender Vorschlag ändern")])
def test_a_queue_items_change_page_title_starts_with_a_capital(
    admin_client, queue, language, title
):
    """The change page of a queue's row is capitalised too."""
    annotation = Annotation.objects.suggestions().first()
    url = reverse("admin:articleapp_suggestedannotation_change", args=[annotation.pk])
    assert f"<h1>{title}</h1>" in text(in_language(admin_client, language).get(url))


def test_snippets_are_cut_between_words(admin_client, queue):
    """The context column shows whole words either side, with … only where text was cut."""
    cl = admin_client.get(SUGGESTIONS).context["cl"]
    contexts = [str(cl.model_admin.context(annotation)) for annotation in cl.result_list]
    expected = (
        "…in einer langen Mitteilung, dass <mark>Mistral AI</mark> und Nvidia gemeinsam bauen"
    )
    assert contexts[0] == expected + " wollen…"
    for context in contexts:
        before, rest = context.split("<mark>")
        after = rest.split("</mark>")[1]
        assert before.startswith("…") and after.endswith("…")
        words = LONG_TEXT.split()
        assert before[1:].split()[0] in words
        assert after[:-1].split()[-1].strip(",.") in [w.strip(",.") for w in words]


def test_a_short_paragraphs_snippet_has_no_ellipsis(admin_client, db):
    """Nothing cut, nothing marked as cut."""
    make_entity("Nvidia")
    suggestions.suggest(make_article(paragraphs=["Nvidia baut."]))
    annotation = Annotation.objects.get()
    cl = admin_client.get(SUGGESTIONS).context["cl"]
    assert str(cl.model_admin.context(annotation)) == "<mark>Nvidia</mark> baut."


def bulk_reject(client, annotations, **extra):
    data = {
        "action": "reject",
        "_selected_action": [annotation.pk for annotation in annotations],
        **{f"version_{annotation.pk}": annotation.version for annotation in annotations},
        **extra,
    }
    return client.post(SUGGESTIONS, data)


@pytest.mark.parametrize(
    ("language", "question", "button"),
    [
        ("de", "2 Vorschläge ablehnen?", "Ja, 2 Vorschläge ablehnen"),
        ("en", "Reject 2 suggestions?", "Yes, reject 2 suggestions"),
    ],
)
def test_bulk_reject_asks_first_with_the_count(admin_client, queue, language, question, button):
    """The action shows a confirmation that counts and lists the suggestions; nothing is gone."""
    rows = list(Annotation.objects.suggestions())
    response = bulk_reject(in_language(admin_client, language), rows)
    page = text(response)
    assert response.status_code == 200
    assert question in page and f'value="{button}"' in page
    assert "„Mistral AI“" in page or "“Mistral AI”" in page
    assert Annotation.objects.suggestions().count() == 2
    assert not RejectedSuggestion.objects.exists()


@pytest.mark.parametrize(
    ("language", "question"),
    [("de", "1 Vorschlag ablehnen?"), ("en", "Reject 1 suggestion?")],
)
def test_bulk_reject_of_one_is_singular(admin_client, queue, language, question):
    """One suggestion is asked about in the singular."""
    row = Annotation.objects.suggestions().first()
    assert question in text(bulk_reject(in_language(admin_client, language), [row]))


def test_confirming_the_bulk_reject_rejects_and_remembers(queue, admin_user):
    """The confirmation's own form, posted back with its CSRF token, rejects them all."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    page = client.get(SUGGESTIONS)
    token = dict(form_fields(text(page), form_id="changelist-form"))["csrfmiddlewaretoken"]
    rows = list(Annotation.objects.suggestions())
    confirmation = bulk_reject(client, rows, csrfmiddlewaretoken=token)
    data = {}
    for name, value in form_fields(text(confirmation), form_id="reject-form"):
        data.setdefault(name, []).append(value)
    response = client.post(SUGGESTIONS, data)
    assert response.status_code == 302
    assert not Annotation.objects.suggestions().exists()
    assert RejectedSuggestion.objects.count() == 2


def test_confirmation_keeps_the_versions_the_list_showed(admin_client, queue):
    """A suggestion changed after the list was read is not rejected by the confirmation."""
    rows = list(Annotation.objects.suggestions())
    page = text(bulk_reject(admin_client, rows))
    changed = rows[0]
    changed.comment = "Jemand war schneller."
    changed.save()
    data = {}
    for name, value in form_fields(page, form_id="reject-form"):
        data.setdefault(name, []).append(value)
    admin_client.post(SUGGESTIONS, data)
    assert list(Annotation.objects.suggestions()) == [changed]
    assert RejectedSuggestion.objects.count() == 1


def test_suggestions_are_rejected_not_deleted(queue, admin_user):
    """The suggestion queue offers Accept and Reject, not the site's "delete selected", whose
    deletion would forget the rejection and let the next gazetteer run suggest it again; a
    forged post of it (with a valid CSRF token) deletes nothing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    page = client.get(SUGGESTIONS)
    offered = [value for value, _ in page.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in offered
    assert {"accept", "reject"} <= set(offered)
    token = dict(form_fields(text(page), form_id="changelist-form"))["csrfmiddlewaretoken"]
    posted = client.post(
        SUGGESTIONS,
        {
            "csrfmiddlewaretoken": token,
            "action": "delete_selected",
            "_selected_action": [a.pk for a in Annotation.objects.suggestions()],
            "post": "yes",
        },
    )
    assert posted.status_code == 302  # back to the list: no such action here
    assert Annotation.objects.suggestions().count() == 2
