"""Faults with real processes: SIGKILL mid-crawl, and a store lost mid-crawl."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..fixturedata import scrapy_stats
from ..stores import require_postgres, with_schema
from ..tcpproxy import TcpProxy

ROOT = Path(__file__).resolve().parents[2]
SLOW = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.08", "-s", "CONCURRENT_REQUESTS=1",
        "-s", "LOG_LEVEL=INFO"]  # fmt: skip


def _crawl_cmd(base_url: str, store: str, spill_dir: Path, batch: int = 5) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "site=smartchina_expo",
            "-a", f"base_url={base_url}", "-s", f"STORE_URL={store}", "-s", f"STORE_BATCH_SIZE={batch}",
            "-s", f"STORE_SPILL_DIR={spill_dir}", *SLOW]  # fmt: skip


def _wait_for(predicate: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def _sqlite_count(path: Path) -> int:
    try:
        with sqlite3.connect(path, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_sigkill_loses_at_most_the_open_batch_and_the_next_run_completes(
    fixture_sites: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "kill.sqlite3"
    cmd = _crawl_cmd(fixture_sites["smartchina_expo"], f"sqlite:///{db}", tmp_path / "spill")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: _sqlite_count(db) >= 10)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    committed = _sqlite_count(db)
    assert 10 <= committed < 28
    assert committed % 5 == 0  # whole batches only: the open batch died with the process

    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    stats = scrapy_stats(again.stderr)
    assert stats["article/stored"] == 28 - committed  # the lost batch is fetched again
    assert stats["article/skipped/known"] == committed
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT url_key) FROM articles").fetchone() == (28, 28)


def test_store_lost_mid_crawl_spills_and_the_next_run_imports_first(
    fixture_sites: dict[str, str],
    tmp_path: Path,
    pg_schema: str,
) -> None:
    require_postgres()
    import psycopg

    direct = with_schema("postgresql://postgres@127.0.0.1:5432/test", pg_schema)
    proxy = TcpProxy("127.0.0.1", 5432)
    spill_dir = tmp_path / "spill"
    try:
        via_proxy = with_schema(f"postgresql://postgres@127.0.0.1:{proxy.port}/test", pg_schema)
        cmd = _crawl_cmd(fixture_sites["smartchina_expo"], via_proxy, spill_dir)

        def stored() -> int:
            try:
                with psycopg.connect(direct) as conn:
                    return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])  # type: ignore[index]
            except psycopg.Error:
                return 0

        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        _wait_for(lambda: stored() >= 5)
        proxy.cut()
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 1  # the crawl did not finish: its exit status says so
        assert "store_unavailable" in stderr
        stats = scrapy_stats(stderr)
        spilled = stats["article/spilled"]
        before = stored()
        assert spilled >= 1
        [spill_file] = list(spill_dir.glob("spill-*.jsonl"))
        lines = [json.loads(x) for x in spill_file.read_text(encoding="utf-8").splitlines()]
        assert len(lines) == spilled
        assert all(x["title"] and x["body"] for x in lines)

        proxy.restore()
        again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr[-2000:]
        stats2 = scrapy_stats(again.stderr)
        assert stats2["article/spill_imported"] == spilled
        assert not spill_file.exists()
        assert before + spilled + stats2.get("article/stored", 0) == 28
        with psycopg.connect(direct) as conn:
            row = conn.execute("SELECT COUNT(*), COUNT(DISTINCT url_key) FROM articles").fetchone()
        assert row == (28, 28)
    finally:
        proxy.close()


def _resume_case(fixture_sites: dict[str, str], tmp_path: Path, sig: int) -> None:
    db = tmp_path / "job.sqlite3"
    jobdir = tmp_path / "job"
    cmd = [
        *_crawl_cmd(fixture_sites["smartchina_expo"], f"sqlite:///{db}", tmp_path / "spill"),
        "-s",
        f"JOBDIR={jobdir}",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: _sqlite_count(db) >= 10)
        os.kill(proc.pid, sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert _sqlite_count(db) < 28
    assert (jobdir / "requests.queue").is_dir()
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT url_key) FROM articles").fetchone() == (28, 28)


def test_jobdir_resume_after_sigkill_stores_every_article_once(
    fixture_sites: dict[str, str], tmp_path: Path
) -> None:
    _resume_case(fixture_sites, tmp_path, signal.SIGKILL)


def test_jobdir_pause_with_sigint_and_resume(fixture_sites: dict[str, str], tmp_path: Path) -> None:
    _resume_case(fixture_sites, tmp_path, signal.SIGINT)


def test_sigterm_commits_everything_accepted(tmp_path: Path) -> None:
    # A batch larger than the site: nothing is committed before the crawl closes, so every row
    # found afterwards was committed by the clean shutdown that SIGTERM starts.
    from crawler.devserver import FIXTURE_SITES, FixtureServers

    db = tmp_path / "term.sqlite3"
    with FixtureServers(FIXTURE_SITES / "smartchina_expo") as server:
        cmd = _crawl_cmd(server.urls["smartchina_expo"], f"sqlite:///{db}", tmp_path / "spill", batch=1000)
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        _wait_for(lambda: server.hits("smartchina_expo") >= 10)  # robots, listings, some articles
        assert _sqlite_count(db) == 0
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=120)
    stats = scrapy_stats(stderr)
    assert "shutdown" in stderr
    assert 0 < stats["article/stored"] < 28
    assert _sqlite_count(db) == stats["article/stored"]


def test_invalid_items_never_reach_the_store(site_copy: tuple[Path, str], tmp_path: Path) -> None:
    site, base = site_copy
    page = site / "English" / "syxwlb" / "2019" / "7" / "3" / "1164745.shtml"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("Time:2019-07-19 17:30:36", "Time:sometime in July"), encoding="utf-8")
    db = tmp_path / "inv.sqlite3"
    proc = subprocess.run([*_crawl_cmd(base, f"sqlite:///{db}", tmp_path / "spill")[:-len(SLOW)], "-s", "LOG_LEVEL=INFO"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    stats = scrapy_stats(proc.stderr)
    assert stats["article/dropped/unparsed_published_at"] == 1
    assert (
        "dropped http://" in proc.stderr
        and "unparsed_published_at (raw date 'sometime in July')" in proc.stderr
    )
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 27
        assert (
            conn.execute("SELECT COUNT(*) FROM articles WHERE canonical_url LIKE '%1164745%'").fetchone()[0]
            == 0
        )


def test_run_refuses_an_unreachable_store() -> None:
    proc = subprocess.run([sys.executable, "-m", "crawler", "run", "--store", "postgresql://u:pw@127.0.0.1:1/x"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: cannot open store postgresql://u:***@127.0.0.1:1/x")
    assert "pw" not in proc.stderr and "Traceback" not in proc.stderr
