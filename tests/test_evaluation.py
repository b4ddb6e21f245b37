"""evaluate_suggestions and articleapp.evaluation: the shipped gold set, thresholds, bad files."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articleapp import evaluation
from articleapp.seed import SEED_SLUG
from tests.support.factories import built_once
from tests.support.gazetteer_eval import GOLD, SENTENCES_SLUG, load_test_set


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The seed and the test set, loaded once for the module and rolled back after it."""
    with built_once(django_db_blocker):
        yield load_test_set()


@pytest.fixture
def test_set(built, db):
    return built


def run(*args):
    """Run the command; return its output, or raise its CommandError."""
    out = StringIO()
    call_command("evaluate_suggestions", *map(str, args), stdout=out)
    return out.getvalue()


def table(output):
    """Return {row label: [precision, recall, F1, suggested, gold, correct]} of the output."""
    rows = {}
    for line in output.splitlines()[1:]:
        label, *cells = line.rsplit(maxsplit=6)
        rows[label.strip()] = cells
    return rows


def test_shipped_gold_set_meets_the_targets(test_set, capsys):
    """Precision ≥ 0.95 and recall ≥ 0.9 on the seed article and the 58 sentences (README)."""
    output = run(GOLD, "--min-precision", "0.95", "--min-recall", "0.9")
    rows = table(output)
    precision, recall, f1, suggested, gold, correct = rows["overall"]
    assert float(precision) >= 0.95 and float(recall) >= 0.9
    assert int(gold) == len(GOLD.read_text(encoding="utf-8").splitlines())
    assert {f"article {SEED_SLUG}", f"article {SENTENCES_SLUG}"} <= set(rows)
    assert {"kind organisation", "kind person", "kind place"} <= set(rows)
    for reason in ["name", "alias", "inflected", "compound", "ambiguous", "common-word"]:
        assert f"reason {reason}" in rows, reason
    with capsys.disabled():
        print("\n" + output)


def test_scores_are_exact_counts(test_set, tmp_path):
    """One right and one missing span: precision from what was suggested, recall from the gold."""
    gold = tmp_path / "gold.jsonl"
    lines = [
        # „Nvidias Chips sind weiterhin knapp.“: suggested and right.
        {"article": SENTENCES_SLUG, "paragraph": 2, "start": 0, "end": 7, "entity": "nvidia"},
        # „Chips“ is no entity's mention: a gold span nothing suggests.
        {"article": SENTENCES_SLUG, "paragraph": 2, "start": 8, "end": 13, "entity": "nvidia"},
    ]
    gold.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = evaluation.evaluate(evaluation.read_gold(gold))
    suggested = result.overall.suggested
    assert result.overall.correct == 1 and result.overall.gold == 2
    assert result.overall.recall == 0.5
    assert result.overall.precision == pytest.approx(1 / suggested)
    assert result.by_reason[evaluation.NOT_FOUND].gold == 1


def test_below_a_threshold_exits_with_one_line(test_set):
    """A figure under its threshold is a CommandError (exit status 1) naming it."""
    with pytest.raises(CommandError) as raised:
        run(GOLD, "--min-precision", "1", "--min-f1", "0.5")
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("Below the threshold: precision 0.9") and "F1" not in message


@pytest.mark.parametrize("value", ["1.5", "-0.1", "abc"])
def test_a_threshold_outside_zero_to_one_is_refused(test_set, value):
    """Thresholds are fractions between 0 and 1."""
    with pytest.raises(CommandError, match="min-recall"):
        run(GOLD, "--min-recall", value)


GOOD = {"article": SEED_SLUG, "paragraph": 1, "start": 31, "end": 38, "entity": "mistral-ai"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "holds no gold spans"),
        ("\n\n", "holds no gold spans"),
        ("{not json", "line 1: not JSON"),
        ("[1, 2]", "line 1: not a JSON object"),
        (json.dumps({**GOOD, "end": None}), "line 1: end must be a whole number ≥ 0"),
        (json.dumps({**GOOD, "start": -1}), "line 1: start must be a whole number ≥ 0"),
        (json.dumps({**GOOD, "start": True}), "line 1: start must be a whole number ≥ 0"),
        (json.dumps({**GOOD, "entity": 3}), "line 1: entity must be a string"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "entity"}), "line 1: missing entity"),
        (json.dumps({**GOOD, "colour": "red"}), "line 1: unknown field colour"),
        (json.dumps({**GOOD, "article": "nope"}), "line 1: no article with the slug 'nope'"),
        (json.dumps({**GOOD, "entity": "nope"}), "line 1: no entity with the slug 'nope'"),
        (json.dumps({**GOOD, "paragraph": 99}), f"line 1: {SEED_SLUG} has no paragraph 99"),
        (json.dumps({**GOOD, "end": 100_000}), "line 1: 31–100000 is not a span"),
        (json.dumps({**GOOD, "start": 38, "end": 31}), "line 1: 38–31 is not a span"),
        (json.dumps({**GOOD, "quote": "Nvidia"}), "line 1: the quote 'Nvidia' is 'Mistral'"),
        (json.dumps(GOOD) + "\n" + json.dumps(GOOD), "line 2: repeats line 1"),
    ],
)
def test_bad_gold_lines_are_one_line_errors(test_set, tmp_path, content, message):
    """Every fault of a gold file is reported as one line naming the file and the line."""
    gold = tmp_path / "gold.jsonl"
    gold.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        run(gold)
    assert message in str(raised.value) and "\n" not in str(raised.value)
    assert str(raised.value).startswith(str(gold))


def test_files_that_cannot_be_read(test_set, tmp_path):
    """A missing file, a directory and a file that is not UTF-8 are refused in one line each."""
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.jsonl")
    with pytest.raises(CommandError, match="is a directory"):
        run(tmp_path)
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes("Bürger".encode("latin-1"))
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        run(latin)


def test_gold_quotes_match_the_shipped_texts(test_set):
    """Every shipped gold line carries its quote, and read_gold checks it against the text."""
    lines = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert all("quote" in line for line in lines)
    assert len(evaluation.read_gold(GOLD)) == len(lines)
