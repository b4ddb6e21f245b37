"""Compare the gazetteer's suggestions with a gold file; print precision, recall and F1."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from articleapp import evaluation

THRESHOLDS = (("precision", "min_precision"), ("recall", "min_recall"), ("F1", "min_f1"))


def fraction(text):
    """Read a threshold between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def figure(value):
    return "—" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = (
        "Score the gazetteer's suggestions in the articles of a gold file (JSON Lines: article, "
        "paragraph, start, end, entity, optional quote) against its spans: precision, recall "
        "and F1 overall, per entity kind, per reason and per article. Exits 1 when a figure is "
        "below a threshold given."
    )

    def add_arguments(self, parser):
        parser.add_argument("gold", metavar="GOLD.jsonl", help="the gold spans")
        parser.add_argument("--min-precision", type=fraction, metavar="X")
        parser.add_argument("--min-recall", type=fraction, metavar="Y")
        parser.add_argument("--min-f1", type=fraction, metavar="Z")

    def handle(self, *args, gold, **options):
        try:
            spans = evaluation.read_gold(gold)
        except evaluation.GoldError as error:
            raise CommandError(str(error)) from None
        result = evaluation.evaluate(spans)
        self.write_table(result)
        overall = result.overall
        values = {"precision": overall.precision, "recall": overall.recall, "F1": overall.f1}
        misses = [
            f"{name} {figure(values[name])} < {options[option]}"
            for name, option in THRESHOLDS
            if options[option] is not None and (values[name] or 0) < options[option]
        ]
        if misses:
            raise CommandError("Below the threshold: " + "; ".join(misses) + ".")

    def write_table(self, result):
        rows = [("overall", result.overall)]
        rows += [(f"kind {kind}", score) for kind, score in sorted(result.by_kind.items())]
        rows += [(f"reason {reason}", score) for reason, score in sorted(result.by_reason.items())]
        rows += [(f"article {slug}", score) for slug, score in sorted(result.by_article.items())]
        width = max(len(label) for label, _ in rows)
        heading = ("precision", "recall", "F1", "suggested", "gold", "correct")
        self.stdout.write(f"{'':<{width}}  " + "  ".join(f"{h:>9}" for h in heading))
        for label, score in rows:
            cells = [figure(score.precision), figure(score.recall), figure(score.f1)]
            cells += [str(score.suggested), str(score.gold), str(score.correct)]
            self.stdout.write(f"{label:<{width}}  " + "  ".join(f"{c:>9}" for c in cells))
