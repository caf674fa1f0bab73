"""Downloader middlewares of the project."""

from __future__ import annotations

import codecs
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet.task import deferLater

from crawler.extract.dom import collapse_tag_runs
from crawler.extract.encoding import detect_encoding
from crawler.urls import host_allowed

logger = logging.getLogger(__name__)


def _norm(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name.lower()


class CharsetMiddleware:
    """Reads every text response as its bytes say (``crawler.extract.encoding``).

    Scrapy trusts the declared charset and guesses UTF-8, then cp1252, when there is none; real
    pages declare ``gb2312`` over UTF-8 bytes, or nothing over GBK bytes. The response is
    re-declared with the encoding the bytes show, so the spider and extraction see the text a
    reader sees. Counted as ``charset/corrected``.
    """

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.stats = crawler.stats if crawler is not None else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Spider) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        content_type = response.headers.get(b"Content-Type")
        header = content_type.decode("latin-1") if content_type else None
        encoding = detect_encoding(response.body, header)
        if _norm(encoding) == _norm(response.encoding):
            return response
        logger.debug("%s: read as %s, not %s", response.url, encoding, response.encoding)
        if self.stats is not None:
            self.stats.inc_value("charset/corrected")
        return response.replace(encoding=encoding)


class TagRunMiddleware:
    """Reads a run of 64 or more identical tags as one (``dom.collapse_tag_runs``): libxml2 drops
    what lies deeper than about 2,048 elements, so an article wrapped in 10,000 ``<div>`` would be
    lost. Counted as ``html/tag_runs_collapsed``."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.stats = crawler.stats if crawler is not None else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TagRunMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Spider) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        body = collapse_tag_runs(response.body)
        if body is response.body:
            return response
        if self.stats is not None:
            self.stats.inc_value("html/tag_runs_collapsed")
        return response.replace(body=body)


class OffsiteRequest(IgnoreRequest):
    """A request (usually a redirect's target) outside the crawl's domains."""


class ScopeMiddleware:
    """Keeps every request, redirects included, on the spider's ``allowed_domains``.

    The spider sends its requests with ``dont_filter=True`` (the store, not Scrapy's fingerprints,
    is its dedup), which also switches off Scrapy's OffsiteMiddleware; and a redirect's target is
    scheduled as a new request. Here, at order 50, before robots.txt (100) and every download,
    each request is checked against the domains; one outside is ignored and counted as
    ``offsite/blocked`` (``offsite/redirect_blocked`` when a redirect led there).
    """

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        spider = spider or (self.crawler.spider if self.crawler is not None else None)
        domains = getattr(spider, "allowed_domains", None)
        if not domains or host_allowed(request.url, domains):
            return None
        redirected = bool(request.meta.get("redirect_times"))
        stats = self.crawler.stats if self.crawler is not None else None
        if stats is not None:
            stats.inc_value("offsite/redirect_blocked" if redirected else "offsite/blocked")
        logger.warning("not followed, outside %s: %s%s", ", ".join(domains), request.url,
                       " (redirect)" if redirected else "")  # fmt: skip
        raise OffsiteRequest(f"offsite: {request.url}")


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text[:9]))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries (same settings), waiting as long as a 429 or 503 says in ``Retry-After``.

    Scrapy retries a 429 at once; a server that asks for 30 s gets a burst. The wait is
    capped by ``RETRY_AFTER_MAX`` seconds: a longer one gives the request up
    (``retry/retry_after_too_long``), as hammering would not help.
    """

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.max_delay = settings.getfloat("RETRY_AFTER_MAX", 60.0)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        delay = None
        if response.status in (429, 503):
            delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        stats = self.crawler.stats
        if delay is not None:
            if delay > self.max_delay:
                if stats is not None:
                    stats.inc_value("retry/retry_after_too_long")
                logger.warning("%s asks to retry after %.0fs (more than %.0fs): given up",
                               request.url, delay, self.max_delay)  # fmt: skip
                return response
            if stats is not None:
                stats.inc_value("retry/retry_after")
            if delay > 0:
                from twisted.internet import reactor

                await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return self._retry(request, response_status_message(response.status)) or response
