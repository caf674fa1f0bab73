"""Store: hand accepted articles to the store, which dedups them (URL, content, near-duplicate)
and writes them in batched transactions.

New and updated articles go on to the feeds; unchanged ones and aliases are dropped with a
counted reason. When the store goes down and stays down, what was accepted goes to a spill
file that the next run imports first, and the crawl stops cleanly.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import Article
from crawler.storage.base import Outcome, Store, StoreUnavailable
from crawler.storage.shared import store_for
from crawler.storage.spill import spill, spill_path

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler: Crawler, store: Store, spill_dir: Path) -> None:
        self.crawler = crawler
        self.store = store
        self.stats = crawler.stats
        self.spill_file = spill_path(spill_dir, store.url)
        self.down = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, store_for(crawler), Path(crawler.settings.get("STORE_SPILL_DIR", "data/spill")))

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        article = Article.from_dict(adapter.asdict())
        if self.down:
            self._spill([article])
            raise DropItem(f"store_unavailable (spilled): {article.url}")
        try:
            outcome = self.store.add(article)
        except StoreUnavailable as err:
            self._go_down(err, [article])
            raise DropItem(f"store_unavailable (spilled): {article.url}") from err
        if outcome is Outcome.NEW:
            self._inc("article/stored")
            if article.duplicate_of:
                self._inc("article/near_duplicate")
                if "duplicate_of" in adapter.field_names():
                    adapter["duplicate_of"] = article.duplicate_of
            return item
        if outcome is Outcome.UPDATED:
            self._inc("article/updated")
            return item
        reason = "unchanged" if outcome is Outcome.UNCHANGED else "duplicate_content"
        self._inc(f"article/dropped/{reason}")
        raise DropItem(f"{reason}: {article.url}")

    def _spill(self, articles: list[Article]) -> None:
        written = spill(self.spill_file, articles)
        if self.stats is not None:
            self.stats.inc_value("article/spilled", written)

    def _go_down(self, err: Exception, extra: list[Article]) -> None:
        self.down = True
        pending = self.store.pending()
        self._spill([*pending, *extra])
        logger.error("%s; %d articles written to %s for the next run; stopping the crawl",
                     err, len(pending) + len(extra), self.spill_file)  # fmt: skip
        self.store.discard_pending()
        if self.crawler.engine is not None and self.crawler.spider is not None:
            self.crawler.engine.close_spider(self.crawler.spider, "store_unavailable")

    def close_spider(self, spider: Any = None) -> None:
        if not self.down:
            try:
                self.store.flush()
            except StoreUnavailable as err:
                self._go_down(err, [])
        lost = int(getattr(self.store, "lost_races", 0))
        if lost and self.stats is not None:
            # Counted new when queued, committed first by a concurrent run: not new here.
            self.stats.inc_value("article/stored", -lost)
            self.stats.inc_value("article/dropped/concurrent_duplicate", lost)
            logger.info("%d articles were stored first by a concurrent run", lost)
