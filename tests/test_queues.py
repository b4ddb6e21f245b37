"""The review queues: titled by their names, snippets in whole words, bulk reject confirmed,
and the queue of annotations whose words an edit changed, confirmed with one click."""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from articleapp import suggestions, textchanges
from articleapp.models import Annotation, RejectedSuggestion
from tests.support.factories import annotate_quote, make_article, make_entity, make_user
from tests.support.forms import form_fields
from tests.support.pages import text

LONG_TEXT = (
    "Am Montag erklärte die Regierung in einer langen Mitteilung, dass Mistral AI und Nvidia "
    "gemeinsam bauen wollen, und zwar ausgerechnet in einer Gegend ohne jede Stromleitung."
)
SUGGESTIONS = reverse("admin:articleapp_suggestedannotation_changelist")
ORPHANS = reverse("admin:articleapp_orphanedannotation_changelist")


@pytest.fixture
def queue(db):
    make_entity("Mistral AI")
    make_entity("Nvidia")
    article = make_article(paragraphs=[LONG_TEXT])
    suggestions.suggest(article)
    return article


def list_form(client, url):
    """A queue's changelist form as a browser would post it."""
    page = client.get(url)
    return page, dict(form_fields(text(page), form_id="changelist-form"))


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


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


# The queue "Nach Textänderung zu prüfen": annotations whose words an edit changed.

CHANGED = reverse("admin:articleapp_changedannotation_changelist")
BEFORE = "Mistral AI baut mit dem Chiphersteller Nvidia in Paris."
AFTER = "Mistral AI baut mit dem Chip-Hersteller Nvidia in Paris."


@pytest.fixture
def edited(db):
    """A published comment on "Chiphersteller Nvidia", a moved one, and an edit of its words."""
    article = make_article(paragraphs=[BEFORE])
    paragraph = article.paragraphs.get()
    partnership = annotate_quote(paragraph, "Chiphersteller Nvidia", comment="Partnerschaft")
    paris = annotate_quote(paragraph, "Paris")
    with transaction.atomic():
        before = textchanges.before(article)
        paragraph.text = AFTER
        paragraph.save()
        textchanges.reconcile(before)
    partnership.refresh_from_db()
    paris.refresh_from_db()
    return article, partnership, paris


def test_an_edit_of_the_words_puts_the_annotation_in_the_queue(admin_client, edited):
    """Changed words: in the queue, with the words readers saw; moved words: not."""
    article, partnership, paris = edited
    assert partnership.anchor_status == Annotation.AnchorStatus.CHANGED
    assert paris.anchor_status == Annotation.AnchorStatus.MOVED
    response = admin_client.get(CHANGED)
    assert [row.pk for row in response.context["cl"].result_list] == [partnership.pk]
    page = text(response)
    assert "Chip-Hersteller Nvidia" in page and "Chiphersteller Nvidia" in page
    assert "<h1>Nach Textänderung zu prüfen</h1>" in page
    annotate = reverse("admin:articleapp_article_annotate", args=[article.pk])
    assert f'href="{annotate}?annotation={partnership.pk}#annotation-form"' in page
    assert f'formaction="{CHANGED}{partnership.pk}/confirm/"' in page


@pytest.mark.parametrize(
    ("language", "title", "button"),
    [
        ("de", "Nach Textänderung zu prüfen", "Bestätigen"),
        ("en", "To check after text changes", "Confirm"),
    ],
)
def test_the_queue_speaks_both_languages(admin_client, edited, language, title, button):
    """Title and button in German and English."""
    page = text(in_language(admin_client, language).get(CHANGED))
    assert f"<h1>{title}</h1>" in page and f">{button}</button>" in page


def test_one_click_confirms_and_readers_see_it_again(admin_client, edited):
    """Confirm on the row: in place, published against the new words, shown to readers."""
    _, partnership, _ = edited
    assert not Annotation.objects.published().filter(pk=partnership.pk).exists()
    _, data = list_form(admin_client, CHANGED)
    response = admin_client.post(f"{CHANGED}{partnership.pk}/confirm/", data)
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.anchor_status == Annotation.AnchorStatus.ANCHORED
    assert partnership.published_quote == "Chip-Hersteller Nvidia"
    assert Annotation.objects.published().filter(pk=partnership.pk).exists()
    assert not admin_client.get(CHANGED).context["cl"].result_list


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "de",
            "1 Anmerkung mit ihren neuen Wörtern bestätigt; 1 veröffentlichte ist für Leser "
            "wieder sichtbar.",
        ),
        (
            "en",
            "1 annotation confirmed with its new words; 1 published one is shown to readers again.",
        ),
    ],
)
def test_bulk_confirm_counts_in_the_singular(admin_client, edited, language, message):
    """The list action confirms the selected rows and says so, one in the singular."""
    _, partnership, _ = edited
    response = in_language(admin_client, language).post(
        CHANGED,
        {
            "action": "confirm",
            "_selected_action": [partnership.pk],
            f"version_{partnership.pk}": partnership.version,
        },
    )
    assert [str(m) for m in response.wsgi_request._messages] == [message]


def test_a_stale_confirm_changes_nothing(admin_client, edited):
    """Confirming words someone changed again since the list was read is refused."""
    article, partnership, _ = edited
    _, data = list_form(admin_client, CHANGED)
    partnership.comment = "Jemand war schneller."
    partnership.save()
    admin_client.post(f"{CHANGED}{partnership.pk}/confirm/", data)
    partnership.refresh_from_db()
    assert partnership.anchor_status == Annotation.AnchorStatus.CHANGED


def test_exporters_see_the_queue_but_cannot_confirm(client, edited):
    """View permission shows the queue without buttons; a confirm is 403."""
    _, partnership, _ = edited
    client.force_login(make_user(is_staff=True, permissions=["articleapp.view_annotation"]))
    page = text(client.get(CHANGED))
    assert "Chip-Hersteller Nvidia" in page and "rn-confirm" not in page
    assert client.post(f"{CHANGED}{partnership.pk}/confirm/").status_code == 403


def test_the_article_page_counts_each_state(admin_client, edited):
    """The article's change page counts in place, moved, changed (linked to the queue)."""
    article, _, _ = edited
    page = text(admin_client.get(reverse("admin:articleapp_article_change", args=[article.pk])))
    assert '<span class="rn-moved-count">1</span>' in page
    assert (
        f'<span class="rn-changed-count"><a href="{CHANGED}?paragraph__article__id__exact='
        f'{article.pk}">1</a></span>'
    ) in page
    assert '<span class="rn-orphan-count">0</span>' in page
    listing = text(admin_client.get(reverse("admin:articleapp_article_changelist")))
    assert f'href="{CHANGED}?paragraph__article__id__exact={article.pk}">1</a>' in listing


def test_the_annotation_list_shows_badges_and_filters_by_state(admin_client, edited):
    """Each row's state is a badge; the list filters by state and by what readers see."""
    _, partnership, paris = edited
    url = reverse("admin:articleapp_annotation_changelist")
    page = text(admin_client.get(url))
    assert '<span class="rn-anchor rn-anchor-changed">Wörter geändert</span>' in page
    assert '<span class="rn-anchor rn-anchor-moved">verschoben</span>' in page
    changed = admin_client.get(url, {"anchor_status__exact": "changed"}).context["cl"]
    assert [row.pk for row in changed.result_list] == [partnership.pk]
    hidden = admin_client.get(url, {"readers": "no"}).context["cl"]
    assert [row.pk for row in hidden.result_list] == [partnership.pk]
    shown = admin_client.get(url, {"readers": "yes"}).context["cl"]
    assert [row.pk for row in shown.result_list] == [paris.pk]


def test_the_annotate_page_shows_the_states(admin_client, edited):
    """On the Annotate page the changed one says it is hidden; opening it explains why."""
    article, partnership, _ = edited
    url = reverse("admin:articleapp_article_annotate", args=[article.pk])
    page = text(admin_client.get(url))
    assert "rn-anchor-changed" in page and "für Leser verborgen" in page
    assert "rn-anchor-moved" in page
    opened = text(admin_client.get(url, {"annotation": partnership.pk}))
    assert "Leser sahen „Chiphersteller Nvidia“" in opened


# --- review at scale: filters, and a confirmation that counts -----------------------------------

SCALE_TEXTS = [
    "Mistrals Pläne und Nvidias Chips.",
    "Laut Mistral wächst Nvidia. Die Nvidia-Aktie steigt.",
    "Mistral AI und Nvidia bauen.",
]


@pytest.fixture
def reviewer(client, db):
    """A staff user who may view, change (accept) and delete (reject) annotations, no more."""
    user = make_user(
        is_staff=True,
        permissions=[
            "articleapp.view_annotation",
            "articleapp.change_annotation",
            "articleapp.delete_annotation",
        ],
    )
    client.force_login(user)
    return in_language(client, "en")


@pytest.fixture
def many(db):
    mistral = make_entity(
        "Mistral AI", aliases=["Mistral"], is_ambiguous=True, ambiguity_note="auch ein Wind"
    )
    nvidia = make_entity("Nvidia")
    suggestions.suggest(make_article(paragraphs=SCALE_TEXTS))
    return mistral, nvidia


def listed(client, query):
    return {a.quote for a in client.get(SUGGESTIONS + query).context["cl"].result_list}


def test_the_list_filters_by_confidence_reason_entity_and_kind(reviewer, many):
    """The queue's filters choose suggestions by entity, kind, confidence and reason."""
    mistral, nvidia = many
    assert listed(reviewer, "?confidence__exact=1") == {"Mistrals", "Mistral"}
    assert listed(reviewer, "?confidence__exact=2") == {"Nvidias", "Nvidia"}
    assert listed(reviewer, "?reason__exact=compound") == {"Nvidia"}
    assert listed(reviewer, f"?entity__id__exact={mistral.pk}") == {
        "Mistrals",
        "Mistral",
        "Mistral AI",
    }
    kind = reviewer.get(SUGGESTIONS + "?entity__kind__exact=organisation").context["cl"]
    assert kind.result_count == 7
    assert reviewer.get(SUGGESTIONS + "?entity__kind__exact=place").context["cl"].result_count == 0


def test_the_list_shows_confidence_and_reason(reviewer, many):
    """Each row says how sure the gazetteer is and why."""
    page = text(reviewer.get(SUGGESTIONS + "?reason__exact=ambiguous"))
    assert "<strong>Low</strong>: Alias “Mistral”, genitive, ambiguous: auch ein Wind" in page
    assert "<strong>Low</strong>: Alias “Mistral”, ambiguous: auch ein Wind" in page
    nvidia = text(reviewer.get(SUGGESTIONS + "?reason__exact=compound"))
    assert "<strong>Medium</strong>: Name, part of a hyphenated compound" in nvidia


def test_a_suggestion_made_before_reasons_shows_a_dash(reviewer, many):
    """Suggestions stored before confidence and reason existed are listed without them."""
    Annotation.objects.filter(quote="Nvidias").update(confidence=None, reason="", matched_form="")
    page = text(reviewer.get(SUGGESTIONS + "?confidence__isnull=True"))
    assert '<td class="field-why">—</td>' in page


def across(client, action, query, **extra):
    """Post ``action`` for every suggestion the list's filters match ("Select all")."""
    shown = client.get(SUGGESTIONS + query).context["cl"].result_list
    data = {
        "action": action,
        "select_across": "1",
        "index": "0",
        "_selected_action": [a.pk for a in shown],
        **extra,
    }
    return client.post(SUGGESTIONS + query, data)


def confirmation_form(response, action):
    data = {}
    for name, value in form_fields(text(response), form_id=f"{action}-form"):
        data.setdefault(name, []).append(value)
    return data


def test_reject_all_matching_a_filter_after_a_counted_confirmation(reviewer, many):
    """Reject every low-confidence suggestion: the page counts them and names the filter."""
    query = "?confidence__exact=1"
    response = across(reviewer, "reject", query)
    page = text(response)
    assert response.status_code == 200
    assert "Reject 2 suggestions?" in page and 'value="Yes, reject 2 suggestions"' in page
    assert "Confidence: low" in page
    assert "<td>Mistral AI</td><td>Ambiguous</td><td>2</td>" in page
    assert Annotation.objects.suggestions().count() == 7
    done = reviewer.post(SUGGESTIONS + query, confirmation_form(response, "reject"))
    assert done.status_code == 302
    assert set(RejectedSuggestion.objects.values_list("quote", flat=True)) == {
        "Mistrals",
        "Mistral",
    }
    assert Annotation.objects.suggestions().count() == 5


def test_accept_all_of_an_entity_after_a_counted_confirmation(reviewer, many):
    """Accept every suggestion of one entity: asked first, then published."""
    mistral, nvidia = many
    query = f"?entity__id__exact={nvidia.pk}"
    response = across(reviewer, "accept", query)
    page = text(response)
    assert "Accept 4 suggestions and publish them?" in page and "Entity: Nvidia" in page
    assert not Annotation.objects.published().exists()
    reviewer.post(SUGGESTIONS + query, confirmation_form(response, "accept"))
    assert set(Annotation.objects.published().values_list("quote", flat=True)) == {
        "Nvidias",
        "Nvidia",
    }
    assert Annotation.objects.published().count() == 4


def test_a_changed_count_is_shown_again_not_acted_on(reviewer, many):
    """If the filter matches more rows by the time it is confirmed, nothing is done."""
    query = "?reason__exact=compound"
    response = across(reviewer, "reject", query)
    assert "Reject 1 suggestion?" in text(response)
    form = confirmation_form(response, "reject")
    suggestions.suggest(make_article(paragraphs=["Die Nvidia-Chips."]))
    again = reviewer.post(SUGGESTIONS + query, form)
    assert again.status_code == 200 and "Reject 2 suggestions?" in text(again)
    assert any("match 2 suggestions now" in str(m) for m in again.wsgi_request._messages)
    assert not RejectedSuggestion.objects.exists()


def test_only_rows_ticked_on_the_page_without_select_all(reviewer, many):
    """Without "Select all" the ticked rows alone are asked about, with their versions."""
    row = Annotation.objects.get(quote="Nvidias")
    data = {
        "action": "accept",
        "index": "0",
        "_selected_action": [row.pk],
        f"version_{row.pk}": row.version,
    }
    response = reviewer.post(SUGGESTIONS, data)
    assert "Accept 1 suggestion and publish it?" in text(response)
    form = confirmation_form(response, "accept")
    assert form[f"version_{row.pk}"] == [str(row.version)] and "select_across" not in form
    reviewer.post(SUGGESTIONS, form)
    assert list(Annotation.objects.published().values_list("quote", flat=True)) == ["Nvidias"]


def test_a_long_confirmation_lists_the_first_rows_and_counts_the_rest(reviewer, db):
    """Past 50 rows the page lists 50 and says how many more."""
    make_entity("Nvidia")
    suggestions.suggest(make_article(paragraphs=["Nvidia baut. " * 60]))
    page = text(across(reviewer, "reject", ""))
    assert "Reject 60 suggestions?" in page and "… and 10 more" in page
    assert "All suggestions in the list, unfiltered." in page
