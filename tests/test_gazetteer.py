"""Tests for the gazetteer's matching rule and judging, with the seed article's cases and
property tests."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articleapp import german
from articleapp.gazetteer import (
    CONFIDENCE,
    Confidence,
    EntityFacts,
    Matcher,
    Mention,
    Reason,
    Skip,
    judge,
    regex_find,
)

SEED_FORMS = [
    ("Mistral AI", "mistral-ai"),
    ("Mistral", "mistral-ai"),
    ("Microsoft", "microsoft"),
    ("Microsoft-Cloud Azure", "microsoft-azure"),
    ("Azure", "microsoft-azure"),
    ("Viva Tech 2025", "viva-tech"),
    ("Viva Tech", "viva-tech"),
    ("KI für Bürger", "ai-for-citizens"),
    ("AI for Citizens", "ai-for-citizens"),
    ("Big Tech", "big-tech"),
    ("Tech-Konzerne", "big-tech"),
]


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


# Few characters, so that random forms and texts often meet; word and non-word characters,
# an emoji, a combining mark and an NFC singleton (the Ångström sign) are all represented.
# "s", "e", "n" and "’" make endings; "B" a capital for -n.
ALPHABET = "aBesn1_ -„“’😀\u0301Å\u212b"
form_strategy = st.text(ALPHABET, min_size=1, max_size=4)
forms_strategy = st.lists(st.tuples(form_strategy, st.integers(0, 3)), max_size=8)
text_strategy = st.text(ALPHABET, max_size=40)


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


# --- judge: suggested or not, and why --------------------------------------------------------

FACTS = {
    "mistral-ai": EntityFacts(
        "Mistral AI",
        is_ambiguous=True,
        not_before=frozenset({"weht", "bläst"}),
        not_after=frozenset({"kalte", "der"}),
    ),
    "microsoft": EntityFacts("Microsoft"),
    "microsoft-azure": EntityFacts("Microsoft Azure"),
    "paris": EntityFacts("Paris"),
    "big-tech": EntityFacts("Big Tech"),
    "bild": EntityFacts("Bild"),
    "macron": EntityFacts("Emmanuel Macron", is_person=True),
    "england": EntityFacts("England"),
}
JUDGE_FORMS = [
    *SEED_FORMS,
    ("Paris", "paris"),
    ("Bild", "bild"),
    ("Emmanuel Macron", "macron"),
    ("Macron", "macron"),
    ("England", "england"),
]


def verdicts(text):
    """Return (surface, verdict) of each mention in text, as judge() sees it."""
    return [
        (mention.surface, judge(text, mention, FACTS[mention.key]))
        for mention in Matcher(JUDGE_FORMS).find(text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Der Konzern Microsoft wächst.", [("Microsoft", Reason.NAME)]),
        (
            "Die Microsoft-Cloud Azure läuft.",
            [
                ("Microsoft-Cloud Azure", Reason.ALIAS),
                ("Microsoft", Reason.COMPOUND),
            ],
        ),
        ("Die Nvidia-Aktie und die Microsoft-Aktie", [("Microsoft", Reason.COMPOUND)]),
        ("Microsofts Gewinn", [("Microsofts", Reason.INFLECTED)]),
        ("Kritik an großen Tech-Konzernen", [("Tech-Konzernen", Reason.INFLECTED)]),
        ("Laut Mistral wächst der Markt.", [("Mistral", Reason.AMBIGUOUS)]),
        ("Mistrals Modelle", [("Mistrals", Reason.AMBIGUOUS)]),
        ("Mistral AI wächst.", [("Mistral AI", Reason.NAME)]),
        ("Die Bild berichtete.", [("Bild", Reason.COMMON_WORD)]),
        ("Präsident Macrons Rede", [("Macrons", Reason.INFLECTED)]),
    ],
)
def test_reasons(text, expected):
    """Each mention gets the weakest reason that applies to it."""
    assert verdicts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Der kalte Mistral weht.", [("Mistral", Skip.CONTEXT_WORD)]),
        (
            "Im Tal bläst Mistral; Mistral weht",
            [
                ("Mistral", Reason.AMBIGUOUS),
                ("Mistral", Skip.CONTEXT_WORD),
            ],
        ),
        ("Der Mistral-Chef sprach.", [("Mistral", Reason.AMBIGUOUS)]),
        ("Paris Hilton kam.", [("Paris", Skip.LONGER_NAME)]),
        ("Sie war in Paris Anfang Juni.", [("Paris", Reason.NAME)]),
        ("Er sah Paris Saint-Germain spielen.", [("Paris", Skip.LONGER_NAME)]),
        ("Er reiste nach New England.", [("England", Skip.LONGER_NAME)]),
        ("Sie reiste nach Neuengland, er nach England.", [("England", Reason.NAME)]),
        ("Gestern hat Microsoft Modelle vorgestellt.", [("Microsoft", Reason.NAME)]),
        ("Das sagte Emmanuel Macron.", [("Emmanuel Macron", Reason.NAME)]),
        ("Das sagte Präsident Macron.", [("Macron", Reason.ALIAS)]),
    ],
)
def test_skips_and_near_misses(text, expected):
    """Context words and longer capitalised names keep a mention from being suggested."""
    assert verdicts(text) == expected


def test_a_persons_first_name_does_not_make_a_longer_name():
    """For people a capitalised word before is a first name: „Brigitte Macron“ is still found."""
    text = "Das sagte Brigitte Macron."
    (mention,) = Matcher([("Macron", 1)]).find(text)
    assert judge(text, mention, EntityFacts("Macron", is_person=True)) == Reason.NAME
    assert judge(text, mention, EntityFacts("Macron")) == Skip.LONGER_NAME


def test_confidence_follows_the_reason():
    """Names and aliases are high, endings and compounds medium, ambiguity low."""
    assert {reason: CONFIDENCE[reason] for reason in Reason} == {
        Reason.NAME: Confidence.HIGH,
        Reason.ALIAS: Confidence.HIGH,
        Reason.INFLECTED: Confidence.MEDIUM,
        Reason.COMPOUND: Confidence.MEDIUM,
        Reason.AMBIGUOUS: Confidence.LOW,
        Reason.COMMON_WORD: Confidence.LOW,
    }


@given(forms_strategy, text_strategy)
def test_property_judge_decides_every_mention(forms, text):
    """judge() gives every mention a Reason or a Skip, and never fails."""
    for mention in Matcher(forms).find(text):
        verdict = judge(text, mention, EntityFacts(str(mention.key)))
        assert isinstance(verdict, Reason | Skip)
