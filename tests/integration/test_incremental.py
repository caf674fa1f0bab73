"""Re-crawls cost only what changed: a copy of the seed site, changed between crawls."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawler.extract.listing import Entry
from crawler.incremental import Policy, decide

from ..fixturedata import scrapy_stats

ROOT = Path(__file__).resolve().parents[2]
NEWEST = "/English/syxwlb/2021/8/25/1241702.shtml"


def _crawl(base: str, db: Path, *extra: str) -> dict[str, int]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "site=smartchina_expo",
           "-a", f"base_url={base}", "-s", f"STORE_URL=sqlite:///{db}", "-s", "LOG_LEVEL=INFO", *extra]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return scrapy_stats(proc.stderr)


def _hide_newest(site: Path) -> str:
    listing = site / "English" / "syxwlb" / "index.shtml"
    original = listing.read_text(encoding="utf-8")
    hidden = re.sub(
        r"<li><a href=\"" + re.escape(NEWEST) + r"\".*?</li>\s*", "", original, count=1, flags=re.S
    )
    assert hidden != original
    listing.write_text(hidden, encoding="utf-8")
    return original


def test_one_new_article_costs_five_requests_instead_of_thirty_two(
    site_copy: tuple[Path, str], tmp_path: Path
) -> None:
    site, base = site_copy
    db = tmp_path / "inc.sqlite3"
    original = _hide_newest(site)
    first = _crawl(base, db)
    assert first["article/stored"] == 27
    (site / "English" / "syxwlb" / "index.shtml").write_text(original, encoding="utf-8")

    again = _crawl(base, db)
    assert again["article/stored"] == 1
    assert again["downloader/response_count"] == 5  # robots.txt, 3 listing pages, the new article
    assert again["article/skipped/known"] == 27
    full = _crawl(base, db, "-a", "full=1")
    assert full["downloader/response_count"] == 32  # robots.txt, 3 listing pages, 28 articles
    assert full["article/dropped/unchanged"] == 28
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 28


def test_recheck_window_records_a_correction_as_a_new_version(
    site_copy: tuple[Path, str], tmp_path: Path
) -> None:
    site, base = site_copy
    db = tmp_path / "rc.sqlite3"
    _crawl(base, db)
    page = site / NEWEST.lstrip("/")
    html = page.read_text(encoding="utf-8")
    page.write_text(
        html.replace(
            "SCE 2021 Closes with Major Projects Signed", "SCE 2021 Closes with 240 Projects Signed"
        ),
        encoding="utf-8",
    )
    # A window of ~20 years: every stored article counts as recent and is fetched again.
    stats = _crawl(base, db, "-s", "RECHECK_HOURS=180000")
    assert stats["article/updated"] == 1
    assert stats["article/rechecked"] == stats["article/dropped/unchanged"] + 1
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT title, version FROM articles WHERE canonical_url LIKE ?", ("%1241702.shtml",)
        ).fetchone()
        assert row == ("SCE 2021 Closes with 240 Projects Signed", 2)
        old = conn.execute("SELECT title, version FROM article_history").fetchall()
        assert old == [("SCE 2021 Closes with Major Projects Signed", 1)]


def _entry(n: int, days_ago: float, now: datetime) -> Entry:
    return Entry(f"http://s.example/{n}.html", f"T{n}", now - timedelta(days=days_ago))


def test_decide_sorts_entries() -> None:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    entries = [_entry(1, 0.5, now), _entry(2, 1, now), _entry(3, 10, now), _entry(4, 30, now)]
    known = {"http://s.example/2.html", "http://s.example/3.html"}
    published = {"http://s.example/2.html": (now - timedelta(days=1)).isoformat(),
                 "http://s.example/3.html": (now - timedelta(days=10)).isoformat()}  # fmt: skip
    policy = Policy(
        incremental=True, recheck=timedelta(hours=48), watermark=now - timedelta(days=20), now=now
    )
    d = decide(entries, known, published, policy)
    assert [e.url for e in d.fetch] == ["http://s.example/1.html"]
    assert [e.url for e in d.recheck] == ["http://s.example/2.html"]
    assert (d.known, d.old, d.has_new) == (1, 1, True)
    # A first (full) crawl ignores the watermark.
    full = decide(entries, set(), {}, Policy(incremental=False, watermark=now - timedelta(days=20), now=now))
    assert len(full.fetch) == 4 and full.old == 0
