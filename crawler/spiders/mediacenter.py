"""The ``mediacenter`` spider: listing pages -> pagination -> detail pages -> Article items.

scrapy crawl mediacenter -a site=smartchina_expo [-a base_url=http://127.0.0.1:PORT]
scrapy crawl mediacenter -a start_url=http://example.gov.cn/xwfb/index.html
scrapy crawl mediacenter -a start_urls=URL1,URL2 -a max_pages=5 -a full=1
scrapy crawl mediacenter -a start_url=http://example.com/press/ -a render=browser   # pages built by scripts
scrapy crawl mediacenter -a sitemap_url=http://example.gov.cn/sitemap.xml -a feed_url=http://example.gov.cn/rss.xml
scrapy crawl mediacenter -a start_url=http://example.gov.cn/xwfb/ -a discover=1
"""

from __future__ import annotations

import logging
import os
import resource
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypeGuard
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse, XmlResponse
from scrapy.utils.response import get_base_url
from twisted.python.failure import Failure

from crawler import browser
from crawler import settings as defaults
from crawler.distributed import finish
from crawler.errors import ConfigError
from crawler.extract import parse_listing
from crawler.extract.article import ArticleFields
from crawler.extract.encoding import is_mojibake
from crawler.extract.entrypoints import feed_links, read_feed, read_sitemap, robots_sitemaps
from crawler.extract.listing import Entry
from crawler.extract.pool import ExtractionPool, ExtractionWorkers, Page, extract, processes_for
from crawler.extract.scripted import script_built_list
from crawler.families.base import ApiCall, Limits, family_for
from crawler.incremental import Policy, decide
from crawler.items import Article
from crawler.profiles import PROFILE_DIR, Profile, is_xpath, load_profiles, profile_for_url
from crawler.storage.base import StoreError
from crawler.storage.shared import store_for
from crawler.urls import canonicalize, rebase

logger = logging.getLogger(__name__)


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}



def _page(response: TextResponse) -> Page:
    """What the extractor reads of an article page, in this process or a worker: the same text,
    URL and base URL, parsed the same way (``Page.selector``)."""
    kind: Literal["html", "xml"] = "xml" if isinstance(response, XmlResponse) else "html"
    return Page(response.text, response.url, get_base_url(response), kind)

class MediaCenterSpider(scrapy.Spider):
    name = "mediacenter"

    def __init__(
        self,
        site: str | None = None,
        base_url: str | None = None,
        start_url: str | None = None,
        start_urls: str | None = None,
        max_pages: str | int | None = None,
        full: str | bool | None = None,
        render: str | None = None,
        sitemap_url: str | None = None,
        feed_url: str | None = None,
        discover: str | bool | None = None,
        profile_dirs: list[str] | None = None,
        default_timezone: str = defaults.DEFAULT_TIMEZONE,
        default_max_pages: int = defaults.MAX_LISTING_PAGES,
        max_links: int = defaults.MAX_LINKS_PER_LISTING,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        dirs = [PROFILE_DIR, *(Path(d) for d in profile_dirs or [])]
        try:
            profiles = load_profiles(dirs)
        except ConfigError as err:
            raise ValueError(f"invalid site profile: {err}") from err
        urls = [u.strip() for u in (start_urls or "").split(",") if u.strip()]
        if start_url:
            urls.insert(0, start_url.strip())
        sitemaps = [u.strip() for u in (sitemap_url or "").split(",") if u.strip()]
        feeds = [u.strip() for u in (feed_url or "").split(",") if u.strip()]
        self.profile: Profile | None = None
        if site:
            if site not in profiles or profiles[site].abstract:
                known = ", ".join(sorted(n for n, p in profiles.items() if not p.abstract))
                raise ValueError(f"unknown site {site!r}; known sites: {known}")
            self.profile = profiles[site]
        elif urls or sitemaps or feeds:
            self.profile = profile_for_url((urls or sitemaps or feeds)[0], profiles)
        if not (urls or sitemaps or feeds):
            if self.profile is None:
                raise ValueError("give -a site=NAME, -a start_url=URL, -a sitemap_url=URL or -a feed_url=URL")
            urls = list(self.profile.start_urls)
            sitemaps = list(self.profile.sitemaps)
            feeds = list(self.profile.feeds)
        self.base_url = base_url.rstrip("/") if base_url else None
        if self.base_url and self.profile:
            urls = [rebase(u, self.profile.origin, self.base_url) for u in urls]
            sitemaps = [rebase(u, self.profile.origin, self.base_url) for u in sitemaps]
            feeds = [rebase(u, self.profile.origin, self.base_url) for u in feeds]
        for url in [*urls, *sitemaps, *feeds]:
            if urlsplit(url).scheme not in {"http", "https"}:
                raise ValueError(f"not an http(s) URL: {url!r}")
        self.start_urls = urls
        self.sitemap_urls = sitemaps
        self.feed_urls = feeds
        self.discover = _truthy(discover) if discover is not None else False
        first = (urls or sitemaps or feeds)[0]
        self.site = self.profile.name if self.profile else (urlsplit(first).hostname or "unknown")
        hosts = {urlsplit(u).hostname or "" for u in [*urls, *sitemaps, *feeds]}
        if self.profile and not self.base_url:
            hosts |= set(self.profile.domains)
        self.allowed_domains = sorted(h for h in hosts if h)
        self.max_pages = int(max_pages) if max_pages else default_max_pages
        if self.profile and self.profile.pagination.max_pages and not max_pages:
            self.max_pages = self.profile.pagination.max_pages
        self.full = _truthy(full) if full is not None else False
        if render is not None and render not in browser.RENDER_ARGUMENTS:
            raise ValueError(f"render must be one of {', '.join(browser.RENDER_ARGUMENTS)}, not {render!r}")
        listing_arg, detail_arg = browser.RENDER_ARGUMENTS[render or "html"]
        self.render_listing = listing_arg or bool(self.profile and self.profile.render_listing)
        self.render_detail = detail_arg or bool(self.profile and self.profile.render_detail)
        self.browser_timeout = 15.0
        self.max_links = max_links
        self.default_timezone = default_timezone
        self._listing_pages: dict[str, set[str]] = {}
        self._quiet_pages: dict[str, int] = {}
        self._scheduled: set[str] = set()
        self._entry_points: set[str] = set()  # sitemaps and feeds requested (found ones included)
        self.policy = Policy(incremental=False)
        self.distributed = False
        self.extraction = ExtractionWorkers(0, 0)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> MediaCenterSpider:
        kwargs.setdefault("profile_dirs", crawler.settings.getlist("PROFILE_DIRS"))
        settings = crawler.settings
        kwargs.setdefault("default_timezone", settings.get("DEFAULT_TIMEZONE", defaults.DEFAULT_TIMEZONE))
        max_pages = settings.getint("MAX_LISTING_PAGES", defaults.MAX_LISTING_PAGES)
        kwargs.setdefault("default_max_pages", max_pages)
        max_links = settings.getint("MAX_LINKS_PER_LISTING", defaults.MAX_LINKS_PER_LISTING)
        kwargs.setdefault("max_links", max_links)
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, cls)
        if spider.render_listing or spider.render_detail:
            # Settings may still change here (Scrapy >= 2.11): only a rendering crawl starts a browser.
            browser.configure(crawler.settings)
            spider.browser_timeout = crawler.settings.getfloat("BROWSER_TIMEOUT", 15)
        processes = processes_for(settings.get("EXTRACTION_PROCESSES", defaults.EXTRACTION_PROCESSES))
        after = settings.getint("EXTRACTION_POOL_AFTER", defaults.EXTRACTION_POOL_AFTER)
        spider.extraction = ExtractionWorkers(processes, after)
        crawler.signals.connect(spider._close_extraction, signal=signals.spider_closed)
        return spider

    def _close_extraction(self) -> None:
        if self.extraction.pool is not None:
            self.crawler.stats.set_value("extraction/pool_processes", self.extraction.processes)
            self.crawler.stats.set_value("extraction/pool_restarts", self.extraction.close())
            # The workers have exited and been waited for: the largest one's peak memory.
            rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            self.crawler.stats.set_value("extraction/worker_max_rss_mb", round(rss_kb / 1024))

    def listing_meta(self, **meta: Any) -> dict[str, Any]:
        """Meta of a listing page request: rendered, waiting for the profile's entries, when asked."""
        if self.render_listing:
            wait_for = self.profile.listing_entries if self.profile else None
            if wait_for and is_xpath(wait_for):
                wait_for = f"xpath={wait_for}"
            meta.update(browser.render_meta(wait_for, self.browser_timeout))
        return meta

    def detail_meta(self, **meta: Any) -> dict[str, Any]:
        if self.render_detail:
            wait_for = self.profile.fields.get("body") if self.profile else None
            if wait_for and is_xpath(wait_for):
                wait_for = f"xpath={wait_for}"
            meta.update(browser.render_meta(wait_for, self.browser_timeout))
        return meta

    # --- URLs -----------------------------------------------------------------------------------

    def public_url(self, url: str) -> str:
        """The URL on the real site: a local mirror's origin is mapped back to the profile's."""
        if self.base_url and self.profile:
            return rebase(url, self.base_url, self.profile.origin)
        return url

    def fetch_url(self, url: str) -> str:
        """Where to fetch a public URL: on the local mirror when there is one."""
        if self.base_url and self.profile:
            return rebase(url, self.profile.origin, self.base_url)
        return url

    def canonical(self, url: str) -> str:
        return canonicalize(self.public_url(url), self.profile.noise_params if self.profile else ())

    # --- Requests -------------------------------------------------------------------------------

    async def start(self) -> Any:
        self._open_run()
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        for url in self.start_urls:
            self._listing_pages[url] = {url}
            # dont_filter: a resumed job (JOBDIR) reads page 1 again to find what was lost.
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                                 meta=self.listing_meta(listing_root=url, discover=self.discover),
                                 dont_filter=True)  # fmt: skip
        for url in self.sitemap_urls:
            yield from self._entry_point(url, self.parse_sitemap)
        for url in self.feed_urls:
            yield from self._entry_point(url, self.parse_feed)
        if self.discover:
            origins = {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in self.start_urls}
            for origin in sorted(origins):
                yield scrapy.Request(f"{origin}/robots.txt", callback=self.parse_robots,
                                     errback=self.on_error, dont_filter=True)  # fmt: skip

    # --- Sitemaps and feeds ---------------------------------------------------------------------

    def _entry_point(self, url: str, callback: Any) -> Iterator[scrapy.Request]:
        if url in self._entry_points:
            return
        self._entry_points.add(url)
        yield scrapy.Request(url, callback=callback, errback=self.on_error, dont_filter=True,
                             meta={"listing_root": url})  # fmt: skip

    def _local(self, entries: list[Entry]) -> list[Entry]:
        """Entries named by their public URLs, to be fetched where this crawl fetches."""
        return [Entry(self.fetch_url(e.url), e.title, e.date) for e in entries]

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            yield from self._parse_sitemap(response)
        except Exception as err:
            self._page_failed(response, err)
        finally:
            self._done(response.request)

    def _parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        stats = self.crawler.stats
        page = read_sitemap(response.body, response.url, self.profile.timezone if self.profile else None)
        if not page.kind:
            stats.inc_value("sitemap/invalid")
            return
        stats.inc_value("sitemap/pages")
        for url, lastmod in page.sitemaps:
            watermark = self.policy.watermark
            if self.policy.incremental and watermark and lastmod and lastmod < watermark:
                stats.inc_value("sitemap/skipped_watermark")
                continue
            yield from self._entry_point(self.fetch_url(url), self.parse_sitemap)
        if page.entries:
            requests, _ = self._entries(response, self._local(page.entries), response.url)
            yield from requests

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            yield from self._parse_feed(response)
        except Exception as err:
            self._page_failed(response, err)
        finally:
            self._done(response.request)

    def _parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        entries = read_feed(response.body, response.url)
        self.crawler.stats.inc_value("feed/pages")
        if not entries:
            self.crawler.stats.inc_value("feed/empty")
            logger.warning("no entries in feed %s", response.url)
            return
        requests, _ = self._entries(response, self._local(entries), response.url)
        yield from requests

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            yield from self._parse_robots(response)
        except Exception as err:
            self._page_failed(response, err)
        finally:
            self._done(response.request)

    def _parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            return
        for url in robots_sitemaps(response.text, response.url):
            self.crawler.stats.inc_value("discover/sitemaps")
            yield from self._entry_point(self.fetch_url(url), self.parse_sitemap)

    # --- Incremental state ----------------------------------------------------------------------

    @property
    def _run_key(self) -> str:
        return f"run_active:{self.site}"

    def _open_run(self) -> None:
        """Decide between a full and an incremental crawl, and mark this run as active."""
        settings = self.crawler.settings
        self.distributed = settings.getbool("DISTRIBUTED")
        store = store_for(self.crawler)
        newest = store.newest_published(self.site)
        unfinished = store.get_meta(self._run_key)
        if unfinished and not self.full:
            logger.warning("the previous run of %s did not finish (%s): reading every listing page",
                           self.site, unfinished)  # fmt: skip
        incremental = not self.full and newest is not None and unfinished is None
        margin = timedelta(hours=settings.getfloat("WATERMARK_MARGIN_HOURS", 48))
        self.policy = Policy(
            incremental=incremental,
            stop_pages=settings.getint("INCREMENTAL_STOP_PAGES", 2),
            recheck=timedelta(hours=settings.getfloat("RECHECK_HOURS", 48)),
            watermark=datetime.fromisoformat(newest) - margin if incremental and newest else None,
            now=datetime.now(UTC),
        )
        self.crawler.stats.set_value("crawl/mode", "incremental" if incremental else "full")
        store.set_meta(self._run_key, f"pid {os.getpid()} started {self.policy.now:%Y-%m-%dT%H:%M:%SZ}")
        self.crawler.signals.connect(self._close_run, signal=signals.spider_closed)

    def _close_run(self, spider: Any, reason: str) -> None:
        finish(self.crawler.settings, self.site, reason)
        if reason == "finished":
            try:
                store_for(self.crawler).set_meta(self._run_key, None)
            except StoreError as err:
                logger.warning("could not clear the run marker of %s: %s", self.site, err)

    def _entries(self, response: Response, entries: list[Entry], listing_url: str) -> tuple[list[Any], bool]:
        """Requests for one listing page's entries, and whether the page held anything new."""
        if self.profile is not None:
            entries = [e for e in entries if self.profile.is_detail_url(e.url) is not False]
        if len(entries) > self.max_links:
            # A listing of 100,000 links is a trap or a dump, not a page of news.
            self.crawler.stats.inc_value("listing/links_truncated", len(entries) - self.max_links)
            logger.warning("%s lists %d entries: only the first %d are taken",
                           response.url, len(entries), self.max_links)  # fmt: skip
            entries = entries[: self.max_links]
        store = store_for(self.crawler)
        publics = [self.public_url(e.url) for e in entries]
        try:
            known = set() if self.full else store.known_urls(publics)
            published = store.published_times(known) if known else {}
        except StoreError as err:
            logger.warning("store lookup failed (%s): fetching every entry of %s", err, response.url)
            known, published = set(), {}
        decision = decide(entries, known, published, self.policy, self.public_url)
        stats = self.crawler.stats
        stats.inc_value("listing/entries", len(entries))
        if decision.known:
            stats.inc_value("article/skipped/known", decision.known)
        if decision.old:
            stats.inc_value("article/skipped/watermark", decision.old)
        if decision.recheck:
            stats.inc_value("article/rechecked", len(decision.recheck))
        requests = []
        for entry, recheck in [(e, False) for e in decision.fetch] + [(e, True) for e in decision.recheck]:
            if entry.url in self._scheduled:
                continue
            self._scheduled.add(entry.url)
            requests.append(
                response.follow(
                    entry.url,
                    callback=self.parse_article,
                    errback=self.on_error,
                    # Alone, dedup is the store's (and this run's set), which is safe to resume;
                    # distributed, the shared fingerprints keep workers off each other's pages.
                    dont_filter=not self.distributed,
                    meta=self.detail_meta(
                        article=True,
                        recheck=recheck,
                        public_url=self.public_url(entry.url),
                        listing_url=self.public_url(listing_url),
                    ),
                )
            )
        return requests, decision.has_new

    def _keep_paginating(self, root: str, has_new: bool) -> bool:
        """False once ``stop_pages`` consecutive pages of this listing held nothing new."""
        streak = 0 if has_new else self._quiet_pages.get(root, 0) + 1
        self._quiet_pages[root] = streak
        if self.policy.incremental and streak >= self.policy.stop_pages:
            self.crawler.stats.inc_value("listing/stopped_incremental")
            return False
        return True

    def parse(self, response: Response, **kwargs: Any) -> Any:
        return self.parse_listing(response)

    def _done(self, request: scrapy.Request | None) -> None:
        """Distributed: the request is handled; a lost worker's unhandled ones are given back."""
        scheduler = getattr(self, "scheduler_inflight", None)
        if scheduler is not None:
            scheduler.done(request)

    def _page_failed(self, response: Response, err: Exception) -> None:
        """A page whose parsing raised: the crawl goes on; the page is counted, logged and listed
        in the run manifest (``page/exception/<type>``)."""
        kind = type(err).__name__
        stats = self.crawler.stats
        stats.inc_value("page/exception")
        stats.inc_value(f"page/exception/{kind}")
        manifest = getattr(self.crawler, "manifest", None)
        if manifest is not None:
            manifest.record_failure(response.url, f"exception/{kind}")
        logger.error("page %s could not be read (%s: %s)", response.url, kind, err, exc_info=err)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            yield from self._parse_listing(response)
        except Exception as err:
            self._page_failed(response, err)
        finally:
            self._done(response.request)

    def _parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("listing/skipped/not_text")
            return
        self.crawler.stats.inc_value("listing/pages")
        if self.profile is not None and "listing_api" not in response.meta:
            call = family_for(self.profile.pagination.kind).first_call(response, self.profile.pagination)
            if call is not None:
                yield self._api_request(call, response.url)
                return
        if response.meta.get("discover"):
            for url in feed_links(response.text, response.url):
                self.crawler.stats.inc_value("discover/feeds")
                yield from self._entry_point(url, self.parse_feed)
        listing = parse_listing(response.selector, response.url, self.profile, timezone=self.default_timezone)
        if not listing.entries:
            self.crawler.stats.inc_value("listing/empty")
            scripted = None if response.meta.get("playwright") else script_built_list(response.selector)
            if scripted:
                self.crawler.stats.inc_value("article/skipped/needs_browser")
                logger.warning("no article entries on listing %s, which looks built by scripts (%s): "
                               "try -a render=browser", response.url, scripted)  # fmt: skip
            else:
                logger.warning("no article entries found on listing %s", response.url)
        requests, has_new = self._entries(response, listing.entries, response.url)
        yield from requests
        root = response.meta.get("listing_root", response.url)
        if not self._keep_paginating(root, has_new):
            return
        seen = self._listing_pages.setdefault(root, {root})
        for url in listing.next_urls:
            if url in seen:
                continue
            if len(seen) >= self.max_pages:
                self.crawler.stats.inc_value("listing/max_pages_reached")
                break
            seen.add(url)
            yield response.follow(url, callback=self.parse_listing, errback=self.on_error,
                                  meta=self.listing_meta(listing_root=root),
                                  dont_filter=not self.distributed)  # fmt: skip
            if self.policy.incremental:
                break  # one page at a time, so that the crawl can stop where nothing is new

    # --- List APIs (crawler.families: Hanweb, JSONP...) ----------------------------------------

    def _api_request(self, call: ApiCall, column_url: str) -> scrapy.Request:
        """A call of the list API of the column at ``column_url``: POST when it has a form."""
        meta = {"listing_api": True, "column_url": column_url, "api_state": dict(call.state)}
        if call.formdata is not None:
            return scrapy.FormRequest(call.url, formdata=dict(call.formdata), callback=self.parse_list_api,
                                      errback=self.on_error, meta=meta, dont_filter=True)  # fmt: skip
        return scrapy.Request(call.url, callback=self.parse_list_api, errback=self.on_error,
                              meta=meta, dont_filter=True)  # fmt: skip

    def parse_list_api(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            yield from self._parse_list_api(response)
        except Exception as err:
            self._page_failed(response, err)
        finally:
            self._done(response.request)

    def _parse_list_api(self, response: Response) -> Iterator[scrapy.Request]:
        assert self.profile is not None and isinstance(response, TextResponse)
        self.crawler.stats.inc_value("listing/api_pages")
        column_url = response.meta["column_url"]
        pagination = self.profile.pagination
        family, limits = family_for(pagination.kind), Limits(self.max_pages, self.default_timezone)
        page = family.read(response, column_url, response.meta["api_state"], pagination, limits)
        requests, has_new = self._entries(response, page.entries, column_url)
        yield from requests
        if not self._keep_paginating(column_url, has_new):
            return
        if page.next is not None:
            yield self._api_request(page.next, column_url)

    def parse_article(self, response: Response) -> Iterator[Any] | AsyncIterator[Any]:
        pool = self.extraction.pool_for_next_page()
        if pool is not None:
            return self._parse_article_pooled(response, pool)
        return self._parse_article(response)

    def _parse_article(self, response: Response) -> Iterator[Any]:
        try:
            if self._readable(response):
                fields = extract(_page(response), self.profile, self.default_timezone)
                yield from self._article(fields, response)
        except Exception as err:
            self._page_failed(response, err)
        finally:
            self._done(response.request)

    async def _parse_article_pooled(self, response: Response, pool: ExtractionPool) -> AsyncIterator[Any]:
        """``_parse_article`` with the extraction in a worker process (EXTRACTION_PROCESSES)."""
        try:
            if self._readable(response):
                fields = await pool.extract(_page(response), self.profile, self.default_timezone)
                for output in self._article(fields, response):
                    yield output
        except Exception as err:
            self._page_failed(response, err)
        finally:
            self._done(response.request)

    def _readable(self, response: Response) -> TypeGuard[TextResponse]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("article/skipped/not_text")
            return False
        if is_mojibake(response.text):
            # Bytes that decode to replacement characters under every declared charset.
            self.crawler.stats.inc_value("article/dropped/mojibake")
            logger.warning("dropped %s: mojibake (decoded as %s)", response.url, response.encoding)
            return False
        return True

    def _article(self, fields: ArticleFields, response: Response) -> Iterator[Any]:
        """The item of a first page, or the request for its next page when the article goes on."""
        pages = [u for u in fields.continuation_urls if u != response.url]
        if pages and fields.is_article:
            yield self._continue(fields, pages, response)
            return
        yield from self._emit(fields, response)

    def _continue(self, fields: ArticleFields, pages: list[str], response: Response) -> scrapy.Request:
        return response.follow(
            pages[0],
            callback=self.parse_continuation,
            errback=self.on_error,
            meta=self.detail_meta(
                **{k: v for k, v in response.meta.items() if k in {"listing_url", "public_url"}},
                first=fields,
                pages=pages[1:],
                first_url=response.meta.get("first_url", response.url),
            ),
            dont_filter=True,
        )

    def parse_continuation(self, response: Response) -> Iterator[Any]:
        try:
            yield from self._parse_continuation(response)
        except Exception as err:
            self._page_failed(response, err)
        finally:
            self._done(response.request)

    def _parse_continuation(self, response: Response) -> Iterator[Any]:
        first: ArticleFields = response.meta["first"]
        if isinstance(response, TextResponse):
            more = extract(_page(response), self.profile, self.default_timezone)
            if more.body:
                first.body = f"{first.body}\n\n{more.body}" if first.body else more.body
            known = {i["url"] for i in first.images} | {a["url"] for a in first.attachments}
            first.images += [i for i in more.images if i["url"] not in known]
            first.attachments += [a for a in more.attachments if a["url"] not in known]
            self.crawler.stats.inc_value("article/continuation_pages")
        pages: list[str] = response.meta["pages"]
        if pages:
            yield self._continue(first, pages, response)
            return
        yield from self._emit(first, response, url=response.meta["first_url"])

    def _emit(self, fields: ArticleFields, response: Response, url: str | None = None) -> Iterator[Article]:
        if not fields.is_article:
            self.crawler.stats.inc_value(f"article/skipped/{fields.reason}")
            logger.info("skipped %s: not an article (%s)", response.url, fields.reason)
            return
        page_url = url or response.url
        yield Article(
            url=page_url,
            canonical_url=self.canonical(fields.canonical_url or page_url),
            site=self.site,
            crawled_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
            listing_url=response.meta.get("listing_url"),
            **fields.item_values(self.public_url),
        )

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        self._done(request)
        url = request.url if request is not None else "?"
        reason = failure.type.__name__ if failure.type else "error"
        response = getattr(failure.value, "response", None)
        if response is not None:
            reason = f"http_{response.status}"
            if request is not None and request.meta.get("listing_api") and response.status == 404:
                # A list API answers 404 past its last page: the end of the list, not an error.
                self.crawler.stats.inc_value("listing/api_end")
                return
        self.crawler.stats.inc_value(f"request/failed/{reason}")
        manifest = getattr(self.crawler, "manifest", None)
        if manifest is not None:
            manifest.record_failure(url, reason)
        logger.warning("request failed %s: %s", url, reason)
