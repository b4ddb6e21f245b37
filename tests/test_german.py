"""Tests for the German word facts the gazetteer uses: endings, common nouns, longer names."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articleapp import german


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("Mistral", ["s", "’s", "'s", "es"]),
        ("Nvidia", ["s", "’s", "'s"]),
        ("Paris", ["es"]),
        ("Schweiz", ["es"]),
        ("Tech-Konzerne", ["s", "’s", "'s", "n"]),
        ("Niederlande", ["s", "’s", "'s", "n"]),
        ("Bundespräsident", ["s", "’s", "'s", "es", "en"]),
        ("Kant", ["s", "’s", "'s", "es"]),
        ("Viva Tech 2025", []),
        ("„KI für Bürger“", []),
        ("", []),
    ],
)
def test_endings(form, expected):
    """Endings follow the rule in the module docstring, for the last word of a form."""
    assert german.endings(form) == expected


def test_an_ending_that_makes_another_noun_is_not_tried():
    """„Ameisen“ is listed and „Ameise“, too rare, is not: a name „Ameise“ gets no -n."""
    assert german.is_common_noun("Ameisen") and not german.is_common_noun("Ameise")
    assert german.endings("Ameise") == ["s", "’s", "'s"]
    # A listed noun itself keeps every ending: its forms are its own.
    assert german.endings("Rose") == ["s", "’s", "'s", "n"]


def test_common_nouns_are_listed_forms():
    """The bundled list holds nouns in their forms, no brands and no places."""
    for word in ["Bild", "Zeit", "Anfang", "Juni", "Modelle", "Hersteller", "Berichts"]:
        assert german.is_common_noun(word), word
    for word in ["Microsoft", "Nvidia", "Paris", "Frankreich", "Hilton", "bild", "Mistral"]:
        assert not german.is_common_noun(word), word


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Chiphersteller", True),
        ("KI-Modelle", True),
        ("Rechenkapazitäten", True),
        ("Hilton", False),
        ("Saint-Germain", False),
        ("AI", False),
        ("Deutschland", False),
    ],
)
def test_noun_like_words(word, expected):
    """Compounds whose last part is a listed noun read as nouns; names do not."""
    assert german.is_noun_like(word) is expected


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        ("Paris Hilton kam.", "Paris", True),
        ("Er sah Paris Hilton.", "Paris", True),
        ("in Paris Anfang Juni", "Paris", False),
        ("in Paris, Hilton", "Paris", False),
        ("in Paris. Hilton kam", "Paris", False),
        ("nach New England", "England", True),
        ("New England liegt", "England", False),
        ("Chiphersteller Nvidia baut", "Nvidia", False),
        ("Auch Nvidia baut", "Nvidia", False),
        ("„Auch“ Nvidia baut", "Nvidia", False),
        ("dass Nvidia Chips liefert", "Nvidia", False),
        ("Mistral KI-Modelle", "Mistral", False),
        ("Mistral AI", "Mistral", True),
    ],
)
def test_inside_longer_name(text, quote, expected):
    """A capitalised neighbour that is no noun continues a name; nouns and clause starts do not."""
    start = text.index(quote)
    assert german.inside_longer_name(text, start, start + len(quote)) is expected


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        ("die Microsoft-Cloud", "Microsoft", True),
        ("die Ex-Microsoft Leute", "Microsoft", True),
        ("die Microsoft Cloud", "Microsoft", False),
    ],
)
def test_compound_part(text, quote, expected):
    """A hyphen right before or after makes a mention part of a compound."""
    start = text.index(quote)
    assert german.is_compound_part(text, start, start + len(quote)) is expected


@given(st.text("aAsSeEn ß-’'1", max_size=12))
def test_property_endings_extend_the_last_word_with_letters(form):
    """Every ending is tried only after a letter, and is itself made of letters and apostrophes."""
    for ending in german.endings(form):
        assert form[-1:].isalpha()
        assert all(character.isalpha() or character in "’'" for character in ending)


@given(st.text(max_size=30), st.integers(0, 30), st.integers(0, 30))
def test_property_inside_longer_name_never_fails(text, start, length):
    """Any span of any text gets an answer."""
    start = min(start, len(text))
    end = min(start + length, len(text))
    assert german.inside_longer_name(text, start, end) in (True, False)
