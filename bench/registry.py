"""The registry of figures the runner walks in order, and what a measurement returns.

Each measurement returns a ``Figure`` whose value is a ratio measured side by side in this run
(``ratio.interleave``), or a count. A measurement whose feature has not landed raises
``NotYetMeasurable`` with the reason; the table then says so instead of showing a number.
``bench.pages`` registers the reading page's figures, ``bench.export_figures`` the exports',
``bench.measurements`` search, the gazetteer and the importer, ``bench.corpus_figures`` the corpus.
"""

from dataclasses import dataclass, field

from bench import data


class NotYetMeasurable(Exception):
    """The feature a figure measures is not in this branch; the message says what is missing."""


@dataclass
class Figure:
    value: float
    met: bool
    shown: str = ""
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Measurement:
    number: str
    figure: str
    target: str
    run: object
    # The datasets (``data.DATASETS``) it reads: a run of chosen figures builds only those.
    needs: tuple = data.DATASETS


REGISTRY = []


def measurement(number, figure, target, needs=data.DATASETS):
    def register(function):
        REGISTRY.append(Measurement(number, figure, target, function, needs))
        return function

    return register


# The server figures read the seed article only.
SEED = ("seed",)


def needed_datasets(only):
    """Return the datasets the figures numbered in ``only`` read (all figures if empty)."""
    return {name for item in REGISTRY if not only or item.number in only for name in item.needs}


def ratio_figure(pairs, met, details=None):
    return Figure(
        value=pairs.median,
        met=met(pairs.median),
        shown=f"{pairs.median:.3g}",
        details={"pairs": pairs.as_dict(), **(details or {})},
    )
