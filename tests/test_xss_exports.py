"""Every XSS payload of the corpus, in every export format and the annotation container, given
back exactly as stored.

The hostile data (``tests.support.hostile``) is built once for the module. Exports and the
annotation container must be valid JSON, text or zip of the right content type with
``nosniff``, giving back every value.
"""

import csv
import io
import json
import re
import zipfile

import pytest

from articleapp.exports import w3c
from articleapp.exports.conll import KIND_TAGS
from articleapp.exports.csv import FORMULA_TRIGGERS, unneutralise
from tests.support.hostile import (
    GROUPS,
    full_name,
    group_tags,
    joined,
    paragraph_text,
    quote,
    username,
)
from tests.support.html import normalised
from tests.support.pages import served
from tests.support.xss import PAYLOADS

pytestmark = pytest.mark.django_db

LD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def export(client, name, content_type):
    return served(client.get(f"/export/annotations.{name}"), content_type)


def assert_record_round_trips(row, hostile, index):
    """A JSON or JSON Lines record holds the annotation's hostile values exactly."""
    group = next(group for group in GROUPS if index in group)
    assert row["comment"] == PAYLOADS[index]
    assert row["quote"] == quote(index)
    assert row["entity"] == joined(group)
    assert row["tags"] == group_tags(index)
    assert row["author"] == username(index)


def test_json_export_round_trips_every_value(viewer_client, hostile):
    """JSON export: valid JSON with application/json, every hostile value exactly as stored."""
    body = export(viewer_client, "json", "application/json")
    rows = {row["id"]: row for row in json.loads(body)}
    for index, annotation in enumerate(hostile["annotations"]):
        assert_record_round_trips(rows[annotation.pk], hostile, index)


def test_json_lines_export_is_one_document_a_line(viewer_client, hostile):
    """JSON Lines: every "\\n"-separated line is a JSON object, every value exactly as stored."""
    body = export(viewer_client, "jsonl", "application/jsonl").decode()
    assert body.endswith("\n")
    rows = {row["id"]: row for row in map(json.loads, body[:-1].split("\n"))}
    assert len(rows) == len(PAYLOADS)
    for index, annotation in enumerate(hostile["annotations"]):
        assert_record_round_trips(rows[annotation.pk], hostile, index)


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"), [("csv", "utf-8", ","), ("csv-excel", "utf-8-sig", ";")]
)
def test_csv_export_round_trips_and_neutralises_formulas(
    viewer_client, hostile, name, encoding, delimiter
):
    """CSV exports, plain and for Excel: every value survives, and no cell starts a formula."""
    text = export(viewer_client, name, "text/csv").decode(encoding)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = {int(row["id"]): row for row in reader}
    for index, annotation in enumerate(hostile["annotations"]):
        row = rows[annotation.pk]
        assert unneutralise(row["comment"]) == PAYLOADS[index]
        assert unneutralise(row["author"]) == username(index)
        for value in row.values():
            assert not value.startswith(FORMULA_TRIGGERS), value


def bodies_by_purpose(annotation):
    found = {}
    for body in annotation.get("body", []):
        found.setdefault(body["purpose"], []).append(body)
    return found


def assert_w3c_round_trips(item, index, creator_name):
    """A W3C annotation holds the hostile comment, quote, tags and entity name as plain values."""
    group = next(group for group in GROUPS if index in group)
    bodies = bodies_by_purpose(item)
    assert [body["value"] for body in bodies["commenting"]] == [PAYLOADS[index]]
    assert [body["value"] for body in bodies["tagging"]] == group_tags(index)
    assert bodies["identifying"][0]["source"]["label"] == joined(group)
    assert item["target"]["selector"]["refinedBy"][0]["exact"] == quote(index)
    assert item["creator"]["name"] == creator_name(index)


def test_w3c_export_round_trips_every_value(viewer_client, hostile):
    """W3C JSON-LD export: valid JSON-LD, each annotation's hostile values exactly as stored."""
    document = json.loads(export(viewer_client, "w3c", w3c.CONTENT_TYPE))
    items = {item["id"].rsplit("/", 1)[1]: item for page in document[1:] for item in page["items"]}
    assert len(items) == len(PAYLOADS)
    for index, annotation in enumerate(hostile["annotations"]):
        assert_w3c_round_trips(items[str(annotation.pk)], index, full_name)


def test_container_and_annotation_urls_are_json_ld_naming_no_editor(client, hostile):
    """Each article's container, and an annotation's own URL, are JSON-LD giving back each
    hostile value, with the publication as creator instead of the hostile user names.

    An annotation's URL serves the very object the container embeds (``test_export_views``);
    one per article shows it is served the same way.
    """
    for article, group in zip(hostile["articles"], GROUPS, strict=True):
        url = f"/articles/{article.slug}/annotations/"
        collection = json.loads(served(client.get(url, HTTP_ACCEPT=LD), LD))
        assert collection["label"] == f"Annotations of „{article.title}“"
        items = collection["first"]["items"]
        assert len(items) == len(group)
        for item, index in zip(items, group, strict=True):
            assert_w3c_round_trips(item, index, lambda index: "Randnotiz")
        iris = json.loads(served(client.get(url + "?page=0&iris=1", HTTP_ACCEPT=LD), LD))
        assert iris["items"] == [item["id"] for item in items]
        single = client.get(items[0]["id"], HTTP_ACCEPT=LD)
        assert json.loads(served(single, LD)) == items[0]


def test_conll_export_is_one_token_and_tag_a_line(viewer_client, hostile):
    """CoNLL: each line is a token without white space and a valid IOB tag, or blank; the tokens
    of each paragraph are its text without white space."""
    text = export(viewer_client, "conll", "text/plain").decode()
    tags = {"O"} | {f"{prefix}-{tag}" for tag in KIND_TAGS.values() for prefix in "BI"}
    tokens = []
    for line in text.split("\n"):
        if line and line != "-DOCSTART- O":
            token, tag = line.split(" ")
            assert token and not re.search(r"\s", token) and tag in tags, line
            tokens.append(token)
    by_slug = sorted(enumerate(GROUPS), key=lambda numbered: f"xss-{numbered[0]}")
    expected = "".join(
        "".join(paragraph_text(index).split()) for _number, group in by_slug for index in group
    )
    assert "".join(tokens) == expected


def test_brat_export_is_standoff_that_matches_its_text(viewer_client, hostile):
    """brat: one line per annotation, note and reference; each span's text is what the .txt
    holds at its offsets (fragments around line breaks, joined by a space)."""
    files = zipfile.ZipFile(io.BytesIO(export(viewer_client, "brat", "application/zip")))
    notes = set()
    for article in hostile["articles"]:
        text = files.read(f"{article.slug}.txt").decode()
        for line in files.read(f"{article.slug}.ann").decode().split("\n")[:-1]:
            identifier, annotation, value = line.split("\t", 2)
            if identifier.startswith("T"):
                kind, _, locations = annotation.partition(" ")
                spans = [tuple(map(int, part.split(" "))) for part in locations.split(";")]
                assert value == " ".join(text[start:end] for start, end in spans), line
                assert not any("\n" in text[start:end] for start, end in spans), line
            else:
                assert identifier[0] in "#N" and "\r" not in value, line
                notes.add(value)
    for index in range(len(PAYLOADS)):
        assert normalised(PAYLOADS[index]) in notes
