"""The W3C export's selectors resolve in a real W3C client: Apache Annotator in Chromium.

Each test downloads the W3C export of an article's published annotations from the live server
(the staff export URL), opens the article's reading page as a reader, injects Apache Annotator
(tests/support/annotator.py) and resolves every annotation's ``TextQuoteSelector`` and
``TextPositionSelector`` within the element its ``FragmentSelector`` names, and the quote on the
whole document. See "Verified with Apache Annotator" in docs/export-formats.md.
"""

import os
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from articleapp.models import Annotation, Entity
from tests.support import annotator
from tests.support.factories import annotate_quote, make_article, make_entity, make_user
from tests.support.pages import signed_in_session

pytestmark = pytest.mark.django_db(transaction=True)

# Runs in the page: for each exported annotation, what Apache Annotator makes of its selectors.
# Two ranges are the same when they select the same characters: their boundaries lie at the same
# offsets in the text of a common ancestor. (The position matcher ends "Mistral" at offset 0 of
# the next text node, the quote matcher at the end of its own: equal as text, not as nodes.)
RESOLVE = """
async (annotations) => {
  const {
    createTextQuoteSelectorMatcher, createTextPositionSelectorMatcher, describeTextPosition,
  } = window.ApacheAnnotator;
  const all = async (matches) => {
    const ranges = [];
    for await (const range of matches) ranges.push(range);
    return ranges;
  };
  const offset = (root, node, nodeOffset) => {
    const before = document.createRange();
    before.setStart(root, 0);
    before.setEnd(node, nodeOffset);
    return before.toString().length;
  };
  const span = (range, root) => [
    offset(root, range.startContainer, range.startOffset),
    offset(root, range.endContainer, range.endOffset),
  ].join("-");
  const same = (a, b, root) => span(a, root) === span(b, root);
  const results = [];
  for (const annotation of annotations) {
    const fragment = annotation.target.selector;
    const quote = fragment.refinedBy.find((selector) => selector.type === "TextQuoteSelector");
    const position = fragment.refinedBy.find(
      (selector) => selector.type === "TextPositionSelector");
    const scope = document.getElementById(fragment.value);
    if (scope === null) {
      results.push({ id: annotation.id, fragment: null });
      continue;
    }
    const byQuote = await all(createTextQuoteSelectorMatcher(quote)(scope));
    const byPosition = await all(createTextPositionSelectorMatcher(position)(scope));
    const inDocument = await all(createTextQuoteSelectorMatcher(quote)(document.body));
    const range = byPosition[0];
    const described = range ? await describeTextPosition(range, scope) : null;
    results.push({
      id: annotation.id,
      fragment: scope.localName + "." + scope.className,
      quote: byQuote.map(String),
      position: byPosition.map(String),
      sameRange: byQuote.length === 1 && byPosition.length === 1 && same(byQuote[0], range, scope),
      described: described && { start: described.start, end: described.end },
      inDocument: inDocument.length,
      documentHasIt:
        range !== undefined && inDocument.some((match) => same(match, range, document.body)),
    });
  }
  return results;
}
"""


@pytest.fixture(autouse=True)
def public_site(settings, live_server):
    """The live server is the public site: the export names annotations and pages on it."""
    settings.RANDNOTIZ_BASE_URL = live_server.url


@pytest.fixture(scope="session")
def apache_annotator():
    """The Apache Annotator bundle's text; built once when missing, never fetched by a page."""
    try:
        return annotator.script()
    except annotator.BundleUnavailable as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs the Apache Annotator bundle: {error}")
        pytest.skip(str(error))


@pytest.fixture
def astral_article(db):
    """Text outside the BMP, markup characters, and nested, overlapping and repeated spans.

    Most spans start or end after characters that are two UTF-16 units but one code point (𝔘,
    emoji, a flag, a ZWJ sequence), so a client counting units instead of code points, or
    starting its count anywhere but at the paragraph's first character, lands elsewhere.
    """
    article = make_article(
        paragraphs=[
            "𝔘nternehmen wie Mistral AI 🇫🇷 und Nvidia 🤖 bauen „KI für Bürger“ – mit <Chips> "
            "& Code 👩‍💻.",
            "KI hier, KI dort, KI überall: 𝔘 und 😀 zählen als je ein Zeichen.",
            "Mistral AI.",
            "Mistral AI.",
        ]
    )
    first, second, third, fourth = article.paragraphs.order_by("position")
    mistral = make_entity(name="Mistral AI", kind=Entity.Kind.ORGANISATION)
    nvidia = make_entity(name="Nvidia", kind=Entity.Kind.ORGANISATION)
    annotate_quote(first, "𝔘nternehmen wie Mistral AI", comment="Umfasst die Erwähnung.")
    annotate_quote(first, "𝔘nternehmen", tags=["Schrift"])
    annotate_quote(first, "Mistral AI", entity=mistral)
    annotate_quote(first, "AI 🇫🇷 und Nvidia", comment="Überlappt beide Namen.")
    annotate_quote(first, "Nvidia", entity=nvidia)
    annotate_quote(first, "<Chips> & Code 👩‍💻.", comment="Bis zum Ende des Absatzes.")
    annotate_quote(second, "KI", occurrence=2, tags=["KI"])
    annotate_quote(second, "😀", comment="Ein Zeichen außerhalb der BMP.")
    annotate_quote(second, second.text, comment="Der ganze Absatz.")
    annotate_quote(third, "Mistral AI", entity=mistral)
    annotate_quote(fourth, "Mistral AI", entity=mistral)
    annotate_quote(fourth, "AI", status=Annotation.Status.DRAFT)
    return article


def exported_annotations(make_page, live_server, article):
    """The article's published annotations from the W3C export, fetched as staff over HTTP."""
    staff = make_page()
    exporter = make_user(permissions=["articleapp.export_annotations"])
    staff.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": signed_in_session(exporter),
                "url": live_server.url,
            }
        ]
    )
    query = urlencode({"article": article.slug, "status": "published"})
    url = f"{live_server.url}{reverse('articleapp:export-annotations', args=['w3c'])}?{query}"
    response = staff.request.get(url)
    assert response.status == 200, response.text()
    collection, *pages = response.json()
    annotations = [item for page in pages for item in page["items"]]
    assert collection["total"] == len(annotations)
    return annotations


def resolve_on_reading_page(make_page, live_server, apache_annotator, article, annotations):
    """Open the reading page as a reader, inject Apache Annotator and resolve ``annotations``.

    The page's Content-Security-Policy allows no inline script; the context bypasses it only so
    that the test can add the library, as an extension would.
    """
    page = make_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    reading_url = live_server.url + article.get_absolute_url()
    assert page.goto(reading_url).status == 200
    page.add_script_tag(content=apache_annotator)
    results = page.evaluate(RESOLVE, annotations)
    page.problems.assert_clean()
    return results


def annotation_iri(live_server, annotation):
    article = annotation.paragraph.article
    path = reverse("articleapp:annotation-detail", args=[article.slug, annotation.pk])
    return live_server.url + path


def expected_results(annotations):
    """What a resolved annotation looks like: the quote once in its paragraph's <p>, the same
    range by position, described back with the exported offsets, and found in the document."""
    expected = []
    for annotation in annotations:
        quote, position = annotation["target"]["selector"]["refinedBy"]
        expected.append(
            {
                "id": annotation["id"],
                "fragment": "p.paragraph-text",
                "quote": [quote["exact"]],
                "position": [quote["exact"]],
                "sameRange": True,
                "described": {"start": position["start"], "end": position["end"]},
                "documentHasIt": True,
            }
        )
    return expected


def check_every_selector(make_page, live_server, apache_annotator, article):
    annotations = exported_annotations(make_page, live_server, article)
    published = Annotation.objects.published().filter(paragraph__article=article).count()
    assert len(annotations) == published > 0
    reading_url = live_server.url + article.get_absolute_url()
    assert {annotation["target"]["source"]["id"] for annotation in annotations} == {reading_url}
    results = resolve_on_reading_page(
        make_page, live_server, apache_annotator, article, annotations
    )
    checked = [
        {key: value for key, value in result.items() if key != "inDocument"} for result in results
    ]
    assert checked == expected_results(annotations)
    pairs = zip(annotations, results, strict=True)
    return {annotation["id"]: result for annotation, result in pairs}


def test_every_selector_of_the_seed_article_resolves(
    make_page, live_server, apache_annotator, seeded
):
    """Every published annotation of the seed article: quote and position give one range, equal
    to `exact`, inside p-N; the quote is found on the whole page too."""
    check_every_selector(make_page, live_server, apache_annotator, seeded)


def test_selectors_resolve_beyond_the_bmp_and_across_nested_spans(
    make_page, live_server, apache_annotator, astral_article
):
    """Astral characters, markup characters, nested and overlapping spans, a whole paragraph, a
    repeated quote told apart by its context, and a quote that the whole page holds twice."""
    results = check_every_selector(make_page, live_server, apache_annotator, astral_article)
    assert len(results) == 11
    # The fourth paragraph repeats the third, so the page-wide match is one of two.
    repeated = Annotation.objects.published().get(
        paragraph__article=astral_article, paragraph__position=4
    )
    assert results[annotation_iri(live_server, repeated)]["inDocument"] == 2
