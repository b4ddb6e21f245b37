"""Write ``articleapp/data/common-nouns-de.txt`` and ``place-names-de.txt`` from Wiktionary.

The gazetteer reads the list to tell a name that is also an everyday word („Bild“, „Welt“) and
a capitalised word that is a noun of the sentence, not the rest of a longer name („in Paris
Anfang Juni“ against „Paris Hilton“); see ``articleapp/german.py``.

Which words: every form (all cases, both numbers) of every entry of the German Wiktionary that
is a plain noun (part of speech ``Substantiv``, or a nominalised adjective) and has a plural
(Wiktionary files many brand names as nouns without one: „Microsoft“), as the package
german-nouns 1.2.5 lists them (CC BY-SA 4.0, from de.wiktionary.org); a form of one word only
(letters only, capitalised, three letters or more); kept when wordfreq 3.1.1 (data CC BY-SA 4.0)
gives it a Zipf frequency of at least 3.0 in German, i.e. once per million words or more; left
out when it is also the headword of a place name (``Toponym``), since wordfreq counts the place's
uses too („Paris“, and so also „Welt“). About 16,000 forms.

Place names: the headwords of the place names (``Toponym``) with the same frequency, one word
each; about 1,000. A place is never read as a compound noun, though it may end in one
(„Deutschland“, „Hamburg“).

Run it outside the project's environments, neither package is a dependency of the app:

    python -m venv /tmp/nouns && /tmp/nouns/bin/pip install german-nouns==1.2.5 wordfreq==3.1.1
    /tmp/nouns/bin/python scripts/build_common_nouns.py
"""

import csv
import importlib.util
from pathlib import Path

from wordfreq import zipf_frequency

DATA = Path(__file__).resolve().parent.parent / "articleapp" / "data"
OUT = DATA / "common-nouns-de.txt"
PLACES_OUT = DATA / "place-names-de.txt"
MIN_ZIPF = 3.0
COMMON = {"Substantiv", "adjektivische Deklination"}
NOT_FORMS = {"lemma", "pos"}
HEADER = """\
# Frequent forms of German common nouns, one a line; built by scripts/build_common_nouns.py.
# Words: German Wiktionary (de.wiktionary.org) via the package german-nouns 1.2.5, CC BY-SA 4.0.
# Nouns with a plural only; no place names. Frequencies: wordfreq 3.1.1 (Robyn Speer),
# data CC BY-SA 4.0; kept at Zipf >= 3.0.
"""
PLACES_HEADER = """\
# Frequent German place names (Wiktionary: Toponym), one a line; built by
# scripts/build_common_nouns.py. Words: German Wiktionary (de.wiktionary.org) via the package
# german-nouns 1.2.5, CC BY-SA 4.0. Frequencies: wordfreq 3.1.1, data CC BY-SA 4.0; Zipf >= 3.0.
"""


def nouns_csv():
    # A namespace package (no __init__.py): its folder is its first search location.
    spec = importlib.util.find_spec("german_nouns")
    return Path(next(iter(spec.submodule_search_locations))) / "nouns.csv"


def is_word(form):
    return len(form) >= 3 and form.isalpha() and form[0].isupper()


def main():
    csv.field_size_limit(10**7)
    common, places = set(), set()
    with nouns_csv().open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            parts = set(row["pos"].split(","))
            if "Toponym" in parts:
                places.add(row["lemma"])
            plural = any(row[field] for field in row if field.startswith("nominativ plural"))
            if parts <= COMMON and "Substantiv" in parts and plural:
                common.update(
                    value
                    for field, value in row.items()
                    if field not in NOT_FORMS and not field.startswith("genus") and value
                )
                common.add(row["lemma"])
    kept = sorted(
        form
        for form in common - places
        if is_word(form) and zipf_frequency(form.lower(), "de") >= MIN_ZIPF
    )
    OUT.write_text(HEADER + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"wrote {len(kept)} forms to {OUT}")
    frequent_places = sorted(
        place
        for place in places
        if is_word(place) and zipf_frequency(place.lower(), "de") >= MIN_ZIPF
    )
    PLACES_OUT.write_text(PLACES_HEADER + "\n".join(frequent_places) + "\n", encoding="utf-8")
    print(f"wrote {len(frequent_places)} place names to {PLACES_OUT}")


if __name__ == "__main__":
    main()
