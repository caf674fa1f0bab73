"""One store per crawler, shared by the components that need it, closed when the spider closes.

Opening the store first imports the spill file a previous run left when its store went down.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler import settings as defaults
from crawler.storage import open_store
from crawler.storage.base import Store
from crawler.storage.spill import STAT_IMPORTED, STAT_REJECTED, import_spill, legacy_spill_path, spill_path

_stores: weakref.WeakKeyDictionary[Crawler, Store] = weakref.WeakKeyDictionary()


def store_for(crawler: Crawler) -> Store:
    """The crawler's store, opened on first use from the ``STORE_URL`` setting."""
    store = _stores.get(crawler)
    if store is None:
        settings = crawler.settings
        store = open_store(
            settings.get("STORE_URL"),
            batch_size=settings.getint("STORE_BATCH_SIZE", defaults.STORE_BATCH_SIZE),
            threshold=settings.getfloat("NEAR_DUPLICATE_THRESHOLD", defaults.NEAR_DUPLICATE_THRESHOLD),
        )
        spill_dir = Path(settings.get("STORE_SPILL_DIR", defaults.STORE_SPILL_DIR))
        imported = rejected = 0
        found = False
        paths = [spill_path(spill_dir, store.url), legacy_spill_path(spill_dir, store.url)]
        for path in dict.fromkeys(paths):
            result = import_spill(path, store)
            imported, rejected = imported + result.imported, rejected + result.rejected
            found = found or result.found
        if found and crawler.stats is not None:
            crawler.stats.set_value(STAT_IMPORTED, imported)
            crawler.stats.set_value(STAT_REJECTED, rejected)
        _stores[crawler] = store

        def close(spider: Any = None, reason: str | None = None) -> None:
            opened = _stores.pop(crawler, None)
            if opened is not None:
                opened.close()

        crawler.signals.connect(close, signal=signals.spider_closed, weak=False)
    return store
