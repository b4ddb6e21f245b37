"""The W3C Web Annotation Protocol (Recommendation of 23 February 2017), read side, held against
the annotation container and its annotations.

Every MUST and SHOULD of section 3 (Annotation Retrieval), 4 and 4.1 (Annotation Containers,
Container Retrieval), 4.2 (Container Representations, with 4.2.1-4.2.4 on preferences) and 4.3
(Annotation Pages) that applies to a read-only container is quoted verbatim (markup removed)
as the message of the assertion that checks it. Rules about creating, updating or deleting
annotations (section 5) do not apply: those methods are refused with 405, the status section 6
names, and the clients here enforce CSRF as a browser's would. One SHOULD is not followed,
deliberately, and its test says so: Turtle (the JSON-LD is the one serialisation); and
``Accept-Post`` is only for containers that take POST, which this one refuses.

The article has five published annotations, a draft and an orphan; pages hold two, so the
container has three pages.
"""

import pytest
from django.test import Client

from articleapp.exports import container as container_module
from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity, make_user
from tests.support.protocol import get


@pytest.fixture(autouse=True)
def two_a_page(monkeypatch):
    """Pages of two annotations, so that five make three pages."""
    monkeypatch.setattr(container_module, "CONTAINER_PAGE_SIZE", 2)


@pytest.fixture
def article(db):
    text = "Mistral, Nvidia, SAP und Aleph Alpha bauen mit Siemens in Paris ein Rechenzentrum."
    article = make_article(paragraphs=[text])
    paragraph = article.paragraphs.get()
    editor = make_user(username="redakteurin")
    for name in ("Mistral", "Nvidia", "SAP", "Aleph Alpha", "Siemens"):
        annotate_quote(paragraph, name, entity=make_entity(name=name), author=editor)
    annotate_quote(paragraph, "Paris", status=Annotation.Status.DRAFT)
    orphan = annotate_quote(paragraph, "Rechenzentrum")
    Annotation.objects.filter(pk=orphan.pk).update(anchor_status=Annotation.AnchorStatus.ORPHANED)
    return article


@pytest.fixture
def client():
    """A client that enforces CSRF, as a browser's requests meet it."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def container_url(article):
    return f"http://testserver/articles/{article.slug}/annotations/"


@pytest.fixture
def annotation_url(client, container_url):
    return get(client, container_url)["first"]["items"][0]["id"]
