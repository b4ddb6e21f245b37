import datetime
import unicodedata

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articleapp import extraction, importer
from articleapp.parsed import ArticleImportError
from articleapp.seed import SEED_ARTICLE
from tests.support.webpages import (
    ADS_PAGE,
    BLOG_PAGE,
    NO_ARTICLE_PAGE,
    SEED_PAGE,
    SEED_PAGE_URL,
)

LIMITS = importer.LIMITS


@pytest.fixture(autouse=True)
def english():
    """The importer's messages in English, as the command prints them."""
    with translation.override("en"):
        yield


def extract(html, url=None):
    if isinstance(html, bytes):
        html = extraction.decode(html)
    return extraction.extract(html, LIMITS, url=url)


def read(path):
    return extract(path.read_bytes())


def wrap(body, head="", lang="de"):
    """A small page around ``body``: enough structure for the extractor to see an article."""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Titel</title>'
        f"{head}</head><body><nav><a href='/'>Start</a> <a href='/news/'>News</a></nav>"
        f"<article><h1>Titel</h1>{body}</article><footer>Impressum</footer></body></html>"
    )


SENTENCE = (
    "Der Landkreis rechnet mit vielen Fahrgästen, und die Züge fahren im Stundentakt bis in die "
    "späten Abendstunden, auch am Wochenende."
)


def test_the_seed_page_gives_exactly_the_text_imports_paragraphs():
    """The news page around the seed article: the seven paragraphs of the text file, verbatim,
    with its title, kicker and byline; navigation, cookie banner, comments, related links,
    "Source link", "Leave a Reply", "Beliebt" and the footer are gone."""
    from_text = importer.parse(importer.read_text(SEED_ARTICLE))
    from_page = read(SEED_PAGE)
    assert from_page.paragraphs == from_text.paragraphs
    assert len(from_page.paragraphs) == 7
    assert (from_page.title, from_page.kicker, from_page.byline) == (
        from_text.title,
        from_text.kicker,
        from_text.byline,
    )
    body = "\n".join(from_page.paragraphs)
    for boilerplate in [
        "Source link",
        "Leave a Reply",
        "Beliebt",
        "mobile Version",
        "Cookies",
        "Schöne Worte",  # a reader's comment
        "Mehr zum Thema",
        "Impressum",
        "Anzeige",
        "(nen)",
    ]:
        assert boilerplate not in body


def test_the_seed_page_metadata():
    """Site name, canonical URL, date and language come from the page's own metadata."""
    parsed = read(SEED_PAGE)
    assert parsed.source_name == "Technikbote"
    assert parsed.source_url == SEED_PAGE_URL
    assert parsed.published_on == datetime.date(2025, 7, 4)
    assert parsed.language == "de"


def test_a_blog_in_an_amp_layout():
    """Another layout: eyebrow kicker, author from the page, subheading kept as a paragraph,
    comments and post navigation dropped, the language with its region."""
    parsed = read(BLOG_PAGE)
    assert parsed.title == "The repair café that outgrew the church hall"
    assert parsed.kicker == "Community"
    assert parsed.byline == "Harriet Oyelaran"
    assert parsed.source_name == "Notes from Ashbury"
    assert parsed.published_on == datetime.date(2025, 3, 14)
    assert parsed.language == "en-GB"
    assert parsed.paragraphs[0].startswith("When the first repair café opened in St Aldhelm’s")
    assert "What changes at the fire station" in parsed.paragraphs
    assert parsed.paragraphs[-1].endswith("from ten until one.")
    assert len(parsed.paragraphs) == 6
    body = "\n".join(parsed.paragraphs)
    for boilerplate in ["Brilliant news", "allotment waiting list", "Exit mobile version", "Menu"]:
        assert boilerplate not in body


def test_an_article_split_by_ads_and_reading_tips():
    """Ads, "Lesen Sie auch" boxes, a newsletter box and related links between and after the
    paragraphs are dropped; the paragraphs around them stay whole and in order. The kicker
    inside the <h1> is the kicker and not part of the title."""
    parsed = read(ADS_PAGE)
    assert parsed.kicker == "Verkehrswende auf dem Land"
    assert parsed.title == "Bahnstrecke nach Wellingen: Nach 40 Jahren fahren wieder Züge"
    assert parsed.byline == "Tobias Kranich"
    assert [paragraph[:30] for paragraph in parsed.paragraphs] == [
        "Am Sonntag rollt der erste Per",
        "Als der Triebwagen um 9.12 Uhr",
        "Künftig verkehren die Züge wer",
        "Der Weg dorthin war lang. Ein ",
        "Kritik an fehlenden Parkplätze",
        "Nicht alle sind zufrieden. Anw",
        "Für die ersten zwei Wochen gil",
    ]
    body = "\n".join(parsed.paragraphs)
    for boilerplate in ["Lesen Sie auch", "Anzeige", "Festgeld", "Newsletter", "Freibad"]:
        assert boilerplate not in body


def test_a_page_without_an_article():
    """An error page with navigation, a search form and a footer: no article, no paragraphs
    made of the navigation."""
    with pytest.raises(ArticleImportError, match="no article found on the page"):
        read(NO_ARTICLE_PAGE)


def test_no_date_is_taken_from_a_copyright_line():
    """A footer's "© 2025" is not a publication date."""
    html = wrap(f"<p>{SENTENCE}</p><p>{SENTENCE} Noch ein Satz.</p>")
    html = html.replace("Impressum", "© 2025 Verlag")
    assert extract(html).published_on is None


def test_line_breaks_count_as_spaces_and_white_space_collapses():
    """A <br> between words is a space, runs of white space are one, inline markup is text."""
    html = wrap(
        f"<p>Erste Zeile<br>zweite   Zeile\n  mit <em>Betonung</em> und "
        f"<a href='/x'>Link</a>. {SENTENCE}</p><p>{SENTENCE} Zweiter Absatz.</p>"
    )
    assert extract(html).paragraphs[0] == (
        f"Erste Zeile zweite Zeile mit Betonung und Link. {SENTENCE}"
    )


def test_text_is_nfc_and_verbatim():
    """Decomposed umlauts become NFC; typos and quotation marks stay as the source has them."""
    decomposed = unicodedata.normalize("NFD", "Bürger „zitiert“ mit Tippfeehler")
    html = wrap(f"<p>{decomposed}. {SENTENCE}</p><p>{SENTENCE} Ende.</p>")
    assert extract(html).paragraphs[0] == f"Bürger „zitiert“ mit Tippfeehler. {SENTENCE}"


def test_list_items_are_paragraphs():
    """Each item of a list in the article is a paragraph of its own."""
    html = wrap(
        f"<p>{SENTENCE}</p><ul><li>Erster Punkt mit genug Worten für einen Absatz hier.</li>"
        f"<li>Zweiter Punkt mit ebenso vielen Worten für einen Absatz.</li></ul>"
        f"<p>{SENTENCE} Schluss.</p>"
    )
    paragraphs = extract(html).paragraphs
    assert "Erster Punkt mit genug Worten für einen Absatz hier." in paragraphs
    assert "Zweiter Punkt mit ebenso vielen Worten für einen Absatz." in paragraphs


def test_the_byline_paragraph_ends_the_article():
    """A paragraph "(abc)" is the byline; what follows it is the site's."""
    html = wrap(f"<p>{SENTENCE}</p><p>(abc)</p><p>Weitere Artikel aus dem Ressort lesen.</p>")
    parsed = extract(html)
    assert parsed.byline == "abc"
    assert parsed.paragraphs == (SENTENCE,)


def test_an_article_of_only_a_byline_has_no_paragraphs():
    """Nothing but the byline after the headline: no paragraphs."""
    html = wrap("<p>(abc)</p>", head='<meta property="og:title" content="Titel">')
    with pytest.raises(ArticleImportError, match="no paragraphs|no article found"):
        extract(html)


def test_a_page_without_a_canonical_url_has_the_address_it_was_fetched_from():
    """No canonical link: the source URL is where the page was found."""
    html = wrap(f"<p>{SENTENCE}</p><p>{SENTENCE} Ende.</p>")
    assert extract(html, url="https://x.example/b").source_url == "https://x.example/b"


def test_the_canonical_url_wins_over_the_fetched_one():
    """An AMP or print copy names its article's address: that is the source."""
    head = '<link rel="canonical" href="https://x.example/artikel">'
    html = wrap(f"<p>{SENTENCE}</p><p>{SENTENCE} Ende.</p>", head)
    assert extract(html, url="https://x.example/amp/artikel").source_url == (
        "https://x.example/artikel"
    )


def test_a_saved_page_without_a_canonical_url_has_no_source_url():
    """A file with no address in it: the source URL stays empty."""
    assert extract(wrap(f"<p>{SENTENCE}</p><p>{SENTENCE} Ende.</p>")).source_url == ""


def test_a_language_that_is_not_a_tag_is_ignored():
    """``<html lang>`` goes into a ``lang`` attribute on every page: only tags like de-AT."""
    page = wrap(f"<p>{SENTENCE}</p><p>{SENTENCE} Ende.</p>", lang="Deutsch (Schweiz)")
    assert extract(page).language == ""


def test_a_title_too_long_for_the_article_is_refused():
    """Over 300 characters: one line saying so."""
    title = "Sehr langer Titel " * 20
    html = wrap(f"<p>{SENTENCE}</p><p>{SENTENCE} Ende.</p>", f"<title>{title}</title>")
    html = html.replace("<title>Titel</title>", "").replace("<h1>Titel</h1>", f"<h1>{title}</h1>")
    with pytest.raises(ArticleImportError, match="the title is .* characters long"):
        extract(html)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Nur ein Satz, kein HTML.", "is not HTML"),
        (b"\x00\x01PK\x03\x04", "binary file"),
        ("<p>Kein UTF-8: Bürger</p>".encode("latin-1"), "is not UTF-8 and declares no"),
        (b'<meta charset="utf-8"><p>B\xfcrger</p>', "is not valid utf-8 text as it declares"),
        (b'<meta charset="klingonisch"><p>x</p>', "unknown character encoding"),
    ],
    ids=["plain-text", "binary", "latin1-undeclared", "declared-wrongly", "unknown-encoding"],
)
def test_what_is_not_an_html_page(data, message):
    """Each is one clear line."""
    with pytest.raises(ArticleImportError, match=message):
        extract(data)


def test_a_declared_legacy_encoding_is_read_as_browsers_read_it():
    """``charset=iso-8859-1`` is windows-1252, as in every browser: „ and “ survive."""
    html = wrap(f"<p>„Bürger“ {SENTENCE}</p><p>{SENTENCE} Ende.</p>")
    data = html.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">').encode("cp1252")
    assert extract(data).paragraphs[0] == f"„Bürger“ {SENTENCE}"


def test_a_charset_from_the_server_wins():
    """The Content-Type's charset is the page's encoding, whatever the page says."""
    html = wrap(f"<p>Grüße. {SENTENCE}</p><p>{SENTENCE} Ende.</p>").encode("utf-16-le")
    text = extraction.decode(html, charset="utf-16-le")
    assert extract(text).paragraphs[0] == f"Grüße. {SENTENCE}"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("seite.html", b"irgendwas", True),
        ("SEITE.HTM", b"irgendwas", True),
        ("artikel.txt", b"Kicker\n\nTitel\n\nText", False),
        ("ohne-endung", b"\xef\xbb\xbf  <!DOCTYPE html><html>", True),
        ("ohne-endung", b"<!-- gespeichert -->\n<html lang='de'>", True),
        ("", b"Kicker\n\n<b>Titel</b>", False),
    ],
)
def test_what_is_read_as_a_web_page(name, data, expected):
    """By the name's ending, else by how the content begins."""
    assert extraction.is_html(name, data) is expected


# Sentences of the seed article, so that generated paragraphs read like an article's.
SENTENCES = [
    sentence.strip() + "."
    for paragraph in importer.parse(importer.read_text(SEED_ARTICLE)).paragraphs
    for sentence in paragraph.split(". ")
    if len(sentence.split()) >= 6
]
PARAGRAPH = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4, unique=True).map(
    lambda sentences: " ".join(sentences).replace("..", ".")
)
AD = '<div class="ad-slot" id="ad-{}"><span class="ad-label">Anzeige</span></div>'


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(PARAGRAPH, min_size=2, max_size=6, unique=True))
def test_any_article_comes_back_as_written(paragraphs):
    """Paragraphs put into a page, with boilerplate around them, come back one for one."""
    body = "".join(
        f"<p>{text}</p>" + (AD.format(index) if index % 2 else "")
        for index, text in enumerate(paragraphs)
    )
    assert extract(wrap(body)).paragraphs == tuple(paragraphs)
