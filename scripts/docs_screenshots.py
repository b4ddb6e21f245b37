"""Take the README's screenshots of the reading page (wide, phone, dark) with Debian's Chromium.

Usage: start the app (``make run``), then ``.venv/bin/python scripts/docs_screenshots.py
[BASE_URL]``. Writes ``docs/reading-page-{wide,narrow,dark}.png``: the first screen at 1440 × 900,
a phone at 390 × 844 (the first one and a half screens), and 1280 × 800 in dark mode with the
popover of a repeated mention open.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent.parent / "docs"
ARTICLE = "/articles/ki-fuer-buerger-mistral-ai-bezieht-stellung-gegen-big-tech/"
SHOTS = {
    "reading-page-wide.png": {"viewport": {"width": 1440, "height": 900}},
    "reading-page-narrow.png": {
        "viewport": {"width": 390, "height": 1266},
        "is_mobile": True,
        "has_touch": True,
    },
    "reading-page-dark.png": {"viewport": {"width": 1280, "height": 800}, "color_scheme": "dark"},
}


def open_popover(page):
    """Open the popover of the first repeated mention below the first screen, as a click would."""
    link = page.locator("#p-6 a.hl-link[aria-controls]").first
    link.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 260)")
    link.click()


def main(base_url="http://127.0.0.1:8000"):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for name, options in SHOTS.items():
            page = browser.new_context(**options).new_page()
            # Twice: the fonts (font-display: optional) are cached after the first visit.
            for _ in range(2):
                page.goto(base_url + ARTICLE)
                page.evaluate("document.fonts.ready")
            if name == "reading-page-dark.png":
                open_popover(page)
            page.wait_for_timeout(300)
            page.screenshot(path=DOCS / name)
            print(f"wrote docs/{name}")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
