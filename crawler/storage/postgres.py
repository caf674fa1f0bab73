"""PostgreSQL store through psycopg 3: the same schema, migrations and dedup as SQLite."""

from __future__ import annotations

from typing import Any

from crawler.storage.base import StoreError, mask_url
from crawler.storage.sql import SQLStore

try:
    import psycopg
except ImportError:  # pragma: no cover - psycopg is an optional dependency
    psycopg = None  # type: ignore[assignment]

MIGRATIONS: list[list[Any]] = [
    [
        "CREATE TABLE IF NOT EXISTS articles (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " url_key TEXT NOT NULL UNIQUE, canonical_url TEXT NOT NULL, url TEXT NOT NULL, site TEXT,"
        " title TEXT NOT NULL, outlet TEXT, published_at TEXT, published_at_utc TEXT, published_at_raw TEXT,"
        " body TEXT NOT NULL, language TEXT, category TEXT, author TEXT, editor TEXT, crawled_at TEXT,"
        " listing_url TEXT, content_hash TEXT)",
        "CREATE INDEX IF NOT EXISTS articles_site_published ON articles (site, published_at_utc)",
    ],
    [
        "ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE articles ADD COLUMN updated_at TEXT",
        "ALTER TABLE articles ADD COLUMN duplicate_of TEXT",
        "CREATE INDEX IF NOT EXISTS articles_content_hash ON articles (content_hash)",
        "CREATE TABLE aliases (url_key TEXT PRIMARY KEY, article_key TEXT NOT NULL, url TEXT NOT NULL,"
        " added_at TEXT)",
        "CREATE INDEX aliases_article ON aliases (article_key)",
        "CREATE TABLE article_history (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " article_key TEXT NOT NULL, version INTEGER NOT NULL, title TEXT, outlet TEXT, published_at TEXT,"
        " published_at_raw TEXT, body TEXT, content_hash TEXT, crawled_at TEXT, replaced_at TEXT NOT NULL)",
        "CREATE INDEX article_history_key ON article_history (article_key)",
        "CREATE TABLE signatures (url_key TEXT PRIMARY KEY, sig BYTEA NOT NULL)",
        "CREATE TABLE minhash_bands (bucket TEXT NOT NULL, url_key TEXT NOT NULL)",
        "CREATE INDEX minhash_bands_bucket ON minhash_bands (bucket)",
        SQLStore.backfill_signatures,
    ],
]


class PostgresStore(SQLStore):
    placeholder = "%s"
    migrations = MIGRATIONS

    def __init__(self, url: str, batch_size: int = 50, connect_timeout: int = 5, **options: Any) -> None:
        if psycopg is None:
            raise StoreError("PostgreSQL needs psycopg: pip install 'mediacenter-crawler[postgres]'")
        self.transient_errors = (psycopg.OperationalError, psycopg.InterfaceError)
        self.connect_timeout = connect_timeout
        try:
            super().__init__(url, batch_size=batch_size, **options)
        except psycopg.Error as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise StoreError(f"cannot open store {mask_url(url)}: {first}") from err

    def _connect(self) -> Any:
        assert psycopg is not None
        return psycopg.connect(self.url, connect_timeout=self.connect_timeout)

    def _run(self, sql: str, params: Any = ()) -> Any:
        return self.conn.execute(self._sql(sql), tuple(params))
