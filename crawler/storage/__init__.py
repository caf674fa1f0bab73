"""Article stores behind one small interface: SQLite by default, PostgreSQL when configured.

``open_store`` picks the backend from the URL's scheme in ``STORES``; ``base`` (the interface) knows
no backend, so the backends import it without a cycle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crawler import settings as defaults
from crawler.errors import StoreError
from crawler.storage.base import Store, mask_url
from crawler.storage.postgres import PostgresStore
from crawler.storage.sqlite import SQLiteStore

DEFAULT_STORE_URL = "sqlite:///data/news.sqlite3"


def _sqlite(url: str, batch_size: int, **options: Any) -> Store:
    return SQLiteStore(Path(url.removeprefix("sqlite:///")), batch_size=batch_size, **options)


def _postgres(url: str, batch_size: int, **options: Any) -> Store:
    return PostgresStore(url, batch_size=batch_size, **options)


# URL prefix -> the function that opens a store of that backend.
STORES = {"sqlite:///": _sqlite, "postgresql://": _postgres, "postgres://": _postgres}


def open_store(url: str | None = None, batch_size: int = defaults.STORE_BATCH_SIZE, **options: Any) -> Store:
    """Open the store named by ``url``: ``sqlite:///path`` or ``postgresql://...``."""
    url = url or DEFAULT_STORE_URL
    for prefix, opener in STORES.items():
        if url.startswith(prefix):
            return opener(url, batch_size, **options)
    raise StoreError(f"unsupported store URL {mask_url(url)!r}: use sqlite:///PATH or postgresql://...")


__all__ = ["STORES", "Store", "StoreError", "mask_url", "open_store"]
