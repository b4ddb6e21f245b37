"""Every XSS payload of the corpus, in every text field, rendered harmless on every page.

One set of hostile data is built once for the module: for each payload an article (title, kicker,
byline, source name, paragraph), an entity (name, description, alias, tag), a published
annotation over the payload (comment, tag) by a user whose name is the payload, and a superuser
whose own name is hostile too. Each page that shows the data is parsed and checked by
``tests.xss.unsafe_markup``; escaped fields must also show the payload as text, verbatim.
"""

import csv
import io
import json
import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from articleapp.exports.csv import unneutralise
from articleapp.models import Annotation, Article, Entity, EntityAlias, Paragraph
from tests.html import visible_text
from tests.xss import PAYLOADS, unsafe_markup

pytestmark = pytest.mark.django_db

ADMIN_FORM_STRIDE = 16


def fit(text, model, field):
    return text[: model._meta.get_field(field).max_length]


def tag_name(index):
    return f"{index} {PAYLOADS[index]}"[: Tag._meta.get_field("name").max_length]


def username(index):
    return f"{index}{PAYLOADS[index]}"[: get_user_model()._meta.get_field("username").max_length]


def paragraph_text(index):
    return unicodedata.normalize("NFC", f"Absatz {index}: {PAYLOADS[index]}")


def build_hostile_data():
    User = get_user_model()
    authors = User.objects.bulk_create(
        [User(username=username(index), is_active=True) for index in range(len(PAYLOADS))]
    )
    viewer = User.objects.create_superuser(
        username='"><img src=x onerror=alert(1)>', password="a-long-test-passphrase"
    )
    articles = Article.objects.bulk_create(
        [
            Article(
                slug=f"xss-{index}",
                title=fit(payload, Article, "title"),
                kicker=fit(payload, Article, "kicker"),
                byline=fit(payload, Article, "byline"),
                source_name=fit(payload, Article, "source_name"),
                source_url="https://example.org/quelle",
            )
            for index, payload in enumerate(PAYLOADS)
        ]
    )
    paragraphs = Paragraph.objects.bulk_create(
        [
            Paragraph(article=article, position=1, text=paragraph_text(index))
            for index, article in enumerate(articles)
        ]
    )
    entities = Entity.objects.bulk_create(
        [
            Entity(
                slug=f"xss-{index}",
                name=fit(payload, Entity, "name"),
                description=payload,
                kind=Entity.Kind.OTHER,
            )
            for index, payload in enumerate(PAYLOADS)
        ]
    )
    EntityAlias.objects.bulk_create(
        [
            EntityAlias(entity=entity, name=fit(f"alias {payload}", EntityAlias, "name"))
            for entity, payload in zip(entities, PAYLOADS, strict=True)
        ]
    )
    annotations = []
    for index, paragraph in enumerate(paragraphs):
        start = paragraph.text.index(":") + 2
        annotation = Annotation(
            paragraph=paragraph,
            start=start,
            end=len(paragraph.text),
            entity=entities[index],
            comment=PAYLOADS[index],
            status=Annotation.Status.PUBLISHED,
            author=authors[index],
        )
        annotation.anchor_in(paragraph.text)
        annotations.append(annotation)
    annotations = Annotation.objects.bulk_create(annotations)
    tags = Tag.objects.bulk_create(
        [Tag(name=tag_name(index), slug=f"xss-{index}") for index in range(len(PAYLOADS))]
    )
    entity_type = ContentType.objects.get_for_model(Entity)
    annotation_type = ContentType.objects.get_for_model(Annotation)
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(tag=tag, content_type=content_type, object_id=obj.pk)
            for tag, entity, annotation in zip(tags, entities, annotations, strict=True)
            for content_type, obj in [(entity_type, entity), (annotation_type, annotation)]
        ]
    )
    return {
        "viewer": viewer,
        "articles": articles,
        "entities": entities,
        "annotations": annotations,
    }


@pytest.fixture(scope="module")
def hostile(django_db_setup, django_db_blocker):
    """The hostile data set, committed once for the module and removed afterwards."""
    with django_db_blocker.unblock():
        data = build_hostile_data()
        yield data
        Annotation.objects.filter(paragraph__article__slug__startswith="xss-").delete()
        Article.objects.filter(slug__startswith="xss-").delete()
        Entity.objects.filter(slug__startswith="xss-").delete()
        Tag.objects.filter(slug__startswith="xss-").delete()
        get_user_model().objects.all().delete()


@pytest.fixture
def viewer_client(client, hostile):
    client.force_login(hostile["viewer"])
    return client


def checked_page(client, url):
    """GET ``url``, expect 200, and fail with the first unsafe markup found."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    problems = unsafe_markup(page)
    assert problems == [], f"{url}: {problems[:5]}"
    return page


def normalised(text):
    return " ".join(text.split())


def shown_text(page):
    """The page's visible text with whitespace runs collapsed, as a reader sees it."""
    return normalised(visible_text(page))


def test_corpus_is_large_and_varied():
    """At least 300 distinct payloads, covering the attack families the issue names."""
    assert len(PAYLOADS) >= 300
    joined = "\n".join(PAYLOADS).lower()
    for family in ["<script", "onerror=", "javascript:", "data:", "vbscript:", "<svg", "<math",
                   "&#106;", "&colon;", "{{", "{%", "<noscript", 'onmouseover="']:  # fmt: skip
        assert family in joined, family


def test_article_list_escapes_every_title_and_kicker(client, hostile):
    """The article list shows all hostile titles and kickers as text."""
    shown = shown_text(checked_page(client, reverse("articleapp:article-list")))
    for article in hostile["articles"]:
        assert normalised(article.title) in shown
        assert normalised(article.kicker) in shown


def test_reading_pages_escape_every_field(client, hostile):
    """Each reading page: title, kicker, byline, paragraph, entity and tag shown as text."""
    for index, article in enumerate(hostile["articles"]):
        page = checked_page(client, article.get_absolute_url())
        shown = shown_text(page)
        for text in [article.title, article.kicker, article.byline, paragraph_text(index),
                     hostile["entities"][index].name, tag_name(index)]:  # fmt: skip
            assert normalised(text) in shown, (index, text)
        assert normalised(article.title) in shown_text(page[: page.index("</head>")])


def test_entity_pages_escape_every_field(client, hostile):
    """Each entity page: name, description, alias, tag and the mention's article title as text."""
    for index, entity in enumerate(hostile["entities"]):
        shown = shown_text(checked_page(client, entity.get_absolute_url()))
        for text in [entity.name, entity.description, f"alias {PAYLOADS[index]}"[:200],
                     tag_name(index), hostile["articles"][index].title]:  # fmt: skip
            assert normalised(text) in shown, (index, text)


@pytest.mark.parametrize(
    ("model", "count"),
    [("articleapp/article", 391), ("articleapp/paragraph", 391), ("articleapp/entity", 391),
     ("articleapp/annotation", 391), ("auth/user", 392), ("taggit/tag", 391)],
)  # fmt: skip
def test_admin_changelists_escape_every_field(viewer_client, hostile, model, count):
    """Every page of each admin list shows the hostile values harmlessly."""
    pages = (count + 99) // 100
    for number in range(pages):
        checked_page(viewer_client, f"/admin/{model}/?p={number + 1}")
    search = checked_page(viewer_client, f"/admin/{model}/?q=%3Cscript%3E")
    assert "<script>alert(1)</script>" not in search


def test_admin_change_forms_escape_every_field(viewer_client, hostile):
    """Change forms of articles, entities and annotations (every 16th payload) are harmless.

    Admin forms escape through the same widgets for every value, and the lists above show every
    payload already; a sample keeps the suite fast.
    """
    for article, entity, annotation in list(
        zip(hostile["articles"], hostile["entities"], hostile["annotations"], strict=True)
    )[::ADMIN_FORM_STRIDE]:
        for obj in [article, entity, annotation]:
            opts = obj._meta
            checked_page(
                viewer_client,
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
            )


def test_admin_user_forms_and_header_escape_usernames(viewer_client, hostile):
    """User change forms (hostile usernames) and the admin header (hostile viewer) are harmless."""
    page = checked_page(viewer_client, reverse("admin:index"))
    assert normalised(hostile["viewer"].username) in shown_text(page)
    User = get_user_model()
    for user in User.objects.order_by("pk")[:: ADMIN_FORM_STRIDE * 2]:
        checked_page(viewer_client, reverse("admin:auth_user_change", args=[user.pk]))


def test_json_export_round_trips_every_value(viewer_client, hostile):
    """JSON export: valid JSON with application/json, every hostile value exactly as stored."""
    response = viewer_client.get("/export/annotations.json")
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = {row["id"]: row for row in json.loads(b"".join(response.streaming_content))}
    for index, annotation in enumerate(hostile["annotations"]):
        row = rows[annotation.pk]
        assert row["comment"] == PAYLOADS[index]
        assert row["entity"] == hostile["entities"][index].name
        assert row["tags"] == [tag_name(index)]
        assert row["author"] == username(index)


def test_csv_export_round_trips_and_neutralises_formulas(viewer_client, hostile):
    """CSV export: every value survives, and no cell starts a formula."""
    response = viewer_client.get("/export/annotations.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    rows = {int(row["id"]): row for row in csv.DictReader(io.StringIO(text))}
    for index, annotation in enumerate(hostile["annotations"]):
        row = rows[annotation.pk]
        assert unneutralise(row["comment"]) == PAYLOADS[index]
        assert unneutralise(row["author"]) == username(index)
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_checker_flags_the_raw_payloads():
    """Unescaped, most payloads are flagged: the check above would see a leak."""
    flagged = [payload for payload in PAYLOADS if unsafe_markup(f"<p>{payload}</p>")]
    html_payloads = [p for p in PAYLOADS if "<" in p and not p.startswith(("&lt;", "`", "["))]
    assert len(flagged) >= 200
    assert unsafe_markup('<a href="JaVaScRiPt:alert(1)">x</a>')
    assert unsafe_markup('<a href=" \x01java\tscript&#58;alert(1)">x</a>')
    assert unsafe_markup("<p onclick=alert(1)>x</p>")
    assert unsafe_markup("<script>alert(1)</script>")
    assert unsafe_markup('<input value="" onmouseover="alert(1)">')
    assert unsafe_markup("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>")
    assert len(flagged) >= 0.8 * len(html_payloads)
