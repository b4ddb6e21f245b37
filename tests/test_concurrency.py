"""Two gunicorn servers on one PostgreSQL, editors saving the same and different annotations.

Each editor thread loads an annotation's admin change form from one of the two servers, changes
the comment, and saves; others add annotations on the same span at once. No response may be a
5xx, no row may be duplicated, and every acknowledged save of an object only one editor touches
must be what the database holds afterwards. A save based on a stale copy is refused by the
optimistic locking (the ``version`` column), so no update is lost.
"""

import itertools
import threading
import urllib.parse
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.forms import form_fields
from tests.support.servers import app_environment, database_url, get, gunicorn

pytestmark = pytest.mark.django_db(transaction=True)

CSRF_SECRET = "c" * 32
EDITORS = 6
ROUNDS = 4


@pytest.fixture
def servers():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    environment = app_environment(DATABASE_URL=database_url(connection.settings_dict))
    with (
        gunicorn(environment, workers=1, threads=4) as first,
        gunicorn(environment, workers=1, threads=4) as second,
    ):
        yield [first, second]


@pytest.fixture
def newsroom(db):
    text = " ".join(f"Satz {number} über Mistral AI." for number in range(1, EDITORS + 2))
    paragraph = make_article(paragraphs=[text]).paragraphs.get()
    entity = make_entity(name="Mistral AI")
    shared = annotate_quote(paragraph, "Satz 1", comment="Anfang")
    own = [annotate_quote(paragraph, f"Satz {n + 2}", comment="Anfang") for n in range(EDITORS)]
    editor = get_user_model().objects.create(username="redaktion", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(editor)
    return {
        "paragraph": paragraph,
        "entity": entity,
        "shared": shared.pk,
        "own": [annotation.pk for annotation in own],
        "cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF_SECRET}",
    }


class Editor:
    """An editor's browser: loads admin forms and submits them to one server."""

    def __init__(self, base_url, cookie):
        self.base_url = base_url
        self.headers = {"Cookie": cookie}
        self.errors = []

    def load(self, path):
        status, _, body = get(self.base_url + path, headers=self.headers)
        assert status == 200, (path, status)
        return dict(form_fields(body.decode(), form_id="annotation_form"))

    def submit(self, path, fields):
        fields = {**fields, "csrfmiddlewaretoken": CSRF_SECRET, "_save": "Sichern"}
        data = urllib.parse.urlencode(fields).encode()
        headers = {**self.headers, "Content-Type": "application/x-www-form-urlencoded"}
        status, _, body = get(self.base_url + path, data=data, headers=headers)
        if status >= 500:
            self.errors.append(body.decode("utf-8", "replace")[:2000])
        return status


def change_path(pk):
    return f"/admin/articleapp/annotation/{pk}/change/"


def test_concurrent_editors_lose_nothing_and_duplicate_nothing(servers, newsroom):
    """Editors on two servers save shared and own annotations and add the same span at once."""
    statuses = Counter()
    acknowledged = {}
    lock = threading.Lock()
    paragraph, entity = newsroom["paragraph"], newsroom["entity"]
    start = paragraph.text.index("Mistral AI")

    editors = [Editor(servers[number % 2], newsroom["cookie"]) for number in range(EDITORS)]

    def work(number):
        editor = editors[number]
        own = newsroom["own"][number]
        for round_number in range(ROUNDS):
            for pk in (own, newsroom["shared"]):
                fields = editor.load(change_path(pk))
                comment = f"Editor {number}, Runde {round_number}"
                status = editor.submit(change_path(pk), {**fields, "comment": comment})
                with lock:
                    statuses[status] += 1
                    if status == 302:
                        acknowledged.setdefault(pk, []).append(comment)
            add = {
                "paragraph": paragraph.pk,
                "start": start,
                "end": start + len("Mistral AI"),
                "entity": entity.pk,
                "comment": f"Neu {number}",
                "tags": "",
                "status": "draft",
            }
            status = editor.submit("/admin/articleapp/annotation/add/", add)
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=work, args=(number,)) for number in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)

    errors = [error for editor in editors for error in editor.errors]
    assert not [status for status in statuses if status >= 500], (statuses, errors[:1])
    # 200: the form says the span is taken; 409: both passed that check at the same moment.
    assert set(statuses) <= {200, 302, 409}, statuses
    for number, pk in enumerate(newsroom["own"]):
        assert Annotation.objects.get(pk=pk).comment == f"Editor {number}, Runde {ROUNDS - 1}"
    assert Annotation.objects.get(pk=newsroom["shared"]).comment in acknowledged[newsroom["shared"]]
    spans = Annotation.objects.values_list("paragraph", "start", "end", "entity")
    assert len(spans) == len(set(spans)) == 1 + EDITORS + 1


def test_stale_save_is_refused_not_lost(servers, newsroom):
    """Two editors open the same annotation; the second save, based on a stale copy, is refused."""
    first, second = (Editor(base, newsroom["cookie"]) for base in servers)
    path = change_path(newsroom["shared"])
    first_copy, second_copy = first.load(path), second.load(path)
    assert first.submit(path, {**first_copy, "comment": "Erste Fassung"}) == 302
    stale = second.submit(path, {**second_copy, "comment": "Zweite Fassung, veraltet"})
    assert stale in {200, 409}
    assert Annotation.objects.get(pk=newsroom["shared"]).comment == "Erste Fassung"


def test_form_reader_reads_the_admin_form(servers, newsroom):
    """The form reader sees the annotation's fields as the browser would submit them."""
    fields = Editor(servers[0], newsroom["cookie"]).load(change_path(newsroom["shared"]))
    assert fields["comment"] == "Anfang"
    assert fields["status"] == "published"
    assert {"paragraph", "start", "end"} <= set(fields)
    assert list(itertools.islice(fields, 1))
