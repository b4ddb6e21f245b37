"""manage.py suggest_annotations: the admin button's work, with counts per entity and reason."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articleapp import suggestions
from articleapp.models import Annotation, RejectedSuggestion
from tests.support.factories import make_article, make_entity

TEXT = "Mistrals Modelle und Nvidia-Chips in Paris. Mistral AI wächst."


@pytest.fixture
def articles(db):
    make_entity("Mistral AI", aliases=["Mistral"], is_ambiguous=True, ambiguity_note="ein Wind")
    make_entity("Nvidia")
    return make_article(paragraphs=[TEXT]), make_article(paragraphs=["Nvidia baut."])


def run(*args, **options):
    out = StringIO()
    call_command("suggest_annotations", *args, stdout=out, **options)
    return out.getvalue()


def test_suggests_in_every_article_and_counts_per_entity_and_reason(articles):
    """Without --article every article gets suggestions; the table counts them."""
    output = run()
    assert Annotation.objects.suggestions().count() == 4
    lines = output.splitlines()
    assert lines[0].split() == ["entity", "reason", "new"]
    assert lines[1:5] == [
        "Mistral AI  ambiguous           1",
        "Mistral AI  name                1",
        "Nvidia      compound            1",
        "Nvidia      name                1",
    ]
    assert lines[-1] == (
        "4 suggestion(s) created in 2 article(s); 0 mention(s) already annotated, "
        "0 rejected before."
    )


def test_only_the_named_articles(articles):
    """--article limits the run; slugs may repeat or be listed."""
    first, second = articles
    run("--article", second.slug)
    assert list(Annotation.objects.suggestions().values_list("quote", flat=True)) == ["Nvidia"]
    run("--article", first.slug, second.slug, "--article", second.slug)
    assert Annotation.objects.suggestions().count() == 4


def test_dry_run_counts_and_saves_nothing(articles):
    """--dry-run prints what it would create and creates nothing."""
    output = run("--dry-run")
    assert "4 suggestion(s) would be created in 2 article(s)" in output
    assert not Annotation.objects.exists()


def test_a_second_run_and_rejections(articles):
    """Spans suggested or rejected before are counted, not suggested again."""
    run()
    nvidia = Annotation.objects.get(quote="Nvidia", paragraph__article=articles[1])
    suggestions.reject(nvidia)
    output = run()
    assert output.splitlines()[-1] == (
        "0 suggestion(s) created in 2 article(s); 3 mention(s) already annotated, "
        "1 rejected before."
    )
    assert RejectedSuggestion.objects.count() == 1


@pytest.mark.parametrize("slugs", [["nope"], ["nope", "nada"]])
def test_an_unknown_slug_is_one_line_and_changes_nothing(articles, slugs):
    """A bad slug is a CommandError (exit status 1) in one line; nothing is suggested."""
    with pytest.raises(CommandError) as raised:
        run("--article", articles[0].slug, *slugs)
    assert str(raised.value) == f"No article with the slug {', '.join(map(repr, slugs))}."
    assert not Annotation.objects.exists()


def test_verbosity_zero_is_silent(articles):
    """-v 0 prints nothing and still suggests."""
    assert run(verbosity=0) == ""
    assert Annotation.objects.suggestions().count() == 4
