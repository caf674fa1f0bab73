"""``scrapy crawl`` that refuses to start, with one clear line, when its arguments are wrong or the
store, the browser or Redis is not there; exits 3 when a health check failed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Spider
from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError

from crawler.browser import RENDER_ARGUMENTS, BrowserUnavailable, check
from crawler.distributed import check_redis, configure
from crawler.errors import ConfigError, StoreError
from crawler.extract.pool import processes_for
from crawler.profiles import PROFILE_DIR, load_profiles, profile_for_url
from crawler.storage import open_store


class Command(ScrapyCrawl):
    def __init__(self) -> None:
        super().__init__()
        self.crawlers: list[Crawler] = []  # this run's crawlers, to read their manifests afterwards

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        spargs = getattr(opts, "spargs", {}) or {}
        # Scrapy's cmdline prints a UsageError as "scrapy crawl: error: <message>" after the usage
        # line and exits 2; print_help=False keeps the full help out of it.
        problem = _argument_problem(spargs, self.settings.getlist("PROFILE_DIRS"))
        problem = problem or _browser_problem(spargs, self.settings) or _settings_problem(self.settings)
        if problem:
            raise UsageError(problem, print_help=False)
        try:
            open_store(self.settings.get("STORE_URL")).close()
        except StoreError as err:
            raise UsageError(str(err), print_help=False) from err
        if configure(self.settings, site_name(spargs)):
            reason = check_redis(self.settings)
            if reason:
                raise UsageError(reason, print_help=False)
        super().run(args, opts)
        manifests = [m for m in (getattr(c, "manifest", None) for c in self.crawlers) if m is not None]
        for manifest in manifests:
            site = (manifest.manifest or {}).get("site", "?")
            for failure in manifest.failed_health:
                print(f"error: health check failed for {site}: {failure}", file=sys.stderr)
        if any(m.failed_health for m in manifests) and not self.exitcode:
            self.exitcode = 3
        # A crawl that did not finish (timeout, store or Redis lost, shutdown) exits 1, as its
        # manifest says, whatever Scrapy itself returns.
        statuses = [(m.manifest or {}).get("exit_status") for m in manifests]
        if any(status == 1 for status in statuses) and self.exitcode in (0, 3):
            self.exitcode = 1

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        crawler = super()._create_crawler(spidercls)
        self.crawlers.append(crawler)
        return crawler


def _argument_problem(spargs: dict[str, str], profile_dirs: list[str]) -> str | None:
    """What is wrong with the spider arguments, checked before Scrapy starts anything."""
    try:
        profiles = load_profiles([PROFILE_DIR, *(Path(d) for d in profile_dirs)])
    except ConfigError as err:
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


def _settings_problem(settings: Any) -> str | None:
    """What is wrong with a setting the spider reads, checked before Scrapy starts anything."""
    try:
        processes_for(settings.get("EXTRACTION_PROCESSES"))
    except ValueError as err:
        return str(err)
    return None


def _browser_problem(spargs: dict[str, str], settings: Any) -> str | None:
    """Why a crawl that renders pages (argument or profile) cannot start a browser here."""
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
    if spargs.get("site"):
        return spargs["site"]
    first = (spargs.get("start_url") or spargs.get("start_urls") or spargs.get("sitemap_url")
             or spargs.get("feed_url") or "").split(",")[0]  # fmt: skip
    return urlsplit(first).hostname or "unknown"
