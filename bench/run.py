"""Run the benchmark and write the results table: ``python -m bench.run [--quick] [--only 2,4]``.

Needs PostgreSQL (``BENCH_DATABASE_URL``, default a database ``randnotiz_bench_data`` on
127.0.0.1:5432, created if missing) and ``wrk``; uses Redis for the cached-page figure when it
answers on ``BENCH_REDIS_URL`` (default database 14 of 127.0.0.1:6379), local memory otherwise.
The full run writes ``bench/results/latest.md`` and ``latest.json``; ``--quick`` runs smaller
sizes and fewer, shorter rounds and writes to ``bench/results/tmp/`` so it never replaces them.
"""

import argparse
import contextlib
import json
import os
import platform
import shutil
import sys
import time
import traceback
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import dj_database_url
import psycopg
import redis
from psycopg import sql

from bench import GENERATOR_VERSION

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TMP = RESULTS / "tmp"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/randnotiz_bench_data"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


@dataclass(frozen=True)
class Sizes:
    name: str
    export_annotations: tuple  # ascending; figures 7-8 use the last three, figure 6 the third last
    pairs: int
    wrk_seconds: int
    regex_paragraphs: int
    export_budget_seconds: int
    search_paragraphs: tuple  # figure 9: the two corpus sizes, each in a database of its own
    search_repeat: int
    reading_paragraphs: tuple = (7, 100, 500)
    import_paragraphs: int = 500


FULL = Sizes(
    "full",
    (100, 1_000, 10_000, 100_000, 1_000_000),
    pairs=7,
    wrk_seconds=3,
    regex_paragraphs=100,
    export_budget_seconds=900,
    search_paragraphs=(100_000, 1_000_000),
    search_repeat=20,
)
QUICK = Sizes(
    "quick",
    (100, 1_000, 5_000, 50_000),
    pairs=5,
    wrk_seconds=1,
    regex_paragraphs=20,
    export_budget_seconds=60,
    search_paragraphs=(5_000, 50_000),
    search_repeat=4,
    reading_paragraphs=(7, 50, 250),
    import_paragraphs=50,
)


def log(message):
    stamp = time.strftime("%H:%M:%S", time.gmtime())
    print(f"[bench {stamp}] {message}", file=sys.stderr, flush=True)


def connect(url, dbname=None, **kwargs):
    params = dj_database_url.parse(url)
    return psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        dbname=dbname or params["NAME"],
        **kwargs,
    )


def holds_old_data(url, version):
    with connect(url) as conn:
        if conn.execute("SELECT to_regclass('bench_dataset')").fetchone()[0] is None:
            return False
        stale = conn.execute("SELECT count(*) FROM bench_dataset WHERE version <> %s", [version])
        return stale.fetchone()[0] > 0


def prepare_database(url, version):
    """Create the benchmark database if missing; recreate it if an older generator filled it."""
    name = dj_database_url.parse(url)["NAME"]
    if not name.startswith("randnotiz_bench"):
        raise SystemExit(f"bench: refusing database {name!r}; its name must begin randnotiz_bench")
    try:
        admin = connect(url, dbname="postgres", autocommit=True)
    except psycopg.OperationalError as error:
        raise SystemExit(f"bench: PostgreSQL is not reachable ({error}).") from None
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and holds_old_data(url, version):
            log(f"dropping {name}: it holds data of an older generator")
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            log(f"creating database {name}")
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def redis_url_if_running(url):
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        return ""
    return url


class Context:
    """What the measurements share: sizes, and servers started on first use, stopped at the end."""

    def __init__(self, sizes, stack, redis_url):
        self.sizes = sizes
        self.log = log
        self.stack = stack
        self.redis_url = redis_url
        self.cache_backend = "Redis" if redis_url else "local memory"
        self.servers = {}

    def server(self, name):
        if name not in self.servers:
            from bench import server
            from bench.pages import seed_path

            env = {
                "uncached": {"PAGE_CACHE_SECONDS": "0", "REDIS_URL": ""},
                "cached": {"PAGE_CACHE_SECONDS": "600", "REDIS_URL": self.redis_url},
                "cached-local": {"PAGE_CACHE_SECONDS": "600", "REDIS_URL": ""},
            }[name]
            log(f"starting gunicorn ({name}: {env})")
            base = self.stack.enter_context(server.gunicorn(env, TMP / f"gunicorn-{name}.log"))
            self.servers[name] = base
            # Warm up every worker and thread: connections, template cache, page cache.
            for path in ["/bench/hello/", seed_path()]:
                for _ in range(server.WORKERS * server.THREADS):
                    server.fetch(base + path)
        return self.servers[name]


def status_of(item, figure):
    """A figure without a target is "reported"; the others are "met" or "missed"."""
    if item.target == "reported":
        return "reported"
    return "met" if figure.met else "missed"


def run_measurements(sizes, only, redis_url):
    """Run the registered figures (``main`` imported their modules) in ``only``, or all."""
    from bench.registry import REGISTRY, NotYetMeasurable

    results = []
    with contextlib.ExitStack() as stack:
        ctx = Context(sizes, stack, redis_url)
        for item in REGISTRY:
            if only and item.number not in only:
                continue
            log(f"figure {item.number}: {item.figure}")
            started = time.monotonic()
            row = {"number": item.number, "figure": item.figure, "target": item.target}
            try:
                figure = item.run(ctx)
            except NotYetMeasurable as reason:
                row.update(status="not yet measurable", shown="—", note=str(reason))
            except Exception as error:  # one broken figure must not lose the others
                traceback.print_exc()
                row.update(status="error", shown="—", note=f"{type(error).__name__}: {error}")
            else:
                row.update(
                    status=status_of(item, figure),
                    shown=figure.shown,
                    value=figure.value,
                    details=figure.details,
                )
            row["seconds"] = round(time.monotonic() - started, 1)
            log(f"  → {row['status']}: {row['shown']} {row.get('note', '')}")
            results.append(row)
        cache_backend = ctx.cache_backend
    return results, cache_backend


def environment(sizes, cache_backend):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": sizes.name,
        "sizes": asdict(sizes),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "server": "gunicorn gthread, 2 workers × 4 threads, DEBUG off, persistent connections",
        "load": f"wrk -t1 -c8, {sizes.wrk_seconds} s per run, 127.0.0.1 only",
        "pairs": sizes.pairs,
        "page_cache": cache_backend,
    }


def markdown(results, env):
    lines = [
        "# Randnotiz benchmark results",
        "",
        f"{env['date']} · {env['mode']} run · {env['cpus']} CPUs · Python {env['python']} · "
        f"PostgreSQL {env['postgresql']} · page cache: {env['page_cache']}",
        "",
        f"Every ratio is the median of {env['pairs']} pair ratios, A and B measured "
        f"interleaved in this run. Server: {env['server']}; load: {env['load']}.",
        "",
        "| # | figure | target | result | status |",
        "|---|---|---|---|---|",
    ]
    for row in results:
        result = row["shown"] if row["shown"] != "—" else row.get("note", "—")
        if row.get("rerun"):
            result += f" (rerun {row['rerun']})"
        lines.append(
            f"| {row['number']} | {row['figure']} | {row['target']} | {result} | {row['status']} |"
        )
    notes = [row for row in results if row["status"] == "missed"]
    if notes:
        lines += ["", "Misses are explained in the README's Performance section."]
    return "\n".join(lines) + "\n"


def merged_into_latest(results, env):
    """Return latest.json's rows with these figures replaced, each marked with its run date."""
    latest = json.loads((RESULTS / "latest.json").read_text())
    fresh = {row["number"]: {**row, "rerun": env["date"]} for row in results}
    rows = [fresh.pop(row["number"], row) for row in latest["results"]]
    return rows + list(fresh.values()), latest["environment"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under 3 minutes")
    parser.add_argument("--only", default="", help="comma-separated figure numbers, e.g. 2,6a")
    parser.add_argument(
        "--update-latest",
        action="store_true",
        help="with --only on a full run: replace those figures' rows in latest.md/json",
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    only = {number.strip() for number in args.only.split(",") if number.strip()}
    started = time.monotonic()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    prepare_database(url, GENERATOR_VERSION)
    TMP.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        STATIC_ROOT=str(TMP / "static"),
        PAGE_CACHE_SECONDS="0",
        REDIS_URL="",
    )
    if not shutil.which("wrk"):
        log("wrk is not installed (apt-get install wrk): the server figures will fail")
    import django

    django.setup()
    from django.core.management import call_command

    # corpus_figures and measurements register every figure when imported.
    from bench import corpus, corpus_figures, data, measurements  # noqa: F401
    from bench.registry import needed_datasets

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    needs = needed_datasets(only)
    data.generate(sizes, log, needs)
    if "corpus" in needs:
        corpus.generate(log)

    redis_url = redis_url_if_running(os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    results, cache_backend = run_measurements(sizes, only, redis_url)
    env = environment(sizes, cache_backend)
    env["seconds"] = round(time.monotonic() - started)
    if args.update_latest and sizes is FULL and only:
        results, env = merged_into_latest(results, env)
        out, stem = RESULTS, "latest"
    else:
        out = RESULTS if sizes is FULL and not only else TMP
        stem = "latest" if out is RESULTS else f"{sizes.name}"
    (out / f"{stem}.json").write_text(
        json.dumps({"environment": env, "results": results}, indent=2, ensure_ascii=False) + "\n"
    )
    (out / f"{stem}.md").write_text(markdown(results, env))
    log(f"wrote {out / stem}.md and .json in {env['seconds']} s")
    print(markdown(results, env))
    return 1 if any(row["status"] == "error" for row in results) else 0


if __name__ == "__main__":
    sys.exit(main())
