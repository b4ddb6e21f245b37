"""The gazetteer's test set (tests/data/gazetteer/) loaded into the test database."""

import json
from pathlib import Path

from django.core.management import call_command

from articleapp import importer
from articleapp.seed import save_entity

DATA = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
GOLD = DATA / "gold.jsonl"
SENTENCES_SLUG = "gazetteer-testsaetze"


def load_test_set():
    """Seed the database, add the test set's entities and import its sentences."""
    call_command("seed", verbosity=0)
    for entry in json.loads((DATA / "entities.json").read_text(encoding="utf-8")):
        save_entity(entry)
    article, _ = importer.import_file(DATA / "testsaetze.txt", slug=SENTENCES_SLUG)
    return article
