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
  not found inside "Tech-Konzernen". Inflected forms (German plural, genitive and case endings)
  are never guessed: list each one that should match as an alias of its entity.
- Longest match wins within one entity: a match lying inside a longer match of the same entity is
  dropped ("Mistral" inside "Mistral AI", "Viva Tech" inside "Viva Tech 2025").
- Matches of different entities are all kept, even where they nest or overlap ("Microsoft" inside
  "Microsoft-Cloud Azure", an alias of Microsoft Azure): nested mentions of distinct entities are
  real, and an editor decides which to keep.

`Matcher` runs an Aho-Corasick automaton, so a search takes time linear in the text and nearly
independent of the number of forms. `regex_find` applies the same rule with one regex alternation
and exists only so that a benchmark can compare the two.
"""

import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import ahocorasick


@dataclass(frozen=True, slots=True)
class Mention:
    """A place in a text where a surface form of an entity occurs."""

    start: int  # code-point offsets into the text
    end: int
    surface: str  # the text at [start, end), which is the form unless NFC had to reconcile them
    key: Hashable  # the entity key given to the Matcher


class Matcher:
    """Find whole-word mentions of many surface forms in a text in one pass."""

    def __init__(self, forms: Iterable[tuple[str, Hashable]]):
        self._keys_by_form = _index_forms(forms)
        self._automaton = ahocorasick.Automaton()
        for form, keys in self._keys_by_form.items():
            self._automaton.add_word(form, (len(form), keys))
        # pyahocorasick refuses to search an automaton that has no words.
        if self._keys_by_form:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self._keys_by_form)

    def find(self, text: str) -> list[Mention]:
        """Return the mentions in text, sorted by (start, -end, str(key))."""
        if not self._keys_by_form:
            return []
        searched = _searchable(text)
        candidates = []
        for last, (length, keys) in self._automaton.iter(searched):
            start, end = last + 1 - length, last + 1
            if _is_whole_word(searched, start, end):
                candidates.extend((start, end, key) for key in keys)
        return _longest_per_key(text, candidates)


def regex_find(forms: Iterable[tuple[str, Hashable]], text: str) -> list[Mention]:
    """Return the same mentions as Matcher(forms).find(text), found with one regex alternation."""
    keys_by_form = _index_forms(forms)
    if not keys_by_form:
        return []
    # Longest alternatives first, so that at each start the regex reports the longest form there;
    # the lookahead keeps the match empty, so overlapping mentions are all visited.
    alternation = "|".join(map(re.escape, sorted(keys_by_form, key=len, reverse=True)))
    pattern = re.compile(rf"(?<!\w)(?=({alternation})(?!\w))")
    lengths = sorted({len(form) for form in keys_by_form})
    searched = _searchable(text)
    candidates = []
    for match in pattern.finditer(searched):
        start, longest = match.start(), match.group(1)
        # A regex reports one alternative per position: shorter forms that start at the same
        # place are prefixes of the longest one and are looked up directly.
        for length in lengths:
            if length > len(longest):
                break
            form = longest[:length]
            if form in keys_by_form and _is_whole_word(searched, start, start + length):
                candidates.extend((start, start + length, key) for key in keys_by_form[form])
    return _longest_per_key(text, candidates)


def _index_forms(forms: Iterable[tuple[str, Hashable]]) -> dict[str, tuple[Hashable, ...]]:
    """Map each distinct NFC surface form to its entity keys, in the order first given."""
    keys_by_form: dict[str, dict[Hashable, None]] = {}
    for form, key in forms:
        normalised = unicodedata.normalize("NFC", form)
        if normalised:
            keys_by_form.setdefault(normalised, {})[key] = None
    return {form: tuple(keys) for form, keys in keys_by_form.items()}


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


def _longest_per_key(text: str, candidates: list[tuple[int, int, Hashable]]) -> list[Mention]:
    """Drop candidates inside a longer candidate of the same key and return sorted mentions."""
    # In (start, -end) order any candidate that contains another comes before it, so a candidate
    # is contained exactly when an earlier one of its key reaches at least as far.
    candidates.sort(key=lambda candidate: (candidate[0], -candidate[1], str(candidate[2])))
    furthest_end: dict[Hashable, int] = {}
    mentions = []
    for start, end, key in candidates:
        if furthest_end.get(key, -1) >= end:
            continue
        furthest_end[key] = end
        mentions.append(Mention(start, end, text[start:end], key))
    return mentions
