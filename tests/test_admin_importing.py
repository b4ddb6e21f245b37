import re

import lxml.html
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articleapp.admin import importing
from articleapp.models import Annotation, Article
from articleapp.seed import SEED_ARTICLE
from tests.support.factories import annotate_quote, make_article, make_entity, make_user
from tests.support.forms import page_forms
from tests.support.snapshots import article_rows
from tests.support.webpages import (
    BLOG_PAGE,
    NO_ARTICLE_PAGE,
    SEED_PAGE,
    SEED_PAGE_URL,
    page,
    page_server,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:articleapp_article_import")
SEED_TITLE = "„KI für Bürger“: Mistral AI bezieht Stellung gegen Big Tech"


def user_of(role):
    """A user of ``role``: staff of a group, staff without one, a plain user, a superuser."""
    if role == "anonymous":
        return None
    user = make_user(is_staff=role != "user", is_superuser=role == "superuser")
    group = {"editor": "Editors", "exporter": "Exporters"}.get(role)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def client_of(role, language="en"):
    """A client that enforces CSRF, as browsers are held to it, signed in as ``role``."""
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    user = user_of(role)
    if user is not None:
        client.force_login(user)
    return client


def token(client):
    """The CSRF token of the client's session, from a page it may open."""
    for url in (IMPORT_URL, reverse("admin:password_change"), reverse("admin:login")):
        response = client.get(url)
        if response.status_code == 200:
            for form in page_forms(response.content.decode()):
                for name, value in form.data():
                    if name == "csrfmiddlewaretoken":
                        return value
    raise AssertionError("no page with a CSRF token")


def post(client, data, **files):
    return client.post(IMPORT_URL, {**data, **files, "csrfmiddlewaretoken": token(client)})


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/html")


def payload_of(response):
    """The signed payload of the preview's confirmation form."""
    [form] = [
        form for form in page_forms(response.content.decode()) if form.id == "import-confirm-form"
    ]
    return dict(form.data())["payload"]


def confirm(client, response):
    return post(client, {"payload": payload_of(response)})


@pytest.fixture
def editor():
    return client_of("editor")


# Who may import -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("user", 302),
        ("staff", 403),
        ("exporter", 403),
        ("editor", 200),
        ("superuser", 200),
    ],
)
def test_who_may_open_the_import_page(role, status):
    """Editors and superusers; staff of no group and Exporters (view only) get 403; others are
    sent to sign in."""
    response = client_of(role).get(IMPORT_URL)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", ["anonymous", "user", "staff", "exporter"])
def test_who_may_not_import_writes_nothing(role):
    """A POST of the form, or of a valid confirmation, by a role without the right: refused,
    nothing written."""
    editor = client_of("editor")
    preview = post(editor, {}, file=upload(SEED_PAGE))
    client = client_of(role)
    csrf = {"csrfmiddlewaretoken": token(client)} if role != "anonymous" else {}
    before = article_rows()
    for data in ({"url": "https://example.org/"}, {"payload": payload_of(preview)}):
        response = client.post(IMPORT_URL, {**data, **csrf})
        assert response.status_code in {302, 403}
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("admin:login"))
    assert article_rows() == before


def test_a_post_without_the_csrf_token_is_refused(editor):
    """The confirmation without a CSRF token: 403 from the CSRF check, nothing imported."""
    preview = post(editor, {}, file=upload(SEED_PAGE))
    response = editor.post(IMPORT_URL, {"payload": payload_of(preview)})
    assert response.status_code == 403 and b"CSRF" in response.content
    assert not Article.objects.exists()


def test_only_editors_see_the_link_on_the_article_list():
    """The article list links to the page for those who may import."""
    link = f'href="{IMPORT_URL}"'.encode()
    changelist = reverse("admin:articleapp_article_changelist")
    assert link in client_of("editor").get(changelist).content
    assert link not in client_of("exporter").get(changelist).content


# Preview and import -----------------------------------------------------------------------------


def test_the_preview_shows_the_article_and_writes_nothing(editor):
    """Title, kicker, byline, date, source and every paragraph; no row written."""
    before = article_rows()
    response = post(editor, {}, file=upload(SEED_PAGE))
    assert response.status_code == 200
    assert article_rows() == before
    html = response.content.decode()
    for shown in [
        "„KI für Bürger“: Mistral AI bezieht Stellung gegen Big Tech",
        "Künstliche Intelligenz",
        ">nen<",
        "Technikbote",
        SEED_PAGE_URL,
        "ki-fuer-buerger-mistral-ai-bezieht-stellung-gegen-big-tech",
        "Der französische KI-Hersteller Mistral hat eine Initiative",
        "Beide Unternehmen machten dazu jedoch keine Angaben.",
    ]:
        assert shown in html
    assert len(re.findall(r'<li class="rn-import-new">', html)) == 7
    for boilerplate in ["Leave a Reply", "Source link", "Beliebt"]:
        assert boilerplate not in html


def test_confirming_imports_what_was_previewed(editor):
    """The confirmation imports the article as previewed and goes to it, with a message."""
    preview = post(editor, {}, file=upload(SEED_PAGE))
    response = confirm(editor, preview)
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articleapp_article_change", args=[article.pk])
    assert article.title == SEED_TITLE and article.paragraphs.count() == 7
    assert article.source_url == SEED_PAGE_URL
    page = editor.get(response["Location"]).content.decode()
    assert f"Imported {SEED_TITLE} with 7 paragraphs." in page


def test_pasted_text_imports(editor):
    """Text in the file layout, pasted into the form."""
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    confirm(editor, post(editor, {"text": text, "slug": "eingefuegt"}))
    assert Article.objects.get().slug == "eingefuegt"


def test_a_url_imports(editor, settings):
    """A URL, fetched from a local server."""
    settings.IMPORT_URL_ALLOW_PRIVATE = True
    with page_server({"/artikel": page(BLOG_PAGE)}) as (base, _):
        preview = post(editor, {"url": f"{base}/artikel"})
    assert preview.status_code == 200
    confirm(editor, preview)
    assert Article.objects.get().byline == "Harriet Oyelaran"


def test_a_reimport_preview_names_kept_moved_and_review(editor):
    """For a re-import: which annotations stay, which move with their words, which need an
    editor, and the fields that change."""
    confirm(editor, post(editor, {"slug": "s"}, file=upload(SEED_ARTICLE)))
    article = Article.objects.get()
    fifth = article.paragraphs.get(position=5)
    mistral = make_entity("Mistral AI")
    annotate_quote(article.paragraphs.get(position=1), "Mistral", entity=mistral)
    annotate_quote(fifth, "Singapur")
    annotate_quote(fifth, "Luxemburg")
    edited = SEED_PAGE.read_bytes().replace(b"Luxemburg, Singapur", b"Singapur")
    response = post(
        editor,
        {"slug": "s"},
        file=SimpleUploadedFile("seite.html", edited, content_type="text/html"),
    )
    html = response.content.decode()
    assert "Preview: an update of an article" in html
    assert "1 kept in place" in html
    assert "1 moved with their words" in html
    assert "1 to review" in html and "1 orphaned" in html
    assert "“Luxemburg”" in html and "“Singapur”" in html
    assert "Technikbote" in html  # the source name changes
    # The changed paragraph shows what goes: ", Luxemburg" struck through, nothing added.
    [changed] = lxml.html.fromstring(html).xpath('//li[@class="rn-import-changed"]')
    assert [d.text_content() for d in changed.iter("del")] == ["[removed: , Luxemburg]"]
    assert list(changed.iter("ins")) == []
    assert "struck-through words go" in html
    assert Annotation.objects.filter(anchor_status=Annotation.AnchorStatus.ANCHORED).count() == 3


def test_a_change_since_the_preview_shows_the_new_preview(editor):
    """Someone annotates the article between preview and confirmation: nothing is imported,
    the new plan is shown."""
    confirm(editor, post(editor, {"slug": "s"}, file=upload(SEED_ARTICLE)))
    article = Article.objects.get()
    edited = SEED_PAGE.read_bytes().replace(b"Luxemburg, Singapur", b"Singapur")
    preview = post(
        editor, {"slug": "s"}, file=SimpleUploadedFile("a.html", edited, content_type="text/html")
    )
    annotate_quote(article.paragraphs.get(position=5), "Luxemburg")
    before = article_rows()
    response = confirm(editor, preview)
    assert response.status_code == 200
    assert article_rows() == before
    html = response.content.decode()
    assert "The article changed since the preview" in html
    assert "1 to review" in html


def test_a_forged_payload_is_refused(editor):
    """A payload not signed by the site: a message, nothing imported."""
    forged = signing.dumps({"article": {}, "slug": "x"}, salt="someone-else")
    response = post(editor, {"payload": forged})
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    assert not Article.objects.exists()


def test_a_signed_payload_that_is_not_an_article_is_refused(editor):
    """Signed, but not what a preview signs: the same message, no 500."""
    bad = signing.dumps({"article": {"titel": 1}, "slug": "x"}, salt=importing.SALT)
    assert post(editor, {"payload": bad}).status_code == 302
    assert not Article.objects.exists()


def test_suggestions_after_the_import(editor):
    """The box ticked: the gazetteer runs over the new article."""
    make_entity("Nvidia")
    confirm(editor, post(editor, {"suggest": "on"}, file=upload(SEED_PAGE)))
    assert list(Annotation.objects.suggestions().values_list("quote", flat=True)) == ["Nvidia"]


def test_no_suggestion_box_for_a_user_who_may_not_add_annotations():
    """May import articles, may not add annotations: no box, and a forged one is ignored."""
    user = make_user(
        is_staff=True,
        permissions=["articleapp.add_article", "articleapp.change_article"],
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert b'name="suggest"' not in client.get(IMPORT_URL).content
    make_entity("Nvidia")
    confirm(client, post(client, {"suggest": "on"}, file=upload(SEED_PAGE)))
    assert Article.objects.exists() and not Annotation.objects.exists()


# Bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "files", "message"),
    [
        ({}, {}, "Give one source"),
        ({"text": "Kicker\n\nTitel\n\nText", "url": "https://example.org/"}, {}, "Give one source"),
        ({"url": "keine adresse"}, {}, "Enter a valid URL"),
        ({}, {"file": ("seite.html", b"Nur Text.")}, "is not HTML"),
        ({}, {"file": ("leer.html", NO_ARTICLE_PAGE.read_bytes())}, "no article found"),
        ({}, {"file": ("a.txt", "Kicker\n\nTitel \xff".encode("latin-1"))}, "is not UTF-8 text"),
        ({"text": "Kicker\n\nTitel\n\n(nen)"}, {}, "no paragraphs"),
        ({"text": "Nur\0Null"}, {}, "Null characters are not allowed"),
        ({"slug": "../x", "text": "K\n\nT\n\nText"}, {}, "Enter a valid"),
        (
            {},
            {"file": ("gross.txt", b"K\n\nT\n\n" + (b"Text " * 120_000 + b"\n\n") * 2)},
            "the article&#x27;s text is 1.1\xa0MB (at most 1.0\xa0MB)",
        ),
    ],
    ids=[
        "nothing",
        "two-sources",
        "bad-url",
        "not-html",
        "no-article",
        "not-utf8",
        "no-paragraphs",
        "null",
        "bad-slug",
        "too-much-text",
    ],
)
def test_bad_input_is_one_form_error_and_writes_nothing(editor, data, files, message):
    """Each bad source or option: the form again with one clear error, status 200, no rows."""
    make_article(slug="bestand")
    before = article_rows()
    uploads = {
        name: SimpleUploadedFile(filename, content) for name, (filename, content) in files.items()
    }
    response = post(editor, data, **uploads)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert article_rows() == before


def test_a_file_over_the_limit(editor, settings):
    """Larger than IMPORT_MAX_BYTES: a form error, nothing read."""
    settings.IMPORT_MAX_BYTES = 1000
    response = post(editor, {}, file=upload(SEED_PAGE))
    assert "larger than the import limit of 1,000 bytes" in response.content.decode()
    assert not Article.objects.exists()


def test_errors_are_in_the_editors_language():
    """The importer's messages are translated on the admin page."""
    editor = client_of("editor", language="de")
    response = post(editor, {}, file=SimpleUploadedFile("seite.html", b"Nur Text."))
    assert "ist kein HTML" in response.content.decode()
