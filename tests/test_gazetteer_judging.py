"""The gazetteer's ``judge``: which mentions become suggestions, for which reason, how sure."""

import pytest
from hypothesis import given

from articleapp.gazetteer import CONFIDENCE, Confidence, EntityFacts, Matcher, Reason, Skip, judge
from tests.support.gazetteer_forms import SEED_FORMS, forms_strategy, text_strategy

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
