"""Soak: one long crawl against the fault server with injected faults; memory must stay flat.

    python -m benchmarks.soak                  # 20,000 article pages, 5% answered 503 once
    python -m benchmarks.soak --pages 2000     # a quick look

Prints the resident memory of the crawl over time (sampled every second from /proc), its spread
after warm-up (the first quarter of the pages), pages per second, and how many articles were
stored, lost or doubled. Not a test: a figure to read (docs/faults.md keeps the last one).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from benchmarks.faultserver import FaultConfig, FaultServer

ROOT = Path(__file__).resolve().parent.parent


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def soak(pages: int, fail_share: float, workdir: Path) -> dict[str, float]:
    config = FaultConfig(good=pages, fail_share=fail_share, bomb_bytes=1024)
    per_page = config.soak_per_page
    with FaultServer(config) as server:
        db = workdir / "soak.sqlite3"
        cmd = [
            sys.executable, "-m", "scrapy", "crawl", "mediacenter",
            "-a", f"start_url={server.url}/soak/index.html",
            "-a", f"max_pages={pages // per_page + 2}", "-s", f"STORE_URL=sqlite:///{db}",
            "-s", f"STORE_SPILL_DIR={workdir / 'spill'}", "-s", f"RUNS_DIR={workdir / 'runs'}",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=16",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
            "-s", "LOG_LEVEL=WARNING", "-s", "STORE_BATCH_SIZE=100", "-s", "RETRY_TIMES=3",
        ]  # fmt: skip
        env = {**os.environ, "CRAWLER_RUNS_DIR": str(workdir / "runs")}
        started = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples: list[tuple[float, int, float]] = []  # (seconds, article pages served, RSS MB)
        while proc.poll() is None:
            rss = _rss_mb(proc.pid)
            served = sum(v for k, v in server.state.hits.items() if k.startswith("/news/a/"))
            if rss is not None:
                samples.append((time.monotonic() - started, served, rss))
            time.sleep(1.0)
        seconds = time.monotonic() - started
        injected = sum(1 for k, v in server.state.hits.items() if k.startswith("/news/a/") and v > 1)
    with sqlite3.connect(db) as conn:
        rows, distinct = conn.execute("SELECT COUNT(*), COUNT(DISTINCT url_key) FROM articles").fetchone()
    warm = [rss for _, served, rss in samples if served >= pages / 4]
    median = statistics.median(warm) if warm else float("nan")
    print(f"{'t (s)':>7} {'pages':>7} {'RSS MB':>7}")
    step = max(1, len(samples) // 20)
    for t, served, rss in samples[::step]:
        print(f"{t:7.0f} {served:7d} {rss:7.1f}")
    figures = {
        "pages": pages,
        "faults_injected": injected,
        "returncode": proc.returncode,
        "seconds": round(seconds, 1),
        "pages_per_s": round(pages / seconds, 1),
        "stored": rows,
        "distinct": distinct,
        "lost": pages - distinct,
        "doubled": rows - distinct,
        "rss_warm_median_mb": round(median, 1),
        "rss_warm_min_mb": round(min(warm), 1) if warm else float("nan"),
        "rss_warm_max_mb": round(max(warm), 1) if warm else float("nan"),
        "rss_spread_pct": round(100 * max(abs(max(warm) - median), abs(median - min(warm))) / median, 1)
        if warm
        else float("nan"),
    }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__)
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--faults", type=float, default=0.05, help="share of pages answered 503 once")
    args = parser.parse_args(argv)
    with TemporaryDirectory() as tmp:
        figures = soak(args.pages, args.faults, Path(tmp))
    for key, value in figures.items():
        print(f"{key:>20}: {value}")
    flat = figures["rss_spread_pct"] <= 15
    verdict = "flat" if flat else "NOT flat"
    print(f"memory after warm-up {verdict} (spread {figures['rss_spread_pct']}%, limit 15%)")
    return 0 if flat and figures["lost"] == 0 and figures["doubled"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
