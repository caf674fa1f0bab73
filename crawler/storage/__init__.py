"""Article stores behind one small interface: SQLite by default, PostgreSQL when configured."""

from __future__ import annotations

from crawler.storage.base import Store, StoreError, mask_url, open_store

__all__ = ["Store", "StoreError", "mask_url", "open_store"]
