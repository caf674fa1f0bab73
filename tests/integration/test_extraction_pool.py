"""EXTRACTION_PROCESSES: articles extracted in worker processes are the articles extracted in-process."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.extract.pool import ExtractionPool, ExtractionWorkers, Page, extract, processes_for
from crawler.profiles import load_profiles

from ..fixturedata import FIELDS, expected_articles, page_text, scrapy_stats, site_info, site_names

ROOT = Path(__file__).resolve().parents[2]
GENERIC = next(s for s in site_names() if not site_info(s).get("needs_profile") and s != "smartchina_expo")


def _crawl(args: list[str], tmp_path: Path) -> tuple[dict[str, dict[str, object]], dict[str, int]]:
    out = tmp_path / "items.jsonl"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", *args, "-s", "EXTRACTION_PROCESSES=2",
           "-s", "EXTRACTION_POOL_AFTER=3",
           "-s", f"STORE_URL=sqlite:///{tmp_path}/p.sqlite3", "-s", "LOG_LEVEL=INFO", "-O", str(out)]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {urlsplit(i["url"]).path: i for i in items}, scrapy_stats(proc.stderr)


@pytest.mark.parametrize("site", ["smartchina_expo", GENERIC])
def test_crawl_with_worker_processes_gives_the_golden_articles(
    site: str, fixture_sites: dict[str, str], tmp_path: Path
) -> None:
    base = fixture_sites[site]
    args = ["-a", f"site={site}", "-a", f"base_url={base}"] if site == "smartchina_expo" else [
        "-a", f"start_url={base}{site_info(site)['listing_start']}"
    ]  # fmt: skip
    got, stats = _crawl(args, tmp_path)
    expected = {a.path: a.data for a in expected_articles(site)}
    assert set(got) == set(expected)
    for path, want in expected.items():
        for name in FIELDS:
            assert got[path].get(name) == want.get(name), (path, name)
    assert stats["article/stored"] == len(expected)
    assert stats["extraction/pool_processes"] == 2 and stats["extraction/pool_restarts"] == 0
    assert 20 < stats["extraction/worker_max_rss_mb"] < 1000  # the workers were waited for


def _pages(site: str, count: int) -> list[Page]:
    pages = []
    for article in expected_articles(site)[:count]:
        text = page_text(site, article.path)
        url = f"http://smartchina-expo.cn{article.path}"
        pages.append(Page(text, url, url))
    return pages


def test_a_killed_worker_loses_no_page_and_the_pool_starts_again() -> None:
    profile = load_profiles()["smartchina_expo"]
    pages = _pages("smartchina_expo", 6)
    want = [extract(p, profile, "Asia/Shanghai") for p in pages]
    pool = ExtractionPool(1)

    async def run(batch: list[Page]) -> list[object]:
        return list(await asyncio.gather(*(pool.extract(p, profile, "Asia/Shanghai") for p in batch)))

    try:
        assert asyncio.run(run(pages[:1])) == want[:1]
        (pid,) = pool.pids()
        os.kill(pid, signal.SIGKILL)
        assert asyncio.run(run(pages)) == want
        assert pool.restarts == 1
        # The next pages go to the new pool's worker again.
        assert asyncio.run(run(pages[:2])) == want[:2]
        assert pool.pids() and pool.pids() != [pid]
        assert pool.restarts == 1
    finally:
        pool.close()


@pytest.mark.parametrize(
    ("setting", "cpus", "expected"),
    [("auto", 1, 0), ("auto", 2, 1), (None, 4, 3), ("auto", 64, 4), ("0", 8, 0), (3, 1, 3), (" 2 ", 1, 2)],
)
def test_the_number_of_workers(setting: object, cpus: int, expected: int) -> None:
    assert processes_for(setting, cpus) == expected


@pytest.mark.parametrize("setting", ["two", "-1", "1.5"])
def test_a_wrong_number_of_workers_is_refused_with_the_setting_named(setting: str) -> None:
    with pytest.raises(ValueError, match="EXTRACTION_PROCESSES"):
        processes_for(setting)


def test_workers_start_only_after_the_first_pages() -> None:
    extraction = ExtractionWorkers(1, after=2)
    try:
        assert [extraction.pool_for_next_page() for _ in range(2)] == [None, None]
        pool = extraction.pool_for_next_page()
        assert pool is not None and extraction.pool_for_next_page() is pool
    finally:
        assert extraction.close() == 0
    assert ExtractionWorkers(0, after=0).pool_for_next_page() is None


def test_a_wrong_extraction_processes_setting_is_a_short_error(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "start_url=http://127.0.0.1:1/",
           "-s", "EXTRACTION_PROCESSES=two", "-s", f"STORE_URL=sqlite:///{tmp_path}/x.sqlite3"]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "EXTRACTION_PROCESSES must be a number or 'auto', not 'two'" in proc.stderr
    assert "Traceback" not in proc.stderr
