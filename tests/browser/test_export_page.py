"""The staff export page in Chromium: an admin page with controls of normal size, presets that
download the published annotations as CSV, and a layout that fits a phone."""

import codecs
from pathlib import Path

import pytest
from django.urls import reverse

from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-passphrase"


@pytest.fixture
def exporter(db):
    """A staff user who may export, and an article with a published and a draft note."""
    paragraph = make_article(paragraphs=["Die Bürgerinitiative in Köln tagt."]).paragraphs.get()
    annotate_quote(paragraph, "Bürgerinitiative")
    annotate_quote(paragraph, "Köln", status=Annotation.Status.DRAFT)
    # The group Exporters comes from a migration, which a transactional test's flush removes.
    user = make_user(
        username="exporteurin", is_staff=True, permissions=["articleapp.export_annotations"]
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def open_export_page(page, live_server, user):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    page.click("#user-tools a[href='/export/']")
    page.wait_for_selector("#export-form")


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_export_page_looks_like_the_admin_at_1280(page, live_server, exporter):
    """Admin header and breadcrumbs; selects, radios and the button at the admin's own sizes."""
    open_export_page(page, live_server, exporter)
    assert page.locator("#header #branding").is_visible()
    assert page.locator(".breadcrumbs").is_visible()
    assert page.locator("#id_status").input_value() == "published"
    assert page.locator("input[name=format][value=csv]").is_checked()
    status, articles = box(page, "#id_status"), box(page, "#id_article")
    assert status["height"] >= 28 and status["width"] >= 100
    assert articles["height"] >= 100 and articles["width"] >= 300
    radio = box(page, "input[name=format]")
    assert radio["width"] >= 12 and radio["height"] >= 12
    submit = box(page, ".submit-row input[type=submit]")
    assert submit["height"] >= 30
    font_size = page.locator("#id_status").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font_size >= 13
    page.problems.assert_clean()


def test_the_presets_download_published_annotations_and_excel_keeps_umlauts(
    page, live_server, exporter
):
    """Export with the presets, then as CSV for Excel: published only, BOM and semicolons."""
    open_export_page(page, live_server, exporter)
    with page.expect_download() as download:
        page.click(".submit-row input[type=submit]")
    body = Path(download.value.path()).read_bytes().decode()
    assert "Bürgerinitiative" in body and "Köln" not in body.split("\r\n", 1)[1]
    page.goto(live_server.url + "/export/")
    page.check("input[name=format][value=csv-excel]")
    with page.expect_download() as download:
        page.click(".submit-row input[type=submit]")
    assert download.value.suggested_filename.endswith(".csv")
    excel = Path(download.value.path()).read_bytes()
    assert excel.startswith(codecs.BOM_UTF8)
    assert excel.decode("utf-8-sig").startswith("id;article;paragraph;")


def test_export_page_fits_a_phone(make_page, live_server, exporter):
    """At 390 px nothing runs past the screen's edge and the controls fill its width."""
    page = make_page(viewport={"width": 390, "height": 844})
    open_export_page(page, live_server, exporter)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert box(page, "#id_status")["width"] >= 250
    page.problems.assert_clean()
