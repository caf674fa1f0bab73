from __future__ import annotations

from pathlib import Path

import pytest

from crawler.items import Article
from crawler.storage import StoreError, mask_url, open_store
from crawler.urls import canonicalize, url_key


def _article(n: int, url: str | None = None, published: str = "2020-01-01T10:00:00+08:00") -> Article:
    url = url or f"http://a.example/news/{n}.html"
    return Article(url=url, canonical_url=url, site="a", title=f"T{n}", body=f"Body {n}",
                   published_at=published, outlet="X")  # fmt: skip


def test_sqlite_add_flush_count_and_order(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/s.sqlite3", batch_size=2)
    assert store.add(_article(1, published="2020-01-01T10:00:00+08:00"))
    assert store.add(_article(2, published="2021-01-01T10:00:00+08:00"))
    assert not store.add(_article(1))  # same canonical URL
    assert store.add(_article(3, published="2019-01-01T10:00:00+00:00"))
    store.close()
    reopened = open_store(f"sqlite:///{tmp_path}/s.sqlite3")
    assert reopened.count() == 3
    assert [a.title for a in reopened.iter_articles()] == ["T2", "T1", "T3"]
    assert [a.title for a in reopened.iter_articles(since="2020-01-01", limit=5)] == ["T2", "T1"]
    assert reopened.has_url("https://a.example/news/1.html?utm_source=x")
    reopened.close()


def test_store_refuses_unknown_url() -> None:
    with pytest.raises(StoreError, match=r"\*\*\*"):
        open_store("mysql://user:secret@host/db")


def test_mask_url() -> None:
    assert mask_url("postgresql://u:pw@h:5432/d") == "postgresql://u:***@h:5432/d"


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
