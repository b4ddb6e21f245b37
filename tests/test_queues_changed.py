"""The queue of annotations whose words an edit changed ("Nach Textänderung zu prüfen"):
listed with the words readers saw, confirmed with one click, counted on the article."""

import pytest
from django.db import transaction
from django.urls import reverse

from articleapp import textchanges
from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_user
from tests.support.forms import form_fields
from tests.support.pages import text
from tests.support.review_queues import in_language

CHANGED = reverse("admin:articleapp_changedannotation_changelist")
BEFORE = "Mistral AI baut mit dem Chiphersteller Nvidia in Paris."
AFTER = "Mistral AI baut mit dem Chip-Hersteller Nvidia in Paris."


def list_form(client, url):
    """A queue's changelist form as a browser would post it."""
    page = client.get(url)
    return page, dict(form_fields(text(page), form_id="changelist-form"))


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
