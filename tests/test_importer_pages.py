"""Importing web pages and URLs with ``import_article``: paragraphs and source from the page,
re-imports, dry runs, ``--suggest``, and refusals that write nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articleapp import extraction, importer
from articleapp.models import Annotation, Article
from articleapp.seed import SEED_ARTICLE
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.snapshots import article_rows
from tests.support.webpages import (
    ADS_PAGE,
    BLOG_PAGE,
    NO_ARTICLE_PAGE,
    SEED_PAGE,
    SEED_PAGE_URL,
    SEED_TITLE,
    page,
    page_server,
    redirect,
)


def run(*arguments, **options):
    """Call import_article; return what it printed."""
    out = io.StringIO()
    call_command("import_article", *arguments, stdout=out, **options)
    return out.getvalue()


def refused(*arguments, **options):
    """Call import_article expecting a one-line error, exit status 1 and nothing written."""
    before = article_rows()
    with pytest.raises(CommandError) as error:
        run(*arguments, **options)
    assert error.value.returncode == 1
    message = str(error.value)
    assert "\n" not in message
    assert article_rows() == before
    return message


@pytest.mark.django_db
def test_the_seed_page_imports_as_the_seed_text_does():
    """The HTML page around the seed article gives an article with exactly the seven paragraphs
    of the text import, and its source, date and language from the page."""
    from_text = importer.parse(importer.read_text(SEED_ARTICLE))
    output = run(str(SEED_PAGE))
    article = Article.objects.get()
    assert output == f"Imported {article.slug}: {SEED_TITLE} (7 paragraphs)\n"
    texts = tuple(article.paragraphs.order_by("position").values_list("text", flat=True))
    assert texts == from_text.paragraphs
    assert (article.title, article.kicker, article.byline) == (
        SEED_TITLE,
        "Künstliche Intelligenz",
        "nen",
    )
    assert (article.source_name, article.source_url) == ("Technikbote", SEED_PAGE_URL)
    assert article.published_on == datetime.date(2025, 7, 4)
    assert article.language == "de"


@pytest.mark.django_db
@pytest.mark.parametrize("page", [BLOG_PAGE, ADS_PAGE], ids=["blog", "ads"])
def test_other_layouts_import(page):
    """The blog and the page with ads import with the paragraphs the extractor finds."""
    run(str(page), verbosity=0)
    article = Article.objects.get()
    expected = extraction.extract(extraction.decode(page.read_bytes()), importer.LIMITS)
    texts = tuple(article.paragraphs.order_by("position").values_list("text", flat=True))
    assert texts == expected.paragraphs and article.source_url == expected.source_url


@pytest.mark.django_db
def test_reimport_of_the_same_page_updates_the_article_in_place(tmp_path):
    """The same canonical URL, another title: the same article, its annotations re-anchored,
    under its own slug."""
    run(str(SEED_PAGE), slug="mein-slug", verbosity=0)
    article = Article.objects.get()
    paragraph = article.paragraphs.get(position=6)
    nvidia = annotate_quote(paragraph, "Nvidia")
    changed = SEED_PAGE.read_text(encoding="utf-8")
    changed = changed.replace("Stellung gegen Big Tech</h1>", "Stellung gegen große Konzerne</h1>")
    changed = changed.replace("mit Chiphersteller Nvidia", "mit dem Chiphersteller Nvidia")
    path = tmp_path / "geaendert.html"
    path.write_text(changed, encoding="utf-8")
    assert run(str(path)).startswith("Updated mein-slug: ")
    assert Article.objects.get().pk == article.pk
    nvidia.refresh_from_db()
    assert nvidia.paragraph.text[nvidia.start : nvidia.end] == "Nvidia"
    assert nvidia.anchor_status == Annotation.AnchorStatus.MOVED


@pytest.mark.django_db
def test_a_page_is_not_imported_over_an_article_from_another_page():
    """The title's slug belongs to an article from another source: refused, unless the slug
    is given, which updates that article from the new page."""
    article = make_article(
        slug="ki-fuer-buerger-mistral-ai-bezieht-stellung-gegen-big-tech",
        source_url="https://anderswo.example/artikel",
    )
    message = refused(str(SEED_PAGE))
    assert "comes from another page (https://anderswo.example/artikel)" in message
    run(str(SEED_PAGE), slug=article.slug, verbosity=0)
    article.refresh_from_db()
    assert article.source_url == SEED_PAGE_URL and article.paragraphs.count() == 7


@pytest.mark.django_db
def test_a_slug_cannot_take_another_articles_page():
    """The page is already another article's source: a new slug for it is refused."""
    run(str(SEED_PAGE), verbosity=0)
    message = refused(str(SEED_PAGE), slug="zweite-kopie")
    assert "is already the source of the article" in message


@pytest.mark.django_db
def test_a_text_reimport_keeps_the_source_a_page_gave():
    """The text file tells no source: the article keeps the one its page gave."""
    run(str(SEED_PAGE), slug="s", verbosity=0)
    run(str(SEED_ARTICLE), slug="s", verbosity=0)
    article = Article.objects.get()
    assert article.source_url == SEED_PAGE_URL and article.published_on is not None


@pytest.mark.django_db
def test_import_from_a_url(settings):
    """``--url``: fetched from a local server, imported with the page's canonical URL."""
    settings.IMPORT_URL_ALLOW_PRIVATE = True
    with page_server({"/artikel": page(SEED_PAGE)}) as (base, _):
        output = run(url=f"{base}/artikel")
    assert output.startswith("Imported ")
    article = Article.objects.get()
    assert article.source_url == SEED_PAGE_URL and article.paragraphs.count() == 7


@pytest.mark.django_db
def test_a_dry_run_prints_the_plan_and_writes_nothing(tmp_path):
    """A re-import's dry run names the fields that change and where the annotations would go."""
    run(str(SEED_ARTICLE), slug="s", verbosity=0)
    article = Article.objects.get()
    kept = annotate_quote(article.paragraphs.get(position=1), "Mistral")
    moved = annotate_quote(article.paragraphs.get(position=5), "Singapur")
    lost = annotate_quote(article.paragraphs.get(position=5), "Luxemburg")
    before = article_rows()
    edited = SEED_PAGE.read_text(encoding="utf-8").replace("Luxemburg, Singapur", "Singapur")
    path = tmp_path / "seite.html"
    path.write_text(edited, encoding="utf-8")
    output = run(str(path), slug="s", dry_run=True, verbosity=2)
    assert article_rows() == before
    assert output.splitlines()[0] == f"Would update s: {SEED_TITLE} (7 paragraphs)"
    assert "  source_url: — → " + SEED_PAGE_URL in output
    assert "  paragraphs: 1 changed, 0 added, 0 removed, 0 split" in output
    assert (
        "  annotations: 1 kept, 1 moved, 1 to review (0 with changed words, 1 orphaned)" in output
    )
    assert "    moved: “Singapur” in paragraph 5 → 5 (moved)" in output
    assert "    to review: “Luxemburg” in paragraph 5 → 5 (orphaned)" in output
    assert output.endswith("Dry run: nothing was written.\n")
    for annotation in (kept, moved, lost):
        annotation.refresh_from_db()
        assert annotation.anchor_status == Annotation.AnchorStatus.ANCHORED


@pytest.mark.django_db
def test_a_dry_run_of_a_new_article():
    """A new article's dry run names it and its fields, and creates nothing."""
    output = run(str(BLOG_PAGE), dry_run=True)
    assert output.startswith(
        "Would create the-repair-cafe-that-outgrew-the-church-hall: "
        "The repair café that outgrew the church hall (6 paragraphs)\n"
    )
    assert "  byline: Harriet Oyelaran\n" in output
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_suggest_runs_the_gazetteer_after_the_import():
    """``--suggest``: draft suggestions for the gazetteer's mentions in the new article."""
    make_entity("Nvidia")
    output = run(str(SEED_PAGE), suggest=True)
    assert "Suggestions: 1 new; 0 already annotated, 0 rejected before" in output
    assert list(Annotation.objects.suggestions().values_list("quote", flat=True)) == ["Nvidia"]


@pytest.mark.django_db
def test_a_file_and_a_url_together_are_refused():
    """One source at a time."""
    assert "either a file or --url" in refused(str(SEED_PAGE), url="https://example.org/")
    assert "either a file or --url" in refused()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("seite.html", b"Kein HTML, nur ein Satz.", "is not HTML"),
        ("seite.html", b"\x00\x01\x02PK", "binary file"),
        ("seite.html", NO_ARTICLE_PAGE.read_bytes(), "no article found on the page"),
        ("artikel.txt", "Kicker\n\nTitel \xff".encode("latin-1"), "is not UTF-8 text"),
        ("artikel.txt", b"Kicker\n\nTitel\n\n(nen)", "no paragraphs"),
    ],
    ids=["not-html", "binary", "no-article", "not-utf8", "no-paragraphs"],
)
def test_bad_input_changes_nothing(tmp_path, name, content, message):
    """Each bad file, on top of an existing article: one line, exit 1, nothing written."""
    make_article(slug="bestand", paragraphs=["Bleibt, wie es ist."])
    path = tmp_path / name
    path.write_bytes(content)
    assert message in refused(str(path), slug="bestand")


@pytest.mark.django_db
def test_a_page_over_the_size_limit(tmp_path, settings):
    """A saved page or a fetched one larger than IMPORT_MAX_BYTES is refused, naming it."""
    settings.IMPORT_MAX_BYTES = 1000
    settings.IMPORT_URL_ALLOW_PRIVATE = True
    assert "IMPORT_MAX_BYTES" in refused(str(SEED_PAGE))
    with page_server({"/gross": page(SEED_PAGE)}) as (base, _):
        assert "IMPORT_MAX_BYTES" in refused(url=f"{base}/gross")


@pytest.mark.django_db
def test_too_many_redirects_to_other_hosts(settings):
    """A URL that changes host three times: one line naming the hosts, nothing written."""
    settings.IMPORT_URL_ALLOW_PRIVATE = True
    routes = {}
    with page_server(routes) as (base, port):
        routes["/a"] = redirect(f"http://localhost:{port}/b")
        routes["/b"] = redirect(f"http://127.1:{port}/c")
        routes["/c"] = redirect(f"http://127.0.1:{port}/d")
        routes["/d"] = page(SEED_PAGE)
        message = refused(url=f"{base}/a")
    assert "redirects to another host more than 2 times" in message


@pytest.mark.django_db
def test_an_unreachable_url(settings):
    """Nothing listens there: one line."""
    settings.IMPORT_URL_ALLOW_PRIVATE = True
    with page_server({}) as (_, port):
        pass
    assert "refused the connection" in refused(url=f"http://127.0.0.1:{port}/")
