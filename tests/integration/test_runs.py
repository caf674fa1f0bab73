from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crawler.runs import format_duration, load_manifests, render_table, run_status

ROOT = Path(__file__).resolve().parents[2]


def manifest(site: str, started: str, finished: str | None = "+5s", **extra: Any) -> dict[str, Any]:
    start = f"2026-11-25T{started}+00:00"
    data: dict[str, Any] = {
        "site": site,
        "started_at": start,
        "finished_at": None,
        "finish_reason": "finished",
        "exit_status": 0,
        "ok": True,
        "counts": {"pages": 32, "requests": 33, "new": 28, "updated": 1, "unchanged": 3, "skipped": 2,
                   "dropped": {"missing_title": 1, "not_article": 2}, "errors": 0, "entries": 28},
        "failed_urls": [],
        "health": [{"check": "error_rate", "ok": True, "detail": "0.0% of 33 requests failed (limit 20%)"}],
        "args": {"site": site},
        "store": "sqlite:///data/news.sqlite3",
    }  # fmt: skip
    if finished == "+5s":
        data["finished_at"] = f"2026-11-25T{started[:-2]}{int(started[-2:]) + 5:02d}+00:00"
    elif finished is not None:
        data["finished_at"] = finished
    data.update(extra)
    return data


def write(runs: Path, data: dict[str, Any], pid: int = 100) -> Path:
    start = data["started_at"][:19].replace("-", "").replace(":", "")
    path = runs / data["site"] / f"{start}Z-{pid}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    runs = tmp_path / "runs"
    write(runs, manifest("smartchina_expo", "21:00:00"))
    write(runs, manifest("govcn", "21:15:00", finish_reason="shutdown", ok=False))
    failed = manifest(
        "smartchina_expo",
        "21:30:00",
        finished="2026-11-25T22:32:10+00:00",
        ok=False,
        health=[
            {"check": "error_rate", "ok": False, "detail": "45% failed"},
            {"check": "min_entries", "ok": True, "detail": ""},
            {"check": "zero_new", "ok": False, "detail": "nothing new"},
        ],
    )
    write(runs, failed)
    (runs / "logs").mkdir()
    (runs / "logs" / "govcn-20261125T211500Z.log").write_text("log\n")
    (runs / "locks").mkdir()
    (runs / "locks" / "govcn.lock").write_text("")
    return runs


def test_load_manifests_newest_first_by_site_and_limit(runs: Path) -> None:
    all_runs = load_manifests(runs)
    assert [(m["site"], m["started_at"][11:19]) for m in all_runs] == [
        ("smartchina_expo", "21:30:00"),
        ("govcn", "21:15:00"),
        ("smartchina_expo", "21:00:00"),
    ]
    assert [m["started_at"][11:19] for m in load_manifests(runs, site="smartchina_expo")] == [
        "21:30:00",
        "21:00:00",
    ]
    assert len(load_manifests(runs, limit=2)) == 2
    assert load_manifests(runs, site="nosuchsite") == []
    assert load_manifests(runs / "missing") == []


def test_unreadable_manifests_are_skipped_with_a_warning(
    runs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (runs / "govcn" / "20261125T235900Z-1.json").write_text("{not json", encoding="utf-8")
    (runs / "govcn" / "20261125T235800Z-1.json").write_text("[1, 2]", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="crawler.runs"):
        loaded = load_manifests(runs, limit=2)
    assert [m["started_at"][11:19] for m in loaded] == ["21:30:00", "21:15:00"]
    assert "20261125T235900Z-1.json" in caplog.text
    assert "20261125T235800Z-1.json" in caplog.text


def test_status_column() -> None:
    assert run_status(manifest("govcn", "21:00:00")) == "ok"
    assert run_status(manifest("govcn", "21:00:00", finish_reason="shutdown", ok=False)) == "shutdown"
    failed = manifest("govcn", "21:00:00", ok=False, health=[{"check": "error_rate", "ok": False}])
    assert run_status(failed) == "FAILED: error_rate"
    assert run_status(manifest("govcn", "21:00:00", ok=False, exit_status=1, health=[])) == "FAILED: exit 1"
    assert run_status(manifest("govcn", "21:00:00", ok=False, health=[])) == "FAILED"
    assert run_status({"site": "govcn"}) == "unfinished"


def test_durations() -> None:
    assert [format_duration(s) for s in (0, 5.4, 65, 3599, 3600 + 125)] == [
        "0s",
        "5s",
        "1m05s",
        "59m59s",
        "1h02m",
    ]


def test_render_table(runs: Path) -> None:
    text = render_table(load_manifests(runs))
    lines = text.splitlines()
    assert lines[0].split() == [
        "started",
        "(UTC)",
        "site",
        "duration",
        "status",
        "new",
        "upd",
        "same",
        "skip",
        "drop",
        "err",
    ]
    assert lines[1].startswith("2026-11-25 21:30:00  smartchina_expo  1h02m")
    assert "FAILED: error_rate, zero_new" in lines[1]
    assert lines[2].split()[2:5] == ["govcn", "5s", "shutdown"]
    # the counts: new, updated, unchanged, skipped, dropped (summed), errors
    assert lines[3].split()[-6:] == ["28", "1", "3", "2", "3", "0"]
    # numbers are right-aligned under their headers
    assert all(line.endswith("0") for line in lines[1:])
    assert lines[0].index("err") + 2 == lines[1].rindex("0")


def test_render_table_missing_fields() -> None:
    text = render_table([{"site": "govcn", "started_at": "2026-11-25T21:00:00+08:00"}])
    row = text.splitlines()[1].split()
    assert row[:5] == ["2026-11-25", "13:00:00", "govcn", "-", "unfinished"]
    assert row[5:] == ["-"] * 6


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler.runs", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_command_line(runs: Path) -> None:
    proc = _cli("--runs-dir", str(runs), "--limit", "2")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 3
    proc = _cli("--runs-dir", str(runs), "--site", "govcn", "--json")
    assert proc.returncode == 0, proc.stderr
    [only] = json.loads(proc.stdout)
    assert only["finish_reason"] == "shutdown"
    proc = _cli("--runs-dir", str(runs / "missing"))
    assert proc.returncode == 0
    assert "no runs in" in proc.stderr
    proc = _cli("--runs-dir", str(runs), "--limit", "-1")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: --limit must be 0 (all) or more"
