"""Re-extraction: today's extraction over archived pages (WARC), into the store's dedup and versions.

    python -m crawler reextract WARC... | --warc-dir DIR [--site NAME] [--store URL]

Each archived article page (the crawler's metadata record says ``kind: article``; a page of a
WARC written by another tool counts when it is an HTML 200) is read as a crawl reads it:
the bytes decoded as the charset middleware does, the profile picked by the recorded site or the
URL's host, continuation pages joined from the same archive, then normalized and validated as the
pipelines do. Only the newest archived copy of a URL counts. Against the store:

- fields as stored: unchanged, nothing written;
- any extracted field changed: a new version (the old one goes to the history), as a re-crawl does;
- not stored: stored as new (or recorded as an alias of the same text under another URL);
- not an article, or not valid: dropped, counted by reason.

``crawled_at`` is the time the page was archived, so nothing moves but what extraction changed.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from parsel import Selector

from crawler import settings as defaults
from crawler.extract import html_selector, parse_article
from crawler.extract.encoding import detect_encoding, is_mojibake
from crawler.items import Article
from crawler.pipelines.normalize import NormalizePipeline
from crawler.pipelines.validate import validation_error
from crawler.profiles import Profile, profile_for_url
from crawler.storage.base import Outcome, Store
from crawler.urls import canonicalize, rebase, url_key
from crawler.warc import ArchivedPage, iter_pages

COMPARED = ("title", "outlet", "published_at", "published_at_raw", "body", "language", "category",
            "author", "editor")  # fmt: skip
_HTML_TYPES = ("text/html", "application/xhtml")


def digest(article: Article) -> str:
    """Fingerprint of the extracted fields a re-extraction may change."""
    data = article.to_dict()
    text = "\x1f".join(str(data.get(name) or "") for name in COMPARED)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _crawled_at(warc_date: str | None) -> str | None:
    if not warc_date:
        return None
    try:
        return datetime.fromisoformat(warc_date.replace("Z", "+00:00")).replace(microsecond=0).isoformat()
    except ValueError:
        return None


def is_article_page(page: ArchivedPage) -> bool:
    kind = page.metadata.get("kind")
    if kind is not None:
        return bool(kind == "article")
    content_type = (page.header("Content-Type") or "").lower()
    return page.status == 200 and content_type.startswith(_HTML_TYPES)


@dataclass
class Extraction:
    """One archived article page extracted: the article, or why there is none."""

    page: ArchivedPage
    article: Article | None
    reason: str | None
    fields: dict[str, Any] = field(default_factory=dict)


class PageExtractor:
    """The spider's detail-page path (decode, extract, join continuations, emit) over archived pages."""

    def __init__(self, profiles: dict[str, Profile], timezone: str = defaults.DEFAULT_TIMEZONE,
                 continuations: dict[str, ArchivedPage] | None = None) -> None:  # fmt: skip
        self.profiles = profiles
        self.timezone = timezone
        self.continuations = continuations or {}
        self.normalize = NormalizePipeline()

    def _profile(self, page: ArchivedPage, public_url: str) -> Profile | None:
        name = page.metadata.get("profile")
        if name and name in self.profiles:
            return self.profiles[name]
        if "profile" in page.metadata:  # the crawl had no profile: generic mode again
            return None
        return profile_for_url(public_url, self.profiles)

    @staticmethod
    def _selector(page: ArchivedPage) -> tuple[Selector, str] | None:
        content_type = page.header("Content-Type")
        encoding = detect_encoding(page.body, content_type)
        try:
            text = page.body.decode(encoding, errors="replace")
        except LookupError:
            text = page.body.decode("utf-8", errors="replace")
        return html_selector(text), text

    def extract(self, page: ArchivedPage) -> Extraction:
        if page.status != 200:
            return Extraction(page, None, f"http_{page.status}")
        public_url = page.metadata.get("public_url") or page.url
        profile = self._profile(page, public_url)
        selected = self._selector(page)
        if selected is None:
            return Extraction(page, None, "not_text")
        sel, text = selected
        if is_mojibake(text):
            return Extraction(page, None, "mojibake")
        fields = parse_article(sel, page.url, profile, timezone=self.timezone)
        for url in fields.continuation_urls:
            more_page = self.continuations.get(url)
            if url == page.url or more_page is None:
                continue
            more_sel, _ = self._selector(more_page) or (None, "")
            if more_sel is None:
                continue
            more = parse_article(more_sel, more_page.url, profile, timezone=self.timezone)
            if more.body:
                fields.body = f"{fields.body}\n\n{more.body}" if fields.body else more.body
        as_dict = fields.as_dict()
        if not fields.is_article:
            return Extraction(page, None, fields.reason or "not_article", as_dict)
        site = page.metadata.get("site") or (profile.name if profile else urlsplit(page.url).hostname)
        mirror, public = _origin(page.url), _origin(public_url)
        canonical_src = fields.canonical_url or page.url
        if mirror != public:
            canonical_src = rebase(canonical_src, mirror, public)
        article = Article(
            url=page.url,
            canonical_url=canonicalize(canonical_src, profile.noise_params if profile else ()),
            site=site,
            crawled_at=_crawled_at(page.date),
            listing_url=page.metadata.get("listing_url"),
            **fields.item_values(lambda url: rebase(url, mirror, public) if mirror != public else url),
        )
        self.normalize.process_item(article)
        reason = validation_error(ItemAdapter(article))
        if reason is not None:
            return Extraction(page, None, reason, as_dict)
        return Extraction(page, article, None, as_dict)


def site_of(page: ArchivedPage, profiles: dict[str, Profile]) -> str:
    if page.metadata.get("site"):
        return str(page.metadata["site"])
    profile = profile_for_url(page.metadata.get("public_url") or page.url, profiles)
    return profile.name if profile else (urlsplit(page.url).hostname or "")


@dataclass
class Plan:
    """What the first pass over the archive found: the newest copy of each article page."""

    newest: dict[str, int] = field(default_factory=dict)  # URL -> index of its newest copy
    continuations: dict[str, ArchivedPage] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.newest)


def plan(files: list[Path], profiles: dict[str, Profile], site: str | None) -> Plan:
    out = Plan()
    for index, page in enumerate(iter_pages(files)):
        if page.metadata.get("kind") == "continuation":
            out.continuations[page.url] = page
        elif is_article_page(page) and (site is None or site_of(page, profiles) == site):
            out.newest[page.url] = index
    return out


def articles(files: list[Path], profiles: dict[str, Profile], timezone: str, site: str | None = None,
             the_plan: Plan | None = None, processes: int = 0,
             pool_after: int = defaults.EXTRACTION_POOL_AFTER) -> Iterator[Extraction]:  # fmt: skip
    """The extraction of the newest archived copy of every article page of ``files``, in archive
    order; in ``processes`` worker processes when that is above 0 and the archive holds more than
    ``pool_after`` article pages (starting workers costs more than extracting a few pages)."""
    the_plan = the_plan or plan(files, profiles, site)
    pages = (page for index, page in enumerate(iter_pages(files)) if the_plan.newest.get(page.url) == index)
    if processes < 1 or the_plan.total <= pool_after:
        yield from map(PageExtractor(profiles, timezone, the_plan.continuations).extract, pages)
        return
    spawn = multiprocessing.get_context("spawn")  # never fork a process that may run threads
    initargs = (profiles, timezone, the_plan.continuations)
    pool = ProcessPoolExecutor(processes, mp_context=spawn, initializer=_start_worker, initargs=initargs)
    with pool:
        # A bounded window of pages in flight: the archive is never read into memory at once.
        window: deque[Future[Extraction]] = deque()
        for page in pages:
            window.append(pool.submit(_extract_in_worker, page))
            if len(window) >= processes * _PAGES_IN_FLIGHT:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


_PAGES_IN_FLIGHT = 8  # per worker process
_worker_extractor: PageExtractor | None = None  # each worker process's own, set by _start_worker


def _start_worker(
    profiles: dict[str, Profile], timezone: str, continuations: dict[str, ArchivedPage]
) -> None:
    global _worker_extractor
    _worker_extractor = PageExtractor(profiles, timezone, continuations)


def _extract_in_worker(page: ArchivedPage) -> Extraction:
    assert _worker_extractor is not None, "a worker extracts only after _start_worker"
    return _worker_extractor.extract(page)


class ProgressBar:
    """``[#####.....] 120/500 pages`` on a terminal, redrawn at most ten times a second."""

    def __init__(self, total: int, out: IO[str] = sys.stderr, width: int = 30) -> None:
        self.total, self.out, self.width = total, out, width
        self.live = out.isatty()
        self.done = 0
        self._last = 0.0

    def step(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.live and (now - self._last >= 0.1 or self.done == self.total):
            self._last = now
            filled = self.width * self.done // max(self.total, 1)
            self.out.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} pages")
            self.out.flush()

    def close(self) -> None:
        if self.live:
            self.out.write("\n")
            self.out.flush()


@dataclass
class Tally:
    read: int = 0
    changed: int = 0
    unchanged: int = 0
    new: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def render(self) -> str:
        dropped = sum(self.dropped.values())
        reasons = ", ".join(f"{k} {v}" for k, v in self.dropped.most_common())
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        return (f"read {self.read} pages: changed {self.changed}, unchanged {self.unchanged}, "
                f"new {self.new}, dropped {dropped}" + (f" ({reasons})" if reasons else "")
                + f"; {self.seconds:.1f} s, {rate:.0f} pages/s")  # fmt: skip


def stored_digests(store: Store, sites: Iterable[str | None]) -> dict[str, str]:
    out: dict[str, str] = {}
    for site in sites:
        for article in store.iter_articles(site=site):
            out[url_key(article.canonical_url or article.url)] = digest(article)
    return out


def reextract(
    files: list[Path],
    store: Store,
    profiles: dict[str, Profile],
    timezone: str,
    site: str | None = None,
    progress: Callable[[int], ProgressBar] | None = None,
    processes: int = 0,
    pool_after: int = defaults.EXTRACTION_POOL_AFTER,
) -> Tally:
    """Run today's extraction over the archive into ``store`` (in ``processes`` worker processes
    when above 0, while this process stores); what happened, counted."""
    started = time.monotonic()
    the_plan = plan(files, profiles, site)
    bar = (progress or ProgressBar)(the_plan.total)
    stored = stored_digests(store, [site])
    tally = Tally()
    for result in articles(files, profiles, timezone, site, the_plan, processes, pool_after):
        tally.read += 1
        bar.step()
        article = result.article
        if article is None:
            tally.dropped[result.reason or "unknown"] += 1
            continue
        key = url_key(article.canonical_url or article.url)
        before = stored.get(key)
        now = digest(article)
        if before == now:
            tally.unchanged += 1
            continue
        outcome = store.add(article) if before is None else store.replace(article)
        stored[key] = now
        if outcome is Outcome.NEW:
            tally.new += 1
        elif outcome is Outcome.UPDATED:
            tally.changed += 1
        else:
            tally.unchanged += 1
    store.flush()
    bar.close()
    tally.seconds = time.monotonic() - started
    return tally
