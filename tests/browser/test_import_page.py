"""An editor imports a saved news page through the admin at 1280 px: form, preview, import."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from articleapp.models import Article
from tests.browser.test_accessibility import WCAG_22_AA
from tests.browser.test_editing import log_in, make_editor
from tests.support.webpages import SEED_PAGE, SEED_PAGE_URL

pytestmark = pytest.mark.django_db(transaction=True)

axe = Axe()


def assert_clean_and_accessible(page):
    """No console error so far, and axe's WCAG 2.2 A/AA rules pass over the page's content.

    axe's own checks set inline styles, which the admin's Content-Security-Policy blocks and
    reports on the console; those reports are axe's, so they are dropped after its run.
    """
    page.problems.assert_clean()
    results = axe.run(
        page,
        context="#content-main",
        options={"runOnly": {"type": "tag", "values": WCAG_22_AA}},
    )
    assert results.response["violations"] == [], results.generate_report()
    page.problems.console_errors.clear()


def test_an_editor_imports_a_saved_page(page, live_server):
    """From the article list to the preview (title, kicker, seven paragraphs, source) and on to
    the article, with no console error and no accessibility violation on the way."""
    log_in(page, live_server, make_editor())
    page.goto(live_server.url + reverse("admin:articleapp_article_changelist"))
    page.click("a.rn-import-link")
    page.wait_for_selector("#import-form")
    assert page.locator("h1").inner_text() == "Artikel importieren"
    assert_clean_and_accessible(page)

    page.set_input_files("#id_file", str(SEED_PAGE))
    page.click("input[name=_preview]")
    page.wait_for_selector("#import-confirm-form")
    summary = page.locator(".rn-import-summary").inner_text()
    assert "„KI für Bürger“: Mistral AI bezieht Stellung gegen Big Tech" in summary
    assert "Künstliche Intelligenz" in summary and "Technikbote" in summary
    assert SEED_PAGE_URL in summary
    assert page.locator(".rn-import-paragraphs li").count() == 7
    assert not Article.objects.exists()
    assert_clean_and_accessible(page)

    page.click("#import-confirm-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    article = Article.objects.get()
    assert page.url.endswith(reverse("admin:articleapp_article_change", args=[article.pk]))
    assert "mit 7 Absätzen importiert" in page.locator(".messagelist").inner_text()
    page.problems.assert_clean()
