"""SQLite store (the default): one file, WAL journal, batched transactions."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC
from pathlib import Path

from crawler.items import ARTICLE_FIELDS, Article
from crawler.storage.base import Store, StoreError
from crawler.urls import url_key

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
_SCHEMA = """
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
);
CREATE INDEX IF NOT EXISTS articles_site_published ON articles (site, published_at_utc);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _utc(value: str | None) -> str | None:
    if not value:
        return None
    from datetime import datetime

    try:
        return datetime.fromisoformat(value).astimezone(UTC).isoformat()
    except ValueError:
        return None


class SQLiteStore(Store):
    def __init__(self, path: Path, batch_size: int = 50) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        self.batch_size = batch_size
        self._pending: list[Article] = []
        self._pending_urls: set[str] = set()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(path, timeout=30)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.executescript(_SCHEMA)
            self.conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
            self.conn.commit()
        except (sqlite3.Error, OSError) as err:
            raise StoreError(f"cannot open SQLite store {path}: {err}") from err

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        keys = {url_key(u): u for u in urls}
        found = {u for k, u in keys.items() if k in self._pending_urls}
        wanted = list(keys)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(f"SELECT url_key FROM articles WHERE url_key IN ({marks})", chunk)
            found.update(keys[r[0]] for r in rows)
        return found

    def add(self, article: Article) -> bool:
        key = url_key(article.canonical_url or article.url)
        if key in self._pending_urls or self.known_urls([article.canonical_url or article.url]):
            return False
        self._pending.append(article)
        self._pending_urls.add(key)
        if len(self._pending) >= self.batch_size:
            self.flush()
        return True

    def flush(self) -> None:
        if not self._pending:
            return
        columns = [*ARTICLE_FIELDS, "published_at_utc", "url_key"]
        rows = []
        for a in self._pending:
            data = a.to_dict()
            data["canonical_url"] = a.canonical_url or a.url
            data["url_key"] = url_key(data["canonical_url"])
            data["published_at_utc"] = _utc(a.published_at)
            rows.append(tuple(data[c] for c in columns))
        sql = (
            f"INSERT OR IGNORE INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        )
        with self.conn:
            self.conn.executemany(sql, rows)
        logger.debug("committed %d articles to %s", len(rows), self.path)
        self._pending.clear()
        self._pending_urls.clear()

    def count(self, site: str | None = None) -> int:
        if site is None:
            return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        row = self.conn.execute("SELECT COUNT(*) FROM articles WHERE site = ?", (site,)).fetchone()
        return int(row[0])

    def iter_articles(
        self, site: str | None = None, since: str | None = None, limit: int | None = None
    ) -> Iterator[Article]:
        where, params = [], []
        if site:
            where.append("site = ?")
            params.append(site)
        if since:
            where.append("published_at_utc >= ?")
            params.append(_utc(since) or since)
        sql = f"SELECT {', '.join(ARTICLE_FIELDS)} FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published_at_utc DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        cursor = self.conn.execute(sql, params)
        while rows := cursor.fetchmany(200):
            for row in rows:
                yield Article(**dict(zip(ARTICLE_FIELDS, row, strict=True)))

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.conn.close()
