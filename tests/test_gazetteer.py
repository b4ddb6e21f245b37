"""The gazetteer's matching rule (``Matcher``, ``regex_find``), with the seed article's cases."""

import pytest

from articleapp import german
from articleapp.gazetteer import Matcher, Mention, regex_find
from tests.support.gazetteer_forms import SEED_FORMS


def found(text, forms=SEED_FORMS):
    """Return (surface, key) of each mention that a Matcher over forms finds in text."""
    return [(mention.surface, mention.key) for mention in Matcher(forms).find(text)]


def test_longest_form_of_an_entity_wins():
    """A short alias inside a longer name of the same entity is not reported."""
    text = "„KI für Bürger“: Mistral AI bezieht Stellung. Der Hersteller Mistral hat"
    mentions = Matcher(SEED_FORMS).find(text)
    assert [(m.surface, m.key) for m in mentions if m.key == "mistral-ai"] == [
        ("Mistral AI", "mistral-ai"),
        ("Mistral", "mistral-ai"),
    ]
    assert text[mentions[1].start : mentions[1].end] == "Mistral AI"


def test_event_with_year_is_one_mention():
    """'Viva Tech 2025' is one mention, not also 'Viva Tech'."""
    assert found("Auf der Viva Tech 2025 in Paris") == [("Viva Tech 2025", "viva-tech")]


def test_nested_mentions_of_different_entities_are_kept():
    """'Microsoft' inside 'Microsoft-Cloud Azure' is kept beside the Azure mention."""
    text = "auch über die Microsoft-Cloud Azure anzubieten"
    assert found(text) == [
        ("Microsoft-Cloud Azure", "microsoft-azure"),
        ("Microsoft", "microsoft"),
    ]


def test_offsets_of_nested_mentions():
    """Nested mentions carry their own offsets, outer one first."""
    text = "über die Microsoft-Cloud Azure"
    outer, inner = Matcher(SEED_FORMS).find(text)
    assert (outer.start, outer.end) == (9, 30)
    assert (inner.start, inner.end) == (9, 18)


def test_german_quotation_marks_are_boundaries():
    """„KI für Bürger“ is found inside German quotation marks."""
    text = "die Initiative „AI for Citizens“ („KI für Bürger“)."
    assert found(text) == [
        ("AI for Citizens", "ai-for-citizens"),
        ("KI für Bürger", "ai-for-citizens"),
    ]


def test_inflected_form_is_matched_by_its_stem_with_the_ending():
    """'Tech-Konzerne' is found as 'Tech-Konzernen', the whole word, with its ending."""
    text = "Kritik an großen Tech-Konzernen: Deren KI-Produkte"
    (mention,) = Matcher(SEED_FORMS).find(text)
    assert (mention.surface, mention.key) == ("Tech-Konzernen", "big-tech")
    assert (mention.form, mention.ending) == ("Tech-Konzerne", "n")


def test_inflected_form_listed_as_alias_is_found_as_written():
    """An inflected form that is itself an alias wins over the stem with an ending."""
    forms = [*SEED_FORMS, ("Tech-Konzernen", "big-tech")]
    (mention,) = Matcher(forms).find("an großen Tech-Konzernen:")
    assert (mention.surface, mention.form, mention.ending) == (
        "Tech-Konzernen",
        "Tech-Konzernen",
        "",
    )


@pytest.mark.parametrize(
    ("text", "surface", "ending"),
    [
        ("Mistrals neue Modelle", "Mistrals", "s"),
        ("OpenAI’s Chef", "OpenAI’s", "’s"),
        ("OpenAI's Chef", "OpenAI's", "'s"),
        ("Nvidias Chips", "Nvidias", "s"),
        ("in den Niederlanden", "Niederlanden", "n"),
        ("des Bundestages", "Bundestages", "es"),
    ],
)
def test_german_endings_are_found(text, surface, ending):
    """Genitive -s, -’s, -'s, -es and the -n of a dative plural extend a form."""
    forms = [
        ("Mistral", 1),
        ("OpenAI", 2),
        ("Nvidia", 3),
        ("Niederlande", 4),
        ("Bundestag", 5),
    ]
    (mention,) = Matcher(forms).find(text)
    assert (mention.surface, mention.ending) == (surface, ending)
    assert mention.surface == mention.form + mention.ending


def test_apostrophe_genitive_finds_the_name_alone():
    """„Merz’ Pläne“: the apostrophe is no letter, so the name itself is the mention."""
    assert found("Friedrich Merz’ Pläne", [("Friedrich Merz", 1)]) == [("Friedrich Merz", 1)]


def test_no_ending_after_a_sibilant_or_a_digit():
    """„Pariss“ and „Viva Tech 2025s“ are not German; neither is tried."""
    assert found("Pariss und Viva Tech 2025s", [("Paris", 1), ("Viva Tech 2025", 2)]) == []


def test_match_must_be_a_whole_word():
    """Letters, digits or '_' next to a form prevent a match; punctuation does not."""
    assert found("Microsoftware Microsoft2 _Microsoft Microsoft_ NeuMicrosoft") == []
    assert found("(Microsoft), Microsoft.") == [
        ("Microsoft", "microsoft"),
        ("Microsoft", "microsoft"),
    ]


def test_matching_is_case_sensitive():
    """A form in other letter case is not a mention."""
    assert found("MICROSOFT und microsoft") == []


def test_emoji_before_a_match_keeps_code_point_offsets():
    """Non-BMP characters count as one code point each."""
    text = "🚀🇫🇷 Mistral AI 😀"
    (mention,) = Matcher(SEED_FORMS).find(text)
    assert (mention.start, mention.end) == (4, 14)
    assert text[mention.start : mention.end] == "Mistral AI"


def test_emoji_inside_a_form():
    """Forms may contain non-BMP characters."""
    text = "ein 🤖-Gipfel und ein 🤖"
    assert Matcher([("🤖", 1)]).find(text) == [
        Mention(4, 5, "🤖", 1, "🤖"),
        Mention(21, 22, "🤖", 1, "🤖"),
    ]


def test_empty_matcher_finds_nothing():
    """A matcher without forms (or only empty ones) finds nothing."""
    assert len(Matcher([])) == 0
    assert Matcher([]).find("Mistral AI") == []
    assert Matcher([("", 1)]).find("Mistral AI") == []


def test_len_counts_distinct_surface_forms():
    """len() counts distinct surfaces searched for (endings included), not entities or pairs."""
    matcher = Matcher([("Paris", 1), ("Paris", 2), ("Paris", 1), ("Frankreich", 3)])
    assert len(matcher) == len({"Paris", "Frankreich"}) + len(german.endings("Paris")) + len(
        german.endings("Frankreich")
    )


def test_same_form_for_two_keys_reports_both():
    """A form shared by two entities yields one mention per entity."""
    assert found("in Paris.", [("Paris", "city"), ("Paris", "person")]) == [
        ("Paris", "city"),
        ("Paris", "person"),
    ]


def test_forms_are_nfc_normalised():
    """A decomposed form matches composed text."""
    assert found("KI für Bürger", [("KI fu\u0308r Bu\u0308rger", 1)]) == [("KI für Bürger", 1)]


def test_text_whose_normalisation_keeps_its_length_is_normalised():
    """The Ångström sign matches the letter Å, and the mention shows the text as given."""
    assert found("\u212bngström", [("Ångström", 1)]) == [("\u212bngström", 1)]


def test_text_whose_normalisation_changes_its_length_is_matched_as_given():
    """Offsets stay true: decomposed text is not matched by a composed form."""
    assert found("Bu\u0308rger und Bürger", [("Bürger", 1)]) == [("Bürger", 1)]


def test_matcher_is_reusable():
    """One matcher serves many texts."""
    matcher = Matcher(SEED_FORMS)
    assert matcher.find("Nvidia") == []
    assert matcher.find("Microsoft") == [Mention(0, 9, "Microsoft", "microsoft", "Microsoft")]


def test_many_forms():
    """Thousands of forms are matched correctly alongside the real ones."""
    forms = [(f"Firma {number}", number) for number in range(20_000)] + SEED_FORMS
    text = "Firma 12 und Firma 19999 sowie Mistral AI, aber nicht Firma 200000."
    assert found(text, forms) == [
        ("Firma 12", 12),
        ("Firma 19999", 19999),
        ("Mistral AI", "mistral-ai"),
    ]


def test_regex_find_agrees_on_the_seed_cases():
    """The regex implementation finds the same mentions in the seed sentences."""
    text = "„KI für Bürger“: Mistral AI. Viva Tech 2025, Microsoft-Cloud Azure, Tech-Konzernen 🚀"
    assert regex_find(SEED_FORMS, text) == Matcher(SEED_FORMS).find(text)
    assert regex_find([], text) == []
