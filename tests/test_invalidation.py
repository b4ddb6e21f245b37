"""The reading page's stamp (its ETag and page cache key) moves when what readers see changes,
and only then, whichever way the write is made (``articleapp/invalidation.py``)."""

import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from taggit.models import Tag

from articleapp import importer, invalidation, related, suggestions
from articleapp.models import Annotation, Article, ArticleEntity, Entity
from tests.support.factories import annotate_quote, make_article, make_entity, make_user
from tests.support.forms import form_fields
from tests.support.pages import get_counting_queries

TEXT = "Microsoft investiert in Mistral, sagt Nvidia."
PUBLISHED, DRAFT = Annotation.Status.PUBLISHED, Annotation.Status.DRAFT
ORPHANED = Annotation.AnchorStatus.ORPHANED


@pytest.fixture
def article(db):
    """One paragraph: a published Microsoft annotation tagged Cloud, a draft naming Nvidia (an
    entity no published annotation names) tagged Entwurf, and an orphaned comment on Mistral."""
    article = make_article(paragraphs=[TEXT])
    paragraph = article.paragraphs.get()
    microsoft = make_entity(name="Microsoft", slug="microsoft", wikidata_id="Q2283")
    annotate_quote(paragraph, "Microsoft", entity=microsoft, comment="Erste Notiz", tags=["Cloud"])
    nvidia = make_entity(name="Nvidia", slug="nvidia")
    annotate_quote(
        paragraph, "Nvidia", entity=nvidia, comment="Entwurfsnotiz", tags=["Entwurf"], status=DRAFT
    )
    annotate_quote(paragraph, "Mistral", comment="Verwaiste Notiz", anchor_status=ORPHANED)
    return article


def published():
    return Annotation.objects.get(comment="Erste Notiz")


def draft():
    return Annotation.objects.get(comment="Entwurfsnotiz")


def orphan():
    return Annotation.objects.get(comment="Verwaiste Notiz")


def get_page(client, article, **headers):
    return get_counting_queries(client, article.get_absolute_url(), **headers)


# Edits readers cannot see: each returns a text that must not appear on the page.


def create_draft(article):
    annotate_quote(article.paragraphs.get(), "investiert", comment="Neuer Entwurf", status=DRAFT)
    return "Neuer Entwurf"


def edit_draft_comment(article):
    annotation = draft()
    annotation.comment = "Geänderter Entwurf"
    annotation.save()
    return "Geänderter Entwurf"


def set_draft_tags(article):
    draft().tags.set(["Geheimprojekt"])
    return "Geheimprojekt"


def rename_tag_only_drafts_carry(article):
    tag = Tag.objects.get(name="Entwurf")
    tag.name = "Geheimsache"
    tag.save()
    return "Geheimsache"


def rename_entity_only_drafts_name(article):
    entity = Entity.objects.get(slug="nvidia")
    entity.name = "Nvidia Geheim"
    entity.save()
    return "Nvidia Geheim"


def edit_orphan_comment(article):
    annotation = orphan()
    annotation.comment = "Verwaist und geändert"
    annotation.save()
    return "Verwaist und geändert"


def delete_draft(article):
    draft().delete()
    return "Entwurfsnotiz"


def create_unused_entity(article):
    make_entity(name="Unbenutzte Entität")
    return "Unbenutzte Entität"


def resave_published_unchanged(article):
    published().save()  # its version and updated_at move, nothing readers see
    return "Entwurfsnotiz"


def resave_article_unchanged(article):
    article.save()
    return "Entwurfsnotiz"


def reimport_unchanged(article):
    reimport(article, TEXT)
    return "Aktualisiert am"


def suggest_from_gazetteer(article):
    make_entity(name="Mistral", slug="mistral")
    report = suggestions.suggest(article)
    assert report.created == 1
    return "Mistral</a>"


HIDDEN_EDITS = [
    create_draft,
    edit_draft_comment,
    set_draft_tags,
    rename_tag_only_drafts_carry,
    rename_entity_only_drafts_name,
    edit_orphan_comment,
    delete_draft,
    create_unused_entity,
    resave_published_unchanged,
    resave_article_unchanged,
    reimport_unchanged,
    suggest_from_gazetteer,
]


# Edits readers see: each returns a text the page must now show, or "!text" it must not.


def edit_article_title(article):
    article.title = "Geänderter Titel"
    article.save()
    return "Geänderter Titel"


def edit_paragraph_text(article):
    paragraph = article.paragraphs.get()
    paragraph.text = paragraph.text.replace("sagt Nvidia", "meldet Nvidia")
    paragraph.save()
    return "meldet Nvidia"


def edit_annotation_comment(article):
    annotation = published()
    annotation.comment = "Zweite Notiz"
    annotation.save()
    return "Zweite Notiz"


def add_annotation(article):
    annotate_quote(article.paragraphs.get(), "sagt", comment="Neue Anmerkung")
    return "Neue Anmerkung"


def delete_annotation(article):
    published().delete()
    return "!Erste Notiz"


def unpublish_annotation(article):
    annotation = published()
    annotation.status = DRAFT
    annotation.save()
    return "!Erste Notiz"


def publish_draft(article):
    annotation = draft()
    annotation.status = PUBLISHED
    annotation.save()
    return "Entwurfsnotiz"


def set_annotation_tags(article):
    published().tags.set(["Rechenzentren"])
    return "Rechenzentren"


def rename_entity(article):
    entity = Entity.objects.get(slug="microsoft")
    entity.name = "Microsoft Corporation"
    entity.save()
    return "Microsoft Corporation"


def rename_tag(article):
    tag = Tag.objects.get(name="Cloud")
    tag.name = "Wolke"
    tag.save()
    return "Wolke"


def delete_tag(article):
    Tag.objects.get(name="Cloud").delete()
    return "!Cloud"


def reattach_orphan(article):
    annotation = orphan()
    annotation.anchor_status = Annotation.AnchorStatus.ANCHORED
    annotation.save()
    return "Verwaiste Notiz"


def reimport(article, *texts):
    parsed = importer.ParsedArticle(
        kicker=article.kicker, title=article.title, byline=article.byline, paragraphs=texts
    )
    importer.save(parsed, slug=article.slug)


def reimport_with_edit(article):
    reimport(article, TEXT + " Das meldet die dpa.")
    return "Das meldet die dpa."


def reimport_is_dated(article):
    reimport(article, TEXT.replace("sagt", "meldet"))
    return "Aktualisiert am"


VISIBLE_EDITS = [
    edit_article_title,
    edit_paragraph_text,
    edit_annotation_comment,
    add_annotation,
    delete_annotation,
    unpublish_annotation,
    publish_draft,
    set_annotation_tags,
    rename_entity,
    rename_tag,
    delete_tag,
    reattach_orphan,
    reimport_with_edit,
    reimport_is_dated,
]


def assert_shows(response, expected):
    content = response.content.decode()
    assert response.status_code == 200
    if expected.startswith("!"):
        assert expected[1:] not in content
    else:
        assert expected in content


@pytest.mark.django_db
@pytest.mark.parametrize("edit", VISIBLE_EDITS)
def test_an_edit_readers_see_moves_the_stamp(client, article, page_cache, edit):
    """Each kind of edit the page shows is on the next view, not the cached page."""
    before = get_page(client, article)
    assert get_page(client, article).query_count == 0  # the page is cached now
    expected = edit(article)
    after = get_page(client, article)
    assert after["ETag"] != before["ETag"]
    assert_shows(after, expected)
    assert get_page(client, article, if_none_match=before["ETag"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("edit", HIDDEN_EDITS)
def test_an_edit_readers_cannot_see_keeps_the_stamp(client, article, page_cache, edit):
    """Drafts, orphans and what only they use change behind the page: a reader polling HEAD
    with the ETag gets 304 and the same ETag, and the page is the same."""
    before = get_page(client, article)
    hidden = edit(article)
    polled = get_page(client, article, method="head", if_none_match=before["ETag"])
    assert polled.status_code == 304
    assert polled["ETag"] == before["ETag"]
    after = get_page(client, article)
    assert after["ETag"] == before["ETag"]
    assert after.content == before.content
    assert hidden not in after.content.decode()


@pytest.mark.django_db
@override_settings(PAGE_CACHE_SECONDS=0)
@pytest.mark.parametrize("edit", HIDDEN_EDITS + VISIBLE_EDITS)
def test_the_stamp_moves_exactly_when_the_rendered_page_changes(client, article, edit):
    """With the page cache off, every page is rendered: the ETag changes if and only if the
    bytes a reader gets change."""
    before = get_page(client, article)
    edit(article)
    after = get_page(client, article)
    assert (after["ETag"] != before["ETag"]) == (after.content != before.content)


# Every write path, through real requests with the CSRF check on, reaches readers at once.


@pytest.fixture
def reader(article, page_cache):
    """An anonymous reader's client whose page is in the page cache now."""
    reader = Client()
    get_page(reader, article)
    assert get_page(reader, article).query_count == 0
    return reader


@pytest.fixture
def editor(db):
    """A superuser's client that checks CSRF as browsers make it."""
    editor = Client(enforce_csrf_checks=True)
    editor.force_login(make_user(is_staff=True, is_superuser=True))
    return editor


def submit(client, url, form_id=None, post_to=None, **changes):
    """GET ``url``, fill in its form as a browser would, change fields, POST it; expect 302."""
    page = client.get(url)
    assert page.status_code == 200, url
    fields = {}
    for name, value in form_fields(page.content.decode(), form_id):
        fields.setdefault(name, []).append(value)
    fields.update({name: [str(value)] for name, value in changes.items()})
    response = client.post(post_to or url, fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def csrf_token(client, url):
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def change_url(obj):
    return reverse(f"admin:articleapp_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.django_db
def test_admin_change_form_reaches_readers(reader, editor, article):
    """An editor's save in the annotation's change form is on the reader's next view."""
    submit(editor, change_url(published()), "annotation_form", comment="Im Admin geändert")
    assert_shows(get_page(reader, article), "Im Admin geändert")


@pytest.mark.django_db
def test_annotate_page_reaches_readers(reader, editor, article):
    """A published annotation made on the Annotate page is on the reader's next view."""
    url = reverse("admin:articleapp_article_annotate", args=[article.pk])
    paragraph = article.paragraphs.get()
    start = paragraph.text.index("sagt")
    response = editor.post(
        url,
        {
            "csrfmiddlewaretoken": csrf_token(editor, url),
            "paragraph": paragraph.pk,
            "start": start,
            "end": start + len("sagt"),
            "quote": "sagt",
            "entity": "",
            "tags": "",
            "comment": "Auf der Annotate-Seite",
            "status": PUBLISHED,
        },
    )
    assert response.status_code == 302
    assert_shows(get_page(reader, article), "Auf der Annotate-Seite")


@pytest.mark.django_db
def test_admin_publish_action_reaches_readers(reader, editor, article):
    """The changelist's Publish action on a draft is on the reader's next view."""
    url = reverse("admin:articleapp_annotation_changelist")
    submit(editor, url, "changelist-form", action="publish", _selected_action=draft().pk)
    assert draft().is_published
    assert_shows(get_page(reader, article), "Entwurfsnotiz")


@pytest.mark.django_db
def test_review_accept_button_reaches_readers(reader, editor, article):
    """Accepting a suggestion on the review list publishes it on the reader's next view."""
    suggestion = draft()
    Annotation.objects.filter(pk=suggestion.pk).update(is_suggestion=True)
    url = reverse("admin:articleapp_suggestedannotation_changelist")
    accept = reverse("admin:articleapp_suggestedannotation_accept", args=[suggestion.pk])
    submit(editor, url, "changelist-form", post_to=accept)
    assert draft().is_published
    assert_shows(get_page(reader, article), "Nvidia")
    assert_shows(get_page(reader, article), "Entwurfsnotiz")


@pytest.mark.django_db
def test_history_restore_reaches_readers(reader, editor, article):
    """Restoring an earlier version from the history brings its comment back for readers."""
    annotation = published()
    first_version = annotation.history.earliest("history_id")
    submit(editor, change_url(annotation), "annotation_form", comment="Zwischenstand")
    assert_shows(get_page(reader, article), "Zwischenstand")
    url = reverse(
        "admin:articleapp_annotation_simple_history",
        args=[annotation.pk, first_version.history_id],
    )
    submit(editor, url, "historicalannotation_form")
    annotation.refresh_from_db()
    assert annotation.comment == "Erste Notiz"
    assert_shows(get_page(reader, article), "Erste Notiz")


@pytest.mark.django_db
def test_admin_delete_of_the_article_reaches_readers(reader, editor, article):
    """An article deleted in the admin is a 404 for the reader at once, not its cached page;
    its paragraphs and annotations go with it without a digest each."""
    url = reverse("admin:articleapp_article_delete", args=[article.pk])
    digests = mock.patch.object(invalidation, "content_digests", wraps=invalidation.content_digests)
    with digests as spy:
        submit(editor, url, post_to=url, post="yes")
    assert not Article.objects.filter(pk=article.pk).exists()
    assert spy.call_count == 0
    response = reader.get(article.get_absolute_url())
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", ["json", "w3c"])
def test_imported_annotations_reach_readers(reader, article, tmp_path, export_format):
    """Annotations imported from an export (written without model signals) are on the
    reader's next view, with or without tags."""
    orphan().delete()
    annotation = published()
    annotation.tags.clear()
    path = tmp_path / f"export.{export_format}"
    call_command(
        "export_annotations",
        "--format",
        export_format,
        "--article",
        article.slug,
        "--status",
        "published",
        "--output",
        str(path),
        verbosity=0,
    )
    annotation.delete()
    assert_shows(get_page(reader, article), "!Erste Notiz")
    assert get_page(reader, article).query_count == 0
    call_command("import_annotations", str(path), "--status", PUBLISHED, verbosity=0)
    assert_shows(get_page(reader, article), "Erste Notiz")


@pytest.mark.django_db
def test_reimported_article_reaches_readers(reader, article, tmp_path):
    """``import_article`` on an existing slug puts the new text before readers at once."""
    path = tmp_path / "artikel.txt"
    path.write_text(
        f"{article.kicker}\n\n{article.title}\n\n{TEXT} Neu importiert.\n\n({article.byline})\n",
        encoding="utf-8",
    )
    call_command("import_article", str(path), "--slug", article.slug, verbosity=0)
    assert_shows(get_page(reader, article), "Neu importiert.")


# How the stamp is kept.


def stored(article):
    return Article.objects.values_list("reader_digest", "updated_at").get(pk=article.pk)


def expected_digest(article):
    """The reader digest ``article`` should have: its content, its related articles."""
    contents, _ = invalidation.content_digests([Article.objects.get(pk=article.pk)])
    related_part = related.related_parts([article.pk], "default")[article.pk]
    return invalidation.reader_digest(contents[article.pk], related_part)


@pytest.mark.django_db
def test_a_hidden_edit_writes_nothing_to_the_article(article):
    """A draft saved leaves the article's digest and ``updated_at`` as they were."""
    before = stored(article)
    edit_draft_comment(article)
    assert stored(article) == before


@pytest.mark.django_db
def test_deferred_touches_settle_once_at_the_end(article):
    """Inside ``deferred_touches`` the stamp waits; at the end it moves once, to the result."""
    before = stored(article)
    with invalidation.deferred_touches():
        edit_annotation_comment(article)
        publish_draft(article)
        assert stored(article) == before
    after = stored(article)
    assert after[0] != before[0] and after[1] > before[1]
    assert after[0] == expected_digest(article)


@pytest.mark.django_db
def test_deferred_touches_settle_nothing_when_the_write_fails(article):
    """A block that raises settles nothing; its transaction takes its writes back."""
    before = stored(article)
    with pytest.raises(RuntimeError), transaction.atomic(), invalidation.deferred_touches():
        edit_annotation_comment(article)
        raise RuntimeError("the import failed")
    assert stored(article) == before
    assert published().comment == "Erste Notiz"


@pytest.mark.django_db
def test_migrate_gives_articles_without_a_digest_theirs(article):
    """Articles stored before digests existed get one at ``migrate``, ``updated_at`` kept."""
    Article.objects.filter(pk=article.pk).update(
        reader_digest="", content_digest="", card_digest=""
    )
    ArticleEntity.objects.all().delete()
    updated_at = stored(article)[1]
    call_command("migrate", verbosity=0)
    digest, after = stored(article)
    assert after == updated_at
    assert digest == expected_digest(article)
    assert list(ArticleEntity.objects.values_list("entity__slug", "mentions")) == [("microsoft", 1)]


@pytest.mark.django_db
def test_an_edit_of_another_article_keeps_this_page_cached(client, article, page_cache):
    """Editing an unrelated article leaves this article's stamp and cached page alone."""
    etag = get_page(client, article)["ETag"]
    other = make_article(paragraphs=["Anderer Text."])
    annotate_quote(other.paragraphs.get(), "Anderer")
    response = get_page(client, article, if_none_match=etag)
    assert response.status_code == 304
