import re

import pytest
from playwright.sync_api import expect

from articleapp.models import Annotation
from project import stylesheets

ACTIVE = re.compile(r"\bis-active\b")

pytestmark = pytest.mark.django_db(transaction=True)

# What the security work will send as Content-Security-Policy; the pages must run under it.
# Inline styles only by the hashes of the stylesheets pages carry (project.stylesheets).
STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' {styles}; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def ends_with(fragment):
    """A URL pattern for ``expect(page).to_have_url``, which waits: a fragment set by the script
    (``history.replaceState``) reaches Playwright's ``page.url`` a moment after the key press."""
    return re.compile(re.escape(fragment) + "$")


def enforce_strict_csp(page, live_server):
    """Serve every page of the live server with the strict policy, so violations surface.

    Only documents carry a policy; other requests pass untouched (a favicon fetched late could
    otherwise still be in the handler when the page closes, and fail the next test's setup).
    """

    def add_policy(route):
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch()
        policy = STRICT_CSP.format(styles=" ".join(stylesheets.hash_sources()))
        headers = {**response.headers, "content-security-policy": policy}
        route.fulfill(response=response, headers=headers)

    page.route(f"{live_server.url}/**", add_policy)


def open_reading_page(page, live_server, seeded, fragment=""):
    enforce_strict_csp(page, live_server)
    page.goto(live_server.url + seeded.get_absolute_url() + fragment)
    # The script has run once it reveals the filter bar (inside the folded overview).
    page.wait_for_selector(".filter-bar:not([hidden])", state="attached")


def mentions(entity_name):
    """The entity's published annotations in reading order."""
    return list(
        Annotation.objects.published()
        .filter(entity__name=entity_name)
        .order_by("paragraph__position", "start")
    )


def first_annotation(entity_name):
    return mentions(entity_name)[0]


def commented(quote_start):
    return Annotation.objects.published().get(quote__startswith=quote_start, entity=None)


def test_reading_page_shows_entities_and_their_notes(page, live_server, seeded):
    """The first mention of Mistral AI, Nvidia, Microsoft and VivaTech each has a note."""
    open_reading_page(page, live_server, seeded)
    for name in ["Mistral AI", "Nvidia", "Microsoft", "VivaTech"]:
        annotation = first_annotation(name)
        assert page.locator(f"#h-{annotation.pk}").is_visible()
        note = page.locator(f"#a-{annotation.pk}")
        assert note.locator(".note-head a").first.text_content() == name
    assert page.locator("mark.hl").count() >= 30
    page.problems.assert_clean()


def test_hover_links_highlight_and_note_both_ways(page, live_server, seeded):
    """Hovering a highlight emphasises its note; hovering a note emphasises its highlight."""
    open_reading_page(page, live_server, seeded)
    mistral = first_annotation("Mistral AI")
    page.locator(f"#h-{mistral.pk}").hover()
    assert "is-active" in page.locator(f"#a-{mistral.pk}").get_attribute("class")
    partnership = commented("gab das Unternehmen")
    page.locator(f"#a-{partnership.pk}").hover()
    assert "is-active" in page.locator(f"#h-{partnership.pk}").get_attribute("class")
    assert "is-active" not in page.locator(f"#a-{mistral.pk}").get_attribute("class")
    page.problems.assert_clean()


def test_clicking_a_highlight_emphasises_its_note_and_the_note_leads_back(
    page, live_server, seeded
):
    """On a wide screen a click on a highlight emphasises its note beside it, without scrolling;
    the note's "in the text" link leads back to the words."""
    open_reading_page(page, live_server, seeded)
    partnership = commented("gab das Unternehmen")
    page.locator(f"#h-{partnership.pk}").scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    page.locator(f"#h-{partnership.pk} .hl-link").first.click()
    note = page.locator(f"#a-{partnership.pk}")
    expect(note).to_have_class(ACTIVE)
    expect(page).to_have_url(ends_with(f"#a-{partnership.pk}"))
    assert page.evaluate("window.scrollY") == before
    assert note.is_visible()
    note.locator(f'.note-links a[href="#h-{partnership.pk}"]').click()
    expect(page).to_have_url(ends_with(f"#h-{partnership.pk}"))
    assert page.locator(f"#h-{partnership.pk}").is_visible()
    page.problems.assert_clean()


def test_a_repeated_mention_opens_its_note_as_a_popover(page, live_server, seeded):
    """A later bare mention is a highlight whose note opens beside the words, and closes on Esc,
    with aria-expanded telling the state and focus returning to the words."""
    open_reading_page(page, live_server, seeded)
    later = mentions("Mistral AI")[1]
    link = page.locator(f"#h-{later.pk} .hl-link").first
    popover = page.locator(f"#a-{later.pk}")
    # The script sets aria-* as it enhances and as the popover toggles: wait for each state.
    expect(link).to_have_attribute("aria-expanded", "false")
    expect(link).to_have_attribute("aria-controls", f"a-{later.pk}")
    assert not popover.is_visible()
    link.focus()
    page.keyboard.press("Enter")
    expect(popover).to_be_visible()
    expect(link).to_have_attribute("aria-expanded", "true")
    page.wait_for_function("document.activeElement.closest('[popover]') !== null")
    words, note = link.bounding_box(), popover.bounding_box()
    below = abs(note["y"] - (words["y"] + words["height"])) < 16
    above = abs(note["y"] + note["height"] - words["y"]) < 16
    assert below or above, (words, note)
    assert abs(note["x"] - words["x"]) < 400
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    expect(link).to_have_attribute("aria-expanded", "false")
    page.wait_for_function(f"document.activeElement.closest('mark')?.id === 'h-{later.pk}'")
    link.click()
    expect(popover).to_be_visible()
    link.click()
    expect(popover).to_be_hidden()
    page.problems.assert_clean()


def test_keyboard_moves_between_annotations(page, live_server, seeded):
    """j and k move focus through the highlights in reading order; Enter opens the note."""
    open_reading_page(page, live_server, seeded)
    ids = page.eval_on_selector_all("mark.hl[id]", "marks => marks.map(m => m.id)")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == ids[0]
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == ids[2]
    page.keyboard.press("k")
    focused = page.evaluate("document.activeElement.id")
    assert focused == ids[1]
    note_id = "a-" + focused.removeprefix("h-")
    assert "is-active" in page.locator(f"#{note_id}").get_attribute("class")
    page.keyboard.press("Enter")
    expect(page).to_have_url(ends_with(f"#{note_id}"))
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.id") == ids[0]
    page.problems.assert_clean()


def test_tab_reaches_highlights_and_search_field_ignores_shortcuts(page, live_server, seeded):
    """Highlights are links in the tab order; typing j in the search box types a j."""
    open_reading_page(page, live_server, seeded)
    page.locator(".hl-link").first.focus()
    assert page.evaluate("document.activeElement.className") == "hl-link"
    page.locator("#site-search-q").fill("")
    page.locator("#site-search-q").press("j")
    assert page.locator("#site-search-q").input_value() == "j"
    page.problems.assert_clean()


def pressed(page, selector):
    return page.locator(selector).get_attribute("aria-pressed")


def test_filter_bar_hides_by_kind_and_by_entity_and_tells_the_truth(page, live_server, seeded):
    """Kind and entity buttons toggle their highlights and notes; every button's aria-pressed
    matches what is shown (a kind with some entities hidden is "mixed")."""
    open_reading_page(page, live_server, seeded)
    page.locator(".overview > summary").click()
    organisations = '[data-filter-kind="organisation"]'
    microsoft = '[data-filter-entity="microsoft"]'
    nvidia = '[data-filter-entity="nvidia"]'
    assert pressed(page, organisations) == "true"
    page.locator(organisations).click()
    assert pressed(page, organisations) == "false"
    assert pressed(page, microsoft) == pressed(page, nvidia) == "false"
    assert page.locator("mark.hl-organisation:not(.is-filtered)").count() == 0
    assert page.locator(".note.kind-organisation:visible").count() == 0
    assert page.locator("mark.hl-place:not(.is-filtered)").count() > 0
    page.locator(microsoft).click()
    assert pressed(page, microsoft) == "true"
    assert pressed(page, organisations) == "mixed"
    assert pressed(page, nvidia) == "false"
    annotation = first_annotation("Microsoft")
    assert "is-filtered" not in page.locator(f"#h-{annotation.pk}").get_attribute("class")
    assert "is-filtered" not in page.locator(f"#a-{annotation.pk}").get_attribute("class")
    page.locator(organisations).click()
    assert pressed(page, organisations) == pressed(page, nvidia) == "true"
    page.locator('[data-filter-kind="place"]').click()
    page.locator("[data-filter-reset]").click()
    assert page.locator("mark.hl.is-filtered").count() == 0
    assert page.locator('.filter-bar [aria-pressed="false"]').count() == 0
    assert page.locator('.filter-bar [aria-pressed="mixed"]').count() == 0
    page.problems.assert_clean()


def test_permalink_scrolls_to_and_emphasises_the_annotation(page, live_server, seeded):
    """Opening #a-<id> shows that note, even a folded one, and emphasises it and its words."""
    for annotation in [commented("sollte Microsoft"), first_annotation("Luxemburg")]:
        open_reading_page(page, live_server, seeded, fragment=f"#a-{annotation.pk}")
        note = page.locator(f"#a-{annotation.pk}")
        expect(note).to_be_visible()
        box = note.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 900
        expect(note).to_have_class(ACTIVE)
        expect(page.locator(f"#h-{annotation.pk}")).to_have_class(ACTIVE)
    page.problems.assert_clean()


def test_permalink_to_a_repeated_mention_opens_its_popover(page, live_server, seeded):
    """Opening #a-<id> of a later mention opens its popover next to the words."""
    later = mentions("Microsoft")[2]
    open_reading_page(page, live_server, seeded, fragment=f"#a-{later.pk}")
    expect(page.locator(f"#a-{later.pk}")).to_be_visible()
    assert page.locator(f"#h-{later.pk}").is_visible()
    page.problems.assert_clean()


def test_old_paragraph_links_still_land_on_the_paragraph(page, live_server, seeded):
    """#p-<n> names the paragraph's <p>, which holds exactly the paragraph's text."""
    open_reading_page(page, live_server, seeded, fragment="#p-6")
    paragraph = seeded.paragraphs.get(position=6)
    assert page.locator("#p-6").text_content() == paragraph.text
    assert page.locator("#p-6").evaluate("e => e.matches(':target')")
    page.problems.assert_clean()


def test_page_works_without_javascript(make_page, live_server, seeded):
    """Without JavaScript the text, highlights, notes and fragment links all work, and the
    notes a script would open as popovers stand in the margin."""
    page = make_page(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page.goto(live_server.url + seeded.get_absolute_url())
    assert not page.locator(".filter-bar").is_visible()
    annotation = first_annotation("Nvidia")
    page.locator(f"#h-{annotation.pk} .hl-link").first.click()
    expect(page).to_have_url(ends_with(f"#a-{annotation.pk}"))
    note = page.locator(f"#a-{annotation.pk}")
    expect(note).to_be_visible()
    assert note.evaluate("e => e.matches(':target')")
    later = mentions("Mistral AI")[1]
    expect(page.locator(f"#a-{later.pk}")).to_be_visible()
    page.locator(f"#h-{later.pk} .hl-link").first.click()
    assert page.locator(f"#a-{later.pk}").evaluate("e => e.matches(':target')")
    page.problems.assert_clean()


def test_every_microsoft_mention_is_two_clicks_away(page, live_server, seeded):
    """From the article page, one click on Microsoft lists all its mentions; a second opens one."""
    open_reading_page(page, live_server, seeded)
    page.locator(".overview > summary").click()
    page.locator(".who-list a", has_text=re.compile(r"^Microsoft$")).click()
    page.wait_for_url("**/entities/microsoft/")
    kwic = page.locator(".mentions .kwic")
    expected = Annotation.objects.published().filter(entity__slug="microsoft")
    assert kwic.count() == expected.count() == 4
    for mention in kwic.all():
        assert mention.locator("mark").inner_text() == "Microsoft"
    kwic.nth(2).click()
    page.wait_for_url(re.compile(r"#a-\d+$"))
    pk = page.url.rsplit("#a-", 1)[1]
    assert expected.filter(pk=pk).exists()
    expect(page.locator(f"#a-{pk}")).to_be_visible()
    page.problems.assert_clean()


def test_print_numbers_notes_as_the_text_does(page, live_server, seeded):
    """In print the site chrome is gone, every note is shown, and each highlight's bracketed
    number is the number of its note; numbers never run together."""
    page.goto(live_server.url + seeded.get_absolute_url())
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".overview").is_visible()
    marks = page.eval_on_selector_all(
        "mark[data-note]",
        "marks => marks.map(m => [m.dataset.annotation, m.dataset.note,"
        " getComputedStyle(m, '::after').content])",
    )
    notes = page.eval_on_selector_all(
        ".note", "notes => notes.map(n => [n.dataset.annotation, n.dataset.note])"
    )
    published = Annotation.objects.published().filter(paragraph__article=seeded).count()
    assert len(marks) == len(notes) == published
    assert {(pk, number) for pk, number, _ in marks} == set(map(tuple, notes))
    assert [int(number) for _, number, _ in marks] == list(range(1, published + 1))
    assert all(content == f'"[{number}]"' for _, number, content in marks)
    assert page.locator(".note").first.is_visible()
    assert page.locator(".note-popover").first.is_visible()
    page.problems.assert_clean()


FOLDS = """() => [...document.querySelectorAll('.more-notes')].map(fold => ({
    hidden: fold.hidden,
    summary: fold.querySelector('summary').textContent,
    shown: [...fold.querySelectorAll('.note')].filter(n => !n.classList.contains('is-filtered'))
        .map(n => n.dataset.annotation),
    named: [...fold.querySelectorAll('.more-names [data-name-of]')].map(s => s.dataset.nameOf),
}))"""


def test_folds_count_and_name_what_the_filter_leaves(page, live_server, seeded):
    """After the filter bar hides kinds, each "+N more" says how many notes it still holds, in
    the server's singular or plural, names only those, and goes when it holds none; "Show all"
    brings back what the server wrote."""
    open_reading_page(page, live_server, seeded)
    written = page.evaluate(FOLDS)
    page.locator(".overview > summary").click()
    for kind in ["comment", "other", "organisation"]:
        page.locator(f'[data-filter-kind="{kind}"]').click()
    folds = page.evaluate(FOLDS)
    assert any(fold["hidden"] for fold in folds)
    assert any(
        0 < len(fold["shown"]) < len(old["shown"]) for fold, old in zip(folds, written, strict=True)
    )
    for fold in folds:
        count = len(fold["shown"])
        assert fold["hidden"] == (count == 0), fold
        if count:
            noun = "Anmerkung:" if count == 1 else "Anmerkungen:"
            assert fold["summary"].startswith(f"+{count} weitere {noun} "), fold
            assert fold["named"] == fold["shown"], fold
    paragraph_folds = page.eval_on_selector_all(
        ".notes-fold > summary", "summaries => summaries.map(s => s.textContent)"
    )
    assert any(text == "1 Anmerkung" for text in paragraph_folds), paragraph_folds
    page.locator("[data-filter-reset]").click()
    assert page.evaluate(FOLDS) == written
    page.problems.assert_clean()


def test_enter_on_a_highlight_takes_the_focus_into_its_note_and_escape_back(
    page, live_server, seeded
):
    """j then Enter on a highlight moves the focus into its note, beside the words or folded
    under "+N more", and the URL names the note; Esc gives the focus back to the words."""
    open_reading_page(page, live_server, seeded)
    beside = str(commented("gab das Unternehmen").pk)
    folded = page.eval_on_selector_all(
        ".more-notes .note", "notes => notes.map(n => n.dataset.annotation)"
    )[0]
    for pk in [beside, folded]:
        for _ in range(40):
            page.keyboard.press("j")
            if page.evaluate("document.activeElement.id") == f"h-{pk}":
                break
        page.keyboard.press("Enter")
        expect(page).to_have_url(ends_with(f"#a-{pk}"))
        expect(page.locator(f"#a-{pk}")).to_be_focused()
        expect(page.locator(f"#a-{pk}")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.locator(f"#h-{pk} .hl-link")).to_be_focused()
    page.problems.assert_clean()


def test_phone_enter_on_a_highlight_takes_the_focus_into_its_note(make_page, live_server, seeded):
    """On a phone, Enter on a Tab-focused highlight, or after j, opens its paragraph's notes
    and moves the focus into the note; Esc gives it back to the words."""
    page = make_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    open_reading_page(page, live_server, seeded)
    pk = str(commented("Gleichzeitig übt").pk)
    page.locator(f"#h-{pk} .hl-link").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#a-{pk}")).to_be_focused()
    expect(page.locator(f"#a-{pk}")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(f"#h-{pk} .hl-link")).to_be_focused()
    page.keyboard.press("j")
    following = page.evaluate("document.activeElement.dataset.annotation")
    assert following != pk
    page.keyboard.press("Enter")
    expect(page.locator(f"#a-{following}")).to_be_focused()
    page.problems.assert_clean()


def test_without_javascript_more_notes_opens_in_flow(make_page, live_server, seeded):
    """Without JavaScript "+N more" opens under its summary in the margin's flow (nothing could
    close an overlay but its summary), and its notes are all shown."""
    page = make_page(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page.goto(live_server.url + seeded.get_absolute_url())
    fold = page.locator(".more-notes").first
    margin_height = fold.evaluate("e => e.closest('.margin').offsetHeight")
    fold.locator("summary").click()
    for note in fold.locator(".note").all():
        expect(note).to_be_visible()
    assert fold.locator(".notes").evaluate("e => getComputedStyle(e).position") == "static"
    assert fold.evaluate("e => e.closest('.margin').offsetHeight") > margin_height
    page.problems.assert_clean()
