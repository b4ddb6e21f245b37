import pytest
from django.urls import reverse
from django.utils import translation

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


# --- confidence, reason and the words the gazetteer found ------------------------------------


@pytest.fixture
def german_article(db):
    make_entity(
        "Mistral AI",
        aliases=["Mistral"],
        is_ambiguous=True,
        ambiguity_note="auch ein Wind",
        not_after="eisige, Kalte",
    )
    make_entity("Microsoft")
    make_entity("Big Tech", aliases=["Tech-Konzerne"], kind="other")
    make_entity("Bild")
    return make_article(
        paragraphs=[
            "Microsofts Cloud und die Microsoft-Cloud. Die Bild schreibt über Tech-Konzernen.",
            "Mistral AI baut. Der kalte Mistral weht. Laut Mistral wächst es.",
        ]
    )


def stored(quote):
    annotation = Annotation.objects.get(quote=quote)
    return annotation.confidence, annotation.reason, annotation.matched_form


def test_suggestions_store_confidence_reason_and_form(german_article):
    """Each suggestion keeps how sure the gazetteer is, why, and the form it found."""
    suggestions.suggest(german_article)
    high, medium, low = (
        Annotation.Confidence.HIGH,
        Annotation.Confidence.MEDIUM,
        Annotation.Confidence.LOW,
    )
    assert stored("Microsofts") == (medium, "inflected", "Microsoft")
    assert stored("Tech-Konzernen") == (medium, "inflected", "Tech-Konzerne")
    assert stored("Bild") == (low, "common-word", "Bild")
    assert stored("Mistral AI") == (high, "name", "Mistral AI")
    compound = Annotation.objects.get(quote="Microsoft")
    assert (compound.confidence, compound.reason) == (medium, "compound")


def test_ambiguous_names_are_never_silent(german_article):
    """A flagged name is suggested with low confidence; after a context word, not at all."""
    report = suggestions.suggest(german_article)
    mistral = Annotation.objects.filter(quote="Mistral")
    assert [(a.confidence, a.reason) for a in mistral] == [(Annotation.Confidence.LOW, "ambiguous")]
    assert mistral.get().paragraph.text[mistral.get().start - 5 : mistral.get().start] == "Laut "
    assert report.created == 6


@pytest.mark.parametrize(
    ("language", "quote", "text"),
    [
        ("de", "Microsofts", "Name, Genitiv"),
        ("en", "Microsofts", "Name, genitive"),
        ("de", "Tech-Konzernen", "Alias „Tech-Konzerne“, Endung -n"),
        ("en", "Tech-Konzernen", "Alias “Tech-Konzerne”, ending -n"),
        ("de", "Microsoft", "Name, Teil eines Bindestrich-Kompositums"),
        ("de", "Mistral", "Alias „Mistral“, mehrdeutig: auch ein Wind"),
        ("en", "Mistral", "Alias “Mistral”, ambiguous: auch ein Wind"),
        ("de", "Bild", "Name, auch ein gewöhnliches deutsches Wort"),
        ("de", "Mistral AI", "Name"),
    ],
)
def test_reasons_are_described_in_the_interface_language(german_article, language, quote, text):
    """The review queue's reason reads like „Alias „Mistral“, Genitiv“."""
    suggestions.suggest(german_article)
    with translation.override(language):
        assert (
            suggestions.describe(Annotation.objects.select_related("entity").get(quote=quote))
            == text
        )


def test_an_editors_annotation_has_no_reason(german_article):
    """Only the gazetteer's suggestions carry a confidence and a reason."""
    annotation = annotate_quote(german_article.paragraphs.first(), "Cloud")
    assert (annotation.confidence, annotation.reason, suggestions.describe(annotation)) == (
        None,
        "",
        "",
    )


def test_dry_run_saves_nothing(german_article):
    """suggest(dry_run=True) reports what it would create and creates nothing."""
    report = suggestions.suggest(german_article, dry_run=True)
    assert report.created == 6 and not Annotation.objects.exists()
    assert sum(report.by_entity_and_reason.values()) == 6
