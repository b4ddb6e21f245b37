"""Lighthouse over every public page type, on a phone and on a desktop, in production configuration.

``make lighthouse``: builds a fresh SQLite database (``DATABASE_URL`` for PostgreSQL instead: a
database of its own, which it migrates and seeds) with the seed and a large article (100
paragraphs, 1,000 published annotations, from ``bench.data``), collects the static files,
serves ``project.settings`` (DEBUG off, whitenoise with the manifest storage) under gunicorn on
127.0.0.1 and runs Lighthouse, pinned in ``tools/lighthouse/package.json`` and installed there
(never globally), with Debian's Chromium (``CHROME_PATH``, default ``/usr/bin/chromium``) over
each page: default mobile emulation for the phone, ``--preset=desktop`` for the desktop. Prints
a table, writes ``docs/lighthouse.md`` and exits 1 when any category of any page is under 100.

``--only NAME`` audits the pages whose name contains NAME; ``--runs N`` runs each page N times
(default 1; a page under 100 gets two runs more) and reports the median of each category, as
performance varies with the machine's load; ``--no-write`` leaves ``docs/lighthouse.md``
alone; ``--keep DIR`` keeps Lighthouse's JSON reports there.
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

TOOL_DIR = BASE_DIR / "tools" / "lighthouse"
LIGHTHOUSE = TOOL_DIR / "node_modules" / ".bin" / "lighthouse"
REPORT = BASE_DIR / "docs" / "lighthouse.md"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHORT = {"performance": "P", "accessibility": "A", "best-practices": "BP", "seo": "SEO"}
FORM_FACTORS = {"phone": [], "desktop": ["--preset=desktop"]}
METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP",
           "total-blocking-time": "TBT", "cumulative-layout-shift": "CLS"}  # fmt: skip
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-extensions"
# Lighthouse warns that a host whose CPU benchmark index is under 1000 lowers the performance
# score (core/gather/driver/environment.js). On a shared machine that is the load of the
# moment, so such a run is made once more and the second one kept.
SLOW_HOST = 1000
# A page under 100 is measured this many times more, and the median of all its runs reported:
# one long task on a loaded machine costs a point, a real regression costs it every time.
CONFIRMATIONS = 2
LARGE_PARAGRAPHS = 100  # × bench.data.ANNOTATIONS_PER_PARAGRAPH (10): 1,000 annotations
RUN_TIMEOUT = 300  # seconds for one Lighthouse run

# Audits that a page fails on purpose, each with the reason: a 404 must answer 404 (which
# Chromium logs as an error), and search results and embeds are kept out of search engines
# (noindex), as search engines ask.
SKIPPED = {
    "http-status-code": "the 404 page answers 404, as it must",
    "errors-in-console": "Chromium logs the 404 page's own status as a console error",
    "is-crawlable": "noindex on purpose: search results and embeds are not pages to index",
}
NOINDEX = ("is-crawlable",)
NOT_FOUND = ("http-status-code", "errors-in-console")
IGNORE_STATUS = ("--ignore-status-code",)


@dataclass
class Page:
    name: str
    path: str
    skip: tuple = ()
    flags: tuple = ()
    results: dict = field(default_factory=dict)  # form factor → summary of its runs


def environment(database_url, static_root):
    """The production settings, on plain HTTP at 127.0.0.1 as behind a TLS-terminating proxy."""
    return {
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONUNBUFFERED": "1",
    }


def prepare():
    """Migrate, collect static files, seed, add the large article with a correction; return the
    pages to audit."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.urls import reverse

    from articleapp import textchanges
    from articleapp.invalidation import touch_articles
    from articleapp.models import Article
    from articleapp.tagging import public_tags
    from bench import data

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("seed", verbosity=0)
    # The benchmark's own bookkeeping: a database that has them (a bench database, or this
    # script's PostgreSQL database on its second run) keeps them as they are.
    data.ensure_schema()
    data.ensure("pool", data.pool_entities, log)
    with transaction.atomic():
        data.ensure(f"read-{LARGE_PARAGRAPHS}", data.build_reading_article(LARGE_PARAGRAPHS), log)
        touch_articles(Article.objects.filter(slug=f"bench-read-{LARGE_PARAGRAPHS}"))

    seed = Article.objects.exclude(slug__startswith="bench-").order_by("pk").first()
    large = Article.objects.get(slug=f"bench-read-{LARGE_PARAGRAPHS}")
    if not large.text_revisions.exists():  # a change log with a correction to show
        with transaction.atomic():
            before = textchanges.before(large)
            for paragraph in before.paragraphs[:3]:
                paragraph.text = f"{paragraph.text} Korrigiert."
                paragraph.save()
            textchanges.reconcile(before)
    tags = public_tags().order_by("name")
    seed_tag, large_tag = tags.exclude(slug__startswith="bench-")[0], tags.get(slug="bench-tag-1")
    seed_entity, large_entity = busiest_entity(seed), busiest_entity(large)
    embed = "paragraphs/1/embed/"
    return [
        Page("article list", "/"),
        Page("reading page", seed.get_absolute_url()),
        Page("reading page, large", large.get_absolute_url()),
        Page("entity index", "/entities/"),
        Page("entity page", seed_entity.get_absolute_url()),
        Page("entity page, large", large_entity.get_absolute_url()),
        Page("tag page", reverse("articleapp:tag-detail", args=[seed_tag.slug])),
        Page("tag page, large", reverse("articleapp:tag-detail", args=[large_tag.slug])),
        Page("search results", f"/search/?q={seed_entity.name.split()[0]}", skip=NOINDEX),
        Page("search results, large", "/search/?q=Anmerkung", skip=NOINDEX),
        # Lighthouse refuses to audit an error page unless told to.
        Page("404", "/articles/keine-solche-seite/", skip=NOT_FOUND, flags=IGNORE_STATUS),
        Page("change log", reverse("articleapp:article-changes", args=[seed.slug])),
        Page("change log, large", reverse("articleapp:article-changes", args=[large.slug])),
        Page("embed", seed.get_absolute_url() + embed, skip=NOINDEX),
        Page("embed, large", large.get_absolute_url() + embed, skip=NOINDEX),
    ]


def log(message):
    print(message, file=sys.stderr)


def busiest_entity(article):
    """The entity with the most published mentions in ``article``."""
    from articleapp.models import Annotation, Entity

    mentions = Annotation.objects.published().filter(paragraph__article=article)
    slugs = mentions.exclude(entity=None).values_list("entity__slug", flat=True)
    slug, _ = max(sorted(Counter(slugs).items()), key=lambda item: item[1])
    return Entity.objects.get(slug=slug)


def run_lighthouse(url, form_factor, page, keep):
    """Run Lighthouse once; return {category: score, metric: value, "failing": [...]}."""
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "report.json"
        command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={output}",
                   f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
                   "--quiet", *FORM_FACTORS[form_factor], *page.flags]  # fmt: skip
        if page.skip:
            command.append(f"--skip-audits={','.join(page.skip)}")
        env = {**os.environ, "CHROME_PATH": CHROME}
        # On a loaded machine Chromium may miss one of Lighthouse's protocol deadlines or lose
        # the trace (NO_NAVSTART): that run measured nothing, so it is run again, up to twice.
        for attempt in (1, 2, 3):
            output.unlink(missing_ok=True)
            try:
                finished = subprocess.run(command, env=env, capture_output=True, text=True,
                                          timeout=RUN_TIMEOUT)  # fmt: skip
            except subprocess.TimeoutExpired:
                problem = f"no report within {RUN_TIMEOUT} s"
            else:
                report = json.loads(output.read_text()) if output.exists() else {}
                error = report.get("runtimeError", {}).get("message") if report else None
                if finished.returncode == 0 and report and not error:
                    break
                problem = error or finished.stderr.strip()[-300:]
            print(f"  lighthouse failed (attempt {attempt}): {problem}", file=sys.stderr)
        else:
            raise SystemExit(f"lighthouse failed three times on {url}: {problem}")
        if keep:
            name = f"{page.name.replace(' ', '-').replace(',', '')}-{form_factor}.json"
            shutil.copy(output, Path(keep) / name)
    summary = {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}
    audits = report["audits"]
    summary.update({key: audits[key].get("numericValue") for key in METRICS})
    summary["failing"] = sorted(
        f"{key} ({audits[key].get('displayValue') or audits[key]['score']})"
        for category in CATEGORIES
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0
        and audits[(key := ref["id"])]["score"] is not None
        and audits[key]["score"] < 1
    )
    summary["version"] = report["lighthouseVersion"]
    summary["benchmark"] = round(report["environment"]["benchmarkIndex"])
    return summary


def measure(url, form_factor, page, keep):
    """One run, made again once if the host was too slow for Lighthouse (see SLOW_HOST)."""
    run = run_lighthouse(url, form_factor, page, keep)
    if run["benchmark"] < SLOW_HOST:
        print(f"  slow host (benchmark index {run['benchmark']}): once more", file=sys.stderr)
        run = run_lighthouse(url, form_factor, page, keep)
    return run


def audit(url, form_factor, page, options):
    """``--runs`` runs of a page, and CONFIRMATIONS more if one scores under 100; the median of
    each category when more than one."""
    runs = [measure(url, form_factor, page, options.keep) for _ in range(options.runs)]
    if any(run[key] < 100 for run in runs for key in CATEGORIES):
        print(f"  under 100 ({cell(runs[-1])}): {CONFIRMATIONS} more runs", file=sys.stderr)
        runs += [measure(url, form_factor, page, options.keep) for _ in range(CONFIRMATIONS)]
    result = runs[0] if len(runs) == 1 else median_run(runs)
    result["version"] = runs[0]["version"]
    return result


def median_run(runs):
    """One summary from several runs: the median of each category and metric, failures of all."""
    summary = {key: round(statistics.median(run[key] for run in runs)) for key in CATEGORIES}
    for key in METRICS:
        values = [run[key] for run in runs if run[key] is not None]
        summary[key] = statistics.median(values) if values else None
    summary["failing"] = sorted({audit for run in runs for audit in run["failing"]})
    summary["benchmark"] = round(statistics.median(run["benchmark"] for run in runs))
    summary["performance runs"] = [run["performance"] for run in runs]
    return summary


def cell(summary):
    return " / ".join(str(summary[key]) for key in CATEGORIES)


def metrics_cell(summary):
    parts = [f"host {summary['benchmark']}"]
    for key, label in METRICS.items():
        value = summary[key]
        if value is None:
            continue
        parts.append(f"{label} {value:.3f}" if key.endswith("shift") else f"{label} {value:.0f}")
    return ", ".join(parts)


def table(pages):
    heading = " / ".join(SHORT[key] for key in CATEGORIES)
    lines = [f"| page | phone {heading} | desktop {heading} |", "|---|---|---|"]
    for page in pages:
        cells = [cell(page.results[form]) for form in FORM_FACTORS]
        lines.append(f"| {page.name} (`{page.path}`) | {' | '.join(cells)} |")
    return "\n".join(lines)


def below_100(pages):
    results = [(page, form, page.results[form]) for page in pages for form in FORM_FACTORS]
    return [(page, form) for page, form, result in results
            if min(result[key] for key in CATEGORIES) < 100]  # fmt: skip


def write_report(pages, runs, database, started, versions):
    lines = [
        "# Lighthouse",
        "",
        "Written by `make lighthouse` (`scripts/lighthouse.py`); do not edit by hand.",
        "",
        f"- Run: {started:%Y-%m-%d %H:%M} UTC, {runs} {'run' if runs == 1 else 'runs'} a page "
        f"and {CONFIRMATIONS} more "
        "for a page under 100, the median of each category when more than one, on "
        f"{database}; load average (2 cores, shared) before the run {versions['load']}; "
        f"{versions['minutes']} minutes in all.",
        f"- Lighthouse {versions['lighthouse']} (`tools/lighthouse/package-lock.json`), "
        f"{versions['chrome']}; phone: Lighthouse's default mobile emulation (Moto G Power, "
        "slow 4G, 4× CPU slowdown, simulated); desktop: `--preset=desktop`.",
        "- Server: `project.settings` with DEBUG off under gunicorn (one worker, 4 threads, so "
        "that its page cache in local memory holds what a shared Redis would), static files "
        "collected and served by whitenoise, each page requested once before its audit (as "
        "the page cache holds a reading page for every reader after the first).",
        "- Data: the seed article, and a large article of 100 paragraphs with 1,000 published "
        "annotations (`bench.data.build_reading_article`).",
        "",
        "Scores are performance / accessibility / best practices / SEO.",
        "",
        table(pages),
        "",
        "## Metrics",
        "",
        "| page | phone | desktop |",
        "|---|---|---|",
    ]
    for page in pages:
        cells = [metrics_cell(page.results[form]) for form in FORM_FACTORS]
        lines.append(f"| {page.name} | {' | '.join(cells)} |")
    lines += [
        "",
        "Times in milliseconds (simulated); CLS unitless. *host* is Lighthouse's CPU benchmark "
        f"index of the machine during the run; a run under {SLOW_HOST}, where Lighthouse warns "
        "that a slow host lowers the performance score, was made once more.",
        "",
    ]
    skipped = [(page, audit) for page in pages for audit in page.skip]
    if skipped:
        lines += ["## Audits skipped on purpose", ""]
        lines += [f"- {page.name}: `{audit}`, {SKIPPED[audit]}." for page, audit in skipped]
        lines.append("")
    repeated = [(page, form) for page in pages for form in FORM_FACTORS
                if page.results[form].get("performance runs")]  # fmt: skip
    if repeated:
        lines += ["## Measured more than once", ""]
        for page, form in repeated:
            result = page.results[form]
            audits = ", ".join(result["failing"]) or "none"
            lines.append(
                f"- {page.name}, {form}: performance in each run "
                f"{result['performance runs']}; audits under 1 in any run: {audits}."
            )
        lines.append("")
    misses = below_100(pages)
    lines += ["## Under 100", ""]
    if not misses:
        lines.append("None.")
    for page, form in misses:
        result = page.results[form]
        audits = ", ".join(result["failing"]) or "no single audit under 1 (rounding)"
        lines.append(f"- {page.name}, {form}: {cell(result)}; failing: {audits}.")
    REPORT.write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="audit the pages whose name contains this")
    parser.add_argument("--runs", type=int, default=1, help="runs a page (median reported)")
    parser.add_argument("--no-write", action="store_true", help="do not write the report")
    parser.add_argument("--keep", metavar="DIR", help="keep Lighthouse's JSON reports here")
    options = parser.parse_args()
    if options.runs < 1:
        parser.error("--runs must be 1 or more")
    if not LIGHTHOUSE.exists():
        parser.exit(1, f"Lighthouse is not installed: npm ci --prefix {TOOL_DIR}\n")
    if options.keep:
        Path(options.keep).mkdir(parents=True, exist_ok=True)

    from tests.support.servers import app_environment, get, gunicorn

    started = datetime.now(UTC)
    load = "{:.1f}, {:.1f}, {:.1f}".format(*os.getloadavg())
    with tempfile.TemporaryDirectory() as scratch:
        database_url = os.environ.get("DATABASE_URL", "")
        if not database_url.startswith(("postgres://", "postgresql://")):
            database_url = f"sqlite:///{scratch}/lighthouse.sqlite3"
        settings = environment(database_url, Path(scratch) / "static")
        os.environ.update(settings)
        os.environ.pop("DEBUG", None)
        os.environ.pop("REDIS_URL", None)
        print("preparing the database and static files …", file=sys.stderr)
        pages = [page for page in prepare() if options.only in page.name]
        if not pages:
            parser.exit(1, f"no page's name contains {options.only!r}\n")
        with gunicorn(app_environment(**settings), workers=1, threads=4) as base_url:
            for page in pages:
                get(base_url + page.path, timeout=120)  # render once, as for the first reader
            for page in pages:
                for form in FORM_FACTORS:
                    print(f"{page.name}, {form} …", file=sys.stderr)
                    page.results[form] = audit(base_url + page.path, form, page, options)
                    print(f"  {cell(page.results[form])}", file=sys.stderr)
    database = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    first = pages[0].results["phone"]
    chrome = subprocess.run([CHROME, "--version"], capture_output=True, text=True).stdout
    minutes = round((datetime.now(UTC) - started).total_seconds() / 60)
    versions = {"lighthouse": first["version"], "chrome": chrome.strip(), "load": load,
                "minutes": minutes}  # fmt: skip
    print(table(pages))
    if not options.no_write:
        write_report(pages, options.runs, database, started, versions)
        print(f"wrote {REPORT.relative_to(BASE_DIR)}", file=sys.stderr)
    misses = below_100(pages)
    for page, form in misses:
        print(f"under 100: {page.name}, {form}: {', '.join(page.results[form]['failing'])}")
    sys.exit(1 if misses else 0)


if __name__ == "__main__":
    main()
