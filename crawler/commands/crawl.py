"""``scrapy crawl`` that refuses to start, with one clear line, when the store cannot be opened."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.browser import RENDER_ARGUMENTS, BrowserUnavailable, check
from crawler.distributed import check_redis, configure
from crawler.storage.base import StoreError, open_store


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        spargs = getattr(opts, "spargs", {}) or {}
        problem = _argument_problem(spargs, self.settings.getlist("PROFILE_DIRS"))
        problem = problem or _browser_problem(spargs, self.settings)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            self.exitcode = 2
            return
        try:
            open_store(self.settings.get("STORE_URL")).close()
        except StoreError as err:
            print(f"error: {err}", file=sys.stderr)
            self.exitcode = 2
            return
        if configure(self.settings, site_name(spargs)):
            reason = check_redis(self.settings)
            if reason:
                print(f"error: {reason}", file=sys.stderr)
                self.exitcode = 2
                return
        super().run(args, opts)
        from crawler.extensions import FAILED_HEALTH

        for site, failures in FAILED_HEALTH.items():
            for failure in failures:
                print(f"error: health check failed for {site}: {failure}", file=sys.stderr)
        if FAILED_HEALTH and not self.exitcode:
            self.exitcode = 3


def _argument_problem(spargs: dict[str, str], profile_dirs: list[str]) -> str | None:
    """What is wrong with the spider arguments, checked before Scrapy starts anything."""
    from pathlib import Path

    from crawler.profiles import PROFILE_DIR, ProfileError, load_profiles

    try:
        profiles = load_profiles([PROFILE_DIR, *(Path(d) for d in profile_dirs)])
    except ProfileError as err:
        return f"invalid site profile: {err}"
    site = spargs.get("site")
    if site and (site not in profiles or profiles[site].abstract):
        known = ", ".join(sorted(n for n, p in profiles.items() if not p.abstract))
        return f"unknown site {site!r}; known sites: {known}"
    entries = ("start_url", "start_urls", "sitemap_url", "feed_url")
    if not site and not any(spargs.get(name) for name in entries):
        return "give -a site=NAME, -a start_url=URL, -a sitemap_url=URL or -a feed_url=URL"
    for name in ("start_url", "base_url", "sitemap_url", "feed_url"):
        value = spargs.get(name)
        if value and not value.startswith(("http://", "https://")):
            return f"{name} is not an http(s) URL: {value!r}"
    render = spargs.get("render")
    if render is not None and render not in RENDER_ARGUMENTS:
        return f"render must be one of {', '.join(RENDER_ARGUMENTS)}, not {render!r}"
    max_pages = spargs.get("max_pages")
    if max_pages is not None and not str(max_pages).isdigit():
        return f"max_pages must be a whole number, not {max_pages!r}"
    return None


def _browser_problem(spargs: dict[str, str], settings: Any) -> str | None:
    """Why a crawl that renders pages (argument or profile) cannot start a browser here."""
    from pathlib import Path

    from crawler.profiles import PROFILE_DIR, load_profiles, profile_for_url

    listing, detail = RENDER_ARGUMENTS.get(spargs.get("render") or "html", (False, False))
    if not (listing or detail):
        profiles = load_profiles([PROFILE_DIR, *(Path(d) for d in settings.getlist("PROFILE_DIRS"))])
        first = (spargs.get("start_url") or spargs.get("start_urls") or "").split(",")[0]
        profile = profiles.get(spargs.get("site") or "")
        if profile is None and first:
            profile = profile_for_url(first, profiles)
        if profile is None or not (profile.render_listing or profile.render_detail):
            return None
    try:
        check(settings)
    except BrowserUnavailable as err:
        return str(err)
    return None


def site_name(spargs: dict[str, str]) -> str:
    """The site a crawl is for: the profile name, or the host of its first start URL."""
    from urllib.parse import urlsplit

    if spargs.get("site"):
        return spargs["site"]
    first = (spargs.get("start_url") or spargs.get("start_urls") or spargs.get("sitemap_url")
             or spargs.get("feed_url") or "").split(",")[0]  # fmt: skip
    return urlsplit(first).hostname or "unknown"
