"""End-to-end crawls through the fixture server, with every pipeline and a real SQLite store."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from crawler.profiles import load_profiles

from ..fixturedata import FIELDS, expected_articles, scrapy_stats, site_info
from ..jsonfeed_spec import problems

ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = "/English/syxwlb/2019/7/3/1164745.shtml"


def _crawl(base_url: str, store: Path, out: Path, *extra: str) -> dict[str, int]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "site=smartchina_expo",
           "-a", f"base_url={base_url}", "-s", f"STORE_URL=sqlite:///{store}", "-s", "LOG_LEVEL=INFO",
           "-O", str(out), *extra]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return scrapy_stats(proc.stderr)


def test_seed_site_end_to_end_then_nothing_new(fixture_sites: dict[str, str], tmp_path: Path) -> None:
    store = tmp_path / "news.sqlite3"
    out = tmp_path / "items.jsonl"
    stats = _crawl(fixture_sites["smartchina_expo"], store, out)
    expected = {a.path: a.data for a in expected_articles("smartchina_expo")}
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_path = {item["canonical_url"].removeprefix("http://smartchina-expo.cn"): item for item in items}
    assert set(by_path) == set(site_info("smartchina_expo")["articles"]) == set(expected)
    assert stats["article/stored"] == len(expected) == 28
    assert stats["listing/pages"] == 3

    for path, want in expected.items():
        got = by_path[path]
        for name in ("title", "outlet", "published_at", "published_at_raw", "body", "category", "language"):
            assert got.get(name) == want.get(name), (path, name)
        assert got["site"] == "smartchina_expo"
        assert got["url"] == fixture_sites["smartchina_expo"] + path

    seed = by_path[SEED_PATH]
    assert (
        seed["title"]
        == "Chen Min’er and Tang Liangzhi Met with Leaders from Some Big Data Intelligent Enterprises"
    )
    assert seed["outlet"] == "Chongqing Daily, Chongqing TV Station"
    assert seed["published_at"] == "2019-07-19T17:30:36+08:00"
    assert seed["published_at_raw"] == "2019-07-19 17:30:36"
    assert seed["category"] == "Media Center"
    assert len(seed["body"].split("\n\n")) == 5

    with sqlite3.connect(store) as conn:
        rows = conn.execute("SELECT title, outlet, published_at, body FROM articles WHERE canonical_url = ?",
                            ("http://smartchina-expo.cn" + SEED_PATH,)).fetchall()  # fmt: skip
        assert rows == [(seed["title"], seed["outlet"], seed["published_at"], seed["body"])]
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 28

    # Second crawl: incremental. Page 1 is read again, pagination stops after two listing pages
    # with nothing new (INCREMENTAL_STOP_PAGES), and no article page is fetched or stored again.
    out2 = tmp_path / "again.jsonl"
    stats2 = _crawl(fixture_sites["smartchina_expo"], store, out2)
    assert stats2.get("article/stored", 0) == 0
    assert stats2["listing/pages"] == 2
    assert stats2["article/skipped/known"] == 20
    assert stats2["listing/stopped_incremental"] == 1
    assert stats2["downloader/response_count"] == 3  # robots.txt and two listing pages
    assert out2.read_text(encoding="utf-8") == ""
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 28


def test_main_job_crawls_every_fixture_site_exactly_and_twice_adds_nothing(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "crawler", "run", "--store", f"sqlite:///{tmp_path}/n.sqlite3",
           "--output", str(tmp_path / "out"), "--runs-dir", str(tmp_path / "runs")]  # fmt: skip
    first = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=400)
    assert first.returncode == 0, first.stderr[-2000:]
    profiles = load_profiles()
    items = [
        json.loads(x) for x in (tmp_path / "out" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    got = {(i["site"], i["canonical_url"].removeprefix(profiles[i["site"]].origin)): i for i in items}
    expected = {(a.site, a.path): a.data for a in expected_articles()}
    assert set(got) == set(expected)
    for key, want in expected.items():
        for name in FIELDS:
            assert got[key].get(name) == want.get(name), (key, name)
    for site in {s for s, _ in expected}:
        assert f"\n{site} " in "\n" + first.stdout
    feed = json.loads((tmp_path / "out" / "feed.json").read_text(encoding="utf-8"))
    assert problems(feed) == []
    assert len(feed["items"]) == len(expected)

    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=400)
    assert second.returncode == 0, second.stderr[-2000:]
    header = second.stdout.splitlines()[0].split()
    assert header[:7] == ["site", "pages", "new", "upd", "same", "skip", "err"]
    for line in second.stdout.splitlines()[1 : 1 + len({s for s, _ in expected})]:
        cells = line.split()
        assert cells[2] == "0" and cells[3] == "0", line  # nothing new, nothing updated
        assert int(cells[5]) > 0, line  # known entries skipped
    with sqlite3.connect(tmp_path / "n.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == len(expected)


def test_scrapy_list_shows_spider() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0 and proc.stdout.split() == ["mediacenter"]


def test_unknown_site_is_a_clear_error(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "site=nope",
                           "-s", f"STORE_URL=sqlite:///{tmp_path}/x.sqlite3"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode != 0
    assert "unknown site 'nope'" in proc.stderr
