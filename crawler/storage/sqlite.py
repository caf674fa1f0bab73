"""SQLite store (the default): one file, WAL journal, batched transactions."""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crawler import dedup
from crawler import settings as defaults
from crawler.storage.base import StoreError
from crawler.storage.sql import SQLStore, schema_migrations, scheme_guard_message

SCHEME_GUARD = [
    f"CREATE TRIGGER signatures_scheme BEFORE INSERT ON signatures WHEN NEW.scheme IS NOT {dedup.SCHEME} "
    f"BEGIN SELECT RAISE(ABORT, '{scheme_guard_message(dedup.SCHEME)}'); END"
]
MIGRATIONS = schema_migrations("id INTEGER PRIMARY KEY", "BLOB", SCHEME_GUARD)


class SQLiteStore(SQLStore):
    transient_errors = (sqlite3.OperationalError,)
    migrations = MIGRATIONS

    def __init__(self, path: Path, batch_size: int = defaults.STORE_BATCH_SIZE, **options: Any) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            super().__init__(f"sqlite:///{path}", batch_size=batch_size, **options)
        except (sqlite3.Error, OSError) as err:
            raise StoreError(f"cannot open store sqlite:///{path}: {err}") from err

    @contextmanager
    def _schema_lock(self) -> Iterator[None]:
        lock = self.path.with_name(self.path.name + ".migrate.lock")
        with lock.open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _connect(self) -> Any:
        conn = sqlite3.connect(self.path, timeout=30)
        # Switching a new file to WAL needs it to itself: processes opening it together take turns.
        with self._schema_lock():
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn
