import re

import pytest
from django.urls import reverse

from articleapp import suggestions
from articleapp.models import Annotation, RejectedSuggestion
from tests.support.factories import make_article, make_entity, make_user
from tests.support.forms import form_fields

TEXT = "Mistral AI und Nvidia bauen in Paris. Mistral wächst."
CHANGELIST = reverse("admin:articleapp_suggestedannotation_changelist")


@pytest.fixture
def article(db):
    make_entity("Mistral AI", aliases=["Mistral"])
    make_entity("Nvidia")
    article = make_article(paragraphs=[TEXT])
    suggestions.suggest(article)
    return article


def suggestion(quote):
    return Annotation.objects.get(quote=quote)


def row_url(annotation, action):
    return reverse(f"admin:articleapp_suggestedannotation_{action}", args=[annotation.pk])


def list_form(client, query=""):
    """The review list's changelist form as a browser would post it."""
    page = client.get(CHANGELIST + query)
    return page, dict(form_fields(page.content.decode(), form_id="changelist-form"))


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def test_each_row_has_accept_and_reject_buttons_in_the_list_form(admin_client, article):
    """Each row's buttons submit the changelist form to the row's own URL; no script."""
    page, _ = list_form(admin_client)
    html = page.content.decode()
    nvidia = suggestion("Nvidia")
    start = html.index('<form id="changelist-form"')
    form = html[start : html.index("</form>", start)]
    # Accept is the default (primary) button, Reject a danger button (review.css): never alike.
    classes = {"accept": "button default rn-accept", "reject": "button rn-reject"}
    for action, label in [("accept", "Annehmen"), ("reject", "Ablehnen")]:
        assert f'formaction="{row_url(nvidia, action)}"' in form
        assert html.count(f'class="{classes[action]}"') == 3
        assert f">{label}</button>" in form
    assert "articleapp/admin/review.css" in html
    assert 'aria-label="„Nvidia“ annehmen und veröffentlichen"' in form
    assert 'aria-label="„Nvidia“ ablehnen"' in form
    assert "<script>" not in html and "onclick" not in html


def test_accept_one_row(admin_client, article):
    """Accept publishes that suggestion only and says so."""
    _, data = list_form(admin_client)
    nvidia = suggestion("Nvidia")
    response = admin_client.post(row_url(nvidia, "accept"), data)
    assert response.status_code == 302 and response.url == CHANGELIST
    nvidia.refresh_from_db()
    assert nvidia.is_published and not nvidia.is_suggestion
    assert Annotation.objects.suggestions().count() == 2
    assert messages_of(response) == ["1 Vorschlag angenommen und veröffentlicht."]
    assert nvidia.history.first().history_user.is_superuser


def test_reject_one_row_is_remembered(admin_client, article):
    """Reject deletes that suggestion and remembers its words for the gazetteer."""
    _, data = list_form(admin_client)
    mistral = suggestion("Mistral")
    response = admin_client.post(row_url(mistral, "reject"), data)
    assert response.status_code == 302
    assert not Annotation.objects.filter(pk=mistral.pk).exists()
    assert RejectedSuggestion.objects.get().quote == "Mistral"
    assert Annotation.objects.suggestions().count() == 2
    assert suggestions.suggest(article).created == 0


def test_row_buttons_keep_the_lists_filter(admin_client, article):
    """After a row's button the list opens again with the filter it had."""
    query = f"?paragraph__article__id__exact={article.pk}"
    page, data = list_form(admin_client, query)
    nvidia = suggestion("Nvidia")
    formaction = re.search(rf'formaction="([^"]*/{nvidia.pk}/accept/[^"]*)"', page.content.decode())
    url = formaction[1].replace("&amp;", "&")
    response = admin_client.post(url, data)
    assert response.url == CHANGELIST + query


def test_hostile_list_filters_are_encoded_not_echoed(admin_client, article):
    """A forged filter with a line break becomes part of a query string, not a header."""
    nvidia = suggestion("Nvidia")
    url = row_url(nvidia, "accept") + "?_changelist_filters=q%3Dx%0D%0ASet-Cookie%3A%20a%3Db"
    response = admin_client.post(url, {})
    assert response.status_code == 302
    assert response.url == CHANGELIST + "?q=x%0D%0ASet-Cookie%3A+a%3Db"


def test_row_changed_meanwhile_is_refused(admin_client, article):
    """A row whose suggestion someone edited since the list was shown is left alone."""
    _, data = list_form(admin_client)
    nvidia = suggestion("Nvidia")
    nvidia.comment = "Moment"
    nvidia.save()
    response = admin_client.post(row_url(nvidia, "accept"), data)
    nvidia.refresh_from_db()
    assert not nvidia.is_published and nvidia.comment == "Moment"
    assert any("während Sie daran gearbeitet haben" in m for m in messages_of(response))
    response = admin_client.post(row_url(nvidia, "reject"), data)
    assert Annotation.objects.filter(pk=nvidia.pk).exists()
    assert not RejectedSuggestion.objects.exists()


def test_row_accepted_or_rejected_by_someone_else(admin_client, article):
    """A suggestion accepted or rejected meanwhile is reported, not reviewed twice."""
    _, data = list_form(admin_client)
    nvidia, mistral = suggestion("Nvidia"), suggestion("Mistral")
    suggestions.accept(nvidia)
    nvidia.save()
    suggestions.reject(mistral)
    accepted = admin_client.post(row_url(nvidia, "reject"), data)
    assert accepted.status_code == 302
    assert Annotation.objects.get(pk=nvidia.pk).is_published
    assert any("Die Anmerkung „Nvidia“ wurde am" in m for m in messages_of(accepted))
    rejected = admin_client.post(row_url(mistral, "accept"), data)
    assert rejected.status_code == 302
    assert any("gelöscht" in m for m in messages_of(rejected))


@pytest.mark.parametrize("pk", ["999999", "abc", "1²"])
def test_unknown_row_is_a_404(admin_client, article, pk):
    """A row that never was, or no number at all, is not found."""
    url = reverse("admin:articleapp_suggestedannotation_changelist") + f"{pk}/accept/"
    assert admin_client.post(url, {}).status_code == 404


def test_row_buttons_accept_only_posts(admin_client, article):
    """A GET of a row's button URL changes nothing."""
    nvidia = suggestion("Nvidia")
    assert admin_client.get(row_url(nvidia, "accept")).status_code == 405
    assert Annotation.objects.get(pk=nvidia.pk).is_suggestion


def test_post_without_a_version_uses_the_stored_one(admin_client, article):
    """A post lacking the row's version (no list form) still reviews the current version."""
    nvidia = suggestion("Nvidia")
    assert admin_client.post(row_url(nvidia, "accept"), {}).status_code == 302
    assert Annotation.objects.get(pk=nvidia.pk).is_published


def test_buttons_and_views_follow_permissions(client, article):
    """Who may change sees Accept; who may delete sees Reject; the views check it too."""
    reviewer = make_user(
        is_staff=True,
        permissions=["articleapp.view_annotation", "articleapp.change_annotation"],
    )
    client.force_login(reviewer)
    html = client.get(CHANGELIST).content.decode()
    assert "rn-accept" in html and "rn-reject" not in html
    mistral = suggestion("Mistral")
    assert client.post(row_url(mistral, "reject"), {}).status_code == 403
    assert Annotation.objects.filter(pk=mistral.pk).exists()
    reader = make_user(is_staff=True, permissions=["articleapp.view_annotation"])
    client.force_login(reader)
    html = client.get(CHANGELIST).content.decode()
    assert "rn-accept" not in html and "rn-reject" not in html
    assert client.post(row_url(mistral, "accept"), {}).status_code == 403
    assert Annotation.objects.get(pk=mistral.pk).is_suggestion


def test_anonymous_visitors_are_sent_to_the_login(client, article):
    """The buttons' URLs are admin pages: no session, no review."""
    nvidia = suggestion("Nvidia")
    response = client.post(row_url(nvidia, "accept"), {})
    assert response.status_code == 302 and "/login/" in response.url
    assert Annotation.objects.get(pk=nvidia.pk).is_suggestion
