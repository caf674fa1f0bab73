"""PostgreSQL store through psycopg 3: the same schema, migrations and dedup as SQLite."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from crawler import dedup
from crawler import settings as defaults
from crawler.items import Article
from crawler.storage.base import StoreError, mask_url
from crawler.storage.sql import SQLStore, article_from_row, schema_migrations, scheme_guard_message

try:
    import psycopg
except ImportError:  # pragma: no cover - psycopg is an optional dependency
    psycopg = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

SCHEMA_LOCK_ID = 7_461_202_611  # any constant: the advisory lock of schema migrations
SCHEME_GUARD = [
    "CREATE OR REPLACE FUNCTION signatures_scheme_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF NEW.scheme IS DISTINCT FROM {dedup.SCHEME} THEN "
    f"RAISE EXCEPTION '{scheme_guard_message(dedup.SCHEME)}'; END IF; RETURN NEW; END $$",
    "CREATE TRIGGER signatures_scheme BEFORE INSERT ON signatures FOR EACH ROW "
    "EXECUTE FUNCTION signatures_scheme_guard()",
]
MIGRATIONS = schema_migrations("id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BYTEA", SCHEME_GUARD)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: str) -> str:
    """A value as a column of COPY's text format: backslash, tab and line ends escaped."""
    return value.translate(_COPY_ESCAPES) if "\\" in value or not value.isprintable() else value


class PostgresStore(SQLStore):
    placeholder = "%s"
    migrations = MIGRATIONS
    # A round trip to the server costs more than a signature: lookups and near-duplicate
    # candidates go together in one pipeline.
    early_signature = True
    EMPTY_TABLE = "TRUNCATE {}"  # DELETE leaves every row's dead version behind

    def __init__(
        self, url: str, batch_size: int = defaults.STORE_BATCH_SIZE, connect_timeout: int = 5, **options: Any
    ) -> None:
        if psycopg is None:
            raise StoreError("PostgreSQL needs psycopg: pip install 'mediacenter-crawler[postgres]'")
        self.transient_errors = (psycopg.OperationalError, psycopg.InterfaceError)
        self.connect_timeout = connect_timeout
        self._writes_since_analyze = 0
        try:
            super().__init__(url, batch_size=batch_size, **options)
            self._analyzed_rows = self._estimated_articles()
        except psycopg.Error as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise StoreError(f"cannot open store {mask_url(url)}: {first}") from err

    @contextmanager
    def _schema_lock(self) -> Iterator[None]:
        # A session advisory lock: concurrent CREATE TABLE IF NOT EXISTS collide in PostgreSQL.
        self.conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_ID,))
        try:
            yield
        finally:
            self.conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_ID,))
            self.conn.commit()

    # The store's own ANALYZE: the dedup lookups read tables that grow by thousands of rows a
    # minute in a first crawl, faster than autovacuum looks (which may be off). Without
    # statistics the planner scans every band and article row for each batch of lookups: 0.6 ms
    # per article at 10,000 articles, 3.4 ms at 48,000, against 0.3 ms with them.
    ANALYZE_MIN_WRITES = 1000  # writes committed by this store since it last analyzed...
    ANALYZE_GROWTH = 0.5  # ...and at least this share of the articles counted then
    _ANALYZED_TABLES = "articles, aliases, signatures, minhash_bands"

    def _committed(self, writes: int) -> None:
        self._writes_since_analyze += writes
        due = max(self.ANALYZE_MIN_WRITES, self.ANALYZE_GROWTH * self._analyzed_rows)
        if self._writes_since_analyze < due:
            return
        try:
            self._with_retry(self._analyze)
        except StoreError as err:  # statistics are an optimisation: the write is committed
            logger.warning("store %s: ANALYZE failed: %s", mask_url(self.url), err)

    def _analyze(self) -> None:
        started = time.monotonic()
        self._run(f"ANALYZE {self._ANALYZED_TABLES}")
        self.conn.commit()
        self._writes_since_analyze = 0
        self._analyzed_rows = self._estimated_articles()
        logger.debug("store %s analyzed at about %d articles in %.2f s", mask_url(self.url),
                     self._analyzed_rows, time.monotonic() - started)  # fmt: skip

    def _estimated_articles(self) -> int:
        """The planner's count of articles (-1, read as 0, before any ANALYZE or VACUUM)."""
        row = self._run("SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass").fetchone()
        self.conn.commit()
        return max(0, int(row[0])) if row else 0

    def _connect(self) -> Any:
        assert psycopg is not None
        return psycopg.connect(self.url, connect_timeout=self.connect_timeout)

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[Article]:
        """A server-side cursor: an export of millions of rows holds 500 in memory at a time."""
        with self.conn.cursor(name=f"export_{id(self):x}") as cursor:
            cursor.itersize = 500
            cursor.execute(self._sql(sql), tuple(params))
            for row in cursor:
                yield article_from_row(row)
        self.conn.commit()

    def _in_queries(self, template: str, values: Sequence[str]) -> list[tuple[str, list[Any]]]:
        # One array parameter (psycopg parses a query of hundreds of placeholders anew each time)
        # in the binary format, which psycopg dumps in a third of the text format's time (1 ms
        # of CPU for a batch's 1,024 near-duplicate buckets).
        return [(template.format(values="= ANY(%b)"), [list(values)])] if values else []

    def _fetch_all(self, queries: Sequence[tuple[str, Sequence[Any]]]) -> list[list[Any]]:
        with self.conn.pipeline():
            cursors = [self._run(sql, params) for sql, params in queries]
        return [cursor.fetchall() for cursor in cursors]

    def _insert_rows(self, sql: str, rows: list[list[Any]], keys: list[str]) -> set[str]:
        """One pipelined executemany; RETURNING names the rows this process inserted (a key
        another process inserted first returns nothing)."""
        cursor = self.conn.cursor()
        cursor.executemany(self._sql(sql + " RETURNING url_key"), rows, returning=True)
        inserted: set[str] = set()
        while True:
            inserted.update(str(row[0]) for row in cursor.fetchall())
            if not cursor.nextset():
                break
        return inserted

    def _insert_bands(self, rows: list[tuple[str, str]]) -> None:
        # COPY streams the rows in one statement (executemany sent a prepared query per row), in
        # its text format built here at once: write_row dumps the 32 rows of an article one by one.
        sql = "COPY minhash_bands (bucket, url_key) FROM STDIN"
        data = "".join(f"{_copy_text(bucket)}\t{_copy_text(key)}\n" for bucket, key in rows)
        with self.conn.cursor() as cursor, cursor.copy(sql) as copy:
            copy.write(data.encode())

    def _run(self, sql: str, params: Any = ()) -> Any:
        return self.conn.execute(self._sql(sql), tuple(params))
