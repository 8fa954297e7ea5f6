#!/usr/bin/env python3
"""Screenshot a few pages at three viewport widths with Playwright."""
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

WIDTHS = {"phone": 390, "tablet": 820, "desktop": 1440}


def main() -> None:
    base, *paths = sys.argv[1:]
    out = Path("screenshots")
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch()
        for label, width in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": 900})
            for path in paths or ["/"]:
                page.goto(base.rstrip("/") + path, wait_until="networkidle")
                name = (path.strip("/") or "home").replace("/", "_")
                page.screenshot(path=out / f"{name}-{label}.png", full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
