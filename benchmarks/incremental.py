"""Requests of a full crawl against an incremental re-crawl after one new article.

    python -m benchmarks.incremental

Copies the seed fixture site, hides its newest article from listing page 1, crawls (full),
shows the article again, and re-crawls: the re-crawl should read the listings and fetch only
the new article. Prints the request counts of each crawl.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from crawler.devserver import FIXTURE_SITES, FixtureServers

ROOT = Path(__file__).resolve().parent.parent
NEWEST = "/English/syxwlb/2021/8/25/1241702.shtml"


def crawl(base: str, db: Path, *extra: str) -> dict[str, int]:
    """Run one crawl; its counts are those of the run manifest it writes."""
    runs = db.parent / "runs"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "site=smartchina_expo",
           "-a", f"base_url={base}", "-s", f"STORE_URL=sqlite:///{db}",
           "-s", f"RUNS_DIR={runs}", *extra]  # fmt: skip
    subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    newest = max((runs / "smartchina_expo").glob("*.json"), key=lambda p: p.stat().st_mtime)
    counts: dict[str, int] = json.loads(newest.read_text(encoding="utf-8"))["counts"]
    return counts


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "smartchina_expo"
        shutil.copytree(FIXTURE_SITES / "smartchina_expo", site)
        listing = site / "English" / "syxwlb" / "index.shtml"
        original = listing.read_text(encoding="utf-8")
        pattern = r"<li><a href=\"" + re.escape(NEWEST) + r"\".*?</li>\s*"
        listing.write_text(re.sub(pattern, "", original, count=1, flags=re.S), encoding="utf-8")
        db = Path(tmp) / "bench.sqlite3"
        with FixtureServers(site) as servers:
            base = servers.urls["smartchina_expo"]
            first = crawl(base, db)
            listing.write_text(original, encoding="utf-8")
            again = crawl(base, db)
            full = crawl(base, db, "-a", "full=1")
    print("seed site, 28 articles over 3 listing pages")
    print(f"{'crawl':<34}{'requests':>9}{'new':>5}{'listing pages':>15}")
    for name, stats in (("first crawl (27 articles)", first), ("re-crawl, one article added", again),
                        ("full re-crawl (-a full=1)", full)):  # fmt: skip
        print(f"{name:<34}{stats['requests']:>9}{stats['new']:>5}{stats['pages']:>15}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
