"""Store: hand accepted articles to the store, which dedups them (URL, content, near-duplicate)
and writes them in batched transactions.

Articles that arrive close together are decided together (``STORE_LOOKUP_BATCH`` of them, or
what came within ``STORE_LOOKUP_WAIT`` seconds): the store looks them all up at once, one round
trip to PostgreSQL instead of one per article, with the same outcomes as one by one.

New and updated articles go on to the feeds; unchanged ones and aliases are dropped with a
counted reason. When the store goes down and stays down, what was accepted goes to a spill
file that the next run imports first, and the crawl stops cleanly.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, cast

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler import settings as defaults
from crawler.items import Article
from crawler.storage.base import Outcome, Store, StoreUnavailable
from crawler.storage.shared import store_for
from crawler.storage.spill import spill, spill_path

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler: Crawler, store: Store, spill_dir: Path, lookup_batch: int = 1,
                 lookup_wait: float = 0.0) -> None:  # fmt: skip
        self.crawler = crawler
        self.store = store
        self.stats = crawler.stats
        self.spill_file = spill_path(spill_dir, store.url)
        self.down = False
        self.lookup_batch = max(1, lookup_batch)
        self.lookup_wait = lookup_wait
        self._waiting: list[tuple[Article, asyncio.Future[Outcome]]] = []
        self._timer: asyncio.TimerHandle | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        return cls(
            crawler,
            store_for(crawler),
            Path(settings.get("STORE_SPILL_DIR", defaults.STORE_SPILL_DIR)),
            lookup_batch=settings.getint("STORE_LOOKUP_BATCH", defaults.STORE_LOOKUP_BATCH),
            lookup_wait=settings.getfloat("STORE_LOOKUP_WAIT", defaults.STORE_LOOKUP_WAIT),
        )

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        article = Article.from_dict(adapter.asdict())
        if self.down:
            self._spill([article])
            raise DropItem(f"store_unavailable (spilled): {article.url}")
        outcome = await self._decided(article)
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

    def _decided(self, article: Article) -> asyncio.Future[Outcome]:
        """The store's outcome for ``article``, once its batch of lookups is decided."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        self._waiting.append((article, future))
        if len(self._waiting) >= self.lookup_batch:
            self._decide_waiting()
        elif self._timer is None:
            self._timer = loop.call_later(self.lookup_wait, self._decide_waiting)
        return future

    def _decide_waiting(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._waiting = self._waiting, []
        if not batch:
            return
        articles = [article for article, _ in batch]
        try:
            if self.down:
                self._spill(articles)
                raise StoreUnavailable("the store went down")
            outcomes = self.store.add_many(articles)
        except StoreUnavailable as err:
            # The articles decided before the failure were committed (their outcome stands) or
            # are pending (spilled with the rest); those after them were never looked at.
            pending = {id(article) for article in self.store.pending()}
            for i, (article, future) in enumerate(batch):
                if i < len(err.decided) and id(article) not in pending:
                    future.set_result(cast(Outcome, err.decided[i]))
                else:
                    future.set_exception(DropItem(f"store_unavailable (spilled): {article.url}"))
            if not self.down:
                self._go_down(err, articles[len(err.decided) :])
            return
        except Exception as err:  # a timer callback: every waiting item must hear of it
            for _, future in batch:
                future.set_exception(err)
            return
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            future.set_result(outcome)

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
        if self.crawler.crawling and self.crawler.spider is not None:
            self.crawler.engine.close_spider(self.crawler.spider, "store_unavailable")

    def close_spider(self, spider: Any = None) -> None:
        self._decide_waiting()
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
