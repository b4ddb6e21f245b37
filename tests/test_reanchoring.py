import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articleapp.models import Annotation, Paragraph, RejectedSuggestion
from articleapp.reanchoring import reanchor_paragraph, reanchor_split
from tests.support.factories import annotate_quote, make_annotation, make_article, make_entity

Status = Annotation.AnchorStatus
TEXT = "Mistral AI baut Rechenzentren in Frankreich, sagt Arthur Mensch in Paris."


def edit(paragraph, text):
    """Change the paragraph's text and re-anchor, as the admin and the importer do."""
    old_text = paragraph.text
    paragraph.text = text
    paragraph.save()
    return reanchor_paragraph(paragraph, old_text)


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


def test_insertion_inside_marks_the_words_changed_and_hides_until_confirmed(paragraph):
    """An edit inside a published quote re-anchors it as "words changed": hidden until an
    editor confirms the new words."""
    annotation = annotate_quote(paragraph, "Arthur Mensch")
    report = edit(paragraph, TEXT.replace("Arthur Mensch", "Arthur J. Mensch"))
    annotation = fresh(annotation)
    assert report.changed == [annotation.pk] and report.moved == []
    assert annotation.anchor_status == Status.CHANGED
    assert annotation.quote == "Arthur J. Mensch"
    assert annotation.published_quote == "Arthur Mensch"
    assert not Annotation.objects.published().exists()
    annotation.confirm_words()
    annotation.save()
    assert annotation.anchor_status == Status.ANCHORED
    assert list(Annotation.objects.published()) == [annotation]


def test_words_changed_back_are_shown_again(paragraph):
    """Restoring the old words (say, from the history) shows the annotation again, in place."""
    annotation = annotate_quote(paragraph, "Arthur Mensch")
    edit(paragraph, TEXT.replace("Arthur Mensch", "Arthur J. Mensch"))
    edit(paragraph, TEXT)
    annotation = fresh(annotation)
    assert annotation.quote == annotation.published_quote == "Arthur Mensch"
    assert annotation.anchor_status != Status.CHANGED
    assert list(Annotation.objects.published()) == [annotation]


def test_a_drafts_changed_words_stay_marked_until_confirmed(paragraph):
    """A draft has no published words: a change of its words is marked, and stays marked
    through later edits, until an editor confirms them."""
    annotation = annotate_quote(paragraph, "Arthur Mensch", status=Annotation.Status.DRAFT)
    edit(paragraph, TEXT.replace("Arthur Mensch", "Arthur J. Mensch"))
    assert fresh(annotation).anchor_status == Status.CHANGED
    edit(paragraph, "Neu: " + TEXT.replace("Arthur Mensch", "Arthur J. Mensch"))
    assert fresh(annotation).anchor_status == Status.CHANGED


def test_same_words_moved_stay_visible(paragraph):
    """Moved words are not changed words: readers still see them."""
    annotation = annotate_quote(paragraph, "Arthur Mensch")
    edit(paragraph, "Vorweg ein Satz. " + TEXT)
    assert fresh(annotation).anchor_status == Status.MOVED
    assert list(Annotation.objects.published()) == [annotation]


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
    # A changed space inside the quote is a change of its words; outside it, nothing is.
    assert fresh(mistral).anchor_status == Status.CHANGED
    assert fresh(paris).anchor_status in {Status.MOVED, Status.ANCHORED}


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


def test_short_paragraph_reworded_keeps_its_only_paris(db):
    """ "Mistral baut in Paris." reworded keeps "Paris", the only one before and after."""
    paragraph = make_article(paragraphs=["Mistral baut in Paris."]).paragraphs.get()
    paris = annotate_quote(paragraph, "Paris")
    report = edit(paragraph, "Heute baut Mistral in Paris.")
    paris = fresh(paris)
    assert report.moved == [paris.pk]
    assert (paris.start, paris.end, paris.quote) == (22, 27, "Paris")
    assert list(Annotation.objects.published()) == [paris]


def test_short_paragraph_with_the_quote_twice_still_orphans(db):
    """When the new text holds the quote twice in other surroundings, it is not guessed."""
    paragraph = make_article(paragraphs=["Mistral baut in Paris."]).paragraphs.get()
    paris = annotate_quote(paragraph, "Paris")
    edit(paragraph, "Paris oder Paris? Nvidia zögert.")
    assert fresh(paris).is_orphaned


def test_without_the_old_text_context_decides(db):
    """Callers that do not know the old text get the context rule alone."""
    paragraph = make_article(paragraphs=["Mistral baut in Paris."]).paragraphs.get()
    paris = annotate_quote(paragraph, "Paris")
    paragraph.text = "Heute baut Mistral in Paris."
    paragraph.save()
    reanchor_paragraph(paragraph)
    assert fresh(paris).is_orphaned


FIRST_HALF = "Mistral baut Rechenzentren in Frankreich."
SECOND_HALF = "Der Chef von Mistral, Arthur Mensch, sagt das in Paris."


def split(paragraph, first, second):
    """Split the paragraph into its first text and a new paragraph after it, and re-anchor."""
    old_text = paragraph.text
    paragraph.text = first
    paragraph.save()
    following = Paragraph.objects.create(
        article=paragraph.article, position=paragraph.position + 1, text=second
    )
    return following, reanchor_split([paragraph, following], old_text)


@pytest.fixture
def whole(db):
    return make_article(paragraphs=[f"{FIRST_HALF} {SECOND_HALF}"]).paragraphs.get()


def test_split_in_the_middle_moves_the_second_halfs_annotations(whole):
    """Annotations in both halves: the first stays, the second follows its words."""
    centres = annotate_quote(whole, "Rechenzentren", comment="Bau")
    paris = annotate_quote(whole, "Paris", tags=["Ort"])
    second, report = split(whole, FIRST_HALF, SECOND_HALF)
    centres, paris = fresh(centres), fresh(paris)
    assert (centres.paragraph, centres.anchor_status) == (whole, Status.ANCHORED)
    assert (paris.paragraph, paris.anchor_status) == (second, Status.MOVED)
    assert second.text[paris.start : paris.end] == "Paris"
    at = SECOND_HALF.index("Paris")
    assert (paris.prefix, paris.suffix) == (SECOND_HALF[at - 32 : at], ".")
    assert (report.anchored, report.moved, report.orphaned) == ([centres.pk], [paris.pk], [])
    assert set(paris.tags.names()) == {"Ort"}
    assert set(Annotation.objects.published()) == {centres, paris}


def test_split_with_a_quote_repeated_across_the_halves(whole):
    """Each "Mistral" goes with its own half, never to the look-alike in the other."""
    first_mistral = annotate_quote(whole, "Mistral", comment="eins")
    start = whole.text.rindex("Mistral")
    second_mistral = make_annotation(whole, start, start + 7, comment="zwei")
    second, _ = split(whole, FIRST_HALF, SECOND_HALF)
    first_mistral, second_mistral = fresh(first_mistral), fresh(second_mistral)
    assert (first_mistral.paragraph, first_mistral.start) == (whole, 0)
    assert (second_mistral.paragraph, second_mistral.start) == (
        second,
        SECOND_HALF.index("Mistral"),
    )
    assert second_mistral.anchor_status == Status.MOVED


def test_split_where_the_second_halfs_copy_was_deleted(whole):
    """If the split also deletes the second "Mistral", its annotation orphans, not jumps."""
    annotate_quote(whole, "Mistral")
    start = whole.text.rindex("Mistral")
    second_mistral = make_annotation(whole, start, start + 7)
    split(whole, FIRST_HALF, SECOND_HALF.replace("von Mistral", "des Start-ups"))
    second_mistral = fresh(second_mistral)
    assert second_mistral.is_orphaned and second_mistral.paragraph == whole


def test_split_through_an_annotation_orphans_it(whole):
    """An annotation across the place of the split is in neither half: orphaned, kept."""
    across = annotate_quote(whole, "Frankreich. Der Chef")
    split(whole, FIRST_HALF, SECOND_HALF)
    across = fresh(across)
    assert across.is_orphaned and across.paragraph == whole


def test_split_takes_rejected_suggestions_along(whole):
    """A rejection in the second half moves to the new paragraph with its words."""
    entity = make_entity("Paris")
    start = whole.text.index("Paris")
    RejectedSuggestion.objects.create(
        paragraph=whole,
        entity=entity,
        start=start,
        end=start + 5,
        quote="Paris",
        prefix=whole.text[start - 32 : start],
        suffix=".",
    )
    second, _ = split(whole, FIRST_HALF, SECOND_HALF)
    rejection = RejectedSuggestion.objects.get()
    assert (rejection.paragraph, rejection.start) == (second, SECOND_HALF.index("Paris"))


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
    """After any edit, a non-orphaned annotation's quote is exactly the text at its offsets, and
    its words are marked changed exactly when they differ from those it was published with."""
    text = " ".join([*before, "Mistral AI", *after])
    paragraph = make_article(paragraphs=[text]).paragraphs.get()
    annotation = annotate_quote(paragraph, "Mistral AI")
    edit(paragraph, " ".join(new_text))
    annotation = fresh(annotation)
    if not annotation.is_orphaned:
        assert paragraph.text[annotation.start : annotation.end] == annotation.quote
        assert annotation.has_changed_words == (annotation.quote != "Mistral AI")
    visible = Annotation.objects.published().filter(pk=annotation.pk).exists()
    assert visible == (paragraph.text[annotation.start : annotation.end] == "Mistral AI")
