"""The page archive (-s WARC_DIR): standard WARC 1.1 files, and re-extraction from them."""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from warcio.archiveiterator import ArchiveIterator

from crawler import __version__
from crawler.devserver import FIXTURE_SITES
from crawler.profiles import load_profiles
from crawler.reextract import articles
from crawler.warc import RotatingWarcWriter, WarcMiddleware, iter_pages, warc_files

from ..fixturedata import scrapy_stats

ROOT = Path(__file__).resolve().parents[2]
WARCIO = "import sys; from warcio.cli import main; main(sys.argv[1:])"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def archived(
    fixture_sites: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Path]]:
    """One crawl of the seed site with the archive on, small files so that they rotate."""
    tmp = tmp_path_factory.mktemp("warc")
    store = tmp / "store.sqlite3"
    proc = _run("-m", "scrapy", "crawl", "mediacenter", "-a", "site=smartchina_expo",
                "-a", f"base_url={fixture_sites['smartchina_expo']}", "-s", f"STORE_URL=sqlite:///{store}",
                "-s", f"WARC_DIR={tmp / 'warc'}", "-s", "WARC_MAX_SIZE=60000", "-s", "LOG_LEVEL=INFO")  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    stats = scrapy_stats(proc.stderr)
    assert stats["article/stored"] == 28
    yield {"dir": tmp / "warc", "store": store, "tmp": tmp}


def test_every_fetch_is_archived_in_rotated_files_standard_tools_read(archived: dict[str, Path]) -> None:
    files = warc_files([archived["dir"]])
    assert len(files) >= 2, "WARC_MAX_SIZE rotates the files"
    assert not list(archived["dir"].glob("*.open")), "every file is closed at the end of the crawl"
    check = _run("-c", WARCIO, "check", "-v", *map(str, files))
    assert check.returncode == 0, check.stdout[-2000:]
    assert "digest pass" in check.stdout and "digest fail" not in check.stdout
    index = _run("-c", WARCIO, "index", "-f", "warc-type,warc-target-uri,http:status", *map(str, files))
    assert index.returncode == 0, index.stderr
    rows = [json.loads(line) for line in index.stdout.splitlines()]
    kinds = [r["warc-type"] for r in rows]
    assert kinds.count("warcinfo") == len(files)
    # robots.txt, 3 listing pages and 28 articles: one request, response and metadata record each.
    assert kinds.count("response") == kinds.count("request") == kinds.count("metadata") == 32
    urls = {r["warc-target-uri"] for r in rows if r["warc-type"] == "response"}
    assert sum("/English/syxwlb/20" in u for u in urls) == 28


def test_warcinfo_names_the_crawler_and_bodies_are_the_served_bytes(archived: dict[str, Path]) -> None:
    first = warc_files([archived["dir"]])[0]
    with open(first, "rb") as fh:
        info = next(iter(ArchiveIterator(fh)))
        assert info.rec_type == "warcinfo"
        assert info.rec_headers.get_header("WARC-Type") == "warcinfo"
        assert f"software: mediacenter-crawler/{__version__}" in info.content_stream().read().decode()
    with gzip.open(first, "rb") as raw:
        assert raw.read(8) == b"WARC/1.1"
    pages = list(iter_pages(warc_files([archived["dir"]])))
    seed = next(p for p in pages if p.url.endswith("/English/syxwlb/2019/7/3/1164745.shtml"))
    served = (FIXTURE_SITES / "smartchina_expo" / "English/syxwlb/2019/7/3/1164745.shtml").read_bytes()
    assert seed.body == served
    assert seed.status == 200 and (seed.header("Server") or "").startswith("FixtureServer")
    assert seed.metadata["kind"] == "article" and seed.metadata["site"] == "smartchina_expo"
    assert seed.metadata["public_url"] == "http://smartchina-expo.cn/English/syxwlb/2019/7/3/1164745.shtml"


def test_a_compressed_body_is_archived_as_received(tmp_path: Path) -> None:
    """At order 950 the middleware sees the body before HttpCompressionMiddleware decodes it."""
    html = b"<html><body><h1>Hello</h1></body></html>"
    body = gzip.compress(html)
    writer = RotatingWarcWriter(tmp_path, 10_000_000)
    mw = WarcMiddleware.__new__(WarcMiddleware)
    mw.crawler, mw.out = type("C", (), {"stats": None})(), writer  # type: ignore[assignment]
    request = Request("http://example.com/a.html", meta={"article": True})
    response = HtmlResponse("http://example.com/a.html", body=body, request=request,
                            headers={"Content-Encoding": "gzip", "Transfer-Encoding": "chunked"})  # fmt: skip
    mw.process_response(request, response, type("S", (), {"site": "example"})())  # type: ignore[arg-type]
    writer.close()
    (path,) = writer.files
    with open(path, "rb") as fh:
        record = next(r for r in ArchiveIterator(fh) if r.rec_type == "response")
        assert record.raw_stream.read() == body
        assert record.http_headers.get_header("Content-Encoding") == "gzip"
        assert record.http_headers.get_header("Transfer-Encoding") is None
    (page,) = iter_pages([path])
    assert page.body == html and page.metadata["site"] == "example"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return _run("-m", "crawler", *args)


def test_reextract_changes_only_what_extraction_changes(archived: dict[str, Path]) -> None:
    store = archived["tmp"] / "reextract.sqlite3"
    store.write_bytes(archived["store"].read_bytes())
    proc = _cli("reextract", "--warc-dir", str(archived["dir"]), "--store", f"sqlite:///{store}")
    assert proc.returncode == 0, proc.stderr
    assert "read 28 pages: changed 0, unchanged 28, new 0, dropped 0" in proc.stdout
    # Simulate an older extraction: one wrong outlet (title and body the same), one wrong title.
    with sqlite3.connect(store) as db:
        keys = [r[0] for r in db.execute("SELECT url_key FROM articles ORDER BY url_key LIMIT 2")]
        db.execute("UPDATE articles SET outlet = 'Old outlet' WHERE url_key = ?", (keys[0],))
        db.execute(
            "UPDATE articles SET title = 'Old title', content_hash = 'x' WHERE url_key = ?", (keys[1],)
        )
        before = {
            r[0]: r[1:] for r in db.execute("SELECT url_key, version, crawled_at, updated_at FROM articles")
        }
    proc = _cli(
        "reextract", str(archived["dir"]), "--store", f"sqlite:///{store}", "--site", "smartchina_expo"
    )
    assert proc.returncode == 0, proc.stderr
    assert "read 28 pages: changed 2, unchanged 26, new 0, dropped 0" in proc.stdout
    with sqlite3.connect(store) as db:
        after = {
            r[0]: r[1:] for r in db.execute("SELECT url_key, version, crawled_at, updated_at FROM articles")
        }
        history = db.execute(
            "SELECT article_key, outlet, title FROM article_history ORDER BY article_key"
        ).fetchall()
        fixed = dict(
            db.execute("SELECT url_key, outlet FROM articles WHERE url_key = ?", (keys[0],)).fetchall()
        )
    assert {k for k in after if after[k] != before[k]} == set(keys)
    assert all(after[k][0] == 2 for k in keys)
    assert sorted(h[0] for h in history) == sorted(keys)
    assert fixed[keys[0]] != "Old outlet"
    proc = _cli("reextract", str(archived["dir"]), "--store", f"sqlite:///{store}", "--site", "another_site")
    assert "read 0 pages" in proc.stdout


def test_extract_prints_the_items_of_an_archive(archived: dict[str, Path]) -> None:
    files = warc_files([archived["dir"]])
    proc = _cli("extract", *[a for f in files for a in ("--warc", str(f))])
    assert proc.returncode == 0, proc.stderr
    items = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(items) == 28 and all(i["is_article"] for i in items)
    seed = next(i for i in items if i["url"].endswith("/2019/7/3/1164745.shtml"))
    assert seed["outlet"] == "Chongqing Daily, Chongqing TV Station"
    assert seed["published_at"] == "2019-07-19T17:30:36+08:00"


def test_reextract_and_extract_say_what_is_wrong_in_one_line(tmp_path: Path) -> None:
    proc = _cli("reextract", str(tmp_path / "missing.warc.gz"))
    assert (
        proc.returncode == 2
        and proc.stderr.startswith("error: no such file")
        and "Traceback" not in proc.stderr
    )
    proc = _cli("reextract", "--warc-dir", str(tmp_path))
    assert proc.returncode == 2 and "no WARC files" in proc.stderr
    proc = _cli("extract")
    assert proc.returncode == 2 and "--warc" in proc.stderr


def test_replace_makes_a_version_when_only_other_fields_changed(store_url: str) -> None:
    from crawler.items import Article
    from crawler.storage import open_store
    from crawler.storage.base import Outcome
    from crawler.storage.sql import SQLStore

    def article(outlet: str, url: str = "http://a.example/news/1.html") -> Article:
        return Article(url=url, canonical_url=url, site="a", title="Headline", body=f"The story at {url}.",
                       published_at="2020-01-01T10:00:00+08:00", outlet=outlet)  # fmt: skip

    store = open_store(store_url, batch_size=1)
    assert isinstance(store, SQLStore)
    assert store.add(article("Old outlet")) is Outcome.NEW
    assert store.add(article("New outlet")) is Outcome.UNCHANGED  # a crawl compares title and body only
    assert store.replace(article("New outlet")) is Outcome.UPDATED
    assert store.replace(article("X", url="http://a.example/news/2.html")) is Outcome.NEW
    store.flush()
    assert [v for v, _ in store.versions("http://a.example/news/1.html")] == [1, 2]
    outlets = {a.url: a.outlet for a in store.iter_articles()}
    assert outlets == {"http://a.example/news/1.html": "New outlet", "http://a.example/news/2.html": "X"}
    store.close()


def test_extraction_in_worker_processes_gives_what_extraction_in_process_gives(
    archived: dict[str, Path],
) -> None:
    files = warc_files([archived["dir"]])
    profiles = load_profiles()
    serial = [(r.page.url, r.reason, r.fields) for r in articles(files, profiles, "Asia/Shanghai")]
    pooled = [
        (r.page.url, r.reason, r.fields)
        for r in articles(files, profiles, "Asia/Shanghai", processes=2, pool_after=0)
    ]
    assert len(serial) == 28 and pooled == serial
