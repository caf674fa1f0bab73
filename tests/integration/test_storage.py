"""The storage suite: every case runs against SQLite and the real PostgreSQL server."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.items import Article
from crawler.storage import StoreError, mask_url, open_store
from crawler.storage.base import Outcome, StoreUnavailable
from crawler.storage.sql import SQLStore
from crawler.urls import canonicalize, url_key

from ..stores import PG_URL, require_postgres, with_schema
from ..tcpproxy import TcpProxy

STORY = (
    "Chongqing opened its fifth international smart industry expo on Monday, with more than 900 companies "
    "from 27 countries showing robots, connected cars and industrial software in the Yuelai convention centre.\n\n"
    "Organisers said 132 projects worth 248 billion yuan were signed on the first day, most of them in "
    "integrated circuits, new displays and cloud computing, and that the western region would see new data "
    "centres built in Liangjiang over the next three years.\n\n"
    "The vice mayor told reporters that the city aims to double the output of its digital economy by 2027 "
    "and will offer land, tax relief and talent subsidies to companies that move research teams there."
)
COPY = (
    "CHONGQING, Aug 26 (Xinhua) -- "
    + STORY.replace("on Monday", "on Monday morning")
    + "\n\nEditor: Li Na | Source: Xinhua"
)
OTHER_REPORT = (
    "The smart industry expo in Chongqing drew large crowds on its opening day, where visitors queued to try "
    "driverless shuttles and talk to service robots. Exhibitors from 27 countries took part this year.\n\n"
    "Local companies used the event to court investors. A chip maker from Liangjiang said it hoped to find "
    "partners for a new packaging plant, while a software firm showed a platform for factory maintenance.\n\n"
    "Analysts said the western city is competing with Chengdu and Xi'an for data centre investment."
)


def _article(n: int, url: str | None = None, published: str = "2020-01-01T10:00:00+08:00",
             title: str | None = None, body: str | None = None) -> Article:  # fmt: skip
    url = url or f"http://a.example/news/{n}.html"
    return Article(url=url, canonical_url=url, site="a", title=title or f"Story number {n}",
                   body=body or f"Body of story {n} with words that only story {n} uses, {n * 7919}.",
                   published_at=published, outlet="X")  # fmt: skip


def test_add_flush_count_and_order(store_url: str) -> None:
    store = open_store(store_url, batch_size=2)
    assert store.add(_article(1, published="2020-01-01T10:00:00+08:00")) is Outcome.NEW
    assert store.add(_article(2, published="2021-01-01T10:00:00+08:00")) is Outcome.NEW
    assert store.add(_article(1)) is Outcome.UNCHANGED
    assert store.add(_article(3, published="2019-01-01T10:00:00+00:00")) is Outcome.NEW
    store.close()
    reopened = open_store(store_url)
    assert reopened.count() == 3
    assert [a.title for a in reopened.iter_articles()] == [
        "Story number 2",
        "Story number 1",
        "Story number 3",
    ]
    assert [a.title for a in reopened.iter_articles(since="2020-01-01", limit=5)] == [
        "Story number 2",
        "Story number 1",
    ]
    assert reopened.has_url("https://a.example/news/1.html?utm_source=x")
    assert not reopened.has_url("http://a.example/news/9.html")
    reopened.close()


def test_batches_are_invisible_until_committed(store_url: str) -> None:
    writer = open_store(store_url, batch_size=3)
    reader = open_store(store_url)
    writer.add(_article(1))
    writer.add(_article(2))
    assert reader.count() == 0
    writer.add(_article(3))  # the third fills the batch
    assert reader.count() == 3
    writer.add(_article(4))
    writer.close()  # closing commits the rest
    assert reader.count() == 4
    reader.close()


def test_same_content_under_another_url_is_an_alias(store_url: str) -> None:
    store = open_store(store_url, batch_size=10)
    first = _article(1)
    assert store.add(first) is Outcome.NEW
    mobile = _article(1, url="http://m.a.example/news/1.html")
    assert store.add(mobile) is Outcome.ALIAS  # in the same batch
    store.flush()
    printable = _article(1, url="http://a.example/print/1.html")
    assert store.add(printable) is Outcome.ALIAS  # against the committed store
    store.flush()
    assert store.count() == 1
    assert isinstance(store, SQLStore)
    assert store.aliases_of(first.url) == ["http://a.example/print/1.html", "http://m.a.example/news/1.html"]
    assert store.has_url("http://m.a.example/news/1.html")
    assert store.add(_article(1, url="http://m.a.example/news/1.html")) is Outcome.UNCHANGED
    store.close()


def test_changed_content_is_a_new_version_with_history(store_url: str) -> None:
    store = open_store(store_url, batch_size=1)
    assert isinstance(store, SQLStore)
    store.add(_article(1, title="First headline"))
    assert store.add(_article(1, title="First headline")) is Outcome.UNCHANGED
    assert store.add(_article(1, title="Corrected headline")) is Outcome.UPDATED
    assert store.add(_article(1, title="Corrected headline")) is Outcome.UNCHANGED
    assert store.add(_article(1, title="Corrected again")) is Outcome.UPDATED
    store.flush()
    assert store.count() == 1
    assert store.versions("http://a.example/news/1.html") == [
        (1, "First headline"),
        (2, "Corrected headline"),
        (3, "Corrected again"),
    ]
    [current] = list(store.iter_articles())
    assert current.title == "Corrected again"
    store.close()


def test_syndicated_copy_is_linked_not_dropped(store_url: str) -> None:
    store = open_store(store_url, batch_size=10)
    original = _article(1, url="http://daily.example/a/1.html", title="Smart expo opens", body=STORY)
    assert store.add(original) is Outcome.NEW
    store.flush()
    copy = _article(2, url="http://portal.example/b/2.html", title="Expo opens in Chongqing", body=COPY)
    assert store.add(copy) is Outcome.NEW
    assert copy.duplicate_of == "http://daily.example/a/1.html"
    other = _article(3, url="http://tv.example/c/3.html", title="Crowds at the expo", body=OTHER_REPORT)
    assert store.add(other) is Outcome.NEW
    assert other.duplicate_of is None
    # A copy of a copy points at the first copy, within one batch as across batches.
    again = _article(
        4, url="http://blog.example/d/4.html", title="Expo", body=COPY + "\n\nShared from the portal."
    )
    store.add(again)
    assert again.duplicate_of == "http://daily.example/a/1.html"
    store.close()
    reopened = open_store(store_url)
    stored = {a.url: a.duplicate_of for a in reopened.iter_articles()}
    assert stored == {
        "http://daily.example/a/1.html": None,
        "http://portal.example/b/2.html": "http://daily.example/a/1.html",
        "http://tv.example/c/3.html": None,
        "http://blog.example/d/4.html": "http://daily.example/a/1.html",
    }
    reopened.close()


def test_odd_keys_survive_array_lookups_and_copy_escapes(store_url: str) -> None:
    # Lookups send URL keys and buckets as one array parameter (binary on PostgreSQL); band rows
    # go through COPY's text format, where a backslash, tab or line end must be escaped.
    store = open_store(store_url, batch_size=10)
    odd_urls = ['http://daily.example/a,b/1.html?id=1,2', 'http://daily.example/{"x"}/2.html']
    for n, url in enumerate(odd_urls):
        store.add(_article(n, url=url))
    store.flush()
    assert store.known_urls([*odd_urls, "http://daily.example/a,b/9.html"]) == set(odd_urls)
    assert store.add(_article(0, url=odd_urls[0])) is Outcome.UNCHANGED
    odd = "odd\\key\twith\nbreaks\r and \\. an end"
    assert isinstance(store, SQLStore)
    store._insert_bands([("0:feed", odd)])
    store.conn.commit()
    rows = store._run("SELECT url_key FROM minhash_bands WHERE bucket = ?", ("0:feed",)).fetchall()
    assert [r[0] for r in rows] == [odd]
    store.close()


def test_dedup_holds_across_processes_and_runs(store_url: str) -> None:
    one = open_store(store_url, batch_size=1)
    two = open_store(store_url, batch_size=1)
    assert one.add(_article(1)) is Outcome.NEW
    assert two.add(_article(1)) is Outcome.UNCHANGED
    assert two.add(_article(1, url="http://b.example/copy.html")) is Outcome.ALIAS
    one.close()
    two.close()


def test_store_refuses_unknown_url() -> None:
    with pytest.raises(StoreError, match=r"\*\*\*"):
        open_store("mysql://user:secret@host/db")


def test_unreachable_postgres_is_one_clear_error() -> None:
    with pytest.raises(StoreError) as err:
        open_store("postgresql://bob:hunter2@127.0.0.1:1/news")
    message = str(err.value)
    assert message.startswith("cannot open store postgresql://bob:***@127.0.0.1:1/news")
    assert "hunter2" not in message and "\n" not in message


def test_mask_url() -> None:
    assert mask_url("postgresql://u:pw@h:5432/d") == "postgresql://u:***@h:5432/d"


V1_SQLITE = """
CREATE TABLE articles (id INTEGER PRIMARY KEY, url_key TEXT NOT NULL UNIQUE, canonical_url TEXT NOT NULL,
  url TEXT NOT NULL, site TEXT, title TEXT NOT NULL, outlet TEXT, published_at TEXT, published_at_utc TEXT,
  published_at_raw TEXT, body TEXT NOT NULL, language TEXT, category TEXT, author TEXT, editor TEXT,
  crawled_at TEXT, listing_url TEXT, content_hash TEXT);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema_version', '1');
"""


def test_migrates_a_version_1_store_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_SQLITE)
        conn.execute(
            "INSERT INTO articles (url_key, canonical_url, url, site, title, body, published_at, content_hash) "
            "VALUES (?, ?, ?, 'a', 'Smart expo opens', ?, '2019-08-26T09:00:00+08:00', 'old')",
            (
                url_key("http://daily.example/a/1.html"),
                "http://daily.example/a/1.html",
                "http://daily.example/a/1.html",
                STORY,
            ),
        )
    store = open_store(f"sqlite:///{path}")
    assert isinstance(store, SQLStore)
    assert store.schema_version() == 4
    assert store.count() == 1
    assert store.table_count("signatures") == 1  # backfilled
    copy = _article(2, url="http://portal.example/b/2.html", title="Expo opens", body=COPY)
    store.add(copy)
    assert copy.duplicate_of == "http://daily.example/a/1.html"
    store.close()


def test_migrates_a_version_1_postgres_store_in_place(pg_schema: str) -> None:
    import psycopg

    url = with_schema(PG_URL, pg_schema)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE articles (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, url_key TEXT NOT NULL "
            "UNIQUE, canonical_url TEXT NOT NULL, url TEXT NOT NULL, site TEXT, title TEXT NOT NULL, outlet TEXT,"
            " published_at TEXT, published_at_utc TEXT, published_at_raw TEXT, body TEXT NOT NULL, language TEXT,"
            " category TEXT, author TEXT, editor TEXT, crawled_at TEXT, listing_url TEXT, content_hash TEXT)"
        )
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        conn.execute(
            "INSERT INTO articles (url_key, canonical_url, url, title, body, content_hash) VALUES (%s, %s, %s, 'T', %s, 'x')",
            (
                url_key("http://daily.example/a/1.html"),
                "http://daily.example/a/1.html",
                "http://daily.example/a/1.html",
                STORY,
            ),
        )
    store = open_store(url)
    assert isinstance(store, SQLStore)
    assert store.schema_version() == 4 and store.count() == 1 and store.table_count("signatures") == 1
    store.close()


def test_postgres_connection_killed_mid_crawl_is_retried(pg_schema: str) -> None:
    import psycopg

    store = open_store(with_schema(PG_URL, pg_schema), batch_size=2, backoff=0.05)
    store.add(_article(1))
    store.add(_article(2))  # committed
    pid = store.conn.info.backend_pid  # type: ignore[attr-defined]
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    store.add(_article(3))
    store.add(_article(4))  # this flush meets the dead connection, reconnects and commits
    assert store.conn.info.backend_pid != pid  # type: ignore[attr-defined]
    store.close()
    check = open_store(with_schema(PG_URL, pg_schema))
    assert check.count() == 4
    check.close()


def test_postgres_store_analyzes_its_tables_as_they_grow(pg_schema: str) -> None:
    # Without statistics the planner scans whole tables for every batch of dedup lookups.
    from crawler.storage.postgres import PostgresStore

    store = open_store(with_schema(PG_URL, pg_schema), batch_size=5)
    assert isinstance(store, PostgresStore)
    store.ANALYZE_MIN_WRITES = 10

    def planner_rows() -> list[float]:
        rows = store._run(
            "SELECT relname, reltuples FROM pg_class WHERE relnamespace = current_schema()::regnamespace"
            " AND relname IN ('articles', 'minhash_bands') ORDER BY relname"
        ).fetchall()
        store.conn.commit()
        return [float(r[1]) for r in rows]

    assert planner_rows() == [-1.0, -1.0]  # never analyzed
    for n in range(10):
        store.add(_article(n))
    store.flush()
    articles, bands = planner_rows()
    assert articles == 10 and bands == 10 * 32
    for n in range(10, 15):  # 5 writes since the last ANALYZE: fewer than 10
        store.add(_article(n))
    store.flush()
    assert planner_rows()[0] == 10
    for n in range(15, 20):  # 10 since the last ANALYZE
        store.add(_article(n))
    store.flush()
    assert planner_rows()[0] == 20
    store.close()


def test_store_that_stays_down_raises_store_unavailable(pg_schema: str) -> None:
    require_postgres()
    proxy = TcpProxy("127.0.0.1", 5432)
    try:
        url = with_schema(f"postgresql://postgres@127.0.0.1:{proxy.port}/test", pg_schema)
        store = open_store(url, batch_size=5, retries=2, backoff=0.05)
        store.add(_article(1))
        proxy.cut()
        with pytest.raises(StoreUnavailable, match="unavailable"):
            store.add(_article(2))  # its dedup lookups cannot reach the server
        with pytest.raises(StoreUnavailable):
            store.flush()
        assert [a.url for a in store.pending()] == ["http://a.example/news/1.html"]
        proxy.restore()
        store.flush()  # the server is back: the same batch commits
        assert store.add(_article(2)) is Outcome.NEW
        store.flush()
        assert store.count() == 2
        store.close()
    finally:
        proxy.close()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://s.example/a/1.html?utm_source=wx&id=3", "http://s.example/a/1.html?id=3"),
        ("https://s.example/a/", "http://s.example/a"),
        ("http://s.example/a/index.html", "http://s.example/a"),
        ("http://S.example:80/a/1.html#top", "http://s.example/a/1.html"),
        ("http://s.example/a/1.html?spm=1.2&from=timeline", "http://s.example/a/1.html"),
    ],
)
def test_url_variants_share_a_key(a: str, b: str) -> None:
    assert url_key(a) == url_key(b)


def test_distinct_articles_keep_distinct_keys() -> None:
    assert url_key("http://s.example/a?id=1") != url_key("http://s.example/a?id=2")
    assert canonicalize("http://s.example/a/b.html?x=1&utm_medium=y", ["x"]) == "http://s.example/a/b.html"


def _open_and_close(url: str) -> int:
    store = open_store(url)
    assert isinstance(store, SQLStore)
    version = store.schema_version()
    store.close()
    return version


def test_processes_opening_a_new_store_at_once_take_turns_to_migrate(store_url: str) -> None:
    # Several workers starting together on an empty store used to race on CREATE TABLE.
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=4) as pool:
        versions = list(pool.map(_open_and_close, [store_url] * 8))
    assert versions == [4] * 8


def _second_store_url(store_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty store of the same backend as ``store_url``."""
    if store_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/twin.sqlite3"
        return
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_schema(PG_URL, schema)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _mixed_batch() -> list[Article]:
    """Every outcome, against the stored articles and against articles earlier in the batch."""
    return [
        _article(1, title="Smart expo opens", body=STORY),  # stored, same content: unchanged
        _article(2, title="Second story, corrected"),  # stored, new content: updated
        _article(3),  # new
        _article(3),  # the same URL again in the batch: unchanged
        _article(3, title="Story number 3, corrected"),  # in the batch, changed: updated
        _article(4, url="http://b.example/mirror/1.html", title="Smart expo opens", body=STORY),  # alias
        # Article 3's first version under another URL, after its update was committed (the write
        # batch of 3 filled at the update): new, as the store holds only the corrected text.
        _article(3, url="http://b.example/mirror/3.html"),
        _article(6, url="http://portal.example/b/2.html", title="Expo opens in Chongqing", body=COPY),
        _article(7, url="http://blog.example/d/4.html", title="Expo", body=COPY + "\n\nShared."),
        _article(8, url="http://tv.example/c/3.html", title="Crowds at the expo", body=OTHER_REPORT),
        _article(9, url="http://a.example/news/1.html?from=rss", title="Smart expo opens", body=STORY),
        _article(10),
    ]


def _stored_state(url: str) -> tuple[list[tuple[str, str | None, str | None, int]], int]:
    store = open_store(url)
    try:
        assert isinstance(store, SQLStore)
        articles = sorted(
            (a.url, a.title, a.duplicate_of, len(store.versions(a.url))) for a in store.iter_articles()
        )
        return articles, store.table_count("aliases")
    finally:
        store.close()


@pytest.mark.parametrize("lookup_batch", [4, 12])
def test_add_many_decides_as_one_by_one(store_url: str, tmp_path: Path, lookup_batch: int) -> None:
    """Articles looked up together get the outcomes, links and stored rows that adding them one
    at a time gives, including batches that cross a write transaction (batch size 3)."""
    for twin_url in _second_store_url(store_url, tmp_path):
        results = []
        for url, together in ((store_url, False), (twin_url, True)):
            store = open_store(url, batch_size=3)
            store.add(_article(1, title="Smart expo opens", body=STORY))
            store.add(_article(2))
            store.flush()
            batch = _mixed_batch()
            if together:
                outcomes = []
                for i in range(0, len(batch), lookup_batch):
                    outcomes += store.add_many(batch[i : i + lookup_batch])
            else:
                outcomes = [store.add(article) for article in batch]
            store.close()
            results.append(([o.value for o in outcomes], [a.duplicate_of for a in batch], _stored_state(url)))
        one_by_one, together_ = results
        assert together_ == one_by_one
        assert one_by_one[0] == [
            "unchanged", "updated", "new", "unchanged", "updated", "alias", "new", "new", "new", "new",
            "unchanged", "new",
        ]  # fmt: skip
        assert one_by_one[1][7:9] == ["http://a.example/news/1.html", "http://a.example/news/1.html"]
