"""Validate: an item without url, title or body, or without a parsed publish time, is dropped."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def validation_error(adapter: ItemAdapter) -> str | None:
    """The reason the item is unusable (``missing_title``...), or None when it is fine."""
    for name in ("url", "title", "body"):
        if not adapter.get(name):
            return f"missing_{name}"
    published = adapter.get("published_at")
    if not published:
        return "unparsed_published_at" if adapter.get("published_at_raw") else "missing_published_at"
    try:
        value = datetime.fromisoformat(published)
    except ValueError:
        return "invalid_published_at"
    if value.tzinfo is None:
        return "naive_published_at"
    return None


class ValidatePipeline:
    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        reason = validation_error(adapter)
        if reason is None:
            if self.stats is not None:
                self.stats.inc_value("article/validated")
                if adapter.get("outlet"):
                    self.stats.inc_value("article/with_outlet")
            return item
        if self.stats is not None:
            self.stats.inc_value(f"article/dropped/{reason}")
        logger.warning(
            "dropped %s: %s (raw date %r)", adapter.get("url"), reason, adapter.get("published_at_raw")
        )
        raise DropItem(f"{reason}: {adapter.get('url')}")
