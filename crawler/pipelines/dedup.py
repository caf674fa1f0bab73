"""Dedup at URL level: an article whose canonical URL is already stored is not stored again."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawler.storage.base import Store
from crawler.storage.shared import store_for

logger = logging.getLogger(__name__)


class UrlDedupPipeline:
    def __init__(self, store: Store, stats: StatsCollector | None = None) -> None:
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UrlDedupPipeline:
        return cls(store_for(crawler), crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        key = adapter.get("canonical_url") or adapter.get("url")
        if key and self.store.has_url(key):
            if self.stats is not None:
                self.stats.inc_value("article/dropped/duplicate_url")
            logger.info("dropped %s: duplicate_url (stored as %s)", adapter.get("url"), key)
            raise DropItem(f"duplicate_url: {key}")
        return item
