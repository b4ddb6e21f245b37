"""Review at scale (``articleapp/admin/bulk_review.py``): the suggestion queue's filters and
reasons, and all that a filter matches accepted or rejected after a confirmation that counts."""

import pytest

from articleapp import suggestions
from articleapp.models import Annotation, RejectedSuggestion
from tests.support.factories import make_article, make_entity, make_user
from tests.support.forms import form_fields
from tests.support.pages import text
from tests.support.review_queues import SUGGESTIONS, in_language

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
