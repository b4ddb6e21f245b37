import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articleapp import extraction, importer
from articleapp.models import Annotation, Article, Paragraph
from articleapp.seed import SEED_ARTICLE
from tests.support.factories import annotate_quote, make_annotation, make_article, make_entity
from tests.support.snapshots import article_rows
from tests.support.webpages import (
    ADS_PAGE,
    BLOG_PAGE,
    NO_ARTICLE_PAGE,
    SEED_PAGE,
    SEED_PAGE_URL,
    page,
    page_server,
    redirect,
)

SEED_TITLE = "„KI für Bürger“: Mistral AI bezieht Stellung gegen Big Tech"


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
    ],
    ids=["empty", "blank", "binary", "latin1", "no-title", "byline-only", "title-only"],
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
def test_reimport_updates_in_place(tmp_path):
    """Importing the same slug again updates the article: no duplicate rows."""
    path = tmp_path / "a.txt"
    path.write_text("K\n\nTitel\n\nEins\n\nZwei\n\n(x)\n", encoding="utf-8")
    first, created = importer.import_file(path, slug="s")
    path.write_text("K\n\nNeuer Titel\n\nEins\n\nZwei geändert\n\n(x)\n", encoding="utf-8")
    second, created_again = importer.import_file(path, slug="s")
    assert created and not created_again and first.pk == second.pk
    assert Article.objects.count() == 1
    assert list(second.paragraphs.values_list("text", flat=True)) == ["Eins", "Zwei geändert"]
    assert second.title == "Neuer Titel"


@pytest.mark.django_db
def test_reimport_moves_annotations_with_their_text(tmp_path):
    """An annotation follows its quote when text is inserted before it."""
    path = tmp_path / "a.txt"
    path.write_text("K\n\nT\n\nMistral baut Rechenzentren.\n", encoding="utf-8")
    article, _ = importer.import_file(path, slug="s")
    annotation = annotate_quote(article.paragraphs.get(), "Rechenzentren")
    path.write_text("K\n\nT\n\nMistral baut neue Rechenzentren.\n", encoding="utf-8")
    importer.import_file(path, slug="s")
    annotation.refresh_from_db()
    assert annotation.quote == "Rechenzentren"
    assert annotation.paragraph.text[annotation.start : annotation.end] == "Rechenzentren"


def write(path, *paragraphs, title="T"):
    path.write_text("K\n\n" + title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


@pytest.mark.django_db
def test_reimport_orphans_a_removed_paragraphs_annotations_onto_the_previous_one(tmp_path):
    """A removed paragraph's annotation is kept as an orphan of the paragraph before it."""
    path = write(tmp_path / "a.txt", "Eins.", "Zwei mit Mistral.")
    article, _ = importer.import_file(path, slug="s")
    annotation = annotate_quote(article.paragraphs.get(position=2), "Mistral")
    importer.import_file(write(path, "Eins.", title="Anderer Titel"), slug="s")
    article.refresh_from_db()
    assert article.title == "Anderer Titel"
    assert list(article.paragraphs.values_list("text", flat=True)) == ["Eins."]
    annotation.refresh_from_db()
    assert annotation.anchor_status == Annotation.AnchorStatus.ORPHANED
    assert annotation.paragraph == article.paragraphs.get()
    assert annotation.quote == "Mistral"
    assert not Annotation.objects.published().exists()


@pytest.mark.django_db
def test_reimport_orphans_an_annotation_whose_words_are_gone(tmp_path):
    """Deleting the annotated words keeps the annotation, orphaned and hidden."""
    path = write(tmp_path / "a.txt", "Mistral baut Rechenzentren in Paris.")
    article, _ = importer.import_file(path, slug="s")
    annotation = annotate_quote(article.paragraphs.get(), "Rechenzentren")
    importer.import_file(write(path, "Mistral baut in Paris."), slug="s")
    annotation.refresh_from_db()
    assert annotation.anchor_status == Annotation.AnchorStatus.ORPHANED
    assert annotation.quote == "Rechenzentren"
    assert not Annotation.objects.published().exists()


@pytest.mark.django_db
def test_reimport_with_an_inserted_paragraph_keeps_the_others_in_place(tmp_path):
    """A paragraph inserted at the top shifts positions, not texts under annotations."""
    path = write(tmp_path / "a.txt", "Mistral baut.", "Nvidia liefert.")
    article, _ = importer.import_file(path, slug="s")
    mistral = annotate_quote(article.paragraphs.get(position=1), "Mistral")
    nvidia = annotate_quote(article.paragraphs.get(position=2), "Nvidia")
    importer.import_file(write(path, "Neu vorne.", "Mistral baut.", "Nvidia liefert."), slug="s")
    for annotation, position in [(mistral, 2), (nvidia, 3)]:
        annotation.refresh_from_db()
        assert annotation.anchor_status == Annotation.AnchorStatus.ANCHORED
        assert annotation.paragraph.position == position
    assert Annotation.objects.published().count() == 2


@pytest.mark.django_db
def test_reimport_with_a_removed_middle_paragraph_keeps_the_later_ones(tmp_path):
    """Removing a middle paragraph moves the later ones up with their annotations."""
    path = write(tmp_path / "a.txt", "Eins.", "Zwei Mistral.", "Drei Nvidia.")
    article, _ = importer.import_file(path, slug="s")
    nvidia = annotate_quote(article.paragraphs.get(position=3), "Nvidia")
    importer.import_file(write(path, "Eins.", "Drei Nvidia."), slug="s")
    nvidia.refresh_from_db()
    assert nvidia.paragraph.position == 2
    assert nvidia.anchor_status == Annotation.AnchorStatus.ANCHORED


SPLIT_FIRST = "Mistral baut Rechenzentren in Frankreich."
SPLIT_SECOND = "Der Chef von Mistral, Arthur Mensch, sagt das in Paris."


@pytest.mark.django_db
def test_reimport_with_a_paragraph_split_in_two(tmp_path):
    """Annotations in both halves and a quote in both: each follows its own words."""
    path = write(tmp_path / "a.txt", "Vorne.", f"{SPLIT_FIRST} {SPLIT_SECOND}", "Hinten.")
    article, _ = importer.import_file(path, slug="s")
    whole = article.paragraphs.get(position=2)
    first_mistral = annotate_quote(whole, "Mistral")
    start = whole.text.rindex("Mistral")
    second_mistral = make_annotation(whole, start, start + 7)
    paris = annotate_quote(whole, "Paris")
    importer.import_file(write(path, "Vorne.", SPLIT_FIRST, SPLIT_SECOND, "Hinten."), slug="s")
    texts = list(article.paragraphs.values_list("text", flat=True))
    assert texts == ["Vorne.", SPLIT_FIRST, SPLIT_SECOND, "Hinten."]
    second = article.paragraphs.get(position=3)
    for annotation, paragraph, status in [
        (first_mistral, whole, Annotation.AnchorStatus.ANCHORED),
        (second_mistral, second, Annotation.AnchorStatus.MOVED),
        (paris, second, Annotation.AnchorStatus.MOVED),
    ]:
        annotation.refresh_from_db()
        assert (annotation.paragraph, annotation.anchor_status) == (paragraph, status)
        assert paragraph.text[annotation.start : annotation.end] == annotation.quote
    assert Annotation.objects.published().count() == 3


@pytest.mark.django_db
def test_reimport_split_at_the_end_of_the_article(tmp_path):
    """The last paragraph split in two hands its second half's annotation over."""
    path = write(tmp_path / "a.txt", f"{SPLIT_FIRST} {SPLIT_SECOND}")
    article, _ = importer.import_file(path, slug="s")
    paris = annotate_quote(article.paragraphs.get(), "Paris")
    importer.import_file(write(path, SPLIT_FIRST, SPLIT_SECOND), slug="s")
    paris.refresh_from_db()
    assert paris.paragraph.position == 2 and paris.anchor_status == Annotation.AnchorStatus.MOVED


@pytest.mark.django_db
def test_reimport_edit_and_new_paragraph_is_no_split(tmp_path):
    """Words deleted from one paragraph are not looked for in a new paragraph after it."""
    path = write(tmp_path / "a.txt", "Mistral baut Rechenzentren in Paris.")
    article, _ = importer.import_file(path, slug="s")
    centres = annotate_quote(article.paragraphs.get(), "Rechenzentren")
    importer.import_file(
        write(path, "Mistral baut in Paris.", "Rechenzentren entstehen in Lyon."), slug="s"
    )
    centres.refresh_from_db()
    assert centres.is_orphaned and centres.paragraph.position == 1


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


# Web pages and URLs ---------------------------------------------------------------------------


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
