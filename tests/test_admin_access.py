"""Every admin page, every role: a POST changes stored data only for those who hold the right.

For each page of the admin site (``tests.support.admin_pages``: the site's own pages and every
URL of every registered ModelAdmin, changelist actions, add, change, delete, history, an old
version's form, the Annotate page, the review queues, ``/admin/r/``), each role GETs the page,
then posts the page's form back with changed values (``tests.support.forms.changed_data``),
with CSRF checks on and the CSRF token of its own session. The form is always the one a
superuser sees, the fullest there is, so a role that may not open the page, or sees it read-only,
still posts every field. Before and after, every row of the app's models, their history, the
tags, users, groups, permissions, the admin log and the sign-in records is read: unless the
role holds what ``Probe.needs`` names, nothing may differ. For the superuser, the same post must
change something (except where ``INERT`` says why not), which shows that the changed forms are
valid and the comparison can fail.

The world (``tests.support.admin_world``) is built once for the module; each test runs in a
savepoint and is rolled back. What each probe posts comes from ``tests.support.admin_requests``.
"""

import pytest
from django.core.cache import cache

from tests.support.admin_pages import ANYONE, admin_probes
from tests.support.admin_requests import (
    csrf_token,
    post,
    prepare,
    request_for,
    source_data,
    the_form,
)
from tests.support.admin_world import (
    ROLES,
    build_world,
    client_for,
    differences,
    may_write,
    snapshot,
)
from tests.support.factories import built_once

pytestmark = pytest.mark.django_db

PROBES = admin_probes()

# Pages where even a superuser's post changes nothing, and why.
INERT = {
    "articleapp_suggestedannotation_add": "suggestions come from the gazetteer, not a form",
    "articleapp_orphanedannotation_add": "orphans come from text changes, not a form",
    "articleapp_changedannotation_add": "changed words come from text changes, not a form",
    "axes_accessattempt_add": "sign-in records are made by signing in",
    "axes_accesslog_add": "sign-in records are made by signing in",
    "axes_accessfailurelog_add": "sign-in records are made by signing in",
    "axes_accessattempt_change": "every field of a sign-in record is read-only",
    "axes_accesslog_change": "every field of a sign-in record is read-only",
    "axes_accessfailurelog_change": "every field of a sign-in record is read-only",
    "password_change": "the form needs the user's current password, which the test cannot know",
    "articleapp_orphanedannotation_change": "an orphan's words are gone: only the Annotate page "
    "re-attaches it",
    "articleapp_suggestedannotation_simple_history": "redirects to the annotation's history",
    "articleapp_orphanedannotation_simple_history": "redirects to the annotation's history",
    "articleapp_changedannotation_simple_history": "redirects to the annotation's history",
    "axes_accessattempt_changelist:cleanup_expired_attempts": "no attempt has expired yet",
    "taggit_tag_changelist:render_tag_form": "it only chooses the tags for the merge page",
    "articleapp_article_import:preview": "it only previews; the confirmation imports",
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        cache.clear()
        yield build_world()
    cache.clear()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("probe", PROBES, ids=lambda probe: probe.id)
def test_a_post_changes_nothing_without_the_right(world, probe, role):
    """The role posts the page's form with changed values; the database changes only if the
    role holds the permissions the page needs."""
    assert not probe.problem, f"{probe.id}: {probe.problem}"
    url, source, form_id = request_for(world, probe)
    data = source_data(world, probe, url, source, form_id)
    client = client_for(world, role)
    allowed = may_write(world, role, probe.needs)
    before = snapshot()
    own = client.get(source)
    assert own.status_code < 500, f"GET {source}: {own.status_code}"
    token = csrf_token(client, role, own)
    prepare(world, probe, client, role)
    response = post(client, url, [*data, ("csrfmiddlewaretoken", token)])
    assert response.status_code < 500, f"POST {url}: {response.status_code}"
    assert response.status_code != 403 or b"CSRF" not in response.content, "CSRF refused"
    if probe.kind == "changelist" and probe.variant and response.status_code == 200:
        confirmation = the_form(response.content.decode(), url)
        if confirmation is not None:  # delete_selected asks first: confirm it
            response = post(client, url, confirmation.data())
            assert response.status_code < 500
    changed = differences(before, snapshot())
    if not allowed:
        assert changed == [], f"{role} changed {changed} by POST {url}"
    elif role == "superuser" and probe.needs != (ANYONE,) and probe.id not in INERT:
        assert changed, f"the superuser's POST {url} changed nothing: is the form valid?"


def test_every_admin_page_is_classified():
    """Each URL of the admin is known, with who may write there; none is left unjudged."""
    assert [probe.id for probe in PROBES if probe.problem] == []
    assert [name for name in INERT if name not in {probe.id for probe in PROBES}] == []


def test_the_probes_cover_what_the_issue_names():
    """Changelist actions, add, change, delete, history, restore, the Annotate page, the review
    queues and /admin/r/ are all among the probes."""
    ids = {probe.id for probe in PROBES}
    for expected in [
        "articleapp_annotation_changelist:publish",
        "articleapp_annotation_changelist:delete_selected",
        "articleapp_annotation_add",
        "articleapp_annotation_change",
        "articleapp_annotation_delete",
        "articleapp_annotation_history",
        "articleapp_annotation_simple_history",
        "articleapp_article_annotate:new",
        "articleapp_article_annotate:edit",
        "articleapp_suggestedannotation_accept",
        "articleapp_orphanedannotation_changelist",
        "articleapp_changedannotation_changelist:confirm",
        "articleapp_changedannotation_confirm",
        "view_on_site",
        "taggit_tag_merge_tags",
    ]:
        assert expected in ids
