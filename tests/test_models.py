import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articleapp.models import Annotation, Entity, Paragraph
from tests.support.factories import make_annotation, make_article, make_entity


@pytest.mark.django_db
class TestParagraph:
    def test_text_is_stored_in_nfc(self):
        """A decomposed umlaut is stored composed, so offsets count what readers see."""
        article = make_article(paragraphs=["Bu\u0308rger"])
        assert article.paragraphs.get().text == "Bürger"

    def test_position_is_unique_within_an_article(self):
        """Two paragraphs of one article cannot share a position."""
        article = make_article(paragraphs=["Eins."])
        with pytest.raises(IntegrityError), transaction.atomic():
            Paragraph.objects.create(article=article, position=1, text="Zwei.")

    def test_absolute_url_points_at_the_paragraph(self):
        """A paragraph's URL is the reading page with its fragment."""
        article = make_article(paragraphs=["Eins."])
        assert article.paragraphs.get().get_absolute_url() == f"/articles/{article.slug}/#p-1"


@pytest.mark.django_db
class TestEntity:
    @pytest.mark.parametrize("value", ["Q0", "Q01", "q2283", "Q", "2283", "Q2283 ", "Q-1"])
    def test_malformed_wikidata_id_is_a_validation_error(self, value):
        """clean() rejects a Wikidata ID that is not Q plus a number without leading zero."""
        entity = Entity(name="X", slug="x", kind=Entity.Kind.OTHER, wikidata_id=value)
        with pytest.raises(ValidationError) as error:
            entity.full_clean()
        assert "wikidata_id" in error.value.message_dict

    def test_malformed_wikidata_id_is_refused_by_the_database(self):
        """The check constraint holds even when Python validation is bypassed."""
        with pytest.raises(IntegrityError), transaction.atomic():
            Entity.objects.create(name="X", slug="x", wikidata_id="Q01")

    def test_valid_wikidata_id_and_empty_pass(self):
        """Q2283 and an empty ID are both accepted."""
        make_entity(wikidata_id="Q2283").full_clean()
        make_entity(wikidata_id="").full_clean()

    def test_wikidata_url(self):
        """The Wikidata link is built from the ID."""
        assert (
            make_entity(wikidata_id="Q2283").wikidata_url == "https://www.wikidata.org/wiki/Q2283"
        )

    def test_alias_is_unique_per_entity_ignoring_case(self):
        """The same alias twice on one entity is refused by the database."""
        entity = make_entity(aliases=["Mistral"])
        with pytest.raises(IntegrityError), transaction.atomic():
            entity.aliases.create(name="mistral")


@pytest.mark.django_db
class TestAnnotation:
    def test_anchor_in_captures_quote_and_context(self):
        """The quote and up to 32 characters either side are taken from the text."""
        paragraph = make_article(
            paragraphs=["Vorher " * 10 + "Mistral" + " nachher" * 10]
        ).paragraphs.get()
        start = paragraph.text.index("Mistral")
        annotation = make_annotation(paragraph, start, start + 7)
        assert annotation.quote == "Mistral"
        assert annotation.prefix == paragraph.text[start - 32 : start]
        assert annotation.suffix == paragraph.text[start + 7 : start + 39]

    @pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 2), (0, 99), (-1, 3)])
    def test_clean_rejects_offsets_outside_the_text_or_reversed(self, start, end):
        """clean() turns impossible offsets into a form error, not a crash."""
        paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
        annotation = Annotation(paragraph=paragraph, start=start, end=end)
        with pytest.raises(ValidationError):
            annotation.full_clean()

    @pytest.mark.parametrize(
        ("start", "end", "quote"),
        [(5, 5, ""), (6, 2, "x"), (3, 5, "abc")],
    )
    def test_database_rejects_reversed_empty_or_mismatched_spans(self, start, end, quote):
        """Check constraints refuse start >= end and a quote whose length is not end - start."""
        paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
        with pytest.raises(IntegrityError), transaction.atomic():
            Annotation.objects.create(paragraph=paragraph, start=start, end=end, quote=quote)

    def test_database_rejects_negative_start(self):
        """A negative offset never reaches the table."""
        paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
        with pytest.raises(IntegrityError), transaction.atomic():
            Annotation.objects.create(paragraph=paragraph, start=-1, end=2, quote="abc")

    def test_same_entity_on_the_same_span_only_once(self):
        """One entity is linked to one span at most once."""
        paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
        entity = make_entity()
        make_annotation(paragraph, 0, 7, entity=entity)
        with pytest.raises(IntegrityError), transaction.atomic():
            make_annotation(paragraph, 0, 7, entity=entity)

    def test_published_queryset(self):
        """published() returns published annotations only."""
        paragraph = make_article(paragraphs=["Mistral AI"]).paragraphs.get()
        shown = make_annotation(paragraph, 0, 7)
        make_annotation(paragraph, 8, 10, status=Annotation.Status.DRAFT)
        assert list(Annotation.objects.published()) == [shown]

    def test_str_and_absolute_url(self):
        """An annotation names its quote and links to its card on the reading page."""
        article = make_article(paragraphs=["Mistral AI"])
        annotation = make_annotation(article.paragraphs.get(), 0, 7)
        assert "Mistral" in str(annotation)
        assert annotation.get_absolute_url() == f"/articles/{article.slug}/#a-{annotation.pk}"

    def test_astral_characters_count_as_one_code_point(self):
        """Offsets count code points: an emoji before the span is one position."""
        paragraph = make_article(paragraphs=["😀 Mistral"]).paragraphs.get()
        annotation = make_annotation(paragraph, 2, 9)
        annotation.refresh_from_db()
        assert annotation.quote == "Mistral"


@pytest.mark.django_db
class TestPublished:
    def test_excludes_drafts_and_orphans(self):
        """published() shows published, anchored annotations only."""
        paragraph = make_article(paragraphs=["Mistral AI baut."]).paragraphs.get()
        shown = make_annotation(paragraph, 0, 7)
        make_annotation(paragraph, 0, 10, status=Annotation.Status.DRAFT)
        orphan = make_annotation(paragraph, 11, 15)
        orphan.anchor_status = Annotation.AnchorStatus.ORPHANED
        orphan.save()
        assert list(Annotation.objects.published()) == [shown]

    def test_rechecks_the_text_at_the_offsets(self):
        """An annotation whose paragraph no longer holds its words there is hidden."""
        paragraph = make_article(paragraphs=["Mistral AI baut."]).paragraphs.get()
        make_annotation(paragraph, 0, 7)
        Paragraph.objects.filter(pk=paragraph.pk).update(text="Nvidia AI baut.")
        assert not Annotation.objects.published().exists()

    def test_counts_code_points_like_python(self):
        """The database check counts astral characters as one, as the offsets do."""
        paragraph = make_article(paragraphs=["🙂🙂 Mistral 🙂 AI"]).paragraphs.get()
        make_annotation(paragraph, 3, 10)
        make_annotation(paragraph, 13, 15)
        assert Annotation.objects.published().count() == 2

    def test_publishing_pins_the_quote_and_drafting_clears_it(self):
        """published_quote is the quote when published and empty for a draft."""
        paragraph = make_article(paragraphs=["Mistral AI baut."]).paragraphs.get()
        annotation = make_annotation(paragraph, 0, 7, status=Annotation.Status.DRAFT)
        assert annotation.published_quote == ""
        annotation.status = Annotation.Status.PUBLISHED
        annotation.save()
        assert annotation.published_quote == "Mistral"


def test_kind_display_is_the_label_in_the_interface_language():
    """get_kind_display names the kind in German or English, capitalised as it stands alone;
    an unknown stored value is shown as stored (capitalised too)."""
    from django.utils import translation

    entity = Entity(name="Paris", slug="paris", kind=Entity.Kind.PLACE)
    with translation.override("de"):
        assert str(entity.get_kind_display()) == "Ort"
    with translation.override("en"):
        assert str(entity.get_kind_display()) == "Place"
    assert Entity(kind="legacy-kind").get_kind_display() == "Legacy-kind"


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["../../zipslip", "a/b", "mit leerzeichen", "bürger", "ok\n", ""])
def test_database_refuses_slugs_that_are_not_slugs(slug):
    """Articles and entities: the slug check constraint holds even past the forms."""
    from articleapp.models import Article

    for create in [
        lambda: Article.objects.create(slug=slug, title="Titel"),
        lambda: Entity.objects.create(slug=slug, name="Name"),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            create()


@pytest.mark.django_db
def test_public_entities_are_mentioned_in_public_or_marked_public():
    """public(): a published mention or the editor's mark; a draft, an orphan or a mention
    whose words changed does not make an entity public."""
    article = make_article(paragraphs=["Mistral und Nvidia und Intel und Arm."])
    paragraph = article.paragraphs.get()
    entities = {name: make_entity(name) for name in ["Mistral", "Nvidia", "Intel", "Arm", "Leer"]}
    make_annotation(paragraph, 0, 7, entity=entities["Mistral"])
    make_annotation(paragraph, 12, 18, entity=entities["Nvidia"], status=Annotation.Status.DRAFT)
    orphan = make_annotation(paragraph, 23, 28, entity=entities["Intel"])
    Annotation.objects.filter(pk=orphan.pk).update(anchor_status=Annotation.AnchorStatus.ORPHANED)
    Entity.objects.filter(pk=entities["Arm"].pk).update(is_public=True)
    public = set(Entity.objects.public().values_list("name", flat=True))
    assert public == {"Mistral", "Arm"}


@pytest.mark.django_db
class TestArticleSource:
    def test_two_articles_cannot_share_a_source_url(self):
        """Each source page is one article: the database refuses a second, the form says why."""
        make_article(source_url="https://example.org/artikel")
        second = make_article(paragraphs=[])
        second.source_url = "https://example.org/artikel"
        with pytest.raises(ValidationError, match="jede Quellseite ist ein Artikel"):
            second.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            second.save()

    def test_many_articles_have_no_source_url(self):
        """An empty source URL is no source: any number of articles may have none."""
        make_article(source_url="")
        make_article(source_url="")
