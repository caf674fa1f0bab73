"""The SQL store shared by SQLite and PostgreSQL: schema migrations, layered dedup, batched
upserts with history, retries with backoff.

Every dedup decision is taken against the database plus the current (bounded) batch, so it
holds across runs and processes and memory does not grow with the number of articles:

1. URL: the canonical URL's key (``crawler.urls.url_key``) is the article's identity; a known
   key with the same content is unchanged, with changed content it becomes a new version.
2. Content: the same normalized title and body under another URL is recorded as an alias.
3. Near-duplicates: a MinHash signature close to a stored one links the new article to the
   first copy through ``duplicate_of``; it is stored, not dropped.
"""

from __future__ import annotations

import json
import logging
import time
from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from crawler import dedup
from crawler import settings as defaults
from crawler.dedup import content_hash
from crawler.items import ARTICLE_FIELDS, MEDIA_FIELDS, Article
from crawler.storage.base import MediaRecord, Outcome, Store, StoreError, StoreUnavailable, mask_url
from crawler.urls import url_key

logger = logging.getLogger(__name__)

STORED_FIELDS = ARTICLE_FIELDS
_CONTENT_FIELDS = (
    "title",
    "outlet",
    "published_at",
    "published_at_raw",
    "body",
    "content_hash",
    "crawled_at",
)


def column_value(name: str, value: Any) -> Any:
    """A field as a column holds it: media lists as JSON text."""
    if name in MEDIA_FIELDS:
        return json.dumps(value or [], ensure_ascii=False)
    return value


def article_from_row(row: Sequence[Any]) -> Article:
    """An Article from a row of ``STORED_FIELDS`` (media columns are JSON text or NULL)."""
    return Article.from_dict(dict(zip(STORED_FIELDS, row, strict=True)))


def utc_iso(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).astimezone(UTC).isoformat()
    except ValueError:
        return None


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class _Signed:
    """An article's MinHash signature and its LSH buckets, as ``minhash_bands`` keys them."""

    sig: np.ndarray
    buckets: list[str]

    @classmethod
    def of(cls, article: Article) -> _Signed:
        return cls.of_text(article.title, article.body)

    @classmethod
    def of_text(cls, title: str | None, body: str | None) -> _Signed:
        sig = dedup.signature(f"{title}\n{body}")
        return cls(sig, [f"{band}:{bucket}" for band, bucket in dedup.bands(sig)])


@dataclass
class _Op:
    kind: str  # insert | update | alias
    key: str
    article: Article
    target: str | None = None  # alias: the article's key
    signed: _Signed | None = None  # insert and update: written with the article


@dataclass
class _Stored:
    """What the store holds of a batch's URL keys, content hashes and near-duplicate buckets."""

    hashes: dict[str, str] = field(default_factory=dict)  # url key -> content hash
    aliases: dict[str, str] = field(default_factory=dict)  # alias url key -> article key
    keys_by_hash: dict[str, str] = field(default_factory=dict)  # content hash -> a url key
    # bucket -> (url key, signature bytes, duplicate_of) of the articles in it
    buckets: dict[str, list[tuple[str, bytes, str | None]]] = field(default_factory=dict)

    def add_rows(self, kind: str, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            if kind == "key":
                self.hashes[row[0]] = row[1]
            elif kind == "alias":
                self.aliases[row[0]] = row[1]
            elif kind == "hash":
                self.keys_by_hash.setdefault(row[0], row[1])
            else:
                self.buckets.setdefault(row[0], []).append((row[1], bytes(row[2]), row[3]))

    def outcome(self, key: str, chash: str) -> tuple[Outcome | None, str | None]:
        """Its URL (unchanged or updated), an alias of it, or its content under another URL (the
        stored key as target), in this order of precedence; (None, None) for a new article."""
        if key in self.hashes:
            return (Outcome.UNCHANGED if self.hashes[key] == chash else Outcome.UPDATED), None
        if key in self.aliases:
            return Outcome.UNCHANGED, self.aliases[key]
        if chash in self.keys_by_hash:
            return Outcome.ALIAS, self.keys_by_hash[chash]
        return None, None

    def first_copy(self, signed: _Signed, threshold: float) -> str | None:
        """The stored key of the first copy of a near-duplicate, or None."""
        found = {key: (blob, first) for b in signed.buckets for key, blob, first in self.buckets.get(b, ())}
        candidates = ((key, dedup.from_bytes(blob)) for key, (blob, _) in found.items())
        match = dedup.best_match(signed.sig, candidates, threshold)
        return (found[match[0]][1] or match[0]) if match is not None else None


def schema_migrations(id_column: str, blob: str, scheme_guard: Sequence[str]) -> list[list[Any]]:
    """The migrations of both backends, oldest first; only the id column, the binary type and
    the trigger that refuses signatures of another MinHash scheme differ between SQLite and
    PostgreSQL."""
    return [
        # 1: articles keyed by canonical URL (the schema of the first release).
        [
            f"CREATE TABLE IF NOT EXISTS articles ({id_column}, url_key TEXT NOT NULL UNIQUE,"
            " canonical_url TEXT NOT NULL, url TEXT NOT NULL, site TEXT, title TEXT NOT NULL, outlet TEXT,"
            " published_at TEXT, published_at_utc TEXT, published_at_raw TEXT, body TEXT NOT NULL,"
            " language TEXT, category TEXT, author TEXT, editor TEXT, crawled_at TEXT, listing_url TEXT,"
            " content_hash TEXT)",
            "CREATE INDEX IF NOT EXISTS articles_site_published ON articles (site, published_at_utc)",
        ],
        # 2: versions and history, aliases, near-duplicate signatures (stored articles are signed
        # by migration 4).
        [
            "ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE articles ADD COLUMN updated_at TEXT",
            "ALTER TABLE articles ADD COLUMN duplicate_of TEXT",
            "CREATE INDEX IF NOT EXISTS articles_content_hash ON articles (content_hash)",
            "CREATE TABLE aliases (url_key TEXT PRIMARY KEY, article_key TEXT NOT NULL, url TEXT NOT NULL,"
            " added_at TEXT)",
            "CREATE INDEX aliases_article ON aliases (article_key)",
            f"CREATE TABLE article_history ({id_column}, article_key TEXT NOT NULL, version INTEGER NOT NULL,"
            " title TEXT, outlet TEXT, published_at TEXT, published_at_raw TEXT, body TEXT,"
            " content_hash TEXT, crawled_at TEXT, replaced_at TEXT NOT NULL)",
            "CREATE INDEX article_history_key ON article_history (article_key)",
            f"CREATE TABLE signatures (url_key TEXT PRIMARY KEY, sig {blob} NOT NULL)",
            "CREATE TABLE minhash_bands (bucket TEXT NOT NULL, url_key TEXT NOT NULL)",
            "CREATE INDEX minhash_bands_bucket ON minhash_bands (bucket)",
        ],
        # 3: images and attachments of articles (JSON lists), and the media files downloaded.
        [
            "ALTER TABLE articles ADD COLUMN lead_image TEXT",
            "ALTER TABLE articles ADD COLUMN images TEXT",
            "ALTER TABLE articles ADD COLUMN attachments TEXT",
            "CREATE TABLE media (url_key TEXT PRIMARY KEY, url TEXT NOT NULL, kind TEXT NOT NULL,"
            " path TEXT NOT NULL, checksum TEXT, size_in_bytes BIGINT, mime_type TEXT, stored_at TEXT)",
        ],
        # 4: MinHash scheme 2 (``dedup.SCHEME``; scheme 1 hashed every shingle with SHA-1). Every
        # stored article is signed again; each signature row names its scheme, and a trigger
        # refuses a row of another scheme, so a crawler of the old code fails on its first write
        # with a message saying so instead of mixing signatures that never match.
        [
            "ALTER TABLE signatures ADD COLUMN scheme INTEGER",
            *scheme_guard,
            SQLStore.backfill_signatures,
        ],
    ]


def scheme_guard_message(scheme: int) -> str:
    """What a process writing signatures of another scheme is told (no quote, ? or %)."""
    return (
        f"the MinHash signatures of this store are of scheme {scheme} (store schema version 4 or later): "
        "this crawler writes another scheme, upgrade it before using this store"
    )


class SQLStore(Store):
    """Dialect-neutral logic; subclasses connect and name their DDL and transient errors."""

    placeholder = "?"
    # Compute a signature before the lookups, so that the dialect can ask for the near-duplicate
    # candidates in the same round trip (wasted on an article the store already holds).
    early_signature = False
    transient_errors: tuple[type[BaseException], ...] = ()
    migrations: Sequence[Sequence[str | Callable[[SQLStore], None]]] = ()

    def __init__(self, url: str, batch_size: int = defaults.STORE_BATCH_SIZE,
                 threshold: float = defaults.NEAR_DUPLICATE_THRESHOLD, retries: int = 3,
                 backoff: float = 0.5) -> None:  # fmt: skip
        self.url = url
        self.batch_size = batch_size
        self.threshold = threshold
        self.retries = retries
        self.backoff = backoff
        self._ops: list[_Op] = []
        # Inserts another process committed first (two crawls of one store at once): counted
        # ``new`` by this process when queued, they were not written by it.
        self.lost_races = 0
        self._keys: dict[str, str] = {}  # pending key -> content hash
        self._hashes: dict[str, str] = {}  # pending content hash -> key
        self._sigs: list[tuple[str, np.ndarray, str | None]] = []  # pending (key, sig, duplicate_of)
        self.conn: Any = None
        self._connect_and_migrate()

    # --- dialect hooks ---------------------------------------------------------------------------

    @abstractmethod
    def _connect(self) -> Any: ...

    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def _run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self._sql(sql), tuple(params))

    def _blob(self, data: bytes) -> Any:
        return data

    # --- connection and schema -------------------------------------------------------------------

    def _connect_and_migrate(self) -> None:
        self.conn = self._connect()
        try:
            self._migrate()
        except StoreError:
            self.conn.close()
            raise

    def schema_version(self) -> int:
        row = self._run("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    @contextmanager
    def _schema_lock(self) -> Iterator[None]:
        """Held while migrating, so that processes opening a new store at once take turns."""
        yield

    def _migrate(self) -> None:
        with self._schema_lock():
            self._migrate_locked()

    def _migrate_locked(self) -> None:
        self._run("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self.conn.commit()
        current = self.schema_version()
        if current > len(self.migrations):
            raise StoreError(
                f"store {mask_url(self.url)} has schema version {current}, written by a newer crawler than"
                f" this one (which knows versions up to {len(self.migrations)}): upgrade the crawler"
            )
        for version, steps in enumerate(self.migrations, start=1):
            if version <= current:
                continue
            for step in steps:
                if callable(step):
                    step(self)
                else:
                    self._run(step)
            if current == 0 and version == 1:
                self._run("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(version),))
            else:
                self._run("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
            self.conn.commit()
            current = version
            logger.info("store %s migrated to schema version %d", mask_url(self.url), version)

    BACKFILL_BATCH = 500  # articles read, signed and written at a time by ``backfill_signatures``
    EMPTY_TABLE = "DELETE FROM {}"  # without a WHERE clause SQLite empties the table at once

    def backfill_signatures(self) -> None:
        """Migration step: the signature and bands of every stored article under the current
        scheme, replacing whatever was there. Articles are read in key order, a batch at a
        time, so memory stays flat whatever the store's size; the migration's transaction
        commits them all or none. The bands' index is built again once at the end, which is
        quicker than keeping it up to date through every insert."""
        self._run("DROP INDEX minhash_bands_bucket")
        self._run(self.EMPTY_TABLE.format("minhash_bands"))
        self._run(self.EMPTY_TABLE.format("signatures"))
        total = int(self._run("SELECT COUNT(*) FROM articles").fetchone()[0])
        done, last = 0, ""
        started = reported = time.monotonic()
        while True:
            rows = self._run(
                "SELECT url_key, title, body FROM articles WHERE url_key > ? ORDER BY url_key LIMIT ?",
                (last, self.BACKFILL_BATCH),
            ).fetchall()
            if not rows:
                break
            self._write_signatures([(key, _Signed.of_text(title, body)) for key, title, body in rows])
            done, last = done + len(rows), rows[-1][0]
            if time.monotonic() - reported >= 10:
                reported = time.monotonic()
                logger.info("store %s: %d of %d articles signed again", mask_url(self.url), done, total)
        self._run("CREATE INDEX minhash_bands_bucket ON minhash_bands (bucket)")
        self._run("DELETE FROM meta WHERE key = 'minhash_scheme'")
        self._run("INSERT INTO meta (key, value) VALUES ('minhash_scheme', ?)", (str(dedup.SCHEME),))
        took = time.monotonic() - started
        logger.info("store %s: %d articles signed under MinHash scheme %d in %.1f s",
                    mask_url(self.url), done, dedup.SCHEME, took)  # fmt: skip

    # --- retries ---------------------------------------------------------------------------------

    def _with_retry(self, action: Callable[[], Any]) -> Any:
        delay = self.backoff
        for attempt in range(self.retries + 1):
            try:
                return action()
            except self.transient_errors as err:
                logger.warning("store %s: %s (attempt %d of %d)", mask_url(self.url), err,
                               attempt + 1, self.retries + 1)  # fmt: skip
                self._safe_rollback()
                if attempt == self.retries:
                    raise StoreUnavailable(f"store {mask_url(self.url)} unavailable: {err}") from err
                time.sleep(delay)
                delay *= 2
                try:
                    self.conn = self._connect()
                except self.transient_errors as again:
                    logger.warning("store %s: reconnect failed: %s", mask_url(self.url), again)
        raise AssertionError("unreachable")

    def _safe_rollback(self) -> None:
        try:
            self.conn.rollback()
        except Exception:  # the connection may be gone already
            logger.debug("rollback failed", exc_info=True)

    # --- lookups ---------------------------------------------------------------------------------

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        keys = {url_key(u): u for u in urls}
        found = {u for k, u in keys.items() if k in self._keys}
        wanted = [k for k in keys if k not in self._keys]

        def query() -> set[str]:
            templates = [f"SELECT url_key FROM {t} WHERE url_key {{values}}" for t in ("articles", "aliases")]
            queries = [q for template in templates for q in self._in_queries(template, wanted)]
            return {keys[r[0]] for rows in self._fetch_all(queries) for r in rows}

        return found | (self._with_retry(query) if wanted else set())

    # The lookups of ``add_many``: what the store holds of a batch's URL keys, content hashes and
    # near-duplicate buckets, a few queries for the whole batch.
    _BY_KEY = "SELECT url_key, content_hash FROM articles WHERE url_key {values}"
    _ALIAS_BY_KEY = "SELECT url_key, article_key FROM aliases WHERE url_key {values}"
    _BY_HASH = "SELECT content_hash, url_key FROM articles WHERE content_hash {values}"
    _BY_BUCKET = (
        "SELECT DISTINCT b.bucket, s.url_key, s.sig, a.duplicate_of FROM minhash_bands b "
        "JOIN signatures s ON s.url_key = b.url_key JOIN articles a ON a.url_key = s.url_key "
        "WHERE b.bucket {values}"
    )
    LOOKUP_CHUNK = 500  # values per IN (...) list, under SQLite's oldest limit of 999 variables

    def _in_queries(self, template: str, values: Sequence[str]) -> list[tuple[str, list[Any]]]:
        """``template`` with its ``{values}`` made a condition on ``values``: ``IN (?, ...)``
        once per chunk of them."""
        queries: list[tuple[str, list[Any]]] = []
        for i in range(0, len(values), self.LOOKUP_CHUNK):
            chunk = list(values[i : i + self.LOOKUP_CHUNK])
            queries.append((template.format(values=f"IN ({','.join('?' * len(chunk))})"), chunk))
        return queries

    def _fetch_all(self, queries: Sequence[tuple[str, Sequence[Any]]]) -> list[list[Any]]:
        """The rows of each query, in order; a dialect whose round trips are dear sends them all
        at once (PostgreSQL: one pipeline)."""
        return [self._run(sql, params).fetchall() for sql, params in queries]

    def _look_up(self, stored: _Stored, keys: Sequence[str] = (), hashes: Sequence[str] = (),
                 buckets: Sequence[str] = ()) -> None:  # fmt: skip
        """Fill ``stored`` with what the store holds of these keys, hashes and buckets."""
        tagged = [
            (kind, query)
            for kind, template, values in (
                ("key", self._BY_KEY, keys),
                ("alias", self._ALIAS_BY_KEY, keys),
                ("hash", self._BY_HASH, hashes),
                ("bucket", self._BY_BUCKET, buckets),
            )
            for query in self._in_queries(template, sorted(set(values)))
        ]
        for (kind, _query), rows in zip(tagged, self._fetch_all([q for _, q in tagged]), strict=True):
            stored.add_rows(kind, rows)

    # --- writes ----------------------------------------------------------------------------------

    def add(self, article: Article) -> Outcome:
        return self.add_many([article])[0]

    def add_many(self, articles: Sequence[Article]) -> list[Outcome]:
        """What ``add`` says of each article, in order, exactly as if they were added one by
        one; the store is asked about all of them at once (one round trip on PostgreSQL) instead
        of once per article, and again for the rest when a write batch is committed midway."""
        keyed = []
        for article in articles:
            article.content_hash = article.content_hash or content_hash(article.title, article.body)
            keyed.append((url_key(article.canonical_url or article.url), article))
        outcomes: list[Outcome] = []
        signed: dict[int, _Signed] = {}  # by position in the batch, each computed once
        try:
            while len(outcomes) < len(keyed):
                start = len(outcomes)
                stored = self._look_up_batch(keyed, start, signed)
                for key, article in keyed[start:]:
                    outcomes.append(self._decide(key, article, stored, signed.get(len(outcomes))))
                    if len(self._ops) >= self.batch_size:
                        self.flush()  # what the store holds has changed: look the rest up again
                        break
        except StoreUnavailable as err:
            err.decided = tuple(outcomes)  # committed, or pending: the caller spills only the rest
            raise
        return outcomes

    def _look_up_batch(
        self, keyed: Sequence[tuple[str, Article]], start: int, signed: dict[int, _Signed]
    ) -> _Stored:
        """What the store holds of the articles from ``start`` on; ``signed`` gains the
        signatures of those it may not hold."""
        # Articles the pending batch decides (a known key or content) need no lookup.
        asked = [
            i for i in range(start, len(keyed))
            if keyed[i][0] not in self._keys and keyed[i][1].content_hash not in self._hashes
        ]  # fmt: skip
        stored = _Stored()
        buckets: list[str] = []
        if self.early_signature:
            # Signatures before the lookups, so that the candidates come in the same round trip
            # (wasted on an article the store already holds).
            buckets = [b for i in asked for b in self._signed(signed, i, keyed[i][1]).buckets]
        self._with_retry(lambda: self._look_up(
            stored, [keyed[i][0] for i in asked], [keyed[i][1].content_hash or "" for i in asked], buckets
        ))  # fmt: skip
        if not self.early_signature:
            # Only a new article needs its signature (an update computes its own when queued).
            new = [i for i in asked if stored.outcome(keyed[i][0], keyed[i][1].content_hash or "")[0] is None]
            buckets = [b for i in new for b in self._signed(signed, i, keyed[i][1]).buckets]
            if buckets:
                self._with_retry(lambda: self._look_up(stored, buckets=buckets))
        return stored

    @staticmethod
    def _signed(signed: dict[int, _Signed], i: int, article: Article) -> _Signed:
        """The signature of the batch's ``i``-th article, computed once however often the rest of
        the batch is looked up again after a commit."""
        if i not in signed:
            signed[i] = _Signed.of(article)
        return signed[i]

    def _decide(self, key: str, article: Article, stored: _Stored, signed: _Signed | None) -> Outcome:
        """One article's outcome against the pending batch, then what the store holds."""
        chash = article.content_hash or ""
        if key in self._keys:
            return Outcome.UNCHANGED if self._keys[key] == chash else self._queue_update(key, article)
        if chash in self._hashes:
            return self._queue_alias(key, article, self._hashes[chash])
        outcome, target = stored.outcome(key, chash)
        if outcome is Outcome.UNCHANGED:
            return outcome
        if outcome is Outcome.UPDATED:
            return self._queue_update(key, article)
        if outcome is Outcome.ALIAS and target is not None:
            return self._queue_alias(key, article, target)
        # A new article: ``add_many`` signed every article the store does not hold.
        assert signed is not None, "a new article without its signature"
        sig = signed.sig
        first = stored.first_copy(signed, self.threshold)
        target = first
        if target is None:
            pending = dedup.best_match(sig, ((k, s) for k, s, _ in self._sigs), self.threshold)
            if pending is not None:
                first = next(d for k, _, d in self._sigs if k == pending[0])
                target = first or pending[0]
        article.duplicate_of = self._canonical_of(target) if target else None
        self._ops.append(_Op("insert", key, article, signed=signed))
        self._keys[key] = chash
        self._hashes[chash] = key
        self._sigs.append((key, sig, target))
        return Outcome.NEW

    def _queue_alias(self, key: str, article: Article, target: str) -> Outcome:
        self._ops.append(_Op("alias", key, article, target=target))
        self._keys[key] = article.content_hash or ""
        return Outcome.ALIAS

    def replace(self, article: Article) -> Outcome:
        key = url_key(article.canonical_url or article.url)
        article.content_hash = article.content_hash or content_hash(article.title, article.body)
        if key not in self._keys:
            query = "SELECT 1 FROM articles WHERE url_key = ?"
            row = self._with_retry(lambda: self._run(query, (key,)).fetchone())
            if row is None:
                return self.add(article)
        outcome = self._queue_update(key, article)
        self._maybe_flush()
        return outcome

    def _canonical_of(self, key: str) -> str:
        for op in self._ops:
            if op.key == key and op.kind == "insert":
                return op.article.canonical_url or op.article.url
        row = self._with_retry(
            lambda: self._run("SELECT canonical_url FROM articles WHERE url_key = ?", (key,)).fetchone()
        )
        return str(row[0]) if row else key

    def _queue_update(self, key: str, article: Article) -> Outcome:
        self._ops.append(_Op("update", key, article, signed=_Signed.of(article)))
        self._keys[key] = article.content_hash or ""
        return Outcome.UPDATED

    def _maybe_flush(self) -> None:
        if len(self._ops) >= self.batch_size:
            self.flush()

    def pending(self) -> list[Article]:
        return [op.article for op in self._ops]

    def discard_pending(self) -> None:
        self._ops.clear()
        self._keys.clear()
        self._hashes.clear()
        self._sigs.clear()

    def flush(self) -> None:
        if not self._ops:
            return
        ops = list(self._ops)
        self._with_retry(lambda: self._write(ops))
        logger.debug("committed %d writes to %s", len(ops), mask_url(self.url))
        self._ops.clear()
        self._keys.clear()
        self._hashes.clear()
        self._sigs.clear()
        self._committed(len(ops))

    def _committed(self, writes: int) -> None:
        """Called after each write batch is committed, with its number of writes."""

    def _write(self, ops: list[_Op]) -> None:
        stamp = now_iso()
        lost = 0
        inserts: list[_Op] = []  # a run of consecutive inserts, written together
        for op in ops:
            if op.kind == "insert":
                inserts.append(op)
                continue
            lost += self._insert_many(inserts, stamp)
            inserts = []
            if op.kind == "update":
                self._update(op, stamp)
            else:
                self._run(
                    "INSERT INTO aliases (url_key, article_key, url, added_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (url_key) DO NOTHING",
                    (op.key, op.target, op.article.canonical_url or op.article.url, stamp),
                )
        lost += self._insert_many(inserts, stamp)
        self.conn.commit()
        self.lost_races += lost

    def _insert(self, op: _Op, stamp: str) -> bool:
        """Insert one article; False when another process had inserted its key first."""
        return self._insert_many([op], stamp) == 0

    def _insert_many(self, ops: list[_Op], stamp: str) -> int:
        """Insert articles, then the signatures and bands of those this process wrote; the
        number of them another process had inserted first (lost races)."""
        if not ops:
            return 0
        columns = [*STORED_FIELDS, "published_at_utc", "url_key", "version", "updated_at"]
        rows = []
        for op in ops:
            data = op.article.to_dict()
            data["canonical_url"] = data["canonical_url"] or data["url"]
            values = [column_value(c, data.get(c)) for c in STORED_FIELDS]
            values += [utc_iso(op.article.published_at), op.key, 1, stamp]
            rows.append(values)
        marks = ", ".join("?" * len(columns))
        sql = f"INSERT INTO articles ({', '.join(columns)}) VALUES ({marks}) ON CONFLICT (url_key) DO NOTHING"
        inserted = self._insert_rows(sql, rows, [op.key for op in ops])
        self._write_signatures([(op.key, op.signed) for op in ops if op.signed and op.key in inserted])
        return len(ops) - len(inserted)

    def _insert_rows(self, sql: str, rows: list[list[Any]], keys: list[str]) -> set[str]:
        """The keys whose rows this process inserted. SQLite: one prepared statement per row (no
        round trips to save), each row's count telling whether it was ours."""
        cursor = self.conn.cursor()
        inserted: set[str] = set()
        for key, row in zip(keys, rows, strict=True):
            cursor.execute(self._sql(sql), row)
            if cursor.rowcount:
                inserted.add(key)
        return inserted

    def _update(self, op: _Op, stamp: str) -> None:
        old = self._run(
            f"SELECT version, {', '.join(_CONTENT_FIELDS)} FROM articles WHERE url_key = ?", (op.key,)
        ).fetchone()
        if old is None:  # stored by another process meanwhile under a new key: treat as insert
            self._insert(op, stamp)
            return
        version = int(old[0])
        self._run(
            f"INSERT INTO article_history (article_key, version, {', '.join(_CONTENT_FIELDS)}, replaced_at) "
            f"VALUES (?, ?, {', '.join('?' * len(_CONTENT_FIELDS))}, ?)",
            (op.key, version, *old[1:], stamp),
        )
        a = op.article
        columns = (*_CONTENT_FIELDS, "url", "language", "category", "author", "editor", "lead_image",
                   *MEDIA_FIELDS)  # fmt: skip
        sets = ", ".join(f"{c} = ?" for c in columns)
        self._run(
            f"UPDATE articles SET {sets}, published_at_utc = ?, version = ?, updated_at = ? "
            "WHERE url_key = ?",
            (
                a.title,
                a.outlet,
                a.published_at,
                a.published_at_raw,
                a.body,
                a.content_hash,
                a.crawled_at,
                a.url,
                a.language,
                a.category,
                a.author,
                a.editor,
                a.lead_image,
                column_value("images", a.images),
                column_value("attachments", a.attachments),
                utc_iso(a.published_at),
                version + 1,
                stamp,
                op.key,
            ),
        )
        if op.signed is not None:
            self._run("DELETE FROM minhash_bands WHERE url_key = ?", (op.key,))
            self._run("DELETE FROM signatures WHERE url_key = ?", (op.key,))
            self._write_signatures([(op.key, op.signed)])

    def _write_signatures(self, sigs: list[tuple[str, _Signed]]) -> None:
        if not sigs:
            return
        cursor = self.conn.cursor()
        cursor.executemany(
            self._sql(
                "INSERT INTO signatures (url_key, sig, scheme) VALUES (?, ?, ?)"
                " ON CONFLICT (url_key) DO NOTHING"
            ),
            [(key, self._blob(dedup.to_bytes(signed.sig)), dedup.SCHEME) for key, signed in sigs],
        )
        self._insert_bands(
            [(bucket, key) for key, signed in sigs for bucket in signed.buckets]
        )

    def _insert_bands(self, rows: list[tuple[str, str]]) -> None:
        """(bucket, key) rows: 32 per article, the most numerous rows the store writes."""
        sql = "INSERT INTO minhash_bands (bucket, url_key) VALUES (?, ?)"
        self.conn.cursor().executemany(self._sql(sql), rows)

    # --- reads -----------------------------------------------------------------------------------

    def published_times(self, urls: Iterable[str]) -> dict[str, str]:
        keys = {url_key(u): u for u in urls}
        wanted = list(keys)

        def query() -> dict[str, str]:
            sql = "SELECT url_key, published_at_utc FROM articles WHERE url_key {values}"
            rows = [row for part in self._fetch_all(self._in_queries(sql, wanted)) for row in part]
            return {keys[k]: v for k, v in rows if v}

        return self._with_retry(query) if wanted else {}

    def newest_published(self, site: str) -> str | None:
        row = self._with_retry(
            lambda: self._run("SELECT MAX(published_at_utc) FROM articles WHERE site = ?", (site,)).fetchone()
        )
        return str(row[0]) if row and row[0] else None

    def get_meta(self, key: str) -> str | None:
        row = self._with_retry(lambda: self._run("SELECT value FROM meta WHERE key = ?", (key,)).fetchone())
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        def write() -> None:
            self._run("DELETE FROM meta WHERE key = ?", (key,))
            if value is not None:
                self._run("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
            self.conn.commit()

        self._with_retry(write)

    def count(self, site: str | None = None) -> int:
        if site is None:
            return int(self._run("SELECT COUNT(*) FROM articles").fetchone()[0])
        return int(self._run("SELECT COUNT(*) FROM articles WHERE site = ?", (site,)).fetchone()[0])

    def table_count(self, table: str) -> int:
        assert table in {"articles", "aliases", "article_history", "signatures", "minhash_bands", "media"}
        return int(self._run(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def versions(self, url: str) -> list[tuple[int, str]]:
        """(version, title) of the history and the current version of one article, oldest first."""
        key = url_key(url)
        rows = self._run("SELECT version, title FROM article_history WHERE article_key = ? ORDER BY version",
                         (key,)).fetchall()  # fmt: skip
        current = self._run("SELECT version, title FROM articles WHERE url_key = ?", (key,)).fetchall()
        return [(int(v), str(t)) for v, t in [*rows, *current]]

    def aliases_of(self, url: str) -> list[str]:
        rows = self._run(
            "SELECT url FROM aliases WHERE article_key = ? ORDER BY url", (url_key(url),)
        ).fetchall()
        return [str(r[0]) for r in rows]

    def iter_articles(
        self, site: str | None = None, since: str | None = None, limit: int | None = None
    ) -> Iterator[Article]:
        where, params = [], []
        if site:
            where.append("site = ?")
            params.append(site)
        if since:
            where.append("published_at_utc >= ?")
            params.append(utc_iso(since) or since)
        sql = f"SELECT {', '.join(STORED_FIELDS)} FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published_at_utc DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        yield from self._stream(sql, params)

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[Article]:
        cursor = self._run(sql, params)
        while rows := cursor.fetchmany(200):
            for row in rows:
                yield article_from_row(row)

    # --- downloaded media ------------------------------------------------------------------------

    def media_records(self, urls: Iterable[str]) -> dict[str, MediaRecord]:
        """url -> record of the downloaded files among ``urls``."""
        keys = {url_key(u): u for u in urls}
        wanted = list(keys)

        def query() -> dict[str, MediaRecord]:
            sql = ("SELECT url_key, kind, path, checksum, size_in_bytes, mime_type FROM media "
                   "WHERE url_key {values}")
            found: dict[str, MediaRecord] = {}
            for rows in self._fetch_all(self._in_queries(sql, wanted)):
                for key, kind, path, checksum, size, mime in rows:
                    size_in_bytes = int(size) if size is not None else None
                    found[keys[key]] = MediaRecord(keys[key], kind, path, checksum, size_in_bytes, mime)
            return found

        return self._with_retry(query) if wanted else {}

    def record_media(self, records: Iterable[MediaRecord]) -> None:
        """Remember downloaded files (committed at once: a file on disk is never forgotten)."""
        rows = [(url_key(r.url), r.url, r.kind, r.path, r.checksum, r.size_in_bytes, r.mime_type, now_iso())
                for r in records]  # fmt: skip
        if not rows:
            return

        def write() -> None:
            for row in rows:
                self._run(
                    "INSERT INTO media (url_key, url, kind, path, checksum, size_in_bytes, mime_type,"
                    " stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url_key) DO UPDATE SET"
                    " path = excluded.path, checksum = excluded.checksum,"
                    " size_in_bytes = excluded.size_in_bytes, mime_type = excluded.mime_type,"
                    " stored_at = excluded.stored_at",
                    row,
                )
            self.conn.commit()

        self._with_retry(write)

    def close(self) -> None:
        try:
            self.flush()
        finally:
            try:
                self.conn.close()
            except Exception:
                logger.debug("close failed", exc_info=True)
