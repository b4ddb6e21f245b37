"""Articles and paragraphs in the admin (``articleapp/admin/articles.py``): edited, split,
deleted or restored texts take their annotations along."""

import pytest
from django.urls import reverse

from articleapp.models import Annotation
from tests.support.admin_posts import change_url, paragraph_form
from tests.support.factories import annotate_quote, make_annotation, make_article

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
