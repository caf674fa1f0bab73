"""Spider middleware that keeps known articles from being fetched again."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.storage.base import Store, StoreError
from crawler.storage.shared import store_for

logger = logging.getLogger(__name__)


class KnownArticleFilter:
    """Drop detail requests (``meta["article"]``) whose public URL is already in the store.

    ``meta["public_url"]`` is the URL on the real site when the crawl runs against a local
    mirror (``-a base_url``); the spider's ``full`` argument turns the filter off.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._store: Store | None = None
        self.stats: StatsCollector | None = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownArticleFilter:
        return cls(crawler)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = store_for(self.crawler)
        return self._store

    def _keep(self, obj: Any, spider: Any) -> bool:
        if not isinstance(obj, Request) or not obj.meta.get("article"):
            return True
        if getattr(spider, "full", False):
            return True
        url = obj.meta.get("public_url") or obj.url
        try:
            known = self.store.has_url(url)
        except StoreError:
            return True  # the store is down: fetch, the store pipeline spills what comes
        if known:
            if self.stats is not None:
                self.stats.inc_value("article/skipped/known")
            logger.debug("skipped known article %s", url)
            return False
        return True

    def process_spider_output(
        self, response: Any, result: Iterable[Any], spider: Any = None
    ) -> Iterator[Any]:
        for obj in result:
            if self._keep(obj, spider or self.crawler.spider):
                yield obj

    async def process_spider_output_async(
        self, response: Any, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        async for obj in result:
            if self._keep(obj, spider or self.crawler.spider):
                yield obj

    def process_start_requests(self, start_requests: Iterable[Any], spider: Any) -> Iterable[Any]:
        return start_requests
