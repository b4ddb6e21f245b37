import pytest
from django.urls import reverse

from articleapp import suggestions
from articleapp.locking import VersionConflict
from articleapp.models import Annotation, RejectedSuggestion
from tests.support.factories import annotate_quote, make_article, make_entity, make_user

TEXT = "Mistral AI und Nvidia bauen in Paris. Mistral wächst."


@pytest.fixture
def article(db):
    make_entity("Mistral AI", aliases=["Mistral"])
    make_entity("Nvidia")
    return make_article(paragraphs=[TEXT])


def test_suggest_creates_draft_suggestions_for_every_mention(article):
    """Each whole-word mention, longest per entity, becomes a draft suggestion."""
    report = suggestions.suggest(article)
    assert report.created == 3
    quotes = sorted(Annotation.objects.suggestions().values_list("quote", flat=True))
    assert quotes == ["Mistral", "Mistral AI", "Nvidia"]
    assert not Annotation.objects.published().exists()
    assert all(a.status == Annotation.Status.DRAFT for a in Annotation.objects.all())


def test_suggest_twice_creates_nothing_new(article):
    """Running it again finds every span already annotated."""
    suggestions.suggest(article)
    again = suggestions.suggest(article)
    assert again.created == 0 and again.already_annotated == 3
    assert Annotation.objects.count() == 3


def test_suggest_skips_spans_annotated_by_an_editor(article):
    """A span an editor already annotated is not suggested."""
    annotate_quote(article.paragraphs.get(), "Nvidia", comment="schon da")
    report = suggestions.suggest(article)
    assert report.created == 2 and report.already_annotated == 1


def test_rejected_span_is_not_suggested_again(article):
    """Rejecting deletes the suggestion and remembers the span for the next run."""
    suggestions.suggest(article)
    nvidia = Annotation.objects.get(quote="Nvidia")
    suggestions.reject(nvidia, make_user())
    assert not Annotation.objects.filter(pk=nvidia.pk).exists()
    assert RejectedSuggestion.objects.get().quote == "Nvidia"
    report = suggestions.suggest(article)
    assert report.created == 0 and report.rejected_before == 1


def test_reject_refuses_a_changed_suggestion(article):
    """A suggestion edited since it was read is not deleted."""
    suggestions.suggest(article)
    stale = Annotation.objects.get(quote="Nvidia")
    fresh = Annotation.objects.get(pk=stale.pk)
    fresh.comment = "bearbeitet"
    fresh.save()
    with pytest.raises(VersionConflict):
        suggestions.reject(stale)
    assert Annotation.objects.filter(pk=stale.pk).exists()


def queue_post(client, action, annotations, **extra):
    return client.post(
        reverse("admin:articleapp_suggestedannotation_changelist"),
        {
            "action": action,
            "_selected_action": [a.pk for a in annotations],
            **{f"version_{a.pk}": a.version for a in annotations},
            **extra,
        },
    )


def test_review_list_accepts_and_rejects_in_bulk(admin_client, article):
    """The review list publishes accepted suggestions and forgets rejected ones."""
    suggestions.suggest(article)
    mistral_ai, mistral, nvidia = (
        Annotation.objects.get(quote=quote) for quote in ["Mistral AI", "Mistral", "Nvidia"]
    )
    asked = queue_post(admin_client, "accept", [mistral_ai, nvidia])
    assert asked.status_code == 200 and not Annotation.objects.published().exists()
    queue_post(admin_client, "accept", [mistral_ai, nvidia], post="yes")
    confirmation = queue_post(admin_client, "reject", [mistral])
    assert confirmation.status_code == 200 and Annotation.objects.suggestions().exists()
    queue_post(admin_client, "reject", [mistral], post="yes")
    assert set(Annotation.objects.published().values_list("quote", flat=True)) == {
        "Mistral AI",
        "Nvidia",
    }
    assert not Annotation.objects.suggestions().exists()
    assert RejectedSuggestion.objects.get().quote == "Mistral"
    assert mistral_ai.history.count() == 2


def test_review_list_shows_only_suggestions(admin_client, article):
    """The queue lists the gazetteer's drafts, not the editors' annotations."""
    suggestions.suggest(article)
    annotate_quote(article.paragraphs.get(), "Paris")
    response = admin_client.get(reverse("admin:articleapp_suggestedannotation_changelist"))
    assert response.context["cl"].result_count == 3


def test_accept_of_a_changed_suggestion_is_refused(admin_client, article):
    """Accepting with the version the list showed fails once someone changed it meanwhile."""
    suggestions.suggest(article)
    nvidia = Annotation.objects.get(quote="Nvidia")
    changed = Annotation.objects.get(pk=nvidia.pk)
    changed.comment = "Moment"
    changed.save()
    response = queue_post(admin_client, "accept", [nvidia], post="yes")
    nvidia.refresh_from_db()
    assert nvidia.status == Annotation.Status.DRAFT and nvidia.comment == "Moment"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("während Sie daran gearbeitet haben" in m for m in messages)


def test_suggest_button_on_the_article(admin_client, article):
    """The article's Suggest button creates the suggestions and opens the review list."""
    response = admin_client.post(reverse("admin:articleapp_article_suggest", args=[article.pk]))
    assert response.status_code == 302
    assert "suggestedannotation" in response.url
    assert Annotation.objects.suggestions().count() == 3
    assert (
        admin_client.get(reverse("admin:articleapp_article_suggest", args=[article.pk])).status_code
        == 405
    )
