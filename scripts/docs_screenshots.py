"""Take the README's screenshots of the reading page (wide, narrow, dark) with Debian's Chromium.

Usage: start the app (``make run``), then ``.venv/bin/python scripts/docs_screenshots.py
[BASE_URL]``. Writes ``docs/reading-page-{wide,narrow,dark}.png``.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent.parent / "docs"
ARTICLE = "/articles/ki-fuer-buerger-mistral-ai-bezieht-stellung-gegen-big-tech/"
SHOTS = {
    "reading-page-wide.png": {"viewport": {"width": 1280, "height": 1500}},
    "reading-page-narrow.png": {"viewport": {"width": 390, "height": 1400}, "is_mobile": True},
    "reading-page-dark.png": {"viewport": {"width": 1280, "height": 1100}, "color_scheme": "dark"},
}


def main(base_url="http://127.0.0.1:8000"):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for name, options in SHOTS.items():
            page = browser.new_context(**options).new_page()
            page.goto(base_url + ARTICLE)
            if name == "reading-page-dark.png":
                page.locator(".card").nth(1).hover()
            page.screenshot(path=DOCS / name)
            print(f"wrote docs/{name}")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
