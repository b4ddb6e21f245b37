"""Importing an article's text file: parsing, the ``import_article`` command, bad files, slugs."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articleapp import importer
from articleapp.models import Article, Paragraph
from articleapp.parsed import ARTICLE_MAX_PARAGRAPHS
from articleapp.seed import SEED_ARTICLE
from tests.support.webpages import SEED_TITLE


def test_parse_seed_file():
    """The seed gives 7 paragraphs, its title, kicker and byline, and no site boilerplate."""
    parsed = importer.parse(importer.read_text(SEED_ARTICLE))
    assert parsed.title == SEED_TITLE
    assert parsed.kicker == "Künstliche Intelligenz"
    assert parsed.byline == "nen"
    assert len(parsed.paragraphs) == 7
    assert parsed.paragraphs[0].startswith("Der französische KI-Hersteller Mistral")
    assert "Intellligenz" in parsed.paragraphs[0]
    assert parsed.paragraphs[-1].endswith("keine Angaben.")
    body = "\n".join(parsed.paragraphs)
    for boilerplate in ("Source link", "Leave a Reply", "Beliebt", "mobile Version", "(nen)"):
        assert boilerplate not in body


def test_parse_joins_wrapped_lines_and_normalises():
    """Lines of one paragraph are joined; CRLF and decomposed characters are normalised."""
    parsed = importer.parse(
        "Kicker\r\n\r\nTitel\r\n\r\nZeile eins\r\nZeile zwei mit U\u0308\r\n\r\n(abc)\r\n"
    )
    assert parsed.paragraphs == ("Zeile eins Zeile zwei mit Ü",)


def test_parse_without_byline_keeps_all_blocks():
    """Without a byline every block after the title is a paragraph."""
    assert importer.parse("K\n\nT\n\nEins\n\nZwei").paragraphs == ("Eins", "Zwei")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n  ", "is empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b"Kicker\n\nTitel \xff\xfe kaputt\n\nText", "not UTF-8"),
        (b"Nur eine Zeile", "no title"),
        (b"Kicker\n\nTitel\n\n(nen)\n\nSource link", "no paragraphs"),
        (b"Kicker\n\nTitel", "no paragraphs"),
        (
            b"Kicker\n\nTitel\n\n" + b"\n\n".join([b"Absatz"] * (ARTICLE_MAX_PARAGRAPHS + 1)),
            f"the article has {ARTICLE_MAX_PARAGRAPHS + 1} paragraphs (at most 2000)",
        ),
        (
            b"Kicker\n\nTitel\n\n" + (b"\xc3\xa4" * 300_000 + b"\n\n") * 2,
            "the article's text is 1.1\xa0MB (at most 1.0\xa0MB)",
        ),
    ],
    ids=[
        "empty",
        "blank",
        "binary",
        "latin1",
        "no-title",
        "byline-only",
        "title-only",
        "too-many-paragraphs",
        "too-much-text",
    ],
)
@pytest.mark.django_db
def test_bad_files_fail_with_one_line_and_change_nothing(tmp_path, content, message):
    """Each bad file: CommandError with a clear message, exit status 1, database unchanged."""
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("import_article", str(path))
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert error.value.returncode == 1
    assert not Article.objects.exists() and not Paragraph.objects.exists()


@pytest.mark.django_db
def test_missing_file(tmp_path):
    """A path that does not exist is a clear error."""
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_article", str(tmp_path / "nope.txt"))


@pytest.mark.django_db
def test_import_seed_file_via_command():
    """The command imports the seed article with its seven paragraphs."""
    call_command("import_article", str(SEED_ARTICLE), verbosity=0)
    article = Article.objects.get()
    assert article.slug == "ki-fuer-buerger-mistral-ai-bezieht-stellung-gegen-big-tech"
    assert article.title == SEED_TITLE
    assert article.kicker == "Künstliche Intelligenz"
    assert article.byline == "nen"
    assert article.paragraphs.count() == 7


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug", ["../../zipslip", "a/b", "mit leerzeichen", "bürger", "x" * 201, "a\0b", "ok\n"]
)
def test_slug_that_is_not_a_slug_is_refused(client, slug):
    """``--slug ../../zipslip`` is one line and exit 1, nothing imported; the site still works
    (it was imported, then / was a 500 for everyone and the brat zip held ../../zipslip.txt)."""
    with pytest.raises(CommandError) as error:
        call_command("import_article", str(SEED_ARTICLE), slug=slug, verbosity=0)
    assert "slug" in str(error.value)
    assert "\n" not in str(error.value)
    assert error.value.returncode == 1
    assert not Article.objects.exists()
    assert client.get("/").status_code == 200
