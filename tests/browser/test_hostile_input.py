"""A sample of the XSS corpus in every field, opened in Chromium: no dialog, no CSP violation.

A payload that ran would open a dialog (they all call alert, confirm or prompt) or, blocked by
the Content-Security-Policy, log a violation; ``page.problems`` collects both.
"""

import urllib.parse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from taggit.models import Tag, TaggedItem

from articleapp.models import Annotation
from tests.support.factories import make_article, make_entity
from tests.support.xss import PAYLOADS, joined, packed

pytestmark = pytest.mark.django_db(transaction=True)

SAMPLE = PAYLOADS[:: len(PAYLOADS) // 40]
# Runs of the sample that one field holds: each entity's name, description and alias carry one.
ENTITY_RUNS = packed(SAMPLE, 190)
# Runs that one search query holds (search keeps 200 characters).
QUERY_RUNS = packed(SAMPLE, 200)


@pytest.fixture
def hostile_article(db):
    """An article whose title, kicker, byline and paragraphs are payloads; an annotation over
    each paragraph's payload (comment and tag: the payload) names an entity whose name,
    description and alias are the run of payloads that paragraph's payload belongs to."""
    article = make_article(
        paragraphs=[f"Absatz {index}: {payload}" for index, payload in enumerate(SAMPLE)],
        title=SAMPLE[0][:300],
        kicker=SAMPLE[1][:200],
        byline=SAMPLE[2][:200],
    )
    entities = [
        make_entity(
            name=joined(SAMPLE, run),
            description=joined(SAMPLE, run),
            aliases=[f"alias {joined(SAMPLE, run)}"],
        )
        for run in ENTITY_RUNS
    ]
    entity_of = {
        index: entity for run, entity in zip(ENTITY_RUNS, entities, strict=True) for index in run
    }
    annotations = []
    for index, paragraph in enumerate(article.paragraphs.order_by("position")):
        start = paragraph.text.index(":") + 2
        annotation = Annotation(
            paragraph=paragraph,
            start=start,
            end=len(paragraph.text),
            entity=entity_of[index],
            comment=SAMPLE[index],
            status=Annotation.Status.PUBLISHED,
        )
        annotation.anchor_in(paragraph.text)
        # bulk_create skips save(), which pins a published annotation to its quote.
        annotation.published_quote = annotation.quote
        annotations.append(annotation)
    annotations = Annotation.objects.bulk_create(annotations)
    tags = Tag.objects.bulk_create(
        [
            Tag(name=f"{index} {payload}"[:100], slug=f"xss-{index}")
            for index, payload in enumerate(SAMPLE)
        ]
    )
    annotation_type = ContentType.objects.get_for_model(Annotation)
    TaggedItem.objects.bulk_create(
        TaggedItem(tag=tag, content_type=annotation_type, object_id=annotation.pk)
        for tag, annotation in zip(tags, annotations, strict=True)
    )
    return article, entities


def signed_in(page, live_server):
    user = get_user_model().objects.create(
        username='"><img src=x onerror=alert(1)>', is_staff=True, is_superuser=True
    )
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("load")
    # Give handlers like onfocus/ontoggle/onbegin a moment to fire, and hover everything.
    page.mouse.move(200, 300)
    page.keyboard.press("Tab")
    page.wait_for_timeout(150)


def test_public_pages_run_no_payload(page, live_server, hostile_article):
    """Article list, reading page, every entity page and searches for payloads: nothing runs."""
    article, entities = hostile_article
    visit(page, live_server.url + "/")
    visit(page, live_server.url + article.get_absolute_url())
    assert page.locator("mark.hl").count() >= len(SAMPLE)
    for entity in entities:
        visit(page, live_server.url + entity.get_absolute_url())
    for run in QUERY_RUNS[:2]:
        visit(page, f"{live_server.url}/search/?q={urllib.parse.quote(joined(SAMPLE, run))}")
    assert page.problems.csp_violations() == []
    page.problems.assert_clean()


def test_admin_pages_run_no_payload(page, live_server, hostile_article):
    """The admin's lists and change forms with the payloads: nothing runs, no CSP violation."""
    article, entities = hostile_article
    signed_in(page, live_server)
    annotation = Annotation.objects.order_by("pk").first()
    for path in [
        "/admin/",
        "/admin/articleapp/annotation/",
        "/admin/articleapp/entity/",
        "/admin/articleapp/article/",
        f"/admin/articleapp/article/{article.pk}/change/",
        f"/admin/articleapp/entity/{entities[3].pk}/change/",
        f"/admin/articleapp/annotation/{annotation.pk}/change/",
        "/admin/taggit/tag/",
    ]:
        visit(page, live_server.url + path)
    assert page.problems.csp_violations() == []
    page.problems.assert_clean()
