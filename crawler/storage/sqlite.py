"""SQLite store (the default): one file, WAL journal, batched transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from crawler.storage.base import StoreError
from crawler.storage.sql import SQLStore

_V1 = """
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    url_key TEXT NOT NULL UNIQUE,
    canonical_url TEXT NOT NULL,
    url TEXT NOT NULL,
    site TEXT,
    title TEXT NOT NULL,
    outlet TEXT,
    published_at TEXT,
    published_at_utc TEXT,
    published_at_raw TEXT,
    body TEXT NOT NULL,
    language TEXT,
    category TEXT,
    author TEXT,
    editor TEXT,
    crawled_at TEXT,
    listing_url TEXT,
    content_hash TEXT
)"""

MIGRATIONS: list[list[Any]] = [
    # 1: articles keyed by canonical URL (the schema of the first release).
    [_V1, "CREATE INDEX IF NOT EXISTS articles_site_published ON articles (site, published_at_utc)"],
    # 2: versions and history, aliases, near-duplicate signatures.
    [
        "ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE articles ADD COLUMN updated_at TEXT",
        "ALTER TABLE articles ADD COLUMN duplicate_of TEXT",
        "CREATE INDEX IF NOT EXISTS articles_content_hash ON articles (content_hash)",
        "CREATE TABLE aliases (url_key TEXT PRIMARY KEY, article_key TEXT NOT NULL, url TEXT NOT NULL,"
        " added_at TEXT)",
        "CREATE INDEX aliases_article ON aliases (article_key)",
        "CREATE TABLE article_history (id INTEGER PRIMARY KEY, article_key TEXT NOT NULL,"
        " version INTEGER NOT NULL, title TEXT, outlet TEXT, published_at TEXT, published_at_raw TEXT,"
        " body TEXT, content_hash TEXT, crawled_at TEXT, replaced_at TEXT NOT NULL)",
        "CREATE INDEX article_history_key ON article_history (article_key)",
        "CREATE TABLE signatures (url_key TEXT PRIMARY KEY, sig BLOB NOT NULL)",
        "CREATE TABLE minhash_bands (bucket TEXT NOT NULL, url_key TEXT NOT NULL)",
        "CREATE INDEX minhash_bands_bucket ON minhash_bands (bucket)",
        SQLStore.backfill_signatures,
    ],
]


class SQLiteStore(SQLStore):
    transient_errors = (sqlite3.OperationalError,)
    migrations = MIGRATIONS

    def __init__(self, path: Path, batch_size: int = 50, **options: Any) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            super().__init__(f"sqlite:///{path}", batch_size=batch_size, **options)
        except (sqlite3.Error, OSError) as err:
            raise StoreError(f"cannot open store sqlite:///{path}: {err}") from err

    def _connect(self) -> Any:
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn
