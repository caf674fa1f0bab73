"""Run manifests and health checks, through real crawls of a copy of the seed site."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from crawler.health import Limits, run_checks

ROOT = Path(__file__).resolve().parents[2]


def _crawl(base: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "site=smartchina_expo", "-a", f"base_url={base}",
           "-s", f"STORE_URL=sqlite:///{tmp_path}/h.sqlite3", "-s", f"RUNS_DIR={tmp_path}/runs", "-s", "RETRY_TIMES=0", *extra]  # fmt: skip
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _manifests(tmp_path: Path) -> list[dict[str, object]]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((tmp_path / "runs" / "smartchina_expo").glob("*.json"))
    ]


def test_manifest_of_a_clean_run(site_copy: tuple[Path, str], tmp_path: Path) -> None:
    _, base = site_copy
    proc = _crawl(base, tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    [m] = _manifests(tmp_path)
    assert m["site"] == "smartchina_expo" and m["finish_reason"] == "finished" and m["ok"] is True
    assert m["exit_status"] == 0 and m["mode"] == "full"
    counts = m["counts"]
    assert isinstance(counts, dict)
    assert (counts["new"], counts["updated"], counts["unchanged"], counts["entries"], counts["pages"]) == (
        28,
        0,
        0,
        28,
        3,
    )
    assert counts["items"] == 28 and counts["with_outlet"] == 27  # one article names no outlet
    assert all(c["ok"] for c in m["health"])  # type: ignore[union-attr]
    listing = subprocess.run([sys.executable, "-m", "crawler", "runs", "--runs-dir", str(tmp_path / "runs")],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert "smartchina_expo" in listing.stdout and " ok " in listing.stdout


def test_site_that_stops_yielding_fails_its_health_check(site_copy: tuple[Path, str], tmp_path: Path) -> None:
    site, base = site_copy
    assert _crawl(base, tmp_path).returncode == 0
    # A redesign: the listing no longer holds the list the crawler knows.
    for name in ("index.shtml", "index_2.shtml", "index_3.shtml"):
        (site / "English" / "syxwlb" / name).write_text(
            "<html><body><div id='app'></div></body></html>", encoding="utf-8"
        )
    proc = _crawl(base, tmp_path)
    assert proc.returncode == 3
    assert (
        "error: health check failed for smartchina_expo: yield: 0 listing entries found (previous run: 28)"
        in proc.stderr
    )
    last = _manifests(tmp_path)[-1]
    assert last["ok"] is False and last["exit_status"] == 3
    assert [c["check"] for c in last["health"] if not c["ok"]] == ["yield"]  # type: ignore[union-attr,index]


def test_error_rate_and_failed_urls(site_copy: tuple[Path, str], tmp_path: Path) -> None:
    site, base = site_copy
    gone = sorted((site / "English" / "syxwlb" / "2018").rglob("*.shtml"))
    for page in gone:
        page.unlink()
    proc = _crawl(base, tmp_path)
    assert proc.returncode == 3
    [m] = _manifests(tmp_path)
    failed = m["failed_urls"]
    assert isinstance(failed, list) and len(failed) == len(gone) >= 7
    assert {f["reason"] for f in failed} == {"http_404"}
    assert [c["check"] for c in m["health"] if not c["ok"]] == ["error_rate"]  # type: ignore[union-attr,index]


def test_checks_are_relative_to_the_previous_run() -> None:
    limits = Limits()
    good = {"entries": 20, "requests": 30, "errors": 1, "items": 20, "with_outlet": 19, "undated": 0}
    assert all(c.ok for c in run_checks(good, None, limits))
    lost_outlet = {**good, "with_outlet": 2}
    assert [c.check for c in run_checks(lost_outlet, good, limits) if not c.ok] == ["outlet_share"]
    # A site that never printed outlets does not fail for printing none.
    never = {**good, "with_outlet": 0}
    assert all(c.ok for c in run_checks(never, never, limits))
    undated = {**good, "items": 4, "undated": 16}
    assert [c.check for c in run_checks(undated, good, limits) if not c.ok] == ["published_share"]
    quiet_incremental = {**good, "items": 0, "with_outlet": 0}
    assert all(c.ok for c in run_checks(quiet_incremental, good, limits))


def test_live_progress_on_a_terminal(site_copy: tuple[Path, str], tmp_path: Path) -> None:
    import os
    import pty

    _, base = site_copy
    master, slave = pty.openpty()
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "site=smartchina_expo", "-a", f"base_url={base}",
           "-s", f"STORE_URL=sqlite:///{tmp_path}/p.sqlite3", "-s", f"RUNS_DIR={tmp_path}/runs",
           "-s", "PROGRESS_INTERVAL=0.2", "-s", "LOG_LEVEL=WARNING"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "\r" in screen
    assert "smartchina_expo: 32p 28i" in screen and "done" in screen
