"""What the reading page's margin holds: notes, folded notes and popover references."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articleapp import margin
from articleapp.reading import load
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.pages import count_queries
from tests.support.reading import planned

LONG = (
    "Mistral baut in Paris. Nvidia liefert Chips. Microsoft ist beteiligt. Paris bleibt "
    "Sitz. Mistral wächst, und Mistral stellt ein. " * 3
)


def mention(article, position, quote, **fields):
    return annotate_quote(article.paragraphs.get(position=position), quote, **fields)


@pytest.mark.django_db
def test_an_entity_gets_one_note_and_its_later_bare_mentions_are_popovers():
    """The first mention of an entity is a note; later mentions without comment or tags are
    popover references; a later mention with a comment or tags is a note again."""
    mistral = make_entity("Mistral AI", description="Französisches KI-Unternehmen.")
    article = make_article(["Mistral baut.", LONG, LONG])
    first = mention(article, 1, "Mistral", entity=mistral)
    bare = mention(article, 2, "Mistral", entity=mistral)
    commented = mention(article, 2, "Mistral", occurrence=2, entity=mistral, comment="Ja.")
    tagged = mention(article, 3, "stellt ein", entity=mistral, tags=["Jobs"])
    _, margins = planned(article)
    assert margins[0].notes == [first]
    assert margins[1].refs == [bare] and margins[1].notes == [commented]
    assert margins[2].notes == [tagged]
    assert margins[1].note_count == 1 and margins[1].count == 2


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
    _, margins = planned(article)
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
            "das Unternehmen nicht. Auf der Webseite finden sich nur Kundenbeziehungen mit "
            "diversen Privatunternehmen, die Regierungen bleiben ungenannt, und auch die Behörden "
            "und Schulen nennt Mistral nicht beim Namen."
        ]
    )
    places = ["Frankreich", "Luxemburg", "Singapur", "England", "Schweiz"]
    annotations = [
        mention(article, 1, name, entity=make_entity(name, description="Ein Staat " * 8))
        for name in places
    ]
    comment = mention(article, 1, "Schweiz", comment="Nicht in der EU.")
    _, (paragraph_margin,) = planned(article)
    assert comment in paragraph_margin.notes
    assert paragraph_margin.folded
    assert paragraph_margin.notes + paragraph_margin.folded == sorted(
        [*annotations, comment], key=lambda annotation: annotation in paragraph_margin.folded
    )
    assert paragraph_margin.folded_names == [
        annotation.entity.name for annotation in paragraph_margin.folded
    ]
    text = article.paragraphs.get().text
    notes = [margin.candidate(annotation, text) for annotation in paragraph_margin.notes]
    limit = margin.paragraph_height(text) + margin.SLACK_PX
    assert margin.stack_bottom(notes, paragraph_margin.folded_names) <= limit


@pytest.mark.django_db
def test_a_long_paragraph_keeps_every_note_open():
    """Notes that fit beside their paragraph are all shown."""
    article = make_article([LONG])
    entities = [make_entity(name) for name in ["Mistral AI", "Nvidia", "Microsoft"]]
    for quote, entity in zip(["Mistral", "Nvidia", "Microsoft"], entities, strict=True):
        mention(article, 1, quote, entity=entity)
    _, (paragraph_margin,) = planned(article)
    assert len(paragraph_margin.notes) == 3 and paragraph_margin.folded == []


@pytest.mark.django_db
def test_planning_runs_no_query(django_assert_num_queries):
    """The plan reads only what ``reading.load`` loaded."""
    entity = make_entity("Paris")
    article = make_article([LONG])
    mention(article, 1, "Paris", entity=entity)
    mention(article, 1, "Paris", occurrence=2, entity=entity, comment="Sitz.")
    paragraphs, _, _ = load(article)
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
        st.tuples(
            st.integers(min_value=0, max_value=900),
            st.floats(min_value=40, max_value=400),
            st.booleans(),
        ),
        min_size=1,
        max_size=9,
    ),
    st.integers(min_value=60, max_value=1200),
)
def test_fit_shows_one_note_at_least_puts_comments_first_and_respects_the_budget(notes, limit):
    """Whatever the notes, at least one is shown; a comment never folds while an entity note
    is shown; the shown notes, each beside its words or under the note above, end within the
    limit with the "+N more" line, unless one note alone is too tall."""
    candidates = [
        margin.Candidate(key, wanted, height, is_minor, f"Name {key}")
        for key, (wanted, height, is_minor) in enumerate(sorted(notes))
    ]
    shown = margin.fit(candidates, limit)
    notes_shown = [item for item in candidates if item.key in shown]
    folded = [item.label for item in candidates if item.key not in shown]
    assert shown
    if any(item.is_minor for item in notes_shown):
        assert all(item.is_minor for item in candidates if item.key not in shown)
    assert len(shown) == 1 or margin.stack_bottom(notes_shown, folded) <= limit
