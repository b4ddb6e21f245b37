"""The access-control matrix of ``tests.access``: role × URL × method, and no leak of drafts."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from taggit.models import Tag

from articleapp.models import Annotation, Article, Entity, Paragraph
from tests.access import ROLES, ROWS, markdown_table
from tests.factories import annotate_quote, make_article, make_entity
from tests.servers import BASE_DIR

DRAFT_SECRET = "Geheimer Entwurfskommentar 7f3a"
DRAFT_TAG = "geheimer-entwurfs-tag-7f3a"
CSRF_SECRET = "a" * 32
EDITOR_MODELS = ["article", "paragraph", "entity", "entityalias", "annotation", "tag"]


def editors_group():
    group, created = Group.objects.get_or_create(name="Editors")
    if created:
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=["articleapp", "taggit"],
                content_type__model__in=EDITOR_MODELS,
            ).exclude(codename="export_annotations")
        )
    return group


def exporters_group():
    group, created = Group.objects.get_or_create(name="Exporters")
    if created:
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="articleapp", codename="export_annotations"
            )
        )
    return group


def make_role(role):
    """The signed-in user of ``role``, without a password hash (sign-in is forced)."""
    if role == "anonymous":
        return None
    User = get_user_model()
    user = User.objects.create(
        username=f"{role}-matrix",
        is_staff=role in {"editor", "superuser"},
        is_superuser=role == "superuser",
    )
    if role == "editor":
        user.groups.add(editors_group())
    if role == "exporter":
        user.groups.add(exporters_group())
    return user


@pytest.fixture
def world(db):
    """An article with a published and a draft annotation, entities, and a plain user."""
    article = make_article(paragraphs=["Mistral AI und Nvidia bauen in Frankreich Rechenzentren."])
    paragraph = article.paragraphs.get()
    entity = make_entity(name="Mistral AI")
    draft_entity = make_entity(name="Nvidia")
    spare_entity = make_entity(name="Ohne Erwähnung")
    published = annotate_quote(
        paragraph, "Mistral AI", entity=entity, comment="Öffentlich", tags=["oeffentlich"]
    )
    draft = annotate_quote(
        paragraph,
        "Nvidia",
        entity=draft_entity,
        comment=DRAFT_SECRET,
        tags=[DRAFT_TAG],
        status=Annotation.Status.DRAFT,
        is_suggestion=True,
    )
    plain = get_user_model().objects.create(username="ohne-rechte")
    return {
        "article": article.slug,
        "article_pk": article.pk,
        "paragraph_pk": paragraph.pk,
        "entity": entity.slug,
        "entity_pk": entity.pk,
        "draft_entity": draft_entity.slug,
        "spare_entity_pk": spare_entity.pk,
        "annotation": published.pk,
        "draft": draft.pk,
        "annotation_type": ContentType.objects.get_for_model(Annotation).pk,
        "user_pk": plain.pk,
        "public_tag": Tag.objects.get(name="oeffentlich").slug,
        "draft_tag": Tag.objects.get(name=DRAFT_TAG).slug,
    }


def stored_content():
    """Everything a request could change that matters: rows and their state."""
    return (
        list(Article.objects.order_by("pk").values_list("pk", "title")),
        list(Paragraph.objects.order_by("pk").values_list("pk", "text")),
        list(Entity.objects.order_by("pk").values_list("pk", "name")),
        list(Annotation.objects.order_by("pk").values_list("pk", "status", "comment")),
    )


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method} {row.url} ({row.note})")
def test_access_matrix(world, row, role):
    """The role gets the documented status; drafts and writes only where the table allows."""
    client = Client(enforce_csrf_checks=True)
    user = make_role(role)
    if user is not None:
        client.force_login(user)
    client.cookies["csrftoken"] = CSRF_SECRET
    url = row.url.format(**world)
    data = {key: value.format(**world) for key, value in row.data.items()}
    before = stored_content()
    if row.method == "POST":
        response = client.post(url, {**data, "csrfmiddlewaretoken": CSRF_SECRET})
    else:
        response = client.generic(row.method, url)
    assert response.status_code == row.expected()[role], body(response)[:500]
    if role not in row.drafts_visible_to:
        text = body(response)
        assert DRAFT_SECRET not in text
        assert DRAFT_TAG not in text
    if role not in row.writes_allowed_to:
        assert stored_content() == before


@pytest.mark.parametrize("role", ["anonymous", "user", "exporter"])
def test_admin_redirects_go_to_the_sign_in_page(world, client, role):
    """Without staff rights the admin sends to its sign-in page, keeping the address."""
    user = make_role(role)
    if user is not None:
        client.force_login(user)
    response = client.get("/admin/articleapp/annotation/")
    assert response["Location"] == "/admin/login/?next=/admin/articleapp/annotation/"


def test_writes_by_editors_take_effect(world):
    """The table's "done" rows really change things for editors (so the unchanged checks bite)."""
    client = Client()
    client.force_login(make_role("editor"))
    client.post(
        "/admin/articleapp/annotation/", {"action": "publish", "_selected_action": world["draft"]}
    )
    assert Annotation.objects.get(pk=world["draft"]).is_published


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_row_buttons_of_the_review_list_take_effect_for_editors(world, action):
    """An editor's Accept publishes the suggestion, Reject deletes it."""
    client = Client()
    client.force_login(make_role("editor"))
    client.post(f"/admin/articleapp/suggestedannotation/{world['draft']}/{action}/")
    draft = Annotation.objects.filter(pk=world["draft"]).first()
    assert (draft is not None and draft.is_published) if action == "accept" else draft is None


def test_post_without_csrf_token_is_refused(world):
    """An admin action without the CSRF token is 403 and changes nothing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_role("superuser"))
    response = client.post(
        "/admin/articleapp/annotation/", {"action": "publish", "_selected_action": world["draft"]}
    )
    assert response.status_code == 403
    assert not Annotation.objects.get(pk=world["draft"]).is_published


def test_draft_only_entity_page_lists_no_mention(world, client):
    """An entity mentioned only by a draft shows no mention and no count of one."""
    page = body(client.get(f"/entities/{world['draft_entity']}/"))
    assert "Nvidia" in page
    assert 'class="mentions"' not in page


def test_article_list_counts_only_published_annotations(world, client):
    """The article list counts the published annotation, not the draft."""
    article = client.get("/").context["articles"][0]
    assert article.annotation_count == 1
    page = " ".join(body(client.get("/")).split())
    assert "1 Anmerkung" in page or "1 annotation" in page  # German interface by default


def test_security_md_documents_the_matrix():
    """SECURITY.md shows exactly the table the matrix test checks."""
    security = (BASE_DIR / "SECURITY.md").read_text(encoding="utf-8")
    assert markdown_table() in security, "Paste tests.access.markdown_table() into SECURITY.md"
