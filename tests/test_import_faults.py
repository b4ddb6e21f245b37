"""Imports are all-or-nothing even when the process is killed (SIGKILL) in the middle.

A separate process imports a large article into a database this test can see (the test
database on PostgreSQL, a migrated file on SQLite) and is killed at several points: after the
first paragraph, half-way, after the last paragraph before the commit, while re-anchoring
annotations on a re-import, and at random moments. Each time the stored content must be
exactly as before, and a rerun must import once, with no duplicates. The test reads what the
database holds straight from its tables, without starting a process for it.
"""

import contextlib
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from django.db import connection

from tests.support.servers import BASE_DIR, app_environment, database_url

# Transactional: the worker processes must see what the test database holds.
pytestmark = pytest.mark.django_db(transaction=True)

PARAGRAPHS = 200
SLUG = "grosser-artikel-ueber-ki-rechenzentren"


def article_text(version):
    body = "\n\n".join(
        f"{'Neu: ' if version == 2 else ''}Absatz {number} über Rechenzentren, Strom und "
        f"Kühlung in Europa; Mistral AI und Nvidia planen gemeinsam."
        for number in range(1, PARAGRAPHS + 1)
    )
    return f"Künstliche Intelligenz\n\nGroßer Artikel über KI-Rechenzentren\n\n{body}\n\n(nen)\n"


@pytest.fixture(scope="module")
def migrated_sqlite_template(tmp_path_factory):
    """An empty, migrated SQLite file to copy for each test (SQLite runs only)."""
    path = tmp_path_factory.mktemp("import-faults") / "template.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=app_environment(DATABASE_URL=f"sqlite:///{path}"),
        check=True,
        timeout=300,
    )
    return path


@pytest.fixture
def shared_database(request, tmp_path):
    """A DATABASE_URL that this test and its subprocesses share."""
    if connection.vendor == "postgresql":
        return database_url(connection.settings_dict)
    path = tmp_path / "db.sqlite3"
    shutil.copy(request.getfixturevalue("migrated_sqlite_template"), path)
    return f"sqlite:///{path}"


def worker(database, *arguments, check=True, timeout=300):
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.import_worker", *arguments],
        cwd=BASE_DIR,
        env=app_environment(DATABASE_URL=database),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


# The stored content, in an order that does not depend on primary keys.
SNAPSHOT_QUERIES = {
    "articles": "SELECT slug, title, kicker FROM articleapp_article ORDER BY slug",
    "paragraphs": (
        "SELECT a.slug, p.position, p.text FROM articleapp_paragraph p "
        "JOIN articleapp_article a ON a.id = p.article_id ORDER BY a.slug, p.position"
    ),
    "annotations": (
        'SELECT p.position, n.start, n."end", n.quote, n.prefix, n.suffix '
        "FROM articleapp_annotation n JOIN articleapp_paragraph p ON p.id = n.paragraph_id "
        "ORDER BY p.position, n.start, n.id"
    ),
}


def snapshot(database):
    """Everything the import writes, as the shared database holds it now."""
    if database.startswith("sqlite:///"):
        path = database.removeprefix("sqlite:///")
        with contextlib.closing(sqlite3.connect(path)) as sqlite:
            return {name: sqlite.execute(sql).fetchall() for name, sql in SNAPSHOT_QUERIES.items()}
    with connection.cursor() as cursor:
        result = {}
        for name, sql in SNAPSHOT_QUERIES.items():
            cursor.execute(sql)
            result[name] = cursor.fetchall()
        return result


def assert_kills_change_nothing(database, article_file, kill_points):
    """Killed after each number of saves in ``kill_points``, an import leaves no trace."""
    before = snapshot(database)
    for saves in kill_points:
        killed = worker(
            database, "import", str(article_file), "--kill-after-saves", str(saves), check=False
        )
        assert_killed(killed)
        assert snapshot(database) == before, f"killed after {saves} saves"


@pytest.fixture
def article_files(tmp_path):
    files = {}
    for version in (1, 2):
        files[version] = tmp_path / f"artikel-v{version}.txt"
        files[version].write_text(article_text(version), encoding="utf-8")
    return files


def assert_killed(result):
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]


def test_killed_first_import_leaves_nothing(shared_database, article_files):
    """Killed after 1, half or all paragraphs of a new article: nothing kept; a rerun works."""
    assert_kills_change_nothing(shared_database, article_files[1], [1, PARAGRAPHS // 2, PARAGRAPHS])
    worker(shared_database, "import", str(article_files[1]))
    after = snapshot(shared_database)
    assert [slug for slug, *_ in after["articles"]] == [SLUG]
    positions = [position for slug, position, _ in after["paragraphs"]]
    assert positions == list(range(1, PARAGRAPHS + 1))


def test_killed_reimport_keeps_text_and_annotations(shared_database, article_files):
    """Killed while changing paragraphs or re-anchoring: the old version stays whole."""
    worker(shared_database, "import", str(article_files[1]))
    worker(shared_database, "annotate", SLUG)
    # Saves alternate paragraph, annotation: kill at the first, in the middle, at the very last.
    assert_kills_change_nothing(shared_database, article_files[2], [1, PARAGRAPHS, 2 * PARAGRAPHS])
    worker(shared_database, "import", str(article_files[2]))
    after = snapshot(shared_database)
    assert len(after["articles"]) == 1
    assert len(after["paragraphs"]) == PARAGRAPHS
    assert all(text.startswith("Neu: ") for _, _, text in after["paragraphs"])
    assert len(after["annotations"]) == PARAGRAPHS
    assert {quote for _, _, _, quote, _, _ in after["annotations"]} == {"Absatz"}


def test_killed_at_random_moments_is_all_or_nothing(shared_database, article_files):
    """SIGKILL at random moments of three imports: each time nothing or everything is stored."""
    generator = random.Random(7)
    empty = snapshot(shared_database)
    outcomes = []
    for _ in range(3):
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.import_worker", "import", str(article_files[1])],
            cwd=BASE_DIR,
            env=app_environment(DATABASE_URL=shared_database),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(generator.uniform(0.3, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        state = snapshot(shared_database)
        if state == empty:
            outcomes.append("nothing")
        else:
            assert len(state["articles"]) == 1
            assert len(state["paragraphs"]) == PARAGRAPHS
            outcomes.append("everything")
            worker(shared_database, "import", str(article_files[1]))
            assert snapshot(shared_database) == state
            return
    assert outcomes == ["nothing"] * 3
