"""What the gazetteer needs to know about German words: endings, common nouns, name boundaries.

Pure: stdlib only, plus two bundled lists, ``data/common-nouns-de.txt`` (frequent forms of
German common nouns) and ``data/place-names-de.txt`` (frequent place names); how they were built
and from what: ``scripts/build_common_nouns.py``.

Endings (``endings``). A name is declined on its last word. Tried after a last word that ends
in a letter:

- genitive ``-s``, ``-’s`` and ``-'s`` („Mistrals“, „OpenAI’s“), except after s, ß, x or z,
  where German writes an apostrophe alone („Merz’“), which needs no ending: ``’`` is not a
  letter, so the name itself is found;
- genitive ``-es`` after a consonant („des Bundestages“);
- ``-n`` after a final e („in den Niederlanden“, „Tech-Konzernen“: a dative plural or a weak
  noun) and ``-en`` after the endings of the weak masculine nouns (-and, -ant, -ent, -ist, -at,
  -et, -it, -ot, -graf, -nom, -soph; at least three letters before them, so not „Kant“);

An ending is not tried where it would turn a name that is no common noun into one („Rose“ →
„Rosen“): that word means something else.

Capitalised neighbours (``inside_longer_name``). German capitalises every noun, so a capital
letter next to a name does not make it part of a longer name. A neighbouring word, separated by
one space, continues the name when it is capitalised, is not a common noun (nor a compound whose
last part is one: „Chiphersteller“ ends in „Hersteller“) and, before the name, does not begin a
sentence or clause. So „Paris Hilton“ and „New England“ are longer names, and „in Paris Anfang
Juni“, „Chiphersteller Nvidia“ and „Gestern hat Mistral Modelle vorgestellt“ are not.
"""

from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
COMMON_NOUNS = DATA / "common-nouns-de.txt"
PLACE_NAMES = DATA / "place-names-de.txt"

SIBILANTS = frozenset("sßxzSSXZ")
VOWELS = frozenset("aeiouäöüyAEIOUÄÖÜY")
GENITIVE_ENDINGS = ("s", "’s", "'s")
WEAK_NOUN_SUFFIXES = (
    "and",
    "ant",
    "ent",
    "ist",
    "at",
    "et",
    "it",
    "ot",
    "graf",
    "nom",
    "soph",
)
# A compound's last part, to be looked up as a noun of its own: long enough to be one.
MIN_HEAD = 3
MIN_TAIL = 4
HYPHENS = "-\u2010\u2011"
# Characters after which a capitalised word may begin a sentence or clause, not a name.
CLAUSE_OPENERS = ".!?:;„“”\"«»‹›‚‘'()[]–—…"
SPACES = " \u00a0\u202f"


def read_list(path: Path) -> frozenset[str]:
    """Return the words of a bundled list: one a line, ``#`` lines are comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@cache
def common_nouns() -> frozenset[str]:
    """Return the bundled forms of German common nouns."""
    return read_list(COMMON_NOUNS)


@cache
def place_names() -> frozenset[str]:
    """Return the bundled German place names."""
    return read_list(PLACE_NAMES)


def is_common_noun(word: str) -> bool:
    """Tell whether a word, exactly as written, is a listed form of a common noun."""
    return word in common_nouns()


def is_noun_like(word: str) -> bool:
    """Tell whether a word reads as a common noun: listed, or a compound ending in one.

    Of a hyphenated word the last part counts („KI-Modelle“); of a closed compound a listed
    last part of four letters or more after three or more („Chiphersteller“), unless the word
    is a listed place („Deutschland“ ends in „Land“). For neighbouring words only: a name may
    end in a noun and be none („Frankreich“).
    """
    word = word.rstrip(HYPHENS)
    for hyphen in HYPHENS:
        word = word.rpartition(hyphen)[2]
    if not word:
        return False
    nouns = common_nouns()
    if word in nouns:
        return True
    return word not in place_names() and any(
        word[cut].upper() + word[cut + 1 :] in nouns
        for cut in range(MIN_HEAD, len(word) - MIN_TAIL + 1)
    )


def last_word(form: str) -> str:
    """Return the part of a form that takes its ending: after its last space or hyphen."""
    cut = max(form.rfind(separator) for separator in " " + HYPHENS)
    return form[cut + 1 :]


def endings(form: str) -> list[str]:
    """Return the endings to try after ``form`` (see the module's docstring)."""
    word = last_word(form)
    if not word or not word[-1].isalpha():
        return []
    found = []
    if word[-1] not in SIBILANTS:
        found += GENITIVE_ENDINGS
    if word[-1] not in VOWELS:
        found.append("es")
    if word[-1] == "e" and word[0].isupper():
        found.append("n")
    if word[0].isupper() and any(
        word.endswith(suffix) and len(word) - len(suffix) >= MIN_HEAD
        for suffix in WEAK_NOUN_SUFFIXES
    ):
        found.append("en")
    if is_common_noun(form):
        return found
    return [ending for ending in found if not is_common_noun(form + ending)]


def is_compound_part(text: str, start: int, end: int) -> bool:
    """Tell whether text[start:end] is joined by a hyphen to the word before or after it."""
    return (start > 0 and text[start - 1] in HYPHENS) or (end < len(text) and text[end] in HYPHENS)


def word_before(text: str, start: int) -> str:
    """Return the word separated from ``start`` by one space, or ''."""
    if start < 2 or text[start - 1] not in SPACES:
        return ""
    cut = start - 1
    while cut > 0 and not text[cut - 1].isspace():
        cut -= 1
    return text[cut : start - 1]


def word_after(text: str, end: int) -> str:
    """Return the word separated from ``end`` by one space, or ''."""
    if end >= len(text) - 1 or text[end] not in SPACES:
        return ""
    cut = end + 1
    while cut < len(text) and not text[cut].isspace():
        cut += 1
    return text[end + 1 : cut]


def bare(word: str) -> str:
    """Return a word without the punctuation around it."""
    return word.strip(CLAUSE_OPENERS + ",")


def continues_name(word: str) -> bool:
    """Tell whether a neighbouring word, as it stands, could be part of the same name."""
    return word[:1].isupper() and not is_noun_like(bare(word))


def begins_clause(text: str, start: int) -> bool:
    """Tell whether the word at ``start`` opens the text, a sentence or a clause."""
    before = text[:start].rstrip()
    return not before or before[-1] in CLAUSE_OPENERS


def inside_longer_name(text: str, start: int, end: int, *, look_before: bool = True) -> bool:
    """Tell whether text[start:end] is part of a longer capitalised name (module docstring).

    ``look_before``: whether a capitalised word before counts; not for people, whose first
    name before their surname names the same person („Emmanuel Macron“).
    """
    after = word_after(text, end)
    if after and after[0] not in CLAUSE_OPENERS and continues_name(after):
        return True
    if not look_before:
        return False
    before = word_before(text, start)
    if not before or before[-1] in CLAUSE_OPENERS + ",":
        return False
    cut = start - 1 - len(before)
    return continues_name(before) and not begins_clause(text, cut)
