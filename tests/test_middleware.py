"""Project middleware: the 503 page when the database is unavailable (Retry-After, no database
touched, recovery by itself), the 405 page for a refused method, the 409 for a conflicting
write, and answers to signed-in users kept out of shared caches."""

import json
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.support.factories import make_user
from tests.support.servers import (
    BASE_DIR,
    TcpProxy,
    app_environment,
    database_url,
    free_port,
    get,
    gunicorn,
)

# Requests made with the test client in a process whose database is unreachable.
PROBE_SCRIPT = """
import json, django
django.setup()
from django.test import Client
from django.conf import settings
results = {}
signed_in = Client()
signed_in.cookies[settings.SESSION_COOKIE_NAME] = "a-session-the-database-would-know"
for name, client, method, url in [
    ("home", Client(), "get", "/"),
    ("article", Client(), "get", "/articles/ki-fuer-buerger/"),
    ("entity", Client(), "get", "/entities/mistral-ai/"),
    ("admin signed in", signed_in, "get", "/admin/"),
    ("reading page signed in", signed_in, "get", "/"),
    ("form to a reading page", Client(), "post", "/entities/"),
    ("form to a reading page signed in", signed_in, "post", "/entities/"),
    ("healthz", Client(), "get", "/healthz"),
    ("readyz", Client(), "get", "/readyz"),
    ("static", Client(), "get", "/static/articleapp/css/site.css"),
]:
    response = getattr(client, method)(url)
    body = b"".join(response) if response.streaming else response.content
    results[name] = {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "csp": response.get("Content-Security-Policy", ""),
        "body": body.decode("utf-8", "replace"),
    }
print(json.dumps(results))
"""


def probe(database):
    result = subprocess.run(
        [sys.executable, "-c", PROBE_SCRIPT],
        cwd=BASE_DIR,
        env=app_environment(DATABASE_URL=database, DATABASE_CONNECT_TIMEOUT="3"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def unreachable_postgres():
    return probe(f"postgres://postgres@127.0.0.1:{free_port()}/randnotiz")


def test_pages_answer_503_with_retry_after_when_postgres_is_unreachable(unreachable_postgres):
    """With PostgreSQL on a closed port, every page is the friendly 503 with Retry-After."""
    for name in ["home", "article", "entity", "admin signed in", "reading page signed in",
                 "form to a reading page signed in"]:  # fmt: skip
        answer = unreachable_postgres[name]
        assert answer["status"] == 503, name
        assert answer["retry_after"] == "30", name
        assert "Vorübergehend nicht erreichbar" in answer["body"]
        assert "Traceback" not in answer["body"] and "psycopg" not in answer["body"]
        assert "default-src 'none'" in answer["csp"]


def test_refused_method_needs_no_database_for_readers(unreachable_postgres):
    """A form sent to a reading page is refused with the 405 page even with the database down."""
    answer = unreachable_postgres["form to a reading page"]
    assert answer["status"] == 405
    assert "Methode nicht erlaubt" in answer["body"]


def test_probes_and_static_files_work_without_postgres(unreachable_postgres):
    """/healthz is 200, /readyz is 503, and static files are still served."""
    assert unreachable_postgres["healthz"]["status"] == 200
    assert unreachable_postgres["readyz"]["status"] == 503
    assert unreachable_postgres["static"]["status"] == 200
    assert ".site-header" in unreachable_postgres["static"]["body"]


def test_pages_answer_503_when_the_sqlite_file_cannot_be_opened(tmp_path):
    """With an SQLite file in a missing directory, pages are 503 and /healthz is 200."""
    answers = probe(f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}")
    assert answers["home"]["status"] == 503
    assert answers["home"]["retry_after"] == "30"
    assert answers["healthz"]["status"] == 200
    assert answers["readyz"]["status"] == 503


@pytest.mark.django_db(transaction=True)
def test_server_recovers_by_itself_when_postgres_returns():
    """gunicorn via a proxy that is cut and restored: 200, then 503, then 200 without a restart."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    settings_dict = connection.settings_dict
    proxy = TcpProxy(
        settings_dict.get("HOST") or "127.0.0.1", int(settings_dict.get("PORT") or 5432)
    )
    proxy.start()
    environment = app_environment(
        DATABASE_URL=database_url(settings_dict, host="127.0.0.1", port=proxy.port),
        CONN_MAX_AGE="600",
        DATABASE_CONNECT_TIMEOUT="3",
    )
    try:
        with gunicorn(environment, workers=1) as base_url:
            assert get(base_url + "/")[0] == 200
            assert get(base_url + "/readyz")[0] == 200

            proxy.cut()
            status, headers, body = get(base_url + "/")
            assert status == 503
            assert headers["Retry-After"] == "30"
            assert "Vorübergehend nicht erreichbar".encode() in body
            assert get(base_url + "/healthz")[0] == 200
            assert get(base_url + "/readyz")[0] == 503
            assert get(base_url + "/static/articleapp/css/site.css")[0] == 200

            proxy.start()
            deadline = time.monotonic() + 10
            while get(base_url + "/readyz")[0] != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert get(base_url + "/")[0] == 200
            assert get(base_url + "/readyz")[0] == 200
    finally:
        proxy.cut()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_refused_method_is_a_page_with_allow(method):
    """A method a reading page refuses is a 405 page in the site's layout, with Allow, before
    CSRF: a client without a token learns the method is wrong, not that a token is missing."""
    response = getattr(Client(enforce_csrf_checks=True), method)("/entities/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "405.html" in [template.name for template in response.templates]
    page = response.content.decode()
    assert "<h1>Methode nicht erlaubt</h1>" in page
    assert 'href="/"' in page


@pytest.mark.django_db
def test_language_switcher_works_from_the_405_page():
    """The 405 page's language switcher needs no token (public pages carry none) and works."""
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    refused = client.post("/entities/", {"csrfmiddlewaretoken": CSRF_SECRET})
    assert refused.status_code == 405
    assert "csrfmiddlewaretoken" not in refused.content.decode()
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/entities/"})
    assert (switched.status_code, switched["Location"]) == (302, "/entities/")
    again = client.post("/entities/", {"csrfmiddlewaretoken": CSRF_SECRET})
    assert "<h1>Method not allowed</h1>" in again.content.decode()


CSRF_SECRET = "b" * 32


def test_a_conflicting_write_is_a_409_not_a_500(rf):
    """An IntegrityError escaping a view (a concurrent duplicate) answers 409 with no traceback."""
    from django.db import IntegrityError

    from project.middleware import DatabaseErrorMiddleware

    middleware = DatabaseErrorMiddleware(lambda request: None)
    request = rf.post("/admin/articleapp/annotation/add/")
    response = middleware.process_exception(request, IntegrityError("duplicate key value"))
    assert response.status_code == 409
    assert "Gleichzeitig geändert" in response.content.decode()
    assert middleware.process_exception(request, ValueError("not ours")) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/tags/%00/",
        "/tags/a%00b/",
        "/entities/?page=1%00",
        "/search/?q=%00",
        "/search/?%00=1",
        "/admin/articleapp/annotation/?status=%00",
        "/admin/autocomplete/?app_label=articleapp&model_name=annotation&field_name=entity&term=%00",
        "/static/articleapp/css/site.css%00",
    ],
)
def test_nul_in_the_url_is_a_400_everywhere(admin_client, url):
    """NUL in the path or query string is the 400 page for any URL, before any query (on
    PostgreSQL it was a 500: text cannot hold NUL), with the security headers."""
    response = admin_client.get(url)
    assert response.status_code == 400
    assert "<h1>Ungültige Anfrage</h1>" in response.content.decode()
    assert response["Permissions-Policy"] and response["Content-Security-Policy"]


@pytest.mark.django_db
def test_an_encoded_percent_sign_is_not_nul(client):
    """``%2500`` is the text "%00", not NUL: searched for like any other text."""
    assert client.get("/search/?q=%2500").status_code == 200


PUBLIC_PAGES = ["/", "/entities/", "/entities/mistral-ai/", "/search/?q=Mistral"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES + ["reading page"])
def test_answers_to_a_signed_in_user_are_private(client, seeded, url):
    """A page rendered for staff (its "Annotate" link, a per-user ETag) is ``private``: no
    shared cache keeps it, whatever it does with ``Vary: Cookie``; readers' pages are not."""
    url = seeded.get_absolute_url() if url == "reading page" else url
    anonymous = client.get(url)
    assert anonymous.status_code == 200
    assert "private" not in anonymous.get("Cache-Control", "")
    client.force_login(make_user(is_staff=True))
    signed_in = client.get(url)
    assert signed_in.status_code == 200
    assert "private" in signed_in["Cache-Control"]
    assert "Cookie" in signed_in["Vary"]


@pytest.mark.django_db
def test_the_admin_and_the_exports_keep_no_store(client, seeded):
    """Answers that already forbid storing keep saying so."""
    client.force_login(make_user(is_staff=True, permissions=["articleapp.export_annotations"]))
    for url in ["/admin/", "/export/annotations.json?status=all"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"no-store", "private"} <= {
            token.strip() for token in response["Cache-Control"].split(",")
        }, url
