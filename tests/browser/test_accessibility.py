import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from articleapp import importer
from articleapp.models import Entity
from tests.browser.test_reading_page import enforce_strict_csp
from tests.support.factories import annotate_quote, make_article

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
axe = Axe()


def assert_no_violations(page):
    # axe judges colours as they are painted: on a loaded machine a highlight's colour
    # transition can still be running, so the scan waits until every animation has settled.
    page.evaluate("Promise.all(document.getAnimations().map((animation) => animation.finished))")
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = results.response["violations"]
    assert violations == [], results.generate_report()


def scan(make_page, live_server, path, width=1280, scheme="light"):
    page = make_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    enforce_strict_csp(page, live_server)
    page.goto(live_server.url + path)
    assert_no_violations(page)
    page.problems.assert_clean()


@pytest.mark.parametrize(
    ("width", "scheme"),
    [(1280, "light"), (1280, "dark"), (390, "light"), (390, "dark")],
    ids=["wide-light", "wide-dark", "narrow-light", "narrow-dark"],
)
def test_reading_page_has_no_violations(make_page, live_server, seeded, width, scheme):
    """The reading page passes axe's WCAG 2.2 A/AA rules wide and narrow, light and dark."""
    scan(make_page, live_server, seeded.get_absolute_url(), width, scheme)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    ["/", "/entities/", "/entities/microsoft/", "/entities/mistral-ai/", "/tags/big-tech/",
     "/search/?q=Microsoft", "/search/?q=Tech"],
    ids=["article-list", "entity-index", "entity-page", "entity-page-with-comments", "tag-page",
         "search-results", "search-results-with-tags"],
)  # fmt: skip
def test_public_pages_have_no_violations(make_page, live_server, seeded, path, scheme):
    """Article list, entity index and pages (one with comment excerpts), tag page and search
    results (one with entity, tag, paragraph and comment hits) pass axe."""
    scan(make_page, live_server, path, scheme=scheme)


@pytest.fixture
def corpus(seeded):
    """The seed article corrected once by a re-import, and two articles sharing its entities."""
    texts = list(seeded.paragraphs.order_by("position").values_list("text", flat=True))
    texts[1] = texts[1].replace("Gesellschaft", "Zivilgesellschaft", 1)
    parsed = importer.ParsedArticle(seeded.kicker, seeded.title, seeded.byline, tuple(texts))
    importer.save(parsed, slug=seeded.slug)
    entities = {entity.slug: entity for entity in Entity.objects.all()}
    for title, day in [("Mistral AI baut Rechenzentren", 3), ("Microsoft und Mistral AI", 9)]:
        article = make_article(
            paragraphs=["Mistral AI baut in Frankreich, und Microsoft beteiligt sich."],
            title=title,
            source_name="heise online",
            published_on=datetime.date(2025, 6, day),
        )
        paragraph = article.paragraphs.get()
        annotate_quote(paragraph, "Mistral AI", entity=entities["mistral-ai"])
        annotate_quote(paragraph, "Microsoft", entity=entities["microsoft"], comment="Investor")
    seeded.refresh_from_db()
    return seeded


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    ("path", "width"),
    [("/", 1280), ("/entities/mistral-ai/", 1280), ("/search/?q=Mistral&entity=microsoft", 1280),
     ("/search/?q=Mistral&tag=unbekannt", 390), ("changes", 1280), ("changes", 390),
     ("reading", 1280), ("reading", 390)],
    ids=["article-list", "entity-timeline", "search-narrowed", "search-ignored-filter",
         "change-log", "change-log-narrow", "reading-related-updated",
         "reading-related-updated-narrow"],
)  # fmt: skip
def test_pages_of_many_articles_have_no_violations(
    make_page, live_server, corpus, path, width, scheme
):
    """With several articles and a corrected one: the list, an entity's timeline, narrowed
    search, the change log and the reading page with "Updated on" and related articles."""
    paths = {
        "changes": reverse("articleapp:article-changes", kwargs={"slug": corpus.slug}),
        "reading": corpus.get_absolute_url(),
    }
    scan(make_page, live_server, paths.get(path, path), width, scheme)


def test_reading_page_with_filters_and_emphasis_has_no_violations(page, live_server, seeded):
    """Pressed filter buttons and emphasised highlights keep their contrast."""
    enforce_strict_csp(page, live_server)
    page.goto(live_server.url + seeded.get_absolute_url())
    page.locator(".overview > summary").click()
    page.locator('[data-filter-kind="place"]').click()
    page.locator('[data-filter-entity="microsoft"]').click()
    page.keyboard.press("j")
    assert_no_violations(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reading_page_with_open_notes_and_popover_has_no_violations(
    make_page, live_server, seeded, scheme
):
    """An open popover, an opened "+N more" and a comment read in full keep their contrast."""
    page = make_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    enforce_strict_csp(page, live_server)
    page.goto(live_server.url + seeded.get_absolute_url())
    page.locator(".more-notes > summary").first.click()
    page.locator(".note-expand").first.click()
    popover_id = page.locator(".note-popover").first.get_attribute("id")
    page.locator(f'a.hl-link[href="#{popover_id}"]').first.click()
    assert page.locator(f"#{popover_id}").is_visible()
    assert_no_violations(page)
    page.problems.assert_clean()


def as_parsed_without_scripting(html):
    """The document a browser without JavaScript builds: no scripts, <noscript> content live.

    axe cannot run in a page with JavaScript switched off (its timers never fire there, and
    the scan waits for ever), so the scan runs with JavaScript on, in this document.
    """
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.DOTALL | re.IGNORECASE)
    return re.sub(r"</?noscript>", "", html, flags=re.IGNORECASE)


def test_reading_page_without_javascript_has_no_violations(make_page, live_server, seeded):
    """The page a reader without JavaScript gets passes axe too."""
    page = make_page(viewport={"width": 1280, "height": 900})
    url = live_server.url + seeded.get_absolute_url()

    def without_scripting(route):
        response = route.fetch()
        route.fulfill(response=response, body=as_parsed_without_scripting(response.text()))

    page.route(url, without_scripting)
    page.goto(url)
    assert page.locator("script").count() == 0
    assert page.locator("link[href*='noscript.css']").count() == 1
    assert_no_violations(page)
    page.problems.assert_clean()


def test_axe_reports_a_known_violation(page):
    """The scanner is live: a low-contrast paragraph and an unlabelled button are reported."""
    page.set_content(
        '<html lang="de"><body><main><h1>Test</h1>'
        '<p style="color:#bbb;background:#fff">kaum lesbar</p>'
        "<button></button></main></body></html>"
    )
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    rules = {violation["id"] for violation in results.response["violations"]}
    assert {"color-contrast", "button-name"} <= rules


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reading_page_with_a_fold_open_over_the_margin_has_no_violations(
    make_page, live_server, seeded, scheme
):
    """A "+N more" open over the margin (opaque, over the notes below it) keeps its contrast,
    with one of its notes emphasised and focused from its words."""
    page = make_page(viewport={"width": 1440, "height": 900}, color_scheme=scheme)
    enforce_strict_csp(page, live_server)
    page.goto(live_server.url + seeded.get_absolute_url())
    page.wait_for_selector(".filter-bar:not([hidden])", state="attached")
    folded = page.locator(".more-notes .note").first.get_attribute("data-annotation")
    page.locator(f"#h-{folded} .hl-link").focus()
    page.keyboard.press("Enter")
    assert page.locator(f"#a-{folded}").is_visible()
    assert_no_violations(page)
    page.problems.assert_clean()
