"""The seed article's names and aliases as the gazetteer's forms, and hypothesis strategies of
forms and texts."""

from hypothesis import strategies as st

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

# Few characters, so that random forms and texts often meet; word and non-word characters,
# an emoji, a combining mark and an NFC singleton (the Ångström sign) are all represented.
# "s", "e", "n" and "’" make endings; "B" a capital for -n.
ALPHABET = "aBesn1_ -„“’😀\u0301Å\u212b"
form_strategy = st.text(ALPHABET, min_size=1, max_size=4)
forms_strategy = st.lists(st.tuples(form_strategy, st.integers(0, 3)), max_size=8)
text_strategy = st.text(ALPHABET, max_size=40)
