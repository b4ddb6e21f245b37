from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def translations(catalogue):
    """Map (context, msgid, plural index) to the translation, for translated, non-fuzzy entries."""
    result = {}
    for entry in catalogue:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
            continue
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                if text:
                    result[(entry.msgctxt, entry.msgid, int(index))] = text
        elif entry.msgstr:
            result[(entry.msgctxt, entry.msgid, None)] = entry.msgstr
    return result


def test_every_configured_language_has_a_catalogue():
    """German and English each ship a .po and its compiled .mo."""
    languages = {path.parent.parent.name for path in CATALOGUES}
    assert languages == {code for code, _ in settings.LANGUAGES}
    for path in CATALOGUES:
        assert path.with_suffix(".mo").exists(), f"{path} has no compiled .mo"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_compiled_catalogue_matches_its_source(po_path):
    """Each .mo holds exactly the translations of its .po: recompile with compilemessages."""
    assert translations(polib.mofile(str(po_path.with_suffix(".mo")))) == translations(
        polib.pofile(str(po_path))
    )


def test_german_catalogue_is_complete():
    """Every interface string has a German translation, none fuzzy, not even the header."""
    catalogue = polib.pofile(str(LOCALE_DIR / "de" / "LC_MESSAGES" / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert not catalogue.metadata_is_fuzzy


@pytest.mark.django_db
def test_interface_is_german_by_default_whatever_the_browser_asks(client):
    """Without a choice the interface is German, even for a browser asking for English."""
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    content = response.content.decode()
    assert '<html lang="de">' in content
    assert "Zum Inhalt springen" in content
    assert response["Content-Language"] == "de"


@pytest.mark.django_db
def test_language_switcher_sets_english_and_back(client):
    """Choosing English in the switcher shows the English interface; German switches back."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/entities/"})
    assert response.status_code == 302 and response["Location"] == "/entities/"
    content = client.get("/entities/").content.decode()
    assert '<html lang="en">' in content and "Skip to content" in content
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert "Zum Inhalt springen" in client.get("/").content.decode()


@pytest.mark.django_db
def test_language_cookie_is_secure_http_only_and_same_site_lax():
    """The cookie a real language switch sets carries Secure, HttpOnly and SameSite=Lax."""
    client = Client(enforce_csrf_checks=True)  # the switcher needs no token (see project.urls)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    header = response.cookies[settings.LANGUAGE_COOKIE_NAME].output(header="Set-Cookie:")
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in header.split(";")}
    assert header.startswith(f"Set-Cookie: {settings.LANGUAGE_COOKIE_NAME}=en;")
    assert {"secure", "httponly"} <= attributes.keys()
    assert attributes["samesite"] == "SameSite=Lax"
    assert attributes["path"] == "Path=/"


@pytest.mark.django_db
def test_unknown_language_cookie_falls_back_to_german(client):
    """A forged language cookie is ignored."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="de">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_article_content_keeps_lang_de_in_the_english_interface(client, seeded):
    """The article's text is marked German whatever the interface language."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get(seeded.get_absolute_url()).content.decode()
    assert '<html lang="en">' in content
    assert '<article class="article" lang="de">' in content
