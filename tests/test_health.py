"""The liveness and readiness probes."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client):
    """/healthz answers 200 "ok" and runs no query."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert len(queries) == 0
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_answers_when_the_database_does(client):
    """/readyz answers 200 after a successful query."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready\n"
    assert len(queries) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_probes_answer_head_and_refuse_writes(url):
    """HEAD works for the probes; POST is 405 (not a 403 from CSRF), not a write."""
    client = Client(enforce_csrf_checks=True)
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
