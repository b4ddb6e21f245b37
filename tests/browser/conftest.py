"""Playwright driving Debian's Chromium against the live test server.

Never downloads a browser. Outside CI the browser tests skip when Chromium is absent; with
``CI=true`` a missing browser fails the run.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the tests' own ORM calls are
# still synchronous and made between browser steps, never concurrently with them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_missing_reason():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-liberation)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = chromium_missing_reason()
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if reason and os.environ.get("CI", "").lower() != "true":
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    reason = chromium_missing_reason()
    if reason:
        pytest.fail(f"browser tests need Chromium in CI: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProblems:
    """Console errors, uncaught exceptions, dialogs and CSP violations seen by a page."""

    def __init__(self, page):
        self.console_errors = []
        self.page_errors = []
        self.dialogs = []
        page.on(
            "console",
            lambda message: message.type == "error" and self.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

        def on_dialog(dialog):
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

    def csp_violations(self):
        return [text for text in self.console_errors if "Content Security Policy" in text]

    def assert_clean(self):
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.dialogs == []


def new_page(browser, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.problems = PageProblems(page)
    return context, page


@pytest.fixture
def page(browser):
    """A fresh page at 1280×900 in light mode; ``page.problems`` collects errors."""
    context, page = new_page(browser, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def make_page(browser):
    """Open more pages with their own context options (viewport, colour scheme, JS off…)."""
    contexts = []

    def factory(**options):
        context, page = new_page(browser, **options)
        contexts.append(context)
        return page

    yield factory
    for context in contexts:
        context.close()
