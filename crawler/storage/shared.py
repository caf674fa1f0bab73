"""One store per crawler, shared by the components that need it, closed when the spider closes."""

from __future__ import annotations

import weakref
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.storage.base import Store, open_store

_stores: weakref.WeakKeyDictionary[Crawler, Store] = weakref.WeakKeyDictionary()


def store_for(crawler: Crawler) -> Store:
    """The crawler's store, opened on first use from the ``STORE_URL`` setting."""
    store = _stores.get(crawler)
    if store is None:
        store = open_store(
            crawler.settings.get("STORE_URL"), batch_size=crawler.settings.getint("STORE_BATCH_SIZE", 50)
        )
        _stores[crawler] = store

        def close(spider: Any = None, reason: str | None = None) -> None:
            opened = _stores.pop(crawler, None)
            if opened is not None:
                opened.close()

        crawler.signals.connect(close, signal=signals.spider_closed, weak=False)
    return store
