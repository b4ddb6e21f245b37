import pytest
from django.urls import reverse

from articleapp.models import Annotation, Entity
from tests.support.factories import (
    annotate_quote,
    make_annotation,
    make_article,
    make_entity,
    make_user,
)


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
def test_add_with_the_empty_version_field_starts_at_version_one(admin_client):
    """The add form posts an empty hidden version; the new entity starts at version 1."""
    response = admin_client.post(reverse("admin:articleapp_entity_add"), entity_form(version=""))
    assert response.status_code == 302
    assert Entity.objects.get().version == 1


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


def change_url(obj):
    return reverse(f"admin:articleapp_{obj._meta.model_name}_change", args=[obj.pk])


def paragraph_form(paragraph, **fields):
    return {
        "article": paragraph.article_id,
        "position": paragraph.position,
        "text": paragraph.text,
        "version": paragraph.version,
        **fields,
    }


def error_text(response):
    return " ".join(str(e) for e in response.context["adminform"].form.non_field_errors())


@pytest.mark.django_db
def test_two_editors_saving_one_annotation_the_second_is_refused(client, admin_user):
    """Interleaved saves: both open the form, the first saves, the second gets the conflict."""
    from django.test import Client

    paragraph = make_article(paragraphs=["Mistral AI baut"]).paragraphs.get()
    annotation = make_annotation(paragraph, 0, 10)
    first, second = Client(), Client()
    first.force_login(admin_user)
    second.force_login(make_user(username="bea", is_staff=True, is_superuser=True))
    opened_first = first.get(change_url(annotation)).context["adminform"].form.initial
    opened_second = second.get(change_url(annotation)).context["adminform"].form.initial
    assert opened_first["version"] == opened_second["version"] == 1
    saved = first.post(
        change_url(annotation),
        annotation_form(paragraph, 0, 10, comment="erste", version=opened_first["version"]),
    )
    assert saved.status_code == 302
    refused = second.post(
        change_url(annotation),
        annotation_form(paragraph, 0, 10, comment="zweite", version=opened_second["version"]),
    )
    assert refused.status_code == 200
    assert "während Sie daran gearbeitet haben" in error_text(refused)
    assert admin_user.username in error_text(refused)
    annotation.refresh_from_db()
    assert (annotation.comment, annotation.version) == ("erste", 2)


@pytest.mark.django_db
def test_two_editors_saving_one_entity_and_one_paragraph(admin_client):
    """Entities and paragraphs are locked the same way."""
    entity = make_entity("Nvidia", slug="nvidia")
    stale = entity.version
    entity.description = "geändert"
    entity.save()
    response = admin_client.post(
        change_url(entity), entity_form(description="meins", version=stale)
    )
    assert response.status_code == 200
    assert "während Sie daran gearbeitet haben" in error_text(response)
    paragraph = make_article(paragraphs=["Eins."]).paragraphs.get()
    stale_form = paragraph_form(paragraph, text="Meins.")
    paragraph.text = "Deren."
    paragraph.save()
    response = admin_client.post(change_url(paragraph), stale_form)
    assert response.status_code == 200
    assert "während Sie daran gearbeitet haben" in error_text(response)
    paragraph.refresh_from_db()
    assert paragraph.text == "Deren."


@pytest.mark.django_db
def test_action_with_a_stale_version_leaves_the_row_alone(admin_client):
    """Publishing a row that changed since the list was shown is refused for that row."""
    paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    annotation = make_annotation(paragraph, 0, 7, status=Annotation.Status.DRAFT)
    other = make_annotation(paragraph, 8, 10, status=Annotation.Status.DRAFT)
    shown = annotation.version
    annotation.comment = "neu"
    annotation.save()
    admin_client.post(
        reverse("admin:articleapp_annotation_changelist"),
        {
            "action": "publish",
            "_selected_action": [annotation.pk, other.pk],
            f"version_{annotation.pk}": shown,
            f"version_{other.pk}": other.version,
        },
    )
    annotation.refresh_from_db()
    other.refresh_from_db()
    assert annotation.status == Annotation.Status.DRAFT
    assert other.status == Annotation.Status.PUBLISHED


BEFORE_EDIT = (
    "Mistral baut Rechenzentren und stellt Leute ein. Der Chef von Mistral sagt, Paris sei der "
    "richtige Ort."
)
AFTER_EDIT = (
    "Vorab: Mistral baut und stellt Leute ein. Der Chef von Mistral sagt, Paris sei der richtige "
    "Ort."
)


@pytest.mark.django_db
def test_editing_a_paragraph_reanchors_its_annotations(admin_client):
    """Saving new paragraph text moves one annotation and orphans another; none is lost."""
    paragraph = make_article(paragraphs=[BEFORE_EDIT]).paragraphs.get()
    moved = annotate_quote(paragraph, "Paris")
    orphaned = annotate_quote(paragraph, "Rechenzentren")
    response = admin_client.post(change_url(paragraph), paragraph_form(paragraph, text=AFTER_EDIT))
    assert response.status_code == 302
    moved.refresh_from_db()
    orphaned.refresh_from_db()
    assert moved.anchor_status == Annotation.AnchorStatus.MOVED
    assert orphaned.anchor_status == Annotation.AnchorStatus.ORPHANED
    assert list(Annotation.objects.published()) == [moved]
    queue = admin_client.get(reverse("admin:articleapp_orphanedannotation_changelist"))
    assert [a.pk for a in queue.context["cl"].result_list] == [orphaned.pk]
    article_page = admin_client.get(change_url(paragraph.article))
    assert 'class="rn-orphan-count"' in article_page.content.decode()


@pytest.mark.django_db
def test_editing_paragraphs_inline_in_the_article_reanchors(admin_client):
    """The article's paragraph inline re-anchors too."""
    article = make_article(paragraphs=["Mistral baut in Paris."])
    paragraph = article.paragraphs.get()
    annotation = annotate_quote(paragraph, "Paris")
    data = article_form(article, [(paragraph, 1, "Jetzt: Mistral baut in Paris.")])
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.anchor_status == Annotation.AnchorStatus.MOVED
    assert annotation.quote == "Paris"


def article_form(article, paragraphs):
    """The article change form's data with ``paragraphs``: (paragraph or None, position, text)."""
    data = {
        "slug": article.slug,
        "title": article.title,
        "kicker": article.kicker,
        "byline": article.byline,
        "source_name": "",
        "source_url": "",
        "published_on": "",
        "language": "de",
        "paragraphs-TOTAL_FORMS": str(len(paragraphs)),
        "paragraphs-INITIAL_FORMS": str(sum(1 for p, _, _ in paragraphs if p is not None)),
        "paragraphs-MIN_NUM_FORMS": "0",
        "paragraphs-MAX_NUM_FORMS": "1000",
    }
    for index, (paragraph, position, text) in enumerate(paragraphs):
        prefix = f"paragraphs-{index}-"
        data |= {
            prefix + "article": article.pk,
            prefix + "position": position,
            prefix + "text": text,
        }
        if paragraph is not None:
            data |= {prefix + "id": paragraph.pk, prefix + "version": paragraph.version}
    return data


SPLIT_FIRST = "Mistral baut Rechenzentren in Frankreich."
SPLIT_SECOND = "Der Chef von Mistral, Arthur Mensch, sagt das in Paris."


@pytest.mark.django_db
def test_splitting_a_paragraph_in_the_article_form_moves_annotations(admin_client):
    """Shortening a paragraph and adding its rest after it moves the rest's annotations."""
    article = make_article(paragraphs=["Vorne.", f"{SPLIT_FIRST} {SPLIT_SECOND}"])
    first, whole = article.paragraphs.order_by("position")
    mistral = annotate_quote(whole, "Mistral")
    start = whole.text.rindex("Mistral")
    second_mistral = make_annotation(whole, start, start + 7)
    paris = annotate_quote(whole, "Paris")
    data = article_form(
        article,
        [(first, 1, first.text), (whole, 2, SPLIT_FIRST), (None, 3, SPLIT_SECOND)],
    )
    response = admin_client.post(change_url(article), data, follow=True)
    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert any("in 2 Absätze geteilt" in message for message in messages)
    second = article.paragraphs.get(position=3)
    for annotation, paragraph in [(mistral, whole), (second_mistral, second), (paris, second)]:
        annotation.refresh_from_db()
        assert annotation.paragraph == paragraph
        assert paragraph.text[annotation.start : annotation.end] == annotation.quote
    assert Annotation.objects.published().count() == 3
    assert not Annotation.objects.orphaned().exists()


@pytest.mark.django_db
def test_splitting_a_middle_paragraph_in_the_article_form(admin_client):
    """A split in the middle, with the paragraph after it renumbered in the same form."""
    article = make_article(paragraphs=[f"{SPLIT_FIRST} {SPLIT_SECOND}", "Hinten."])
    whole, last = article.paragraphs.order_by("position")
    paris = annotate_quote(whole, "Paris")
    data = article_form(
        article, [(whole, 1, SPLIT_FIRST), (last, 3, last.text), (None, 2, SPLIT_SECOND)]
    )
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302
    paris.refresh_from_db()
    assert (paris.paragraph.position, paris.anchor_status) == (2, Annotation.AnchorStatus.MOVED)


@pytest.mark.django_db
def test_editing_and_adding_an_unrelated_paragraph_is_no_split(admin_client):
    """Deleted words stay orphaned in their paragraph even if a new paragraph has them."""
    article = make_article(paragraphs=["Mistral baut Rechenzentren in Paris."])
    paragraph = article.paragraphs.get()
    centres = annotate_quote(paragraph, "Rechenzentren")
    data = article_form(
        article,
        [(paragraph, 1, "Mistral baut in Paris."), (None, 2, "Rechenzentren entstehen in Lyon.")],
    )
    assert admin_client.post(change_url(article), data).status_code == 302
    centres.refresh_from_db()
    assert centres.is_orphaned and centres.paragraph == paragraph


@pytest.mark.django_db
def test_deleting_a_paragraph_orphans_its_annotations_onto_the_previous(admin_client):
    """A deleted paragraph's annotations are kept as orphans of the paragraph before it."""
    article = make_article(paragraphs=["Eins.", "Zwei Mistral."])
    second = article.paragraphs.get(position=2)
    annotation = annotate_quote(second, "Mistral")
    admin_client.post(
        reverse("admin:articleapp_paragraph_delete", args=[second.pk]), {"post": "yes"}
    )
    annotation.refresh_from_db()
    assert annotation.paragraph.position == 1 and annotation.is_orphaned


@pytest.mark.django_db
def test_orphan_saved_unchanged_in_the_admin_is_a_form_error(admin_client):
    """An orphan cannot be saved back onto words that are not its own."""
    paragraph = make_article(paragraphs=["Mistral baut Rechenzentren."]).paragraphs.get()
    annotation = annotate_quote(paragraph, "Rechenzentren")
    paragraph.text = "Mistral baut nichts."
    paragraph.save()
    from articleapp.reanchoring import reanchor_paragraph

    reanchor_paragraph(paragraph)
    annotation.refresh_from_db()
    response = admin_client.post(
        change_url(annotation),
        annotation_form(paragraph, annotation.start, annotation.end, version=annotation.version),
    )
    assert response.status_code == 200
    assert "stehen nicht mehr in diesem Absatz" in error_text(response)


@pytest.mark.django_db
def test_annotation_moved_to_another_articles_paragraph_is_a_form_error(admin_client):
    """An annotation cannot be moved into a different article."""
    paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    elsewhere = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    annotation = make_annotation(paragraph, 0, 7)
    response = admin_client.post(
        change_url(annotation), annotation_form(elsewhere, 0, 7, version=annotation.version)
    )
    assert response.status_code == 200
    assert "paragraph" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_duplicate_entity_span_is_a_form_error(admin_client):
    """The same entity twice on the same words is a form error, not a database error."""
    paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    entity = make_entity("Mistral AI")
    make_annotation(paragraph, 0, 10, entity=entity)
    response = admin_client.post(
        reverse("admin:articleapp_annotation_add"),
        annotation_form(paragraph, 0, 10, entity=entity.pk),
    )
    assert response.status_code == 200
    assert "entity" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_history_records_who_changed_what(admin_client, admin_user):
    """Each admin save is in the history with its user, and the history page shows it."""
    paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
    annotation = make_annotation(paragraph, 0, 7)
    admin_client.post(
        change_url(annotation),
        annotation_form(paragraph, 0, 7, comment="neu", version=annotation.version),
    )
    latest = annotation.history.first()
    assert (latest.comment, latest.history_user) == ("neu", admin_user)
    page = admin_client.get(reverse("admin:articleapp_annotation_history", args=[annotation.pk]))
    assert page.status_code == 200 and admin_user.username in page.content.decode()


@pytest.mark.django_db
def test_restoring_a_paragraph_version_reanchors(admin_client):
    """Restoring an earlier text brings an orphaned annotation back to its words."""
    paragraph = make_article(paragraphs=["Mistral baut Rechenzentren."]).paragraphs.get()
    annotation = annotate_quote(paragraph, "Rechenzentren")
    original = paragraph.history.first()
    admin_client.post(change_url(paragraph), paragraph_form(paragraph, text="Mistral baut."))
    annotation.refresh_from_db()
    assert annotation.is_orphaned
    paragraph.refresh_from_db()
    restore_url = reverse(
        "admin:articleapp_paragraph_simple_history", args=[paragraph.pk, original.history_id]
    )
    form = admin_client.get(restore_url).context["adminform"].form
    assert form.initial["version"] == paragraph.version
    response = admin_client.post(
        restore_url, paragraph_form(paragraph, text=original.text, version=paragraph.version)
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    paragraph.refresh_from_db()
    assert paragraph.text == "Mistral baut Rechenzentren."
    assert annotation.anchor_status == Annotation.AnchorStatus.ANCHORED


@pytest.mark.django_db
def test_restoring_an_annotation_version_follows_its_words(admin_client):
    """A restored annotation takes its old words again, wherever they now stand."""
    paragraph = make_article(paragraphs=["Mistral baut in Paris."]).paragraphs.get()
    annotation = annotate_quote(paragraph, "Paris", comment="alt")
    original = annotation.history.first()
    admin_client.post(
        change_url(annotation),
        annotation_form(paragraph, 0, 7, comment="neu", version=annotation.version),
    )
    paragraph.text = "Jetzt: Mistral baut in Paris."
    paragraph.save()
    annotation.refresh_from_db()
    restore_url = reverse(
        "admin:articleapp_annotation_simple_history", args=[annotation.pk, original.history_id]
    )
    response = admin_client.post(
        restore_url,
        annotation_form(
            paragraph, original.start, original.end, comment="alt", version=annotation.version
        ),
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert (annotation.quote, annotation.comment) == ("Paris", "alt")
    assert paragraph.text[annotation.start : annotation.end] == "Paris"


@pytest.mark.django_db
def test_editors_can_make_an_entity_public(admin_client, client):
    """The entity form has "public": ticked, the entity has a public page without mentions."""
    response = admin_client.post(
        reverse("admin:articleapp_entity_add"), entity_form(is_public="on")
    )
    assert response.status_code == 302
    assert Entity.objects.get().is_public
    assert client.get("/entities/nvidia/").status_code == 200
    changelist = admin_client.get(reverse("admin:articleapp_entity_changelist"), {"is_public": "0"})
    assert changelist.context["cl"].result_count == 0


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["article", "entity"])
def test_admin_refuses_a_slug_that_is_not_one(admin_client, model):
    """The admin's forms refuse ``../../zipslip`` as a slug, with a message."""
    data = (
        entity_form(slug="../../zipslip")
        if model == "entity"
        else {
            "title": "Titel",
            "slug": "../../zipslip",
            "language": "de",
            "paragraphs-TOTAL_FORMS": "0",
            "paragraphs-INITIAL_FORMS": "0",
        }
    )
    response = admin_client.post(reverse(f"admin:articleapp_{model}_add"), data)
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
