"""The figures of exports (6-8): each format against PostgreSQL's own COPY, and exports of
growing size in time and memory, each in a fresh process."""

import json
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from articleapp import exports
from articleapp.models import Annotation, Article
from bench import data, pages  # noqa: F401 (pages: its figures are registered first)
from bench.ratio import MIN_PAIRS, interleave
from bench.registry import Figure, NotYetMeasurable, measurement, ratio_figure

# --- 6-8: exports -----------------------------------------------------------------------------

COPY_SQL = """
COPY (
    SELECT an.id, ar.slug, p.position, an.start, an."end", an.quote,
           coalesce(e.name, ''), coalesce(e.kind, ''), coalesce(e.wikidata_id, ''),
           coalesce((SELECT string_agg(t.name, '; ' ORDER BY t.name)
                     FROM taggit_taggeditem ti JOIN taggit_tag t ON t.id = ti.tag_id
                     WHERE ti.content_type_id = {content_type} AND ti.object_id = an.id), ''),
           an.comment, an.status, coalesce(u.username, ''), an.created_at, an.updated_at
    FROM articleapp_annotation an
    JOIN articleapp_paragraph p ON p.id = an.paragraph_id
    JOIN articleapp_article ar ON ar.id = p.article_id
    LEFT JOIN articleapp_entity e ON e.id = an.entity_id
    LEFT JOIN auth_user u ON u.id = an.author_id
    WHERE p.article_id = {article}
    ORDER BY ar.slug, p.position, an.start, an."end", an.id
) TO STDOUT (FORMAT csv)
"""


def copy_seconds(slug):
    """Time ``COPY (the export's rows) TO STDOUT (FORMAT csv)`` read through psycopg."""
    from django.contrib.contenttypes.models import ContentType

    sql = COPY_SQL.format(
        content_type=int(ContentType.objects.get_for_model(Annotation).pk),
        article=int(Article.objects.get(slug=slug).pk),
    )
    connection.ensure_connection()
    started = time.perf_counter()
    received = 0
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for block in copy:
            received += len(block)
    if not received:
        raise RuntimeError("COPY returned no rows")
    return time.perf_counter() - started


def export_seconds(format_name, slug):
    """Time one full export of the article's annotations, consumed as the response would be."""
    exporter = find_format(format_name)
    annotations = Annotation.objects.filter(paragraph__article__slug=slug)
    started = time.perf_counter()
    context = exports.ExportContext(base_url="http://127.0.0.1:8000", include_authors=True)
    received = sum(len(chunk) for chunk in exporter.stream(annotations, context))
    if not received:
        raise RuntimeError(f"the {format_name} export was empty")
    return time.perf_counter() - started


W3C_NAMES = ("w3c", "jsonld", "w3c-jsonld", "annotations-w3c")


def find_format(format_name):
    if format_name == "w3c":
        for name in W3C_NAMES:
            if name in exports.FORMATS:
                return exports.FORMATS[name]
        raise NotYetMeasurable(
            "no W3C JSON-LD format in articleapp.exports.FORMATS yet (issue 5, exports)"
        )
    return exports.FORMATS[format_name]


def export_vs_copy(format_name, target):
    def run(ctx):
        find_format(format_name)
        rows = ctx.sizes.export_annotations[-3]
        slug = data.export_slug(rows)
        # rows/s(export) ÷ rows/s(COPY) on the same rows = time(COPY) ÷ time(export).
        pairs = interleave(
            lambda: copy_seconds(slug),
            lambda: export_seconds(format_name, slug),
            ctx.sizes.pairs,
        )
        return ratio_figure(pairs, lambda value: value >= target, {"rows": rows})

    return run


for number, name, label, target in [
    ("6a", "csv", "CSV", 0.25),
    ("6b", "json", "JSON", 0.15),
    ("6c", "w3c", "W3C JSON-LD", 0.10),
]:
    measurement(
        number,
        f"{label} export rows/s ÷ COPY (same rows) TO STDOUT (FORMAT csv), on the smallest corpus",
        f"≥ {target}",
    )(export_vs_copy(name, target))


def export_child(slug, format_name="csv"):
    """Run one export in a fresh process; return its seconds and peak RSS in MB."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.export_child", slug, format_name],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"export child failed: {completed.stderr.strip()[-2000:]}")
    return json.loads(completed.stdout)


@measurement(
    "7+8",
    "CSV export time at the largest ÷ the middle corpus (7); its peak RSS at the largest ÷ "
    "the smallest (8)",
    "7: 8–12; 8: ≤ 1.5 and < 100 MB",
)
def export_scaling(ctx):
    sizes = ctx.sizes.export_annotations  # ascending; the figure's are the last three
    # The probe's rows/s decides the sizes, so it must measure rows, not a fresh process's
    # connection and first queries (~50-100 ms, most of a 1,000-row export's time): probe with
    # the figure's smallest corpus.
    probe = export_child(data.export_slug(sizes[2]))
    rows_per_second = sizes[2] / probe["seconds"]
    top = len(sizes) - 1
    # Step down (keeping the same 10× steps) until the pairs fit the time budget.
    while top > 2 and MIN_PAIRS * 1.11 * sizes[top] / rows_per_second > (
        ctx.sizes.export_budget_seconds
    ):
        top -= 1
    note = ""
    if top != len(sizes) - 1:
        minutes = MIN_PAIRS * 1.11 * sizes[-1] / rows_per_second / 60
        note = (
            f"not run at {sizes[-1]:,} rows: at {rows_per_second:,.0f} rows/s its "
            f"{MIN_PAIRS} pairs would take ~{minutes:,.0f} min; shown at {sizes[top]:,} ÷ "
            f"{sizes[top - 1]:,} (7) and ÷ {sizes[top - 2]:,} (8). "
        )
    small, middle, large = (data.export_slug(n) for n in sizes[top - 2 : top + 1])
    order = [small, middle, large]
    runs = {slug: [] for slug in order}
    for index in range(MIN_PAIRS):
        for slug in order if index % 2 == 0 else reversed(order):
            runs[slug].append(export_child(slug))
    time_ratios = [
        big["seconds"] / mid["seconds"] for big, mid in zip(runs[large], runs[middle], strict=True)
    ]
    rss_ratios = [
        big["peak_rss_mb"] / tiny["peak_rss_mb"]
        for big, tiny in zip(runs[large], runs[small], strict=True)
    ]
    time_ratio = sorted(time_ratios)[len(time_ratios) // 2]
    rss_ratio = sorted(rss_ratios)[len(rss_ratios) // 2]
    peak = max(run["peak_rss_mb"] for run in runs[large])
    met = not note and 8 <= time_ratio <= 12 and rss_ratio <= 1.5 and peak < 100
    return Figure(
        value=time_ratio,
        met=met,
        shown=f"{note}7: {time_ratio:.2f}; 8: {rss_ratio:.2f} (peak {peak:.0f} MB)",
        details={
            "sizes": sizes[top - 2 : top + 1],
            "probe": probe,
            "time_ratios": [round(value, 4) for value in time_ratios],
            "rss_ratios": [round(value, 4) for value in rss_ratios],
            "runs": runs,
        },
    )
