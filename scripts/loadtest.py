"""Bounded load test: readers browse and search while editors save annotations.

``make loadtest`` (``LOADTEST_SECONDS``, default 60; ``DATABASE_URL`` for PostgreSQL, else a
fresh SQLite file). Seeds the bundled article, starts gunicorn on 127.0.0.1, runs wrk with
``scripts/loadtest_readers.lua`` for the readers and editor threads that change their own
annotation's comment and add new comment annotations through the admin, then reports
requests/s, p50/p99 for both, the 5xx count and lost writes: every save acknowledged with a
redirect must be in the database afterwards. Exits 1 on any 5xx or lost write.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
EDITORS = int(os.environ.get("LOADTEST_EDITORS", "4"))
CONNECTIONS = int(os.environ.get("LOADTEST_CONNECTIONS", "16"))
CSRF_SECRET = "l" * 32


def prepare(database_url):
    os.environ.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="tests.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from articleapp.models import Annotation, Article, Entity

    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)
    article = Article.objects.order_by("pk").first()
    editor, _ = get_user_model().objects.get_or_create(
        username="lasttest-redaktion", defaults={"is_staff": True, "is_superuser": True}
    )
    session = SessionStore()
    session["_auth_user_id"] = str(editor.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = editor.get_session_auth_hash()
    session.create()
    paragraphs = list(article.paragraphs.order_by("position"))
    targets = []
    for number in range(EDITORS):
        paragraph = paragraphs[number % len(paragraphs)]
        annotation = Annotation(
            paragraph=paragraph, start=0, end=1, comment="Start", status="draft"
        )
        annotation.anchor_in(paragraph.text)
        annotation.save()
        targets.append(annotation.pk)
    entities = list(Entity.objects.order_by("pk").values_list("slug", flat=True)[:6])
    reader_paths = [
        "/",
        article.get_absolute_url(),
        "/entities/",
        *(f"/entities/{slug}/" for slug in entities),
        "/search/?q=Mistral",
        "/search/?q=Rechenzentrum",
        "/search/?q=Nvidia+Microsoft",
        f"/articles/{article.slug}/annotations/",
    ]
    return {
        "cookie": f"sessionid={session.session_key}; csrftoken={CSRF_SECRET}",
        "targets": targets,
        "paragraphs": [(p.pk, len(p.text)) for p in paragraphs],
        "reader_paths": reader_paths,
    }


def editor_loop(number, base_url, setup, deadline, results):
    from tests.support.forms import form_fields
    from tests.support.servers import get

    headers = {"Cookie": setup["cookie"]}
    post_headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    target = setup["targets"][number]
    change = f"/admin/articleapp/annotation/{target}/change/"
    round_number = 0
    while time.monotonic() < deadline:
        round_number += 1
        started = time.monotonic()
        status, _, body = get(base_url + change, headers=headers)
        results["statuses"].append(status)
        if status != 200:
            continue
        fields = dict(form_fields(body.decode(), form_id="annotation_form"))
        comment = f"Editor {number} Runde {round_number}"
        fields.update(comment=comment, csrfmiddlewaretoken=CSRF_SECRET, _save="1")
        data = urllib.parse.urlencode(fields).encode()
        status, _, _ = get(base_url + change, data=data, headers=post_headers)
        results["statuses"].append(status)
        results["latencies"].append(time.monotonic() - started)
        if status == 302:
            results["last_update"][target] = comment
        paragraph, length = setup["paragraphs"][(number + round_number) % len(setup["paragraphs"])]
        note = f"Neue Notiz {number}-{round_number}"
        add = {"paragraph": paragraph, "start": 0, "end": min(5, length), "entity": "",
               "comment": note, "tags": "", "status": "draft",
               "csrfmiddlewaretoken": CSRF_SECRET, "_save": "1"}  # fmt: skip
        started = time.monotonic()
        status, _, _ = get(
            base_url + "/admin/articleapp/annotation/add/",
            data=urllib.parse.urlencode(add).encode(),
            headers=post_headers,
        )
        results["statuses"].append(status)
        results["latencies"].append(time.monotonic() - started)
        if status == 302:
            results["added"].append(note)


def main():
    from tests.support.servers import app_environment, gunicorn

    database_url = os.environ.get("DATABASE_URL", "")
    temporary = None
    if not database_url.startswith(("postgres://", "postgresql://")):
        temporary = tempfile.TemporaryDirectory()
        database_url = f"sqlite:///{temporary.name}/loadtest.sqlite3"
    setup = prepare(database_url)
    environment = app_environment(
        DATABASE_URL=database_url, READER_PATHS=",".join(setup["reader_paths"])
    )
    results = {"statuses": [], "latencies": [], "last_update": {}, "added": []}
    print(f"load test: {SECONDS} s, {CONNECTIONS} reader connections, {EDITORS} editors, "
          f"database {database_url.split('@')[-1]}", file=sys.stderr)  # fmt: skip
    with gunicorn(environment, workers=4, threads=2) as base_url:
        deadline = time.monotonic() + SECONDS
        editors = [
            threading.Thread(target=editor_loop, args=(n, base_url, setup, deadline, results))
            for n in range(EDITORS)
        ]
        for thread in editors:
            thread.start()
        wrk = subprocess.run(
            ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s",
             "-s", str(BASE_DIR / "scripts" / "loadtest_readers.lua"), base_url],
            env=environment, capture_output=True, text=True, timeout=SECONDS + 120,
        )  # fmt: skip
        for thread in editors:
            thread.join(timeout=SECONDS + 60)
    line = next(line for line in wrk.stdout.splitlines() if line.startswith("WRK_RESULT "))
    readers = json.loads(line.removeprefix("WRK_RESULT "))

    from articleapp.models import Annotation

    stored = dict(Annotation.objects.filter(pk__in=setup["targets"]).values_list("pk", "comment"))
    lost_updates = [pk for pk, comment in results["last_update"].items() if stored[pk] != comment]
    notes = Annotation.objects.filter(comment__startswith="Neue Notiz")
    added = set(notes.values_list("comment", flat=True))
    lost_adds = [note for note in results["added"] if note not in added]
    editor_errors = [status for status in results["statuses"] if status >= 500]
    latencies = sorted(results["latencies"]) or [0.0]
    report = {
        "seconds": SECONDS,
        "readers_requests_per_second": round(readers["requests"] / readers["seconds"], 1),
        "readers_p50_ms": readers["p50_ms"],
        "readers_p99_ms": readers["p99_ms"],
        "readers_5xx": readers["server_errors"],
        "readers_socket_errors": readers["socket_errors"],
        "editor_saves": len(results["latencies"]),
        "editor_saves_per_second": round(len(results["latencies"]) / SECONDS, 1),
        "editor_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "editor_p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))] * 1000, 1),
        "editor_5xx": len(editor_errors),
        "acknowledged_writes": len(results["last_update"]) + len(results["added"]),
        "lost_writes": len(lost_updates) + len(lost_adds),
    }
    print(json.dumps(report, indent=2))
    if temporary:
        temporary.cleanup()
    failed = report["readers_5xx"] or report["editor_5xx"] or report["lost_writes"]
    failed = failed or not report["editor_saves"] or not readers["requests"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
