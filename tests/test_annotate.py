"""The Annotate page: selections to annotations, the form's order and wording, the typed
fallback without JavaScript, and the comment preview."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from articleapp.markdown import render_markdown
from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity, make_user
from tests.support.html import parse_html
from tests.support.pages import text

TEXT = "Mistral AI 🚀 baut mit Nvidia 🇫🇷 Rechenzentren."


def annotate_url(article, **query):
    url = reverse("admin:articleapp_article_annotate", args=[article.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def selection(paragraph, quote, **fields):
    start = paragraph.text.index(quote)
    return {
        "paragraph": paragraph.pk,
        "start": start,
        "end": start + len(quote),
        "quote": quote,
        "entity": "",
        "tags": "",
        "comment": "",
        "status": "draft",
        **fields,
    }


@pytest.fixture
def article(db):
    return make_article(paragraphs=[TEXT, "Zweiter Absatz über Paris."])


def form_errors(response):
    return response.context["form"].errors


def test_page_shows_paragraphs_highlights_and_form(admin_client, article):
    """The page lists each paragraph with its annotations highlighted and an empty form."""
    annotate_quote(article.paragraphs.get(position=1), "Nvidia")
    response = admin_client.get(annotate_url(article))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="rn-paragraph"') == 2
    assert 'data-annotation="' in html and "<mark" in html
    assert "annotate.js" in html and "<script>" not in html


def test_save_a_selection_with_entity_tags_and_comment(admin_client, admin_user, article):
    """A selection saved with entity, two tags and a comment stays on the page."""
    paragraph = article.paragraphs.get(position=1)
    entity = make_entity("Nvidia")
    response = admin_client.post(
        annotate_url(article),
        selection(
            paragraph,
            "Nvidia",
            entity=entity.pk,
            tags="Chips, USA",
            comment="**Lieferant**",
            status="published",
        ),
    )
    assert response.status_code == 302
    assert response.url.startswith(annotate_url(article))
    annotation = Annotation.objects.get()
    assert (annotation.quote, annotation.entity, annotation.author) == (
        "Nvidia",
        entity,
        admin_user,
    )
    assert set(annotation.tags.names()) == {"Chips", "USA"}
    assert list(Annotation.objects.published()) == [annotation]


def test_emoji_before_the_selection_keeps_code_point_offsets(admin_client, article):
    """Offsets after astral characters are stored in code points and match the quote."""
    paragraph = article.paragraphs.get(position=1)
    response = admin_client.post(annotate_url(article), selection(paragraph, "Rechenzentren"))
    assert response.status_code == 302
    annotation = Annotation.objects.get()
    assert paragraph.text[annotation.start : annotation.end] == "Rechenzentren"
    assert annotation.start == TEXT.index("Rechenzentren")


def test_utf16_offsets_are_a_form_error(admin_client, article):
    """Offsets counted in UTF-16 units (not converted) do not match the quote: a form error."""
    paragraph = article.paragraphs.get(position=1)
    data = selection(paragraph, "Rechenzentren")
    data["start"] += 3
    data["end"] += 3
    response = admin_client.post(annotate_url(article), data)
    assert response.status_code == 200
    assert "quote" in form_errors(response)
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": 5, "end": 5}, "end"),
        ({"start": 9, "end": 2}, "end"),
        ({"start": 0, "end": 999}, "end"),
        ({"quote": ""}, "quote"),
        ({"quote": "Mistral KI"}, "quote"),
        ({"paragraph": ""}, "paragraph"),
        ({"start": ""}, "start"),
    ],
    ids=["empty", "reversed", "outside", "no-quote", "other-quote", "no-paragraph", "no-start"],
)
def test_bad_selections_are_form_errors(admin_client, article, change, field):
    """Every malformed selection re-shows the form with an error and stores nothing."""
    paragraph = article.paragraphs.get(position=1)
    response = admin_client.post(
        annotate_url(article), {**selection(paragraph, "Mistral AI"), **change}
    )
    assert response.status_code == 200
    assert field in form_errors(response)
    assert not Annotation.objects.exists()


def test_paragraph_of_another_article_is_a_form_error(admin_client, article):
    """A paragraph id from another article is refused."""
    other = make_article(paragraphs=[TEXT]).paragraphs.get()
    response = admin_client.post(annotate_url(article), selection(other, "Mistral AI"))
    assert response.status_code == 200
    assert "paragraph" in form_errors(response)


def test_edit_and_delete_an_annotation(admin_client, article):
    """?annotation= opens an annotation; saving edits it, Delete removes it."""
    annotation = annotate_quote(article.paragraphs.get(position=1), "Nvidia")
    page = admin_client.get(annotate_url(article, annotation=annotation.pk))
    assert page.context["editing"] == annotation
    data = {
        **selection(annotation.paragraph, "Nvidia", comment="neu", status="published"),
        "version": annotation.version,
    }
    response = admin_client.post(annotate_url(article, annotation=annotation.pk), data)
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.comment == "neu"
    response = admin_client.post(
        annotate_url(article, annotation=annotation.pk),
        {"delete": "1", "version": annotation.version},
    )
    assert response.status_code == 200  # asks first
    assert "„Nvidia“ löschen? Es ist veröffentlicht" in text(response)
    assert Annotation.objects.exists()
    response = admin_client.post(
        annotate_url(article, annotation=annotation.pk),
        {"delete": "Ja, löschen", "delete_confirmed": "1", "version": annotation.version},
    )
    assert response.status_code == 302
    assert not Annotation.objects.exists()


def test_reattach_an_orphan_by_selecting_its_words(admin_client, article):
    """An orphan saved with a new selection is anchored again and published."""
    paragraph = article.paragraphs.get(position=1)
    annotation = annotate_quote(paragraph, "Nvidia")
    annotation.anchor_status = Annotation.AnchorStatus.ORPHANED
    annotation.save()
    other = article.paragraphs.get(position=2)
    data = {**selection(other, "Paris", status="published"), "version": annotation.version}
    response = admin_client.post(annotate_url(article, annotation=annotation.pk), data)
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert (annotation.quote, annotation.paragraph, annotation.anchor_status) == (
        "Paris",
        other,
        Annotation.AnchorStatus.ANCHORED,
    )
    assert list(Annotation.objects.published()) == [annotation]


def test_conflict_on_the_annotate_page(admin_client, article):
    """Saving an annotation someone changed meanwhile shows the conflict and keeps theirs."""
    annotation = annotate_quote(article.paragraphs.get(position=1), "Nvidia")
    opened_at = annotation.version
    annotation.comment = "von Bea"
    annotation.save()
    data = {**selection(annotation.paragraph, "Nvidia", comment="meins"), "version": opened_at}
    response = admin_client.post(annotate_url(article, annotation=annotation.pk), data)
    assert response.status_code == 200
    assert "während Sie daran gearbeitet haben" in str(form_errors(response))
    response = admin_client.post(
        annotate_url(article, annotation=annotation.pk),
        {"delete": "1", "delete_confirmed": "1", "version": opened_at},
    )
    annotation.refresh_from_db()
    assert annotation.comment == "von Bea"


def test_unknown_annotation_is_404(admin_client, article):
    """An unknown annotation id, or one of another article, is a 404 (malformed: a 400, below)."""
    other = make_article(paragraphs=["Nvidia anderswo."])
    foreign = annotate_quote(other.paragraphs.get(), "Nvidia")
    for pk in [999999, foreign.pk]:
        assert admin_client.get(annotate_url(article, annotation=pk)).status_code == 404


def test_unknown_article_is_404(admin_client, db):
    """An unknown article id is a 404."""
    assert (
        admin_client.get(reverse("admin:articleapp_article_annotate", args=["x"])).status_code
        == 404
    )
    missing = reverse("admin:articleapp_article_annotate", args=[999999])
    assert admin_client.get(missing).status_code == 404


def test_exporter_may_look_but_not_save(client, article):
    """A user without add permission cannot create an annotation there."""
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name="Exporters"))
    client.force_login(user)
    assert client.get(annotate_url(article)).status_code == 200
    paragraph = article.paragraphs.get(position=1)
    assert client.post(annotate_url(article), selection(paragraph, "Nvidia")).status_code == 403
    assert not Annotation.objects.exists()


def test_exporter_sees_an_annotation_read_only(client, article):
    """A view-only user opens an annotation: its values in disabled fields, no Save button."""
    annotation = annotate_quote(article.paragraphs.get(position=1), "Nvidia", comment="Chips")
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name="Exporters"))
    client.force_login(user)
    response = client.get(annotate_url(article, annotation=annotation.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.fields and all(field.disabled for field in form.fields.values())
    assert form["comment"].value() == "Chips"
    assert 'name="save"' not in response.content.decode()


@pytest.mark.parametrize(
    ("value", "status"),
    [("%C2%B2", 400), ("-1", 400), ("0", 400), ("9" * 30, 400), ("abc", 400), ("999999", 404)],
)
def test_malformed_annotation_id_is_a_400(admin_client, article, value, status):
    """``?annotation=²`` is a 400 (it was a 500: "²".isdigit() is true, int("²") fails); an id
    that is well formed but unknown is a 404."""
    assert admin_client.get(annotate_url(article, annotation=value)).status_code == status


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_page_has_the_admins_styles_and_not_the_sites(admin_client, article):
    """The page loads the admin's form styles and its own sheet, never the public site.css."""
    html = admin_client.get(annotate_url(article)).content.decode()
    sheets = [attrs["href"] for tag, attrs in parse_html(html).elements if tag == "link"]
    assert any(href.endswith("admin/css/forms.css") for href in sheets)
    assert any(href.endswith("articleapp/admin/annotate.css") for href in sheets)
    assert not any("site.css" in href or "articleapp/css/" in href for href in sheets)


def test_form_asks_entity_tags_comment_status_after_the_selection(admin_client, article):
    """The selection's fields come first (the script replaces them by a line), then entity,
    tags, comment and status, in the order an editor decides them."""
    html = admin_client.get(annotate_url(article)).content.decode()
    form = html[html.index('id="annotation-form"') :]
    names = ["paragraph", "start", "end", "quote", "entity", "tags", "comment", "status"]
    positions = [form.index(f'name="{name}"') for name in names]
    assert positions == sorted(positions)
    fields = form[form.index('id="selection-fields"') : form.index("</fieldset>")]
    assert all(f'name="{name}"' in fields for name in names[:4])
    assert 'id="add_id_entity"' in form  # the admin's + to create an entity in a popup
    assert 'class="admin-autocomplete' in form


@pytest.mark.parametrize(
    ("language", "line", "quote", "empty"),
    [
        (
            "de",
            "¶%(position)s, Zeichen %(start)s–%(end)s: %(quote)s",
            "„%(text)s“",
            "Noch keine Wörter ausgewählt",
        ),
        (
            "en",
            "¶%(position)s, characters %(start)s–%(end)s: %(quote)s",
            "“%(text)s”",
            "No words selected yet",
        ),
    ],
)
def test_the_selection_line_is_in_the_interface_language(
    client, admin_user, article, language, line, quote, empty
):
    """The script's pattern for "¶6, characters 120–134: “…”" comes translated."""
    client.force_login(admin_user)
    html = in_language(client, language).get(annotate_url(article)).content.decode()
    summary = next(
        attrs for tag, attrs in parse_html(html).elements if attrs.get("id") == "selection-summary"
    )
    assert (summary["data-format"], summary["data-quote"]) == (line, quote)
    assert summary["data-empty"].startswith(empty)


def test_words_typed_without_javascript_find_their_offsets(admin_client, article):
    """Without the script an editor chooses the paragraph and types the words: words that
    occur once need no offsets."""
    paragraph = article.paragraphs.get(position=1)
    data = {**selection(paragraph, "Nvidia"), "start": "", "end": ""}
    response = admin_client.post(annotate_url(article), data)
    assert response.status_code == 302
    annotation = Annotation.objects.get()
    assert (annotation.start, annotation.end) == (TEXT.index("Nvidia"), TEXT.index("Nvidia") + 6)


def test_a_start_alone_gives_the_end(admin_client, article):
    """Words typed with their start only end where the words end."""
    paragraph = article.paragraphs.get(position=1)
    data = {**selection(paragraph, "Rechenzentren"), "end": ""}
    assert admin_client.post(annotate_url(article), data).status_code == 302
    assert Annotation.objects.get().quote == "Rechenzentren"


@pytest.mark.parametrize(
    ("language", "change", "field", "message"),
    [
        ("de", {"quote": "Paris"}, "quote", "¶1 enthält „Paris“ nicht."),
        ("en", {"quote": "Paris"}, "quote", "¶1 does not contain “Paris”."),
        ("de", {"quote": "i"}, "start", "„i“ kommt 4-mal in ¶1 vor; geben Sie den Anfang"),
        ("en", {"quote": "i"}, "start", "“i” occurs 4 times in ¶1; give the start of the one"),
        ("de", {"quote": ""}, "quote", "Wählen Sie zuerst einen Text aus."),
        ("en", {"quote": ""}, "quote", "Select some text first."),
    ],
)
def test_typed_words_that_cannot_be_placed_are_explained(
    client, admin_user, article, language, change, field, message
):
    """Words not in the paragraph, or in it several times (the offsets listed), or none at all:
    a form error in the interface language, nothing stored."""
    client.force_login(admin_user)
    paragraph = article.paragraphs.get(position=1)
    data = {**selection(paragraph, "Nvidia"), "start": "", "end": "", **change}
    response = in_language(client, language).post(annotate_url(article), data)
    assert response.status_code == 200
    assert message in " ".join(form_errors(response)[field])
    assert not Annotation.objects.exists()
    if field == "start":
        assert ", ".join(str(i) for i, c in enumerate(TEXT) if c == "i") in str(
            form_errors(response)
        )


def preview_url():
    return reverse("admin:articleapp_annotation_comment_preview")


def test_comment_preview_is_the_readers_rendering(admin_client, db):
    """The preview renders and sanitises Markdown exactly as the reading page does."""
    comment = "**fett** [Link](https://example.org) <script>alert(1)</script> [x](javascript:1)"
    response = admin_client.post(preview_url(), {"comment": comment})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip() == render_markdown(comment).strip()
    assert "<strong>fett</strong>" in html and 'rel="noopener noreferrer nofollow"' in html
    assert "<script>" not in html and 'href="javascript' not in html
    assert admin_client.post(preview_url()).content.decode().strip() == ""


def test_comment_preview_is_post_only_and_for_staff(client, admin_client, db):
    """GET is refused (drafts stay out of URLs); visitors are sent to sign in."""
    assert admin_client.get(preview_url(), {"comment": "x"}).status_code == 405
    response = client.post(preview_url(), {"comment": "x"})
    assert response.status_code == 302 and reverse("admin:login") in response.url
    client.force_login(make_user(is_staff=True))  # staff, but no permission on annotations
    assert client.post(preview_url(), {"comment": "x"}).status_code == 403


def test_comment_preview_needs_the_csrf_token(admin_user, db):
    """Like every admin POST, the preview is refused without the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(preview_url(), {"comment": "x"}).status_code == 403
