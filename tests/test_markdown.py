"""Annotation comments: Markdown rendered by markdown-it-py, sanitised by nh3."""

import time

import pytest
from django.template import Context, Template
from hypothesis import given, settings
from hypothesis import strategies as st

from articleapp.markdown import LINK_REL, MARKDOWN_MAX_LENGTH, render_markdown, render_text
from tests.support.html import visible_text
from tests.support.xss import PAYLOADS, elements, url_scheme

COMMENT_TAGS = {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
DOCUMENT_TAGS = {"html", "head", "body"}


def assert_within_allowlist(html):
    for tag, attrs, _ in elements(str(html)):
        if tag in DOCUMENT_TAGS:
            continue
        assert tag in COMMENT_TAGS, tag
        attributes = dict(attrs)
        if tag == "a":
            assert set(attributes) <= {"href", "rel"}
            assert attributes.get("rel") == LINK_REL
            assert url_scheme(attributes.get("href", "")) in {None, "http", "https", "mailto"}
        else:
            assert attributes == {}, (tag, attributes)


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("**fett** und _kursiv_", "<p><strong>fett</strong> und <em>kursiv</em></p>"),
        ("erste\nzweite", "<p>erste<br>\nzweite</p>"),
        ("> zitiert", "<blockquote>\n<p>zitiert</p>\n</blockquote>"),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("1. a", "<ol>\n<li>a</li>\n</ol>"),
        ("`x < y`", "<p><code>x &lt; y</code></p>"),
        ("```\n<b>\n```", "<pre><code>&lt;b&gt;\n</code></pre>"),
        (
            "[heise](https://www.heise.de/)",
            f'<p><a href="https://www.heise.de/" rel="{LINK_REL}">heise</a></p>',
        ),
        (
            "[Mail](mailto:redaktion@example.org)",
            f'<p><a href="mailto:redaktion@example.org" rel="{LINK_REL}">Mail</a></p>',
        ),  # fmt: skip
    ],
)
def test_allowed_markdown_becomes_its_html(markdown, html):
    """Emphasis, breaks, quotes, lists, code and http/mailto links render as expected."""
    assert str(render_markdown(markdown)).strip() == html


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("# Überschrift", "Überschrift"),
        ("[klick](javascript:alert(1))", "[klick](javascript:alert(1))"),
        ("[klick](data:text/html,x)", "[klick](data:text/html,x)"),
        ("![Bild](https://evil.example/pixel.png)", "!Bild"),
        (
            '<a href="https://example.org" onclick="alert(1)">x</a>',
            '<a href="https://example.org" onclick="alert(1)">x</a>',
        ),  # fmt: skip
    ],
)
def test_forbidden_markup_is_shown_as_text_or_dropped(markdown, text):
    """Raw HTML shows as text, headings keep only their text, bad links stay plain text."""
    html = render_markdown(markdown)
    assert_within_allowlist(html)
    assert visible_text(html).strip() == text


def test_images_become_links_not_loads():
    """An image is a link to it, so no comment makes the reader's browser fetch anything."""
    html = str(render_markdown("![Bild](https://evil.example/pixel.png)"))
    assert "<img" not in html
    assert 'href="https://evil.example/pixel.png"' in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_corpus_payloads_render_within_the_allowlist(payload):
    """Every payload of the XSS corpus, as a comment, stays within the allowlist."""
    assert_within_allowlist(render_markdown(payload))


MARKDOWN_ALPHABET = st.sampled_from(
    list("<>&\"'`*_[]()!#>-+=:/\\\n ~|{}%;")
    + [
        "javascript:",
        "data:",
        "http://x",
        "<a href=",
        "<img ",
        "onerror=",
        "&#",
        "\u202e",
        "\U0001f600",
        "\u0301",
        "\0",
    ]  # fmt: skip
)


@given(st.lists(st.one_of(MARKDOWN_ALPHABET, st.text(max_size=5)), max_size=60).map("".join))
@settings(max_examples=300, deadline=None)
def test_any_markdown_renders_within_the_allowlist(text):
    """Whatever a comment holds, the HTML has only allowed elements, attributes and schemes."""
    assert_within_allowlist(render_markdown(text))


@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), max_size=200))
@settings(max_examples=200, deadline=None)
def test_plain_text_is_kept_as_is(text):
    """Text without Markdown syntax is shown exactly, only whitespace runs collapsed."""
    shown = " ".join(visible_text(render_markdown(text)).split())
    assert shown == " ".join(text.split())


def best_time(text, runs=2):
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        render_markdown.__wrapped__(text)  # not the memoised result
        timings.append(time.perf_counter() - started)
    return min(timings)


# The slowest patterns found are runs of "[" (tens of µs per character on a busy core) and
# emphasis openers; links, raw HTML, quotes, lists and code spans are an order of magnitude faster.
@pytest.mark.parametrize("unit", ["[", "**a"])
def test_rendering_time_grows_linearly(unit):
    """8× the text (1.25k → 10k characters of a pathological pattern) costs about 8×, not 64×."""
    small, large = (
        (unit * 10000)[:size] for size in (MARKDOWN_MAX_LENGTH // 8, MARKDOWN_MAX_LENGTH)
    )
    ratio = best_time(large) / best_time(small)
    assert ratio < 24, f"{unit!r}: 8× the text took {ratio:.1f}× as long"


def test_a_64_kib_comment_is_plain_text_and_fast():
    """Past the Markdown limit a 64 KiB hostile comment is escaped text, rendered at once."""
    text = ("[a](javascript:x) <script>alert(1)</script> **b**\n" * 2000)[: 64 * 1024]
    started = time.perf_counter()
    html = render_markdown.__wrapped__(text)
    assert time.perf_counter() - started < 0.5
    assert_within_allowlist(html)
    assert visible_text(html).replace("\n", "") == text.replace("\n", "")


def test_rendering_is_memoised():
    """The same comment twice is rendered once."""
    text = "**einmalig** " * 10
    assert render_markdown(text) is render_markdown(text)


def test_render_text_is_what_a_reader_sees_on_one_line():
    """No Markdown syntax, no link target, entities decoded, whitespace runs collapsed."""
    text = "**Mistral** &amp; [Quelle](https://example.org/mistral)\n\n- eins\n- `x < y`"
    assert render_text(text) == "Mistral & Quelle eins x < y"
    assert render_text("<script>alert(1)</script>") == "<script>alert(1)</script>"


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_render_text_equals_the_rendered_comments_visible_text(text):
    """Whatever the comment, its plain text is the visible text of its HTML, collapsed."""
    assert render_text(text) == " ".join(visible_text(render_markdown(text)).split())


@pytest.mark.parametrize(
    ("words", "ellipsis"), [(39, False), (40, False), (41, True)], ids=["under", "exact", "over"]
)
def test_excerpt_marks_left_out_words_only(words, ellipsis):
    """``|excerpt:40`` keeps a comment of up to 40 words whole, without "…", and cuts a longer
    one after 40 words with it, its tags closed (the entity and tag pages' comment excerpts)."""
    comment = " ".join(["Wort"] * (words - 1)) + " ([Quelle](https://example.org/))."
    html = render_markdown(comment)
    shown = Template("{{ html|excerpt:40 }}").render(Context({"html": html}))
    assert shown.endswith("…</p>") is ellipsis
    assert len(visible_text(shown).replace("…", "").split()) == min(words, 40)
    assert shown.count("<p>") == shown.count("</p>") == 1
