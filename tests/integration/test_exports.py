from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from crawler.exporters.jsonfeed import write_feed
from crawler.items import Article
from crawler.storage import open_store

from ..jsonfeed_spec import problems

ROOT = Path(__file__).resolve().parents[2]


def _fill(url: str) -> None:
    store = open_store(url)
    for n, (site, day) in enumerate([("a", "2020-01-03"), ("b", "2021-05-01"), ("a", "2019-12-31")], start=1):
        store.add(Article(url=f"http://{site}.example/{n}.html", site=site, title=f"标题 {n}", body=f"正文第{n}篇，内容不同 {n * 31}。",
                          published_at=f"{day}T08:00:00+08:00", published_at_raw=f"{day} 08:00", outlet="新华社",
                          language="zh", category="要闻"))  # fmt: skip
    store.close()


def test_export_formats_newest_first_with_filters(store_url: str) -> None:
    _fill(store_url)
    proc = subprocess.run([sys.executable, "-m", "crawler", "export", "--store", store_url, "--format", "jsonl"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [r["title"] for r in rows] == ["标题 2", "标题 1", "标题 3"]
    one = subprocess.run([sys.executable, "-m", "crawler", "export", "--store", store_url, "--site", "a",
                          "--since", "2020-01-01", "--limit", "5", "--format", "csv"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    table = list(csv.DictReader(io.StringIO(one.stdout)))
    assert [r["title"] for r in table] == ["标题 1"]
    feed = subprocess.run([sys.executable, "-m", "crawler", "export", "--store", store_url, "--format", "jsonfeed"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    doc = json.loads(feed.stdout)
    assert problems(doc) == []
    assert [i["title"] for i in doc["items"]] == ["标题 2", "标题 1", "标题 3"]


def test_feed_item_fields() -> None:
    out = io.StringIO()
    article = Article(url="http://127.0.0.1:8000/a/1.html", canonical_url="http://site.example/a/1.html", site="s",
                      title="T", body="B\n\nC", published_at="2019-07-19T17:30:36+08:00",
                      published_at_raw="2019-07-19 17:30:36", outlet="Chongqing Daily, Chongqing TV Station",
                      language="en", category="Media Center")  # fmt: skip
    assert write_feed([article], out) == 1
    doc = json.loads(out.getvalue())
    assert problems(doc) == []
    assert doc["home_page_url"] == "http://site.example/"
    [item] = doc["items"]
    assert item["id"] == item["url"] == "http://site.example/a/1.html"
    assert item["external_url"] == "http://127.0.0.1:8000/a/1.html"
    assert item["date_published"] == "2019-07-19T17:30:36+08:00"
    assert item["authors"] == [{"name": "Chongqing Daily, Chongqing TV Station"}]
    assert item["content_text"] == "B\n\nC" and item["language"] == "en" and item["tags"] == ["Media Center"]
    assert item["_crawler"] == {"site": "s", "outlet": "Chongqing Daily, Chongqing TV Station",
                                "published_at_raw": "2019-07-19 17:30:36"}  # fmt: skip


def test_checker_catches_broken_feeds() -> None:
    assert problems({"version": "1", "items": [{"id": "", "date_published": "2019-07-19 17:30"}]}) == [
        "version must be https://jsonfeed.org/version/1.1",
        "title is required",
        "items[0].id must be a non-empty string",
        "items[0] needs content_text or content_html",
        "items[0].date_published is not RFC 3339: '2019-07-19 17:30'",
    ]


def test_scrapy_feed_exporter(fixture_sites: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "feed.json"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "site=smartchina_expo",
           "-a", f"base_url={fixture_sites['smartchina_expo']}", "-s", f"STORE_URL=sqlite:///{tmp_path}/f.sqlite3",
           "-O", f"{out}:jsonfeed"]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert problems(doc) == []
    assert len(doc["items"]) == 28
    assert doc["home_page_url"] == "http://smartchina-expo.cn/"
    seed = next(i for i in doc["items"] if i["id"].endswith("/1164745.shtml"))
    assert seed["date_published"] == "2019-07-19T17:30:36+08:00"
    assert seed["_crawler"]["published_at_raw"] == "2019-07-19 17:30:36"
