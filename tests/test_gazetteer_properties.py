"""Property tests of the gazetteer's ``Matcher``: mentions in bounds, on word boundaries, never
nested within one entity, sorted, and the same as ``regex_find`` and a brute-force scan."""

import unicodedata

from hypothesis import given

from articleapp import german
from articleapp.gazetteer import Matcher, Mention, regex_find
from tests.support.gazetteer_forms import forms_strategy, text_strategy


def is_word_character(character):
    """Tell whether a character is a letter, digit or underscore."""
    return character.isalnum() or character == "_"


def brute_force_find(forms, text):
    """Return the mentions by scanning for every form and ending separately (a slow reference)."""
    normalised = unicodedata.normalize("NFC", text)
    searched = normalised if len(normalised) == len(text) else text
    given = [(unicodedata.normalize("NFC", form), key) for form, key in forms]
    given = [(form, key) for form, key in given if form]
    given_forms = {form for form, _ in given}
    # Forms as given first, then with endings, each in the order given: the first reading of a
    # surface for a key is the one reported.
    surfaces = [(form, key, form, "") for form, key in given] + [
        (form + ending, key, form, ending)
        for form, key in given
        for ending in german.endings(form)
        if form + ending not in given_forms
    ]
    candidates = {}
    for surface, key, form, ending in surfaces:
        for start in range(len(searched) - len(surface) + 1):
            end = start + len(surface)
            if searched[start:end] != surface:
                continue
            if start > 0 and is_word_character(searched[start - 1]):
                continue
            if end < len(searched) and is_word_character(searched[end]):
                continue
            candidates.setdefault((start, end, key), (form, ending))
    kept = [
        (start, end, key)
        for start, end, key in candidates
        if not any(
            other_key == key and other_start <= start and end <= other_end
            for other_start, other_end, other_key in candidates
            if (other_start, other_end) != (start, end)
        )
    ]
    return [
        Mention(start, end, text[start:end], key, *candidates[start, end, key])
        for start, end, key in kept
    ]


def canonical(mentions):
    """Order mentions of integer keys completely, to compare them as sets."""
    return sorted(mentions, key=lambda mention: (mention.start, mention.end, mention.key))


def sort_key(mention):
    """Order mentions the way Matcher.find documents."""
    return (mention.start, -mention.end, str(mention.key))


@given(forms_strategy, text_strategy)
def test_property_mentions_are_the_text_at_their_offsets(forms, text):
    """Every mention's surface is text[start:end], non-empty and in bounds."""
    for mention in Matcher(forms).find(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.surface


@given(forms_strategy, text_strategy)
def test_property_mentions_sit_on_word_boundaries(forms, text):
    """No mention has a letter, digit or underscore just outside it."""
    for mention in Matcher(forms).find(text):
        if mention.start > 0:
            assert not is_word_character(text[mention.start - 1])
        if mention.end < len(text):
            assert not is_word_character(text[mention.end])


@given(forms_strategy, text_strategy)
def test_property_same_key_mentions_never_nest(forms, text):
    """No mention lies inside another mention of the same key."""
    mentions = Matcher(forms).find(text)
    for outer in mentions:
        for inner in mentions:
            if inner is not outer and inner.key == outer.key:
                assert not (outer.start <= inner.start and inner.end <= outer.end)


@given(forms_strategy, text_strategy)
def test_property_mentions_are_sorted(forms, text):
    """Mentions come sorted by (start, -end, str(key))."""
    mentions = Matcher(forms).find(text)
    assert mentions == sorted(mentions, key=sort_key)


@given(forms_strategy, text_strategy)
def test_property_matcher_agrees_with_regex_find(forms, text):
    """Matcher.find and regex_find return the same mentions."""
    assert Matcher(forms).find(text) == regex_find(forms, text)


@given(forms_strategy, text_strategy)
def test_property_matcher_agrees_with_brute_force(forms, text):
    """Matcher.find returns exactly the mentions a form-by-form scan finds."""
    assert canonical(Matcher(forms).find(text)) == canonical(brute_force_find(forms, text))
