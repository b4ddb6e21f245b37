"""The world of the reading page's stamp tests (``tests/test_invalidation*.py``), and edits of it.

``make_reader_article`` (each module's ``article`` fixture): one paragraph with a published
annotation, a draft and an orphan. ``HIDDEN_EDITS`` change only what readers cannot see;
``VISIBLE_EDITS`` change what they see. A page that comes to show more data adds a case here.
"""

from taggit.models import Tag

from articleapp import importer, suggestions
from articleapp.models import Annotation, Entity
from tests.support.factories import annotate_quote, make_article, make_entity, make_user
from tests.support.pages import get_counting_queries

TEXT = "Microsoft investiert in Mistral, sagt Nvidia."
PUBLISHED, DRAFT = Annotation.Status.PUBLISHED, Annotation.Status.DRAFT
ORPHANED = Annotation.AnchorStatus.ORPHANED


def make_reader_article():
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


def edit_entity_gazetteer_rules(article):
    microsoft = Entity.objects.get(slug="microsoft")
    microsoft.is_ambiguous = True
    microsoft.ambiguity_note = "auch ein Wort"
    microsoft.not_before = "Firma"
    microsoft.not_after = "Office"
    microsoft.save()
    return "auch ein Wort"


def edit_annotation_provenance(article):
    annotation = published()
    annotation.confidence, annotation.reason = Annotation.Confidence.LOW, "alias"
    annotation.matched_form = "Microsofts"
    annotation.author = make_user(username="zweite-redakteurin")
    annotation.save()
    return "zweite-redakteurin"


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
    edit_entity_gazetteer_rules,
    edit_annotation_provenance,
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
