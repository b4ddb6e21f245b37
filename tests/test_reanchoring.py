import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articleapp.models import Annotation, RejectedSuggestion
from articleapp.reanchoring import reanchor_paragraph
from tests.factories import annotate_quote, make_annotation, make_article, make_entity

Status = Annotation.AnchorStatus
TEXT = "Mistral AI baut Rechenzentren in Frankreich, sagt Arthur Mensch in Paris."


def edit(paragraph, text):
    paragraph.text = text
    paragraph.save()
    return reanchor_paragraph(paragraph)


def fresh(annotation):
    annotation.refresh_from_db()
    return annotation


@pytest.fixture
def paragraph(db):
    return make_article(paragraphs=[TEXT]).paragraphs.get()


def test_insertion_before_moves(paragraph):
    """Text inserted before the span moves it, and it stays visible to readers."""
    annotation = annotate_quote(paragraph, "Rechenzentren")
    report = edit(paragraph, "Heute: " + TEXT)
    annotation = fresh(annotation)
    assert report.moved == [annotation.pk]
    assert annotation.anchor_status == Status.MOVED
    assert paragraph.text[annotation.start : annotation.end] == "Rechenzentren"
    assert list(Annotation.objects.published()) == [annotation]


def test_insertion_after_keeps_it_anchored(paragraph):
    """Text appended after the span leaves it where it was, anchored."""
    annotation = annotate_quote(paragraph, "Paris")
    start = annotation.start
    edit(paragraph, TEXT + " Mehr dazu später.")
    annotation = fresh(annotation)
    assert (annotation.start, annotation.anchor_status) == (start, Status.ANCHORED)
    assert annotation.suffix == ". Mehr dazu später."


def test_insertion_inside_moves_fuzzily_and_hides_until_reviewed(paragraph):
    """An edit inside a published quote re-anchors it but readers see it only once re-saved."""
    annotation = annotate_quote(paragraph, "Arthur Mensch")
    edit(paragraph, TEXT.replace("Arthur Mensch", "Arthur J. Mensch"))
    annotation = fresh(annotation)
    assert annotation.anchor_status == Status.MOVED
    assert annotation.quote == "Arthur J. Mensch"
    assert annotation.published_quote == "Arthur Mensch"
    assert not Annotation.objects.published().exists()


def test_deleting_the_span_orphans_it_and_keeps_it(paragraph):
    """Deleting the annotated words orphans the annotation; nothing is deleted."""
    annotation = annotate_quote(paragraph, "Rechenzentren", comment="wichtig")
    report = edit(paragraph, TEXT.replace("Rechenzentren ", ""))
    annotation = fresh(annotation)
    assert report.orphaned == [annotation.pk]
    assert annotation.is_orphaned and annotation.comment == "wichtig"
    assert annotation.quote == "Rechenzentren"
    assert not Annotation.objects.published().exists()
    assert list(Annotation.objects.orphaned()) == [annotation]


def test_orphan_whose_words_return_is_anchored_again(paragraph):
    """Undoing the deletion re-anchors the orphan in place."""
    annotation = annotate_quote(paragraph, "Rechenzentren")
    edit(paragraph, TEXT.replace("Rechenzentren ", ""))
    edit(paragraph, TEXT)
    assert fresh(annotation).anchor_status == Status.ANCHORED
    assert Annotation.objects.published().count() == 1


def test_duplicate_quote_elsewhere_goes_by_context(db):
    """With the quote twice in the new text, the one with the old context wins."""
    paragraph = make_article(
        paragraphs=["Paris ist groß. Mistral sitzt in Paris."]
    ).paragraphs.get()
    start = paragraph.text.rindex("Paris")
    annotation = make_annotation(paragraph, start, start + 5)
    edit(paragraph, "Vorweg: Paris ist groß. Mistral sitzt in Paris.")
    annotation = fresh(annotation)
    assert annotation.start == paragraph.text.rindex("Paris")


def test_whitespace_and_punctuation_edits(paragraph):
    """Whitespace and punctuation edits around and inside spans keep them."""
    mistral = annotate_quote(paragraph, "Mistral AI")
    paris = annotate_quote(paragraph, "Paris")
    edit(paragraph, TEXT.replace("Mistral AI", "Mistral  AI").replace(" in Paris.", " in Paris!"))
    assert fresh(mistral).quote == "Mistral  AI"
    assert fresh(paris).quote == "Paris"
    assert {fresh(mistral).anchor_status, fresh(paris).anchor_status} <= {
        Status.MOVED,
        Status.ANCHORED,
    }


def test_two_annotations_of_one_entity_on_the_same_words_keep_one(db):
    """If two same-entity annotations land on one span, the second is orphaned, not lost."""
    paragraph = make_article(paragraphs=["Nvidia und Nvidia."]).paragraphs.get()
    entity = make_entity("Nvidia")
    first = annotate_quote(paragraph, "Nvidia", entity=entity)
    second = Annotation(paragraph=paragraph, start=11, end=17, entity=entity)
    second.anchor_in(paragraph.text)
    second.save()
    edit(paragraph, "Nvidia.")
    assert fresh(first).anchor_status == Status.ANCHORED
    assert fresh(second).anchor_status == Status.ORPHANED
    assert Annotation.objects.count() == 2


def test_rejections_follow_their_words_or_are_forgotten(paragraph):
    """A remembered rejection moves with its words and is dropped when they are gone."""
    entity = make_entity("Paris")
    start = TEXT.index("Paris")
    RejectedSuggestion.objects.create(
        paragraph=paragraph,
        entity=entity,
        start=start,
        end=start + 5,
        quote="Paris",
        prefix=TEXT[start - 32 : start],
        suffix=".",
    )
    edit(paragraph, "Neu: " + TEXT)
    assert RejectedSuggestion.objects.get().start == start + 5
    edit(paragraph, "Nichts mehr davon.")
    assert not RejectedSuggestion.objects.exists()


words = st.sampled_from(["Mistral", "AI", "baut", "in", "Paris", "Nvidia", "🙂", "Bürger", ","])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=st.lists(words, max_size=6),
    after=st.lists(words, max_size=6),
    new_text=st.lists(words, min_size=1, max_size=14),
)
@pytest.mark.django_db
def test_property_anchored_quote_equals_text_at_offsets(before, after, new_text):
    """After any edit, a non-orphaned annotation's quote is exactly the text at its offsets."""
    text = " ".join([*before, "Mistral AI", *after])
    paragraph = make_article(paragraphs=[text]).paragraphs.get()
    annotation = annotate_quote(paragraph, "Mistral AI")
    edit(paragraph, " ".join(new_text))
    annotation = fresh(annotation)
    if not annotation.is_orphaned:
        assert paragraph.text[annotation.start : annotation.end] == annotation.quote
    visible = Annotation.objects.published().filter(pk=annotation.pk).exists()
    assert visible == (paragraph.text[annotation.start : annotation.end] == "Mistral AI")
