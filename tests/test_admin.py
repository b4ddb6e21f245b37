import pytest
from django.urls import reverse

from articleapp.models import Annotation, Entity
from tests.factories import make_annotation, make_article, make_entity


@pytest.fixture
def admin_client_seeded(admin_client, seeded):
    return admin_client


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["article", "paragraph", "entity", "annotation"])
def test_changelists_and_add_pages_load(admin_client_seeded, name):
    """Every admin list and add page answers 200."""
    assert (
        admin_client_seeded.get(reverse(f"admin:articleapp_{name}_changelist")).status_code == 200
    )
    assert admin_client_seeded.get(reverse(f"admin:articleapp_{name}_add")).status_code == 200


@pytest.mark.django_db
def test_annotation_changelist_filters_and_search(admin_client_seeded):
    """Filtering by status and entity and searching quotes work."""
    url = reverse("admin:articleapp_annotation_changelist")
    entity = Entity.objects.get(slug="nvidia")
    response = admin_client_seeded.get(url, {"status": "published", "entity__id__exact": entity.pk})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert admin_client_seeded.get(url, {"q": "Microsoft"}).context["cl"].result_count >= 4


def annotation_form(paragraph, start, end, **extra):
    return {
        "paragraph": paragraph.pk,
        "start": start,
        "end": end,
        "entity": "",
        "comment": "",
        "tags": "",
        "status": "draft",
        **extra,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end"), [(0, 99), (5, 2), (3, 3)])
def test_annotation_with_bad_offsets_is_a_form_error(admin_client, start, end):
    """Offsets outside the text or reversed re-show the form with an error."""
    paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    response = admin_client.post(
        reverse("admin:articleapp_annotation_add"), annotation_form(paragraph, start, end)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Annotation.objects.exists()


@pytest.mark.django_db
def test_annotation_add_sets_quote_and_author(admin_client, admin_user):
    """Saving offsets stores the quote from the text and the editor as author."""
    paragraph = make_article(paragraphs=["Mistral AI baut"]).paragraphs.get()
    response = admin_client.post(
        reverse("admin:articleapp_annotation_add"),
        annotation_form(paragraph, 0, 10, tags="KI, Europa"),
    )
    assert response.status_code == 302
    annotation = Annotation.objects.get()
    assert annotation.quote == "Mistral AI"
    assert annotation.author == admin_user
    assert set(annotation.tags.names()) == {"KI", "Europa"}


def entity_form(**fields):
    return {
        "name": "Nvidia",
        "slug": "nvidia",
        "kind": "organisation",
        "description": "",
        "wikidata_id": "",
        "tags": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        **fields,
    }


@pytest.mark.django_db
def test_malformed_wikidata_id_is_a_form_error(admin_client):
    """A Wikidata ID like Q01 is rejected with a message."""
    response = admin_client.post(
        reverse("admin:articleapp_entity_add"), entity_form(wikidata_id="Q01")
    )
    assert response.status_code == 200
    assert "wikidata_id" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_duplicate_slug_is_a_form_error(admin_client):
    """A slug already taken is rejected with a message."""
    make_entity(slug="nvidia")
    response = admin_client.post(reverse("admin:articleapp_entity_add"), entity_form())
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_duplicate_alias_is_a_form_error(admin_client):
    """The same alias twice in one entity is a form error, not a database error."""
    response = admin_client.post(
        reverse("admin:articleapp_entity_add"),
        entity_form(
            **{
                "aliases-TOTAL_FORMS": "2",
                "aliases-0-name": "NVIDIA",
                "aliases-1-name": "nvidia",
            }
        ),
    )
    assert response.status_code == 200
    assert not Entity.objects.exists()


@pytest.mark.django_db
def test_publish_and_unpublish_actions(admin_client):
    """The list actions switch the status of the selected annotations."""
    paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    annotation = make_annotation(paragraph, 0, 7, status=Annotation.Status.DRAFT)
    url = reverse("admin:articleapp_annotation_changelist")
    admin_client.post(url, {"action": "publish", "_selected_action": [annotation.pk]})
    annotation.refresh_from_db()
    assert annotation.status == Annotation.Status.PUBLISHED
    admin_client.post(url, {"action": "unpublish", "_selected_action": [annotation.pk]})
    annotation.refresh_from_db()
    assert annotation.status == Annotation.Status.DRAFT
