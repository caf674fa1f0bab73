"""Pages rendered in the system Chromium through scrapy-playwright (the optional extra ``[browser]``).

Only a crawl that asks for rendering (a profile's ``listing.render`` / ``detail.render``, or
``-a render=...``) installs the Playwright download handler; its other requests, and every other
crawl, go through Scrapy's own HTTP handler. No browser is downloaded: the executable is
``BROWSER_EXECUTABLE`` or the first Chromium found on the PATH (Debian's ``chromium`` package).
"""

from __future__ import annotations

import logging
import os
import shutil
from typing import Any

from scrapy.settings import Settings

logger = logging.getLogger(__name__)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
RENDER_ARGUMENTS = {  # -a render=... -> (listing pages, detail pages) rendered
    "html": (False, False),
    "browser": (True, False),
    "listing": (True, False),
    "detail": (False, True),
    "both": (True, True),
}
_HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
_HEAVY = {"image", "media", "font"}  # what a rendered page never needs to build its list


class BrowserUnavailable(ValueError):
    """Rendering was asked for but cannot be done here; the message says how to fix it."""


def find_chromium(configured: str | None = None) -> str | None:
    """The Chromium to drive: ``configured`` when it is an executable, else one on the PATH."""
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def check(settings: Settings) -> str:
    """The Chromium executable to use; raises BrowserUnavailable saying what is missing."""
    try:
        import scrapy_playwright  # noqa: F401
    except ImportError as err:
        raise BrowserUnavailable("rendering needs scrapy-playwright: pip install -e '.[browser]'") from err
    configured = settings.get("BROWSER_EXECUTABLE")
    executable = find_chromium(configured)
    if executable is None:
        if configured:
            raise BrowserUnavailable(f"BROWSER_EXECUTABLE {configured!r} is not an executable file")
        raise BrowserUnavailable(
            "no Chromium found on the PATH: apt-get install chromium, or -s BROWSER_EXECUTABLE=/path"
        )
    return executable


def configure(settings: Settings) -> None:
    """Install the Playwright download handler on ``settings`` (before the crawl starts)."""
    executable = check(settings)
    handlers = {**settings.getdict("DOWNLOAD_HANDLERS"), "http": _HANDLER, "https": _HANDLER}
    timeout_ms = int(settings.getfloat("BROWSER_TIMEOUT", 15) * 1000)
    values: dict[str, Any] = {
        "DOWNLOAD_HANDLERS": handlers,
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": executable, "headless": True},
        # One context; at most BROWSER_CONCURRENCY pages open in it at a time.
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": settings.getint("BROWSER_CONCURRENCY", 2),
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": timeout_ms,
        "PLAYWRIGHT_ABORT_REQUEST": "crawler.browser.skip_heavy",
    }
    for name, value in values.items():
        settings.set(name, value, priority="spider")
    logger.info("rendering pages in %s (at most %d pages at a time)", executable,
                settings.getint("BROWSER_CONCURRENCY", 2))  # fmt: skip


def skip_heavy(request: Any) -> bool:
    """Images, media and fonts are not fetched by the rendering browser."""
    return str(getattr(request, "resource_type", "")) in _HEAVY


def render_meta(wait_for: str | None, timeout: float) -> dict[str, Any]:
    """Request meta that renders the page and waits, at most ``timeout`` seconds, for
    ``wait_for`` (a CSS selector) to appear, or for the network to go quiet when there is none.
    The page is closed once its HTML is taken (scrapy-playwright, without include_page)."""
    from scrapy_playwright.page import PageMethod

    return {
        "playwright": True,
        "playwright_page_methods": [PageMethod(wait_until_ready, wait_for, int(timeout * 1000))],
    }


async def wait_until_ready(page: Any, selector: str | None, timeout_ms: int) -> None:
    """Bounded wait: the selector (or a quiet network) or the timeout, whichever comes first.
    A timeout is not an error: the page is taken as it is and extraction decides."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    try:
        if selector:
            await page.wait_for_selector(selector, state="attached", timeout=timeout_ms)
        else:
            await page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except PlaywrightTimeout:
        logger.info("%s: still not ready after %d ms; taking the page as it is", page.url, timeout_ms)
