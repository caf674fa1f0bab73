"""Store: write accepted articles to the configured store in batched transactions."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.items import Article
from crawler.storage.base import Store
from crawler.storage.shared import store_for

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, store: Store, stats: StatsCollector | None = None) -> None:
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(store_for(crawler), crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        article = Article.from_dict(ItemAdapter(item).asdict())
        added = self.store.add(article)
        if self.stats is not None:
            self.stats.inc_value("article/stored" if added else "article/dropped/duplicate_url")
        return item

    def close_spider(self, spider: Any = None) -> None:
        self.store.flush()
