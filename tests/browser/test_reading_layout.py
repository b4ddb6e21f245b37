"""The reading page's layout as geometry, in Chromium at the three sizes we design for.

Each test measures where things stand: the first screen, the margin notes beside their words,
the measure and leading of the text, the folds on a phone, the tab order, and layout shift.
"""

import pytest
from playwright.sync_api import expect

from articleapp import margin
from tests.browser.test_reading_page import (
    ACTIVE,
    enforce_strict_csp,
    first_annotation,
    open_reading_page,
)
from tests.support.factories import make_annotated_article, make_entity

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = [(1440, 900), (1280, 800), (390, 844)]
WIDE = [(1440, 900), (1280, 800)]
# A note stands beside its words: its top within this many pixels of the highlight's top,
# unless the note above it is in the way.
NEAR_PX = 4
# How much taller than its paragraph a margin may stand (the space below the paragraph).
MARGIN_OVERRUN_PX = margin.SLACK_PX + 30


def size_id(size):
    return "x".join(map(str, size))


def reading_page(make_page, live_server, seeded, size, **options):
    width, height = size
    phone = width < 500
    page = make_page(
        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone, **options
    )
    # The fonts are font-display: optional, used only if they arrive within ~100 ms. On a busy
    # test machine the first visit may miss that; the second finds them in the cache, as a
    # reader's later visits do.
    open_reading_page(page, live_server, seeded)
    page.evaluate("document.fonts.ready")
    open_reading_page(page, live_server, seeded)
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('1em \"Source Serif 4\"')")
    # Notes move in the frame after the fonts load; wait for two frames.
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page


MARGIN_GEOMETRY = """() => ({
    end: document.querySelector('.text').getBoundingClientRect().bottom,
    rows: [...document.querySelectorAll('.row')].map(row => {
        const items = [...row.querySelectorAll(
            '.notes-fold > .notes > .note, .notes-fold > .more-notes')];
        const text = row.querySelector('.paragraph-text').getBoundingClientRect();
        const margin = row.querySelector('.margin');
        return {
            text: {top: text.top, bottom: text.bottom, right: text.right},
            // The margin's own box is laid out, never moved: it is what the row makes room for.
            marginHeight: margin ? margin.getBoundingClientRect().height : 0,
            items: items.map(item => {
                const box = item.getBoundingClientRect();
                const mark = item.classList.contains('note')
                    && document.getElementById('h-' + item.dataset.annotation);
                return {
                    id: item.id || 'more', top: box.top, bottom: box.bottom, left: box.left,
                    mark: mark ? mark.getBoundingClientRect().top : null,
                };
            }),
        };
    }),
})"""


def packed_to_the_end(items, end):
    """Tell whether ``items`` stand one under the other down to the end of the text."""
    gaps_closed = all(
        below["top"] - above["bottom"] <= 12 for above, below in zip(items, items[1:], strict=False)
    )
    return gaps_closed and items[-1]["bottom"] >= end - 24


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_first_screen_shows_the_title_and_the_first_lines(make_page, live_server, seeded, size):
    """The title and at least three lines of the first paragraph are in the first viewport."""
    page = reading_page(make_page, live_server, seeded, size)
    title = page.locator("h1").bounding_box()
    first = page.locator("#p-1")
    line_height = float(first.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert title["y"] >= 0 and title["y"] + title["height"] < size[1]
    assert first.bounding_box()["y"] + 3 * line_height <= size[1]
    page.problems.assert_clean()


@pytest.mark.parametrize("size", WIDE, ids=size_id)
def test_notes_stand_beside_their_words_and_never_overlap(make_page, live_server, seeded, size):
    """Each margin note's top is at its highlight's top or directly under the note above it;
    notes never overlap; they stand right of the text; the margin does not run far below its
    paragraph, so the text column is never left empty beside a stack of notes."""
    page = reading_page(make_page, live_server, seeded, size)
    geometry = page.evaluate(MARGIN_GEOMETRY)
    items = [item for row in geometry["rows"] for item in row["items"]]
    placed = noted = 0
    for index, item in enumerate(items):
        previous = items[index - 1] if index else None
        if previous is not None:
            assert item["top"] >= previous["bottom"], (previous, item)
        if item["mark"] is None:
            continue
        beside = abs(item["top"] - item["mark"]) <= NEAR_PX
        pushed = previous is not None and 0 <= item["top"] - previous["bottom"] <= 12
        # Only at the end of the article may notes stand above their words, packed.
        packed = packed_to_the_end(items[index:], geometry["end"])
        assert beside or (pushed and item["top"] > item["mark"]) or packed, item
        placed += beside
        noted += 1
    for row in geometry["rows"]:
        for item in row["items"]:
            assert item["left"] >= row["text"]["right"], item
        text_height = row["text"]["bottom"] - row["text"]["top"]
        assert row["marginHeight"] <= text_height + MARGIN_OVERRUN_PX, row
    # Most notes stand exactly beside their words; the rest directly under the note above.
    assert placed >= noted / 2 and noted >= 5, (placed, noted)
    page.problems.assert_clean()


LINES = """() => [...document.querySelectorAll('.paragraph-text')].map(p => {
    const style = getComputedStyle(p);
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    const lines = new Map();
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            range.setStart(node, i); range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (!rect) continue;
            const top = Math.round(rect.top);
            lines.set(top, (lines.get(top) || 0) + 1);
        }
    }
    return {
        counts: [...lines.values()],
        height: p.getBoundingClientRect().height,
        leading: parseFloat(style.lineHeight) / parseFloat(style.fontSize),
        hyphens: style.hyphens,
        lang: p.closest('[lang]').lang,
    };
})"""


def average_measure(paragraphs):
    """Characters a line, over every line but each paragraph's last (which may be short)."""
    full_lines = [count for paragraph in paragraphs for count in paragraph["counts"][:-1]]
    return sum(full_lines) / len(full_lines), max(full_lines)


@pytest.mark.parametrize("size", WIDE, ids=size_id)
def test_text_has_a_comfortable_measure_and_leading(make_page, live_server, seeded, size):
    """Body text sets 60-75 characters a line at a line height of 1.5-1.65, hyphenated."""
    page = reading_page(make_page, live_server, seeded, size)
    paragraphs = page.evaluate(LINES)
    for paragraph in paragraphs:
        assert 1.5 <= paragraph["leading"] <= 1.65
        assert paragraph["hyphens"] == "auto" and paragraph["lang"] == "de"
    average, longest = average_measure(paragraphs)
    assert 60 <= average <= 75, average
    assert longest <= 80
    page.problems.assert_clean()


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_the_fallback_font_sets_the_same_lines(make_page, live_server, seeded, size):
    """The fonts are optional: a reader whose copy arrives late reads in the fallback, scaled to
    Source Serif 4's metrics, so each paragraph keeps its measure, its lines and its height."""
    page = reading_page(make_page, live_server, seeded, size)
    web_font = page.evaluate(LINES)
    slow = make_page(viewport=page.viewport_size, is_mobile=size[0] < 500)
    enforce_strict_csp(slow, live_server)
    # Routes registered later are asked first: the fonts never arrive.
    slow.route("**/*.woff2", lambda route: route.abort())
    slow.goto(live_server.url + seeded.get_absolute_url())
    slow.wait_for_selector(".filter-bar:not([hidden])", state="attached")
    slow.evaluate("document.fonts.ready")
    used = slow.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert "Source Serif 4" not in used and "Source Serif 4 Fallback" in used
    fallback = slow.evaluate(LINES)
    if size[0] > 700:
        assert 60 <= average_measure(fallback)[0] <= 75
    for web, local in zip(web_font, fallback, strict=True):
        assert abs(len(web["counts"]) - len(local["counts"])) <= 1, (web["counts"], local["counts"])
        assert local["height"] == pytest.approx(web["height"], rel=0.1)


def test_phone_folds_notes_under_their_paragraph(make_page, live_server, seeded):
    """At 390 px notes fold under their paragraph behind a count; a tap on a highlight opens its
    note right there; the page is not much longer than the text itself."""
    page = reading_page(make_page, live_server, seeded, (390, 844))
    summaries = page.locator(".notes-fold > summary")
    assert summaries.count() > 0
    assert page.locator(".notes-fold .note:visible").count() == 0
    text_height = page.evaluate(
        "[...document.querySelectorAll('.paragraph-text')]"
        ".reduce((sum, p) => sum + p.getBoundingClientRect().height, 0)"
    )
    article = page.locator(".article").bounding_box()
    assert article["height"] <= text_height * 1.45, (article["height"], text_height)
    first = page.locator("#p-1 + .margin .notes-fold > summary")
    assert first.inner_text().strip().endswith(("Anmerkungen", "Anmerkung"))
    mistral = page.locator("#p-1 mark.hl[id]").first
    pk = mistral.get_attribute("data-annotation")
    mistral.locator(".hl-link").first.tap()
    note = page.locator(f"#a-{pk}")
    note.wait_for(state="visible")
    text_box = page.locator("#p-1").bounding_box()
    box = note.bounding_box()
    assert box["y"] >= text_box["y"] + text_box["height"]
    assert box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.problems.assert_clean()


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_first_highlight_is_three_key_presses_away(make_page, live_server, seeded, size):
    """Tab reaches the skip link, Enter skips to the text, Tab reaches the first highlight."""
    page = reading_page(make_page, live_server, seeded, size)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#text"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first = page.locator("mark.hl[id]").first.get_attribute("id")
    assert page.evaluate("document.activeElement.closest('mark.hl[id]')?.id") == first
    page.problems.assert_clean()


# Sums the layout shifts no input caused, from the first paint on (the browser's CLS).
OBSERVE_SHIFTS = """window.__shifts = [];
new PerformanceObserver(list => list.getEntries().forEach(entry => {
    if (!entry.hadRecentInput) window.__shifts.push(entry.value);
})).observe({type: 'layout-shift', buffered: true});"""
# Lighthouse's phone: slow 4G, 150 ms round trips and 1.6 Mbit/s down. The page arrives in
# pieces and is painted before it is whole, as on a reader's phone.
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 200_000,
    "uploadThroughput": 94_000,
}


def layout_shift(page, url):
    """Load ``url`` with JavaScript on; return the sum of its layout shifts once settled."""
    page.add_init_script(OBSERVE_SHIFTS)
    page.goto(url, timeout=120_000)
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(500)
    return page.evaluate("window.__shifts.reduce((a, b) => a + b, 0)")


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_nothing_shifts_after_the_first_paint(make_page, live_server, seeded, size):
    """Notes are placed without a layout shift: the cumulative layout shift is 0."""
    width, height = size
    page = make_page(viewport={"width": width, "height": height}, is_mobile=width < 500)
    enforce_strict_csp(page, live_server)
    assert layout_shift(page, live_server.url + seeded.get_absolute_url()) == 0
    page.problems.assert_clean()


@pytest.mark.parametrize("size", [(390, 844), (1440, 900)], ids=size_id)
def test_a_long_article_arriving_slowly_does_not_shift(make_page, live_server, size):
    """100 paragraphs with 1,000 annotations over a phone's network, painted while they
    arrive: nothing moves, neither as the text grows nor when the script places the notes."""
    article = make_annotated_article(100, 10, entity=make_entity(name="Mistral AI"))
    width, height = size
    page = make_page(viewport={"width": width, "height": height}, is_mobile=width < 500)
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", SLOW_4G)
    assert layout_shift(page, live_server.url + article.get_absolute_url()) == 0
    arrival = "(({responseStart, responseEnd}) => responseEnd - responseStart)"
    assert page.evaluate(f"{arrival}(performance.getEntriesByType('navigation')[0])") > 100
    assert page.locator(".filter-bar:not([hidden])").count() == 1  # the script ran
    page.problems.assert_clean()


# Where every paragraph stands in the document (scrolling moves none of them).
PARAGRAPH_TOPS = """[...document.querySelectorAll('.paragraph-text')]
    .map(p => p.getBoundingClientRect().top + window.scrollY)"""


def folded_note_ids(page):
    return page.eval_on_selector_all(
        ".more-notes .note", "notes => notes.map(note => note.dataset.annotation)"
    )


def in_viewport(page, selector):
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("size", WIDE, ids=size_id)
def test_hover_shows_a_note_without_moving_the_text(make_page, live_server, seeded, size):
    """Hovering a highlight emphasises its note beside it; hovering one whose note is folded
    under "+N more" shows the note over the margin; no paragraph moves, and the fold closes
    again when the pointer leaves."""
    page = reading_page(make_page, live_server, seeded, size)
    before = page.evaluate(PARAGRAPH_TOPS)
    mistral = first_annotation("Mistral AI").pk
    page.locator(f"#h-{mistral} .hl-link").hover()
    expect(page.locator(f"#a-{mistral}")).to_have_class(ACTIVE)
    assert page.evaluate(PARAGRAPH_TOPS) == before
    folded = folded_note_ids(page)[0]
    page.locator(f"#h-{folded} .hl-link").first.hover()
    expect(page.locator(f"#a-{folded}")).to_be_visible()
    expect(page.locator(f"#a-{folded}")).to_have_class(ACTIVE)
    assert in_viewport(page, f"#a-{folded}")
    assert page.evaluate(PARAGRAPH_TOPS) == before
    page.mouse.move(2, 2)
    expect(page.locator(f"#a-{folded}")).to_be_hidden()
    assert page.evaluate(PARAGRAPH_TOPS) == before
    page.problems.assert_clean()


# A pointer over a highlight, then off it, as the browser reports them: the two events in one
# task, so no timing of the test machine decides how long the pointer stayed.
POINTER_PASSES = """([id, rests]) => new Promise(resolve => {
    const word = document.querySelector('#h-' + id + ' .hl-link');
    const fold = document.getElementById('a-' + id).closest('.more-notes');
    let opened = false;
    fold.addEventListener('toggle', () => { opened = opened || fold.open; });
    word.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    const leave = () => word.dispatchEvent(
        new MouseEvent('mouseout', {bubbles: true, relatedTarget: document.body}));
    if (!rests) leave();
    setTimeout(() => { const open = fold.open; if (rests) leave(); resolve({opened, open}); }, 500);
})"""


def test_a_passing_pointer_opens_no_fold(make_page, live_server, seeded):
    """A pointer crossing a highlight on its way elsewhere opens no "+N more" over the margin
    (no flashing overlays); one resting on it does."""
    page = reading_page(make_page, live_server, seeded, (1440, 900))
    folded = folded_note_ids(page)[0]
    assert page.evaluate(POINTER_PASSES, [folded, False]) == {"opened": False, "open": False}
    assert page.evaluate(POINTER_PASSES, [folded, True]) == {"opened": True, "open": True}
    expect(page.locator(f"#a-{folded}")).to_be_hidden()
    page.problems.assert_clean()


@pytest.mark.parametrize("size", WIDE, ids=size_id)
def test_j_and_tab_onto_a_folded_note_show_it_without_moving_the_text(
    make_page, live_server, seeded, size
):
    """j, and Tab, onto a highlight whose note is folded under "+N more" show that note over
    the margin; no paragraph moves."""
    page = reading_page(make_page, live_server, seeded, size)
    before = page.evaluate(PARAGRAPH_TOPS)
    folded = folded_note_ids(page)[0]
    for _ in range(10):
        page.keyboard.press("j")
        if page.evaluate("document.activeElement.id") == f"h-{folded}":
            break
    assert page.evaluate("document.activeElement.id") == f"h-{folded}"
    expect(page.locator(f"#a-{folded}")).to_be_visible()
    assert page.evaluate(PARAGRAPH_TOPS) == before
    # Tab from the highlight before the last folded note's words onto them.
    later = folded_note_ids(page)[-1]
    page.evaluate(
        """href => {
            const links = [...document.querySelectorAll('a.hl-link')];
            links[links.findIndex(link => link.getAttribute('href') === href) - 1].focus();
        }""",
        f"#a-{later}",
    )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"#a-{later}"
    expect(page.locator(f"#a-{later}")).to_be_visible()
    expect(page.locator(f"#a-{folded}")).to_be_hidden()
    assert page.evaluate(PARAGRAPH_TOPS) == before
    page.problems.assert_clean()


@pytest.mark.parametrize("size", WIDE, ids=size_id)
def test_an_opened_fold_covers_the_margin_and_leaves_the_text(make_page, live_server, seeded, size):
    """Each "+N more" opens over the margin below it, opaque and shadowed, without moving a
    paragraph; Esc closes it and gives its summary the focus; a press outside closes it."""
    page = reading_page(make_page, live_server, seeded, size)
    before = page.evaluate(PARAGRAPH_TOPS)
    folds = page.locator(".more-notes")
    assert folds.count() >= 3
    for index in range(folds.count()):
        fold = folds.nth(index)
        fold.locator("summary").click()
        expect(fold).to_have_attribute("open", "")
        for note in fold.locator(".note").all():
            expect(note).to_be_visible()
        assert page.evaluate(PARAGRAPH_TOPS) == before
        look = fold.locator(".notes").evaluate(
            "list => [getComputedStyle(list).backgroundColor, getComputedStyle(list).boxShadow]"
        )
        assert look[0] not in ("transparent", "rgba(0, 0, 0, 0)") and look[1] != "none", look
        page.keyboard.press("Escape")
        expect(fold).not_to_have_attribute("open", "")
        assert page.evaluate("document.activeElement.closest('.more-notes') !== null")
    folds.first.locator("summary").click()
    page.locator(".article-head h1").click()
    expect(folds.first).not_to_have_attribute("open", "")
    assert page.evaluate(PARAGRAPH_TOPS) == before
    page.problems.assert_clean()


def test_phone_opens_all_notes_of_a_crowded_paragraph_with_one_tap(make_page, live_server, seeded):
    """At 390 px one tap on "N notes" under a crowded paragraph shows all N notes: no second
    "+N more" fold inside the first."""
    page = reading_page(make_page, live_server, seeded, (390, 844))
    crowded = page.locator(".notes-fold:has(.more-notes)")
    assert crowded.count() >= 3
    for index in range(crowded.count()):
        fold = crowded.nth(index)
        fold.locator(":scope > summary").tap()
        notes = fold.locator(".note")
        assert notes.count() >= 2
        for note in notes.all():
            expect(note).to_be_visible()
        expect(fold.locator(".more-notes > summary")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.problems.assert_clean()
