"""Measure the fallback fonts' descriptors in site.css with Debian's Chromium.

Usage: start the app (``make run``), then ``.venv/bin/python scripts/fallback_metrics.py
[BASE_URL]``. Sets the reading page's text and its margin in each web font and in its fallback
(Liberation Serif and Liberation Sans, metric-compatible with Times New Roman and Arial), and
prints ``size-adjust`` (the ratio of their widths) and the ascent and descent overrides that
give the fallback the web font's line box.
"""

import sys

from playwright.sync_api import sync_playwright

ARTICLE = "/articles/ki-fuer-buerger-mistral-ai-bezieht-stellung-gegen-big-tech/"
PAIRS = [
    ("Source Serif 4", "Liberation Serif", ".paragraph-text", ["400", "700", "italic 400"]),
    ("Source Sans 3", "Liberation Sans", ".margin, .article-head, .overview", ["400", "700"]),
]
MEASURE = """async ([family, style, selector]) => {
    const text = [...document.querySelectorAll(selector)].map(e => e.textContent).join(' ');
    const font = `${style} 1000px "${family}"`;
    await document.fonts.load(font, text);
    const context = document.createElement('canvas').getContext('2d');
    context.font = font;
    const metrics = context.measureText(text.replace(/\\s+/g, ' '));
    return {
        width: metrics.width,
        ascent: metrics.fontBoundingBoxAscent / 1000,
        descent: metrics.fontBoundingBoxDescent / 1000,
    };
}"""


def main(base_url="http://127.0.0.1:8000"):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        page.goto(base_url.rstrip("/") + ARTICLE)
        for web_font, fallback, selector, styles in PAIRS:
            for style in styles:
                web = page.evaluate(MEASURE, [web_font, style, selector])
                local = page.evaluate(MEASURE, [fallback, style, selector])
                scale = web["width"] / local["width"]
                print(
                    f'"{web_font} Fallback" {style} ({fallback}): '
                    f"size-adjust: {scale:.1%}; "
                    f"ascent-override: {web['ascent'] / scale:.1%}; "
                    f"descent-override: {web['descent'] / scale:.1%}; line-gap-override: 0%;"
                )
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
