"""Find mentions of known entities in a text by their names and aliases.

The matching rule (the documented rule that editors rely on):

- Exact and case-sensitive: a surface form matches only where the text holds the same characters,
  since entity names are proper nouns. Forms and text are compared after Unicode NFC
  normalisation. Offsets are code points into the text as given; in the rare case that
  normalising the text would change its length, the text is matched as given so that offsets
  stay true.
- Whole words only: the character just before a match and the one just after it must not be a
  letter or digit (``str.isalnum()``) nor ``_``. Punctuation and quotation marks are boundaries,
  so "Microsoft" is found in "Microsoft-Cloud Azure" and in „Microsoft“, but "Tech-Konzerne" is
  not found inside "Tech-Konzernen" as such.
- German endings: a form is also found with the endings that ``articleapp.german.endings``
  allows it (genitive -s, -’s, -es; -n, -en): "Mistrals", "Tech-Konzernen". A form that is
  itself a name or alias wins over another form's ending.
- Longest match wins within one entity: a match lying inside a longer match of the same entity is
  dropped ("Mistral" inside "Mistral AI", "Viva Tech" inside "Viva Tech 2025").
- Matches of different entities are all kept, even where they nest or overlap ("Microsoft" inside
  "Microsoft-Cloud Azure", an alias of Microsoft Azure): nested mentions of distinct entities are
  real, and an editor decides which to keep.

Which mentions become suggestions, and how sure they are, ``judge`` decides: see its docstring.

`Matcher` runs an Aho-Corasick automaton, so a search takes time linear in the text and nearly
independent of the number of forms. `regex_find` applies the same rule with one regex alternation
and exists only so that a benchmark can compare the two.
"""

import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum

import ahocorasick

from articleapp import german


@dataclass(frozen=True, slots=True)
class Mention:
    """A place in a text where a surface form of an entity occurs."""

    start: int  # code-point offsets into the text
    end: int
    surface: str  # the text at [start, end), which is the form unless NFC had to reconcile them
    key: Hashable  # the entity key given to the Matcher
    form: str = ""  # the name or alias found (NFC), without its ending
    ending: str = ""  # the German ending found after it, if any ("s", "’s", "es", "n", "en")


@dataclass(frozen=True, slots=True)
class Hit:
    """What a surface form stands for: an entity's form, with or without an ending."""

    key: Hashable
    form: str
    ending: str = ""


class Matcher:
    """Find whole-word mentions of many surface forms in a text in one pass."""

    def __init__(self, forms: Iterable[tuple[str, Hashable]]):
        self._hits_by_surface = _index_forms(forms)
        self._automaton = ahocorasick.Automaton()
        for surface, hits in self._hits_by_surface.items():
            self._automaton.add_word(surface, (len(surface), hits))
        # pyahocorasick refuses to search an automaton that has no words.
        if self._hits_by_surface:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        """Count the distinct surface forms searched for, endings included."""
        return len(self._hits_by_surface)

    def find(self, text: str) -> list[Mention]:
        """Return the mentions in text, sorted by (start, -end, str(key))."""
        if not self._hits_by_surface:
            return []
        searched = _searchable(text)
        candidates = []
        for last, (length, hits) in self._automaton.iter(searched):
            start, end = last + 1 - length, last + 1
            if _is_whole_word(searched, start, end):
                candidates.extend((start, end, hit) for hit in hits)
        return _longest_per_key(text, candidates)


def regex_find(forms: Iterable[tuple[str, Hashable]], text: str) -> list[Mention]:
    """Return the same mentions as Matcher(forms).find(text), found with one regex alternation."""
    hits_by_surface = _index_forms(forms)
    if not hits_by_surface:
        return []
    # Longest alternatives first, so that at each start the regex reports the longest form there;
    # the lookahead keeps the match empty, so overlapping mentions are all visited.
    alternation = "|".join(map(re.escape, sorted(hits_by_surface, key=len, reverse=True)))
    pattern = re.compile(rf"(?<!\w)(?=({alternation})(?!\w))")
    lengths = sorted({len(surface) for surface in hits_by_surface})
    searched = _searchable(text)
    candidates = []
    for match in pattern.finditer(searched):
        start, longest = match.start(), match.group(1)
        # A regex reports one alternative per position: shorter forms that start at the same
        # place are prefixes of the longest one and are looked up directly.
        for length in lengths:
            if length > len(longest):
                break
            surface = longest[:length]
            if surface in hits_by_surface and _is_whole_word(searched, start, start + length):
                candidates.extend((start, start + length, hit) for hit in hits_by_surface[surface])
    return _longest_per_key(text, candidates)


def _index_forms(forms: Iterable[tuple[str, Hashable]]) -> dict[str, tuple[Hit, ...]]:
    """Map each NFC surface form, and each with an ending, to what it stands for.

    Keys keep the order in which they were first given. A surface that is a form as given is
    never also read as another form with an ending.
    """
    keys_by_form: dict[str, dict[Hashable, None]] = {}
    for form, key in forms:
        normalised = unicodedata.normalize("NFC", form)
        if normalised:
            keys_by_form.setdefault(normalised, {})[key] = None
    hits: dict[str, dict[Hashable, Hit]] = {
        form: {key: Hit(key, form) for key in keys} for form, keys in keys_by_form.items()
    }
    for form, keys in keys_by_form.items():
        for ending in german.endings(form):
            surface = form + ending
            if surface in keys_by_form:
                continue
            for key in keys:
                hits.setdefault(surface, {}).setdefault(key, Hit(key, form, ending))
    return {surface: tuple(by_key.values()) for surface, by_key in hits.items()}


def _searchable(text: str) -> str:
    """Return text in NFC if that keeps every offset, else text as given."""
    if unicodedata.is_normalized("NFC", text):
        return text
    normalised = unicodedata.normalize("NFC", text)
    return normalised if len(normalised) == len(text) else text


def _is_word_character(character: str) -> bool:
    """Tell whether a character would join a neighbouring match into a longer word."""
    return character.isalnum() or character == "_"


def _is_whole_word(text: str, start: int, end: int) -> bool:
    """Tell whether text[start:end] is bounded by non-word characters or the text's ends."""
    return not (start > 0 and _is_word_character(text[start - 1])) and not (
        end < len(text) and _is_word_character(text[end])
    )


def _longest_per_key(text: str, candidates: list[tuple[int, int, Hit]]) -> list[Mention]:
    """Drop candidates inside a longer candidate of the same key and return sorted mentions."""
    # In (start, -end) order any candidate that contains another comes before it, so a candidate
    # is contained exactly when an earlier one of its key reaches at least as far.
    candidates.sort(key=lambda candidate: (candidate[0], -candidate[1], str(candidate[2].key)))
    furthest_end: dict[Hashable, int] = {}
    mentions = []
    for start, end, hit in candidates:
        if furthest_end.get(hit.key, -1) >= end:
            continue
        furthest_end[hit.key] = end
        mentions.append(Mention(start, end, text[start:end], hit.key, hit.form, hit.ending))
    return mentions


# --- Judging a mention: a suggestion, how sure, and why ----------------------------------------


class Reason(StrEnum):
    """Why a mention is suggested; the weakest that applies, which sets the confidence."""

    NAME = "name"
    ALIAS = "alias"
    INFLECTED = "inflected"
    COMPOUND = "compound"
    AMBIGUOUS = "ambiguous"
    COMMON_WORD = "common-word"


class Skip(StrEnum):
    """Why a mention is not suggested at all."""

    LONGER_NAME = "longer-name"
    CONTEXT_WORD = "context-word"


class Confidence(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3


CONFIDENCE = {
    Reason.NAME: Confidence.HIGH,
    Reason.ALIAS: Confidence.HIGH,
    Reason.INFLECTED: Confidence.MEDIUM,
    Reason.COMPOUND: Confidence.MEDIUM,
    Reason.AMBIGUOUS: Confidence.LOW,
    Reason.COMMON_WORD: Confidence.LOW,
}


@dataclass(frozen=True, slots=True)
class EntityFacts:
    """What judging a mention needs to know of its entity."""

    name: str
    is_person: bool = False
    is_ambiguous: bool = False
    not_before: frozenset[str] = frozenset()  # casefolded words
    not_after: frozenset[str] = frozenset()


def judge(text: str, mention: Mention, facts: EntityFacts) -> Reason | Skip:
    """Decide whether a mention is suggested and why, in this order.

    1. Not suggested where it stands as a word of its own directly before one of the entity's
       "not before" words or after one of its "not after" words (the other sense: „der kalte
       Mistral“); a part of a hyphenated compound is not checked, its neighbours belong to the
       compound („der Mistral-Chef“).
    2. Not suggested inside a longer capitalised name (``german.inside_longer_name``).
    3. A form of one word gets low confidence when the entity is marked ambiguous, or when the
       form is a common German noun („Bild“).
    4. Medium with a German ending or as part of a hyphenated compound („Microsoft-Cloud“).
    5. High as the entity's name or an alias as written.
    """
    start, end = mention.start, mention.end
    compound = german.is_compound_part(text, start, end)
    if not compound and (
        german.bare(german.word_after(text, end)).casefold() in facts.not_before
        or german.bare(german.word_before(text, start)).casefold() in facts.not_after
    ):
        return Skip.CONTEXT_WORD
    if not compound and german.inside_longer_name(
        text, start, end, look_before=not facts.is_person
    ):
        return Skip.LONGER_NAME
    one_word = " " not in mention.form
    if one_word and facts.is_ambiguous:
        return Reason.AMBIGUOUS
    if one_word and german.is_common_noun(mention.form):
        return Reason.COMMON_WORD
    if mention.ending:
        return Reason.INFLECTED
    if compound:
        return Reason.COMPOUND
    return Reason.NAME if mention.form == facts.name else Reason.ALIAS
