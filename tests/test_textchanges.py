import pytest
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articleapp import importer, textchanges
from articleapp.models import Annotation, Paragraph
from articleapp.parsed import ParsedArticle
from articleapp.seed import SEED_ARTICLE
from tests.support.factories import annotate_quote, make_article
from tests.support.snapshots import article_rows

Status = Annotation.AnchorStatus
FIRST_HALF = "Mistral baut Rechenzentren in Frankreich."
SECOND_HALF = "Der Chef von Mistral, Arthur Mensch, sagt das in Paris."
WHOLE = f"{FIRST_HALF} {SECOND_HALF}"


def fresh(annotation):
    annotation.refresh_from_db()
    return annotation


def change(article, texts, removed_positions=()):
    """Give the article's paragraphs ``texts`` (by position; extra texts are new paragraphs
    after them), remove the paragraphs at ``removed_positions``, and reconcile."""
    with transaction.atomic():
        before = textchanges.before(article)
        kept = [p for p in before.paragraphs if p.position not in removed_positions]
        removed = [p for p in before.paragraphs if p.position in removed_positions]
        parking = len(before.paragraphs) + len(texts) + 1
        Paragraph.objects.filter(pk__in=[p.pk for p in removed]).update(
            position=F("position") + 2 * parking
        )
        for position, paragraph in enumerate(kept, start=1):
            paragraph.position, paragraph.text = position + parking + 1, texts[position - 1]
            paragraph.save()
        for position, paragraph in enumerate(kept, start=1):
            paragraph.position = position
            paragraph.save()
        for position, text in enumerate(texts[len(kept) :], start=len(kept) + 1):
            Paragraph.objects.create(article=article, position=position, text=text)
        return textchanges.reconcile(before, removed=removed)


@pytest.mark.django_db
def test_a_changed_text_reanchors_and_is_reported():
    """An edited paragraph's annotations follow their words; the report says where each went."""
    article = make_article(paragraphs=["Mistral baut in Paris.", "Nvidia liefert."])
    paris = annotate_quote(article.paragraphs.get(position=1), "Paris")
    nvidia = annotate_quote(article.paragraphs.get(position=2), "Nvidia")
    report = change(article, ["Heute baut Mistral in Paris.", "Nvidia liefert."])
    [changed] = report.changes
    assert (changed.paragraph.position, changed.pieces) == (1, 1)
    assert (changed.report.moved, changed.report.orphaned) == ([paris.pk], [])
    assert fresh(paris).quote == "Paris" and fresh(nvidia).anchor_status == Status.ANCHORED


@pytest.mark.django_db
def test_unchanged_texts_report_nothing():
    """Saving the same texts again re-anchors nothing."""
    article = make_article(paragraphs=["Mistral baut in Paris."])
    annotate_quote(article.paragraphs.get(), "Paris")
    assert change(article, ["Mistral baut in Paris."]).changes == []


@pytest.mark.django_db
def test_a_split_hands_annotations_to_the_new_paragraph():
    """A paragraph shortened, with its rest as a new paragraph after it, is a split."""
    article = make_article(paragraphs=[WHOLE])
    whole = article.paragraphs.get()
    centres = annotate_quote(whole, "Rechenzentren")
    paris = annotate_quote(whole, "Paris")
    [changed] = change(article, [FIRST_HALF, SECOND_HALF]).changes
    assert changed.pieces == 2
    second = article.paragraphs.get(position=2)
    assert (fresh(centres).paragraph, fresh(paris).paragraph) == (whole, second)
    assert fresh(paris).anchor_status == Status.MOVED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("removed", "target"),
    [({2}, 1), ({1}, 1), ({1, 2}, 1), ({2, 3}, 1)],
    ids=["middle-to-previous", "first-to-next", "first-two-to-next", "last-two-to-first"],
)
def test_a_removed_paragraphs_annotations_are_orphans_of_the_nearest(removed, target):
    """The nearest remaining paragraph before the removed one takes its orphans, else the next."""
    article = make_article(paragraphs=["Eins Mistral.", "Zwei Nvidia.", "Drei Paris."])
    paragraphs = list(article.paragraphs.order_by("position"))
    annotations = [annotate_quote(p, p.text.split()[1][:-1]) for p in paragraphs]
    remaining = [p.text for p in paragraphs if p.position not in removed]
    report = change(article, remaining, removed_positions=removed)
    for position in removed:
        annotation = fresh(annotations[position - 1])
        assert annotation.is_orphaned
        assert annotation.paragraph.position == target
        assert annotation.pk in report.orphaned_by_removal
    assert article.paragraphs.count() == 3 - len(removed)


@pytest.mark.django_db
def test_removing_every_old_paragraph_keeps_annotations_on_a_new_one():
    """Old paragraphs all replaced by a new one: their annotations stay, as its orphans."""
    article = make_article(paragraphs=["Mistral baut."])
    mistral = annotate_quote(article.paragraphs.get(), "Mistral")
    change(article, ["Ein ganz neuer Text."], removed_positions={1})
    mistral = fresh(mistral)
    assert mistral.is_orphaned and mistral.paragraph.text == "Ein ganz neuer Text."


@pytest.mark.parametrize(
    ("old", "new", "paired"),
    [
        (["a", "b"], ["a", "b"], {0: 0, 1: 1}),
        (["a", "b"], ["x", "a", "b"], {0: 1, 1: 2}),
        (["a", "b", "c"], ["a", "c"], {0: 0, 2: 1}),
        (["a", "b"], ["b"], {1: 0}),
        (["a b", "c"], ["a", "b", "c"], {0: 0, 1: 2}),
        (["a", "b", "c"], ["a", "B"], {0: 0, 1: 1}),
    ],
    ids=["same", "inserted", "removed-middle", "removed-first", "split", "changed-and-removed"],
)
def test_pair_paragraphs(old, new, paired):
    """Equal texts pair; changed stretches pair in order; leftovers are removed."""
    assert textchanges.pair_paragraphs(old, new) == paired


@pytest.mark.parametrize(
    ("old", "new", "splits"),
    [
        (["a", "b c"], ["a", "b", "c"], {1: 2}),
        (["a b c"], ["a", "b", "c"], {0: 3}),
        (["a b", "c"], ["a b", "x", "c"], {}),
        (["Mistral baut.", "c"], ["Nvidia liefert.", "x", "c"], {}),
    ],
    ids=["in-two", "in-three", "unchanged-then-new", "changed-then-new"],
)
def test_find_splits(old, new, splits):
    """An old paragraph reading like its new text joined with the new ones after it is split."""
    paired = textchanges.pair_paragraphs(old, new)
    assert textchanges.find_splits(old, new, paired) == splits


# The same change made through each writer of paragraphs must end the same way.


def through_the_importer(article, tmp_path):
    path = tmp_path / "article.txt"
    body = "\n\n".join(["Thema", article.title, FIRST_HALF, SECOND_HALF, "Hinten.", "(nen)"])
    path.write_text(body, encoding="utf-8")
    importer.import_file(path, slug=article.slug)


def article_form(article, rows):
    """The article change form's data with ``rows``: (paragraph or None, position, text)."""
    data = {
        "slug": article.slug,
        "title": article.title,
        "language": "de",
        "paragraphs-TOTAL_FORMS": str(len(rows)),
        "paragraphs-INITIAL_FORMS": str(sum(1 for paragraph, _, _ in rows if paragraph)),
        "paragraphs-MIN_NUM_FORMS": "0",
        "paragraphs-MAX_NUM_FORMS": "1000",
    }
    for index, (paragraph, position, text) in enumerate(rows):
        prefix = f"paragraphs-{index}-"
        data |= {prefix + "position": position, prefix + "text": text}
        if paragraph is not None:
            data |= {prefix + "id": paragraph.pk, prefix + "version": paragraph.version}
    return data


def through_the_article_form(article, client):
    whole, last = article.paragraphs.order_by("position")
    # The last paragraph's form comes first: it moves out of the new paragraph's way.
    data = article_form(
        article, [(whole, 1, FIRST_HALF), (last, 3, last.text), (None, 2, SECOND_HALF)]
    )
    url = reverse("admin:articleapp_article_change", args=[article.pk])
    assert client.post(url, data).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("writer", ["importer", "article form"])
def test_every_writer_splits_and_reanchors_alike(writer, admin_client, tmp_path):
    """A split made by a re-import or by the article's paragraph inline has the same result."""
    article = make_article(paragraphs=[WHOLE, "Hinten."], title="Mistral baut")
    whole = article.paragraphs.get(position=1)
    centres = annotate_quote(whole, "Rechenzentren")
    paris = annotate_quote(whole, "Paris")
    if writer == "importer":
        through_the_importer(article, tmp_path)
    else:
        through_the_article_form(article, admin_client)
    texts = list(article.paragraphs.order_by("position").values_list("text", flat=True))
    assert texts == [FIRST_HALF, SECOND_HALF, "Hinten."]
    assert (fresh(centres).paragraph.position, fresh(centres).anchor_status) == (1, Status.ANCHORED)
    assert (fresh(paris).paragraph.position, fresh(paris).anchor_status) == (2, Status.MOVED)
    assert Annotation.objects.published().count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("writer", ["importer", "paragraph form", "article form"])
def test_every_writer_reanchors_an_edit_alike(writer, admin_client, tmp_path):
    """An edit made by a re-import, the paragraph form or the article form moves the same way."""
    article = make_article(paragraphs=["Mistral baut in Paris."], title="Mistral baut")
    paragraph = article.paragraphs.get()
    paris = annotate_quote(paragraph, "Paris")
    new_text = "Heute baut Mistral in Paris."
    if writer == "importer":
        path = tmp_path / "article.txt"
        path.write_text(f"Thema\n\n{article.title}\n\n{new_text}\n\n(nen)", encoding="utf-8")
        importer.import_file(path, slug=article.slug)
    elif writer == "paragraph form":
        url = reverse("admin:articleapp_paragraph_change", args=[paragraph.pk])
        data = {"position": 1, "text": new_text, "version": paragraph.version}
        assert admin_client.post(url, data).status_code == 302
    else:
        url = reverse("admin:articleapp_article_change", args=[article.pk])
        data = article_form(article, [(paragraph, 1, new_text)])
        assert admin_client.post(url, data).status_code == 302
    paris = fresh(paris)
    assert (paris.quote, paris.start, paris.anchor_status) == ("Paris", 22, Status.MOVED)


# Planning: what ``plan`` says is what the import then does ------------------------------------

SEED_SENTENCES = [
    sentence.strip().rstrip(".") + "."
    for paragraph in importer.parse(importer.read_text(SEED_ARTICLE)).paragraphs
    for sentence in paragraph.split(". ")
    if len(sentence.split()) >= 5
]
sentence = st.sampled_from(SEED_SENTENCES)
paragraph_text = st.lists(sentence, min_size=1, max_size=3).map(" ".join)


@st.composite
def edited_article(draw):
    """Paragraph texts, the words annotated in them, and the texts after an edit."""
    texts = draw(st.lists(paragraph_text, min_size=1, max_size=5))
    marks = []
    for index, text in enumerate(texts):
        words = text.split()
        for position in draw(st.sets(st.integers(0, len(words) - 1), max_size=3)):
            marks.append((index, words[position], draw(st.booleans())))
    new = list(texts)
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["delete", "insert", "edit", "split", "join"]))
        index = draw(st.integers(0, len(new) - 1))
        words = new[index].split()
        if action == "delete" and len(new) > 1:
            del new[index]
        elif action == "insert":
            new.insert(index, draw(paragraph_text))
        elif action == "edit":
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(["neu", "KI"]))
            new[index] = " ".join(words)
        elif action == "split" and len(words) > 1:
            cut = draw(st.integers(1, len(words) - 1))
            new[index : index + 1] = [" ".join(words[:cut]), " ".join(words[cut:])]
        elif action == "join" and index + 1 < len(new):
            new[index : index + 2] = [f"{new[index]} {new[index + 1]}"]
    return texts, marks, new


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=edited_article())
@pytest.mark.django_db
def test_property_the_plan_is_what_the_import_does(case):
    """For any edit (paragraphs deleted, inserted, edited, split, joined), every annotation ends
    where ``plan`` said, in the state it said, and ``plan`` itself wrote nothing."""
    texts, marks, new_texts = case
    article = make_article(paragraphs=texts)
    paragraphs = list(article.paragraphs.order_by("position"))
    annotations = []
    for index, word, published in marks:
        status = Annotation.Status.PUBLISHED if published else Annotation.Status.DRAFT
        annotations.append(annotate_quote(paragraphs[index], word, status=status))
    before = article_rows()
    planned = textchanges.plan(article, new_texts)
    assert article_rows() == before
    assert sorted(o.annotation.pk for o in planned.outcomes) == sorted(a.pk for a in annotations)
    parsed = ParsedArticle(article.kicker, article.title, article.byline, tuple(new_texts))
    importer.save(parsed, slug=article.slug)
    for outcome in planned.outcomes:
        annotation = fresh(outcome.annotation)
        assert (
            annotation.paragraph.position,
            annotation.start,
            annotation.end,
            annotation.quote,
            annotation.anchor_status,
        ) == (outcome.position, outcome.start, outcome.end, outcome.quote, outcome.status)
    states = [state != "new" for state in planned.states]
    assert sum(states) == len(new_texts) - planned.added


@pytest.mark.django_db
def test_plan_counts_what_changes():
    """One paragraph edited, one inserted, one removed; the annotations kept, moved, to review."""
    article = make_article(paragraphs=["Mistral baut in Paris.", "Nvidia liefert.", "Weg damit."])
    first, second, third = article.paragraphs.order_by("position")
    kept = annotate_quote(second, "Nvidia")
    moved = annotate_quote(first, "Paris")
    orphaned = annotate_quote(third, "Weg")
    planned = textchanges.plan(article, ["Heute baut Mistral in Paris.", "Neu.", "Nvidia liefert."])
    assert (planned.changed, planned.added, planned.removed, planned.splits) == (1, 1, 1, 0)
    assert planned.states == ("changed", "new", "unchanged")
    assert [o.annotation.pk for o in planned.kept] == [kept.pk]
    assert [o.annotation.pk for o in planned.moved] == [moved.pk]
    assert [o.annotation.pk for o in planned.to_review] == [orphaned.pk]
    assert planned.to_review[0].position == 3  # kept on "Nvidia liefert.", now third
