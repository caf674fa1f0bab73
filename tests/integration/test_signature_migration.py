"""Schema migration 4: a store signed under MinHash scheme 1 (SHA-1 per shingle) is signed
again under the current scheme, on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest

from crawler import dedup
from crawler.items import Article
from crawler.storage import StoreError, open_store
from crawler.storage import postgres as pg_store
from crawler.storage import sqlite as sqlite_store
from crawler.storage.sql import SQLStore
from crawler.urls import url_key

from .test_storage import COPY, OTHER_REPORT, STORY

# Scheme 1 as the code before migration 4 computed it (datasketch 2's MinHash(num_perm=128,
# seed=1)): kept here as the reference of what old stores hold.
_OLD_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+")


def _fmix32(hv: np.ndarray) -> np.ndarray:
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def _scheme1_signature(text: str) -> np.ndarray:
    toks = _OLD_TOKEN.findall(text.casefold())
    grams = {" ".join(toks[i : i + 5]) for i in range(len(toks) - 4)} or {" ".join(toks)}
    digests = [hashlib.sha1(g.encode("utf-8")).digest()[:4] for g in grams]
    hv = _fmix32(np.frombuffer(b"".join(digests), dtype="<u4").astype(np.uint32))
    return (hv[:, None] * dedup._A + dedup._B).min(axis=0).astype(np.uint64)


ARTICLES = [("http://daily.example/a/1.html", "Smart expo opens", STORY),
            ("http://daily.example/a/2.html", "Crowds at the expo", OTHER_REPORT)] + [
    (f"http://daily.example/a/{n}.html", f"Notice {n}",
     f"Notice number {n}: the office at {n * 37} Jiefang Road moves to the district centre on day {n} "
     f"of the month; documents filed under {n * 7919} stay valid and may be collected there.")
    for n in range(3, 9)
]  # fmt: skip


@contextmanager
def _raw(store_url: str) -> Iterator[tuple[Any, str, list[list[Any]]]]:
    """A plain connection to the store's database, its placeholder and its dialect's migrations."""
    if store_url.startswith("sqlite:///"):
        conn = sqlite3.connect(store_url.removeprefix("sqlite:///"), isolation_level=None)
        try:
            yield conn, "?", sqlite_store.MIGRATIONS
        finally:
            conn.close()
        return
    import psycopg

    with psycopg.connect(store_url, autocommit=True) as pconn:
        yield pconn, "%s", pg_store.MIGRATIONS


def _old_store(store_url: str) -> None:
    """A store at schema version 3 whose signatures and bands are of scheme 1."""
    with _raw(store_url) as (conn, mark, migrations):
        for steps in migrations[:3]:
            for step in steps:
                assert isinstance(step, str), "migrations 1-3 are plain statements"
                conn.execute(step)
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '3')")
        for url, title, body in ARTICLES:
            key = url_key(url)
            conn.execute(
                "INSERT INTO articles (url_key, canonical_url, url, site, title, body, content_hash) "
                f"VALUES ({mark}, {mark}, {mark}, 'daily', {mark}, {mark}, {mark})",
                (key, url, url, title, body, dedup.content_hash(title, body)),
            )
            sig = _scheme1_signature(f"{title}\n{body}")
            conn.execute(
                f"INSERT INTO signatures (url_key, sig) VALUES ({mark}, {mark})", (key, dedup.to_bytes(sig))
            )
            for band, bucket in dedup.bands(sig):
                conn.execute(f"INSERT INTO minhash_bands (bucket, url_key) VALUES ({mark}, {mark})",
                             (f"{band}:{bucket}", key))  # fmt: skip


def test_the_old_scheme_misses_the_copy_the_new_one_finds() -> None:
    # Why stored signatures must be signed again: the two schemes never agree.
    old = _scheme1_signature(f"Smart expo opens\n{STORY}")
    assert dedup.similarity(old, dedup.signature(f"Expo opens\n{COPY}")) < 0.1
    assert (
        dedup.similarity(
            dedup.signature(f"Smart expo opens\n{STORY}"), dedup.signature(f"Expo opens\n{COPY}")
        )
        >= 0.5
    )


def test_migration_signs_every_stored_article_again(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _old_store(store_url)
    monkeypatch.setattr(SQLStore, "BACKFILL_BATCH", 3)  # three batches for eight articles
    store = open_store(store_url)
    assert isinstance(store, SQLStore)
    assert store.schema_version() == 4
    assert store.get_meta("minhash_scheme") == str(dedup.SCHEME)
    assert store.table_count("signatures") == len(ARTICLES)
    assert store.table_count("minhash_bands") == dedup.BANDS * len(ARTICLES)
    with _raw(store_url) as (conn, _, _):
        stored = {
            key: (bytes(sig), scheme)
            for key, sig, scheme in conn.execute("SELECT url_key, sig, scheme FROM signatures")
        }
        buckets = {(key, bucket) for bucket, key in conn.execute("SELECT bucket, url_key FROM minhash_bands")}
    for url, title, body in ARTICLES:
        sig = dedup.signature(f"{title}\n{body}")
        assert stored[url_key(url)] == (dedup.to_bytes(sig), dedup.SCHEME)
        assert {(url_key(url), f"{b}:{bucket}") for b, bucket in dedup.bands(sig)} <= buckets
    # A syndicated copy of a stored article is still linked to it.
    copy = Article(url="http://portal.example/b/2.html", canonical_url="http://portal.example/b/2.html", site="portal",
                   title="Expo opens", body=COPY, published_at="2019-08-27T08:00:00+08:00")  # fmt: skip
    store.add(copy)
    store.close()
    assert copy.duplicate_of == "http://daily.example/a/1.html"
    again = open_store(store_url)  # nothing left to migrate
    assert isinstance(again, SQLStore) and again.schema_version() == 4
    assert again.table_count("signatures") == len(ARTICLES) + 1
    again.close()


def test_a_crawler_of_the_old_code_is_refused_with_a_message(store_url: str) -> None:
    open_store(store_url).close()
    with _raw(store_url) as (conn, mark, _):
        # What the code before migration 4 wrote: a signature row without its scheme.
        old_write = f"INSERT INTO signatures (url_key, sig) VALUES ({mark}, {mark})"
        with pytest.raises(Exception, match=r"signatures of this store are of scheme 2 .*upgrade"):
            conn.execute(old_write, ("//x.example/1", dedup.to_bytes(_scheme1_signature("old code"))))
        assert conn.execute("SELECT COUNT(*) FROM signatures").fetchone()[0] == 0


def test_a_store_of_a_newer_schema_is_refused(store_url: str) -> None:
    open_store(store_url).close()
    with _raw(store_url) as (conn, _, _):
        conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 5, written by a newer crawler"):
        open_store(store_url)
