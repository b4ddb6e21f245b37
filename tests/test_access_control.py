"""The access-control matrix of ``tests.support.access``: role × URL × method, no hidden text.

Hidden from readers are drafts, orphans (their words are gone from the paragraph) and published
annotations whose words changed since publishing (``Annotation.objects.published()`` leaves all
three out). Their comments, tags, lost words and the ids that would link to them must not appear
in any response to a role the row does not allow to see them.

The world is built once for the module (``built_once``); each request runs in its own savepoint,
so what an editor's request writes is undone before the next one.
"""

import io
import json
import zipfile

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils.html import escape, strip_tags
from taggit.models import Tag

from articleapp import importer
from articleapp.admin.importing import confirmation
from articleapp.models import Annotation, Article, Entity, Paragraph
from articleapp.parsed import ParsedArticle
from articleapp.reanchoring import reanchor_paragraph
from tests.support.access import ROLES, ROWS, markdown_table
from tests.support.factories import annotate_quote, built_once, make_article, make_entity
from tests.support.pages import content, signed_in_session
from tests.support.servers import BASE_DIR

pytestmark = pytest.mark.django_db

DRAFT_SECRET = "Geheimer Entwurfskommentar 7f3a"
DRAFT_TAG = "Geheimer Entwurfs-Tag 7f3a"
ORPHAN_SECRET = "Verwaister Kommentar 5d1e"
ORPHAN_WORDS = "Verwaistwort5d1e"
ORPHAN_TAG = "Verwaister Tag 5d1e"
CHANGED_SECRET = "Überholter Kommentar 4b2c"
CHANGED_WORDS = "Quendolin Mayr"
CHANGED_TAG = "Überholter Tag 4b2c"
HIDDEN_TEXTS = [
    DRAFT_SECRET,
    DRAFT_TAG,
    ORPHAN_SECRET,
    ORPHAN_WORDS,
    ORPHAN_TAG,
    CHANGED_SECRET,
    CHANGED_WORDS,
    CHANGED_TAG,
]
SECOND_PARAGRAPH = (
    f"Der Plan {ORPHAN_WORDS} stammt aus Paris. Das sagt {CHANGED_WORDS} aus Lyon, "
    "die ihn entworfen hat."
)
SECOND_PARAGRAPH_EDITED = (
    "Der Plan stammt aus Paris. Das sagt Quendolin K. Mayr aus Lyon, die ihn entworfen hat."
)
CSRF_SECRET = "a" * 32
IMPORTED = ParsedArticle("Kicker", "Ein importierter Artikel", "", ("Ein Absatz.",))
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
    """The signed-in user of ``role``, without a password hash (sign-in is forced).

    Exporters are staff, as the README tells operators to set them up.
    """
    if role == "anonymous":
        return None
    User = get_user_model()
    user = User.objects.create(
        username=f"{role}-matrix",
        is_staff=role in {"editor", "exporter", "superuser"},
        is_superuser=role == "superuser",
    )
    if role == "editor":
        user.groups.add(editors_group())
    if role == "exporter":
        user.groups.add(exporters_group())
    return user


def build_world():
    """An article with a published annotation and three hidden ones, entities, roles, a user."""
    article = make_article(
        paragraphs=["Mistral AI und Nvidia bauen in Frankreich Rechenzentren.", SECOND_PARAGRAPH]
    )
    first, second = article.paragraphs.order_by("position")
    entity = make_entity(name="Mistral AI")
    draft_entity = make_entity(name="Nvidia")
    orphan_entity = make_entity(name="Verwaist GmbH")
    changed_entity = make_entity(name="Quendolin-Stiftung")
    spare_entity = make_entity(name="Ohne Erwähnung")
    public_entity = make_entity(name="Öffentlich ohne Erwähnung", is_public=True)
    published = annotate_quote(
        first, "Mistral AI", entity=entity, comment="Öffentlich", tags=["oeffentlich"]
    )
    draft = annotate_quote(
        first,
        "Nvidia",
        entity=draft_entity,
        comment=DRAFT_SECRET,
        tags=[DRAFT_TAG],
        status=Annotation.Status.DRAFT,
        is_suggestion=True,
    )
    orphan = annotate_quote(
        second, ORPHAN_WORDS, entity=orphan_entity, comment=ORPHAN_SECRET, tags=[ORPHAN_TAG]
    )
    changed = annotate_quote(
        second, CHANGED_WORDS, entity=changed_entity, comment=CHANGED_SECRET, tags=[CHANGED_TAG]
    )
    # The editor's change to the text: one annotation loses its words, the other's words change.
    second.text = SECOND_PARAGRAPH_EDITED
    second.save()
    reanchor_paragraph(second)
    orphan.refresh_from_db()
    changed.refresh_from_db()
    assert orphan.is_published and orphan.is_orphaned
    assert changed.is_published and not changed.is_orphaned
    assert (changed.published_quote, changed.quote) == (CHANGED_WORDS, "Quendolin K. Mayr")
    assert list(Annotation.objects.published()) == [published]
    plain = get_user_model().objects.create(username="ohne-rechte")
    hidden_tags = [Tag.objects.get(name=name) for name in (DRAFT_TAG, ORPHAN_TAG, CHANGED_TAG)]
    return {
        "article": article.slug,
        "article_pk": article.pk,
        "paragraph_pk": first.pk,
        "entity": entity.slug,
        "entity_pk": entity.pk,
        "draft_entity": draft_entity.slug,
        "orphan_entity": orphan_entity.slug,
        "changed_entity": changed_entity.slug,
        "spare_entity_pk": spare_entity.pk,
        "unmentioned_entity": spare_entity.slug,
        "public_entity": public_entity.slug,
        "annotation": published.pk,
        "draft": draft.pk,
        "draft_version": draft.history.order_by("history_id").first().history_id,
        "orphan": orphan.pk,
        "changed": changed.pk,
        "annotation_type": ContentType.objects.get_for_model(Annotation).pk,
        "user_pk": plain.pk,
        "public_tag": Tag.objects.get(name="oeffentlich").slug,
        "draft_tag": hidden_tags[0].slug,
        "orphan_tag": hidden_tags[1].slug,
        "changed_tag": hidden_tags[2].slug,
        "hidden_pks": [draft.pk, orphan.pk, changed.pk],
        "hidden_tag_slugs": [tag.slug for tag in hidden_tags],
        "import_payload": confirmation(importer.plan(IMPORTED)),
        "sessions": {role: signed_in_session(make_role(role)) for role in ROLES},
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The objects of the matrix, built once and rolled back after the module."""
    with built_once(django_db_blocker):
        cache.clear()
        yield build_world()
    cache.clear()


def client_for(world, role, **options):
    """A test client signed in as ``role`` through the session made for the module."""
    client = Client(**options)
    session = world["sessions"][role]
    if session is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client


def stored_content():
    """Everything a request could change that matters: rows and their state."""
    return (
        list(Article.objects.order_by("pk").values_list("pk", "title")),
        list(Paragraph.objects.order_by("pk").values_list("pk", "text")),
        list(Entity.objects.order_by("pk").values_list("pk", "name")),
        list(Annotation.objects.order_by("pk").values_list("pk", "status", "comment")),
    )


def readable(response):
    """The response as text; a zip (the brat export) as the text of all its files."""
    body = content(response)
    if response.get("Content-Type", "").startswith("application/zip"):
        archive = zipfile.ZipFile(io.BytesIO(body))
        return "\n".join(archive.read(name).decode() for name in archive.namelist())
    return body.decode()


def hidden_traces(world, page, url):
    """What of the hidden annotations ``page`` shows, apart from the echo of its own ``url``."""
    page = page.replace(escape(url), "").replace(url, "")
    markers = list(HIDDEN_TEXTS)
    for pk in world["hidden_pks"]:
        markers += [f'id="a-{pk}"', f'id="h-{pk}"', f'#a-{pk}"', f'/annotations/{pk}"']
    markers += [f'href="/tags/{slug}/"' for slug in world["hidden_tag_slugs"]]
    # Absolute links (feeds, the sitemap, canonical and schema.org ids) to what is not public.
    markers += [f"/tags/{slug}/</loc>" for slug in world["hidden_tag_slugs"]]
    markers += [
        f"/entities/{world[key]}/"
        for key in ["draft_entity", "orphan_entity", "changed_entity", "unmentioned_entity"]
    ]
    return [marker for marker in markers if marker in page]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method} {row.url} ({row.note})")
def test_access_matrix(world, row, role):
    """The role gets the documented status; hidden text and writes only where the table allows."""
    client = client_for(world, role, enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF_SECRET
    url = row.url.format(**world)
    data = {key: value.format(**world) for key, value in row.data.items()}
    before = stored_content()
    if row.method == "POST":
        token = {"csrfmiddlewaretoken": CSRF_SECRET} if row.csrf_token else {}
        response = client.post(url, {**data, **token})
    else:
        response = client.generic(row.method, url)
    page = readable(response)
    assert response.status_code == row.expected()[role], page[:500]
    if role not in row.drafts_visible_to:
        assert hidden_traces(world, page, url) == []
    if role not in row.writes_allowed_to:
        assert stored_content() == before


def test_every_export_format_has_rows():
    """Each format of the export page is in the matrix, by GET and by POST."""
    from articleapp.exports import FORMATS

    covered = {(row.method, row.url) for row in ROWS}
    for name in FORMATS:
        assert ("GET", f"/export/annotations.{name}") in covered
        assert ("POST", f"/export/annotations.{name}") in covered


@pytest.mark.parametrize("role", ["anonymous", "user"])
@override_settings(PAGE_CACHE_SECONDS=0)
def test_hidden_annotations_are_not_counted_or_drawn(world, role):
    """Counts, mention lists, the plot, search results and the container hold the published
    annotation only, for readers with and without an account."""
    client = client_for(world, role)
    hidden_entities = {world["draft_entity"], world["orphan_entity"], world["changed_entity"]}
    [listed] = client.get("/").context["page"]
    assert listed.annotation_count == 1
    assert [mention.entity.slug for mention in listed.top_mentions] == [world["entity"]]
    reading = client.get(f"/articles/{world['article']}/")
    assert reading.context["annotation_count"] == 1
    assert {mention.entity.slug for mention in reading.context["mentions"]} == {world["entity"]}
    plot = str(reading.context["plot"])
    for name in ["Nvidia", "Verwaist GmbH", "Quendolin-Stiftung"]:
        assert name not in plot
    counts = {
        entity.slug: entity.mention_count
        for _kind, entities in client.get("/entities/").context["groups"]
        for entity in entities
    }
    # Mentioned only where readers may not look, they are not public: not listed, no page.
    assert counts == {world["entity"]: 1, world["public_entity"]: 0}
    for slug in hidden_entities:
        assert client.get(f"/entities/{slug}/").status_code == 404
    assert list(client.get(f"/entities/{world['entity']}/").context["neighbours"]) == []
    hidden_names = ["Nvidia", "Verwaist GmbH", "Quendolin-Stiftung", "Ohne Erwähnung"]
    for name in hidden_names:
        found = client.get("/search/", {"q": name}).context["results"].entities
        assert [hit for hit in found if strip_tags(hit.name) in hidden_names] == []
    found = client.get("/search/", {"q": "Erwähnung"}).context["results"].entities
    assert [strip_tags(hit.name) for hit in found] == ["Öffentlich ohne Erwähnung"]
    for query in ["Entwurfskommentar", "Verwaister Kommentar", "Verwaistwort", "Überholter"]:
        assert client.get("/search/", {"q": query}).context["results"].annotations == []
    container = json.loads(client.get(f"/articles/{world['article']}/annotations/").content)
    assert container["total"] == 1
    assert [item["id"].rsplit("/", 1)[1] for item in container["first"]["items"]] == [
        str(world["annotation"])
    ]


def test_admin_redirects_go_to_the_sign_in_page(world):
    """Without staff rights the admin sends to its sign-in page, keeping the address."""
    for role in ["anonymous", "user"]:
        response = client_for(world, role).get("/admin/articleapp/annotation/")
        assert response["Location"] == "/admin/login/?next=/admin/articleapp/annotation/"


def test_writes_by_editors_take_effect(world):
    """The table's "done" rows really change things for editors (so the unchanged checks bite)."""
    client_for(world, "editor").post(
        "/admin/articleapp/annotation/", {"action": "publish", "_selected_action": world["draft"]}
    )
    assert Annotation.objects.get(pk=world["draft"]).is_published


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_row_buttons_of_the_review_list_take_effect_for_editors(world, action):
    """An editor's Accept publishes the suggestion, Reject deletes it."""
    response = client_for(world, "editor").post(
        f"/admin/articleapp/suggestedannotation/{world['draft']}/{action}/"
    )
    assert response.status_code == 302
    draft = Annotation.objects.filter(pk=world["draft"]).first()
    assert (draft is not None and draft.is_published) if action == "accept" else draft is None


def test_an_editors_import_confirmation_takes_effect(world):
    """The matrix's confirmation row imports the article for an editor."""
    response = client_for(world, "editor").post(
        "/admin/articleapp/article/import/", {"payload": world["import_payload"]}
    )
    assert response.status_code == 302
    assert Article.objects.filter(title="Ein importierter Artikel").exists()


def test_confirm_button_of_the_changed_words_queue_takes_effect_for_editors(world):
    """An editor's Confirm shows the annotation with its new words to readers again."""
    response = client_for(world, "editor").post(
        f"/admin/articleapp/changedannotation/{world['changed']}/confirm/"
    )
    assert response.status_code == 302
    changed = Annotation.objects.get(pk=world["changed"])
    assert changed.anchor_status == Annotation.AnchorStatus.ANCHORED
    assert Annotation.objects.published().filter(pk=changed.pk).exists()


def test_post_without_csrf_token_is_refused(world):
    """An admin action without the CSRF token is 403 and changes nothing."""
    client = client_for(world, "superuser", enforce_csrf_checks=True)
    response = client.post(
        "/admin/articleapp/annotation/", {"action": "publish", "_selected_action": world["draft"]}
    )
    assert response.status_code == 403
    assert not Annotation.objects.get(pk=world["draft"]).is_published


def test_draft_only_entity_has_no_page_until_published(world, client):
    """An entity mentioned only by a draft is a 404 until the draft is published."""
    url = f"/entities/{world['draft_entity']}/"
    assert client.get(url).status_code == 404
    draft = Annotation.objects.get(pk=world["draft"])
    draft.status = Annotation.Status.PUBLISHED
    draft.save()
    page = client.get(url).content.decode()
    assert "Nvidia" in page and 'class="mentions"' in page


def test_article_list_counts_only_published_annotations(world, client):
    """The article list says one annotation: not the draft, the orphan or the changed one."""
    page = " ".join(client.get("/").content.decode().split())
    assert "1 Anmerkung" in page or "1 annotation" in page  # German interface by default


def test_security_md_documents_the_matrix():
    """SECURITY.md shows exactly the table the matrix test checks."""
    security = (BASE_DIR / "SECURITY.md").read_text(encoding="utf-8")
    assert markdown_table() in security, (
        "Paste tests.support.access.markdown_table() into SECURITY.md"
    )
