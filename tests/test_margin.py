"""What the reading page's margin holds: notes, folded notes and popover references."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articleapp import margin
from articleapp.views import load_reading
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.pages import count_queries

LONG = (
    "Mistral baut in Paris. Nvidia liefert Chips. Microsoft ist beteiligt. Paris bleibt "
    "Sitz. Mistral wächst, und Mistral stellt ein. " * 3
)


def mention(article, position, quote, **fields):
    return annotate_quote(article.paragraphs.get(position=position), quote, **fields)


def plan_for(article):
    _, paragraphs = load_reading(article.slug)
    return paragraphs, margin.plan(paragraphs)


@pytest.mark.django_db
def test_an_entity_gets_one_note_and_its_later_bare_mentions_are_popovers():
    """The first mention of an entity is a note; later mentions without comment or tags are
    popover references; a later mention with a comment or tags is a note again."""
    mistral = make_entity("Mistral AI", description="Französisches KI-Unternehmen.")
    article = make_article(["Mistral baut.", LONG])
    first = mention(article, 1, "Mistral", entity=mistral)
    bare = mention(article, 2, "Mistral", entity=mistral)
    commented = mention(article, 2, "Mistral", occurrence=2, entity=mistral, comment="Ja.")
    tagged = mention(article, 2, "stellt ein", occurrence=3, entity=mistral, tags=["Jobs"])
    _, margins = plan_for(article)
    assert margins[0].notes == [first]
    assert bare in margins[1].refs
    assert margins[1].notes == [commented, tagged]
    assert margins[1].note_count == 2 and margins[1].count == 2 + len(margins[1].refs)


@pytest.mark.django_db
def test_notes_are_numbered_in_reading_order_across_the_article():
    """Every annotation gets its note number in text order, popovers included."""
    entity = make_entity("Paris")
    article = make_article(["Paris und Paris.", "Wieder Paris."])
    annotations = [
        mention(article, 1, "Paris", entity=entity),
        mention(article, 1, "Paris", occurrence=2, entity=entity),
        mention(article, 2, "Paris", entity=entity),
    ]
    _, margins = plan_for(article)
    numbers = {}
    for paragraph_margin in margins:
        numbers.update(paragraph_margin.numbers)
    assert numbers == {annotation.pk: index for index, annotation in enumerate(annotations, 1)}


@pytest.mark.django_db
def test_a_crowded_paragraph_folds_entity_notes_before_comments():
    """Notes that would stand much taller than a short paragraph fold into "+N more", the
    editorial ones last; the shown and folded notes keep text order, and name what is folded."""
    article = make_article(
        [
            "Mistral arbeitet nach eigenen Angaben mit Regierungen, Behörden und Schulen in "
            "Frankreich, Luxemburg, Singapur, England und der Schweiz zusammen; Beispiele nennt "
            "das Unternehmen nicht."
        ]
    )
    places = ["Frankreich", "Luxemburg", "Singapur", "England", "Schweiz"]
    annotations = [
        mention(article, 1, name, entity=make_entity(name, description="Ein Staat " * 8))
        for name in places
    ]
    comment = mention(article, 1, "Schweiz", comment="Nicht in der EU.")
    _, (paragraph_margin,) = plan_for(article)
    assert comment in paragraph_margin.notes
    assert paragraph_margin.folded
    assert paragraph_margin.notes + paragraph_margin.folded == sorted(
        [*annotations, comment], key=lambda annotation: annotation in paragraph_margin.folded
    )
    assert paragraph_margin.folded_names == [
        annotation.entity.name for annotation in paragraph_margin.folded
    ]
    shown = sum(margin.note_height(annotation) for annotation in paragraph_margin.notes)
    limit = margin.paragraph_height(article.paragraphs.get().text) + margin.SLACK_PX
    assert shown + margin.fold_height(paragraph_margin.folded_names) <= limit


@pytest.mark.django_db
def test_a_long_paragraph_keeps_every_note_open():
    """Notes that fit beside their paragraph are all shown."""
    article = make_article([LONG])
    entities = [make_entity(name) for name in ["Mistral AI", "Nvidia", "Microsoft"]]
    for quote, entity in zip(["Mistral", "Nvidia", "Microsoft"], entities, strict=True):
        mention(article, 1, quote, entity=entity)
    _, (paragraph_margin,) = plan_for(article)
    assert len(paragraph_margin.notes) == 3 and paragraph_margin.folded == []


@pytest.mark.django_db
def test_planning_runs_no_query(django_assert_num_queries):
    """The plan reads only what ``load_reading`` loaded."""
    entity = make_entity("Paris")
    article = make_article([LONG])
    mention(article, 1, "Paris", entity=entity)
    mention(article, 1, "Paris", occurrence=2, entity=entity, comment="Sitz.")
    _, paragraphs = load_reading(article.slug)
    with django_assert_num_queries(0):
        margin.plan(paragraphs)


@pytest.mark.django_db
def test_reading_page_queries_do_not_grow_with_notes(client):
    """A page with many folded notes and popovers takes the same queries as a small one."""
    small = make_article(["Paris."])
    mention(small, 1, "Paris", entity=make_entity("Paris"))
    large = make_article([LONG] * 12)
    names = ["Mistral", "Nvidia", "Microsoft", "Paris"]
    entities = [make_entity(name) for name in names]
    for position in range(1, 13):
        for name, entity in zip(names, entities, strict=True):
            mention(large, position, name, entity=entity)
    assert count_queries(client, large.get_absolute_url()) == count_queries(
        client, small.get_absolute_url()
    )


@given(
    st.lists(
        st.tuples(st.floats(min_value=40, max_value=400), st.booleans()), min_size=1, max_size=9
    ),
    st.integers(min_value=20, max_value=1200),
)
def test_fit_shows_one_note_at_least_puts_comments_first_and_respects_the_budget(
    notes, text_length
):
    """Whatever the notes, at least one is shown; a comment never folds while an entity note
    is shown; what is shown fits beside the text with the "+N more" line, unless it is one note
    too tall on its own."""
    candidates = [
        margin.Candidate(key, height, is_minor, f"Name {key}")
        for key, (height, is_minor) in enumerate(notes)
    ]
    text_height = margin.paragraph_height("x" * text_length)
    shown = margin.fit(candidates, text_height)
    folded = [item for item in candidates if item.key not in shown]
    assert shown
    if any(item.is_minor for item in candidates if item.key in shown):
        assert not any(not item.is_minor for item in folded)
    used = sum(item.height for item in candidates if item.key in shown)
    fold = margin.fold_height([item.label for item in folded])
    assert len(shown) == 1 or used + fold <= text_height + margin.SLACK_PX
