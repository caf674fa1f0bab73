"""The fault probes: one crawl against the hostile server, and what became of every fault.

    python -m benchmarks.faults                 # full size: 50 MB page, 750 MiB gzip bomb,
                                                # 100,000 links; writes docs/faults.md
    python -m benchmarks.faults --small --print # the test suite's sizes, table on stdout

The test suite (tests/integration/test_fault_probes.py) runs the same probes at small sizes and asserts on
them; this command runs them at the issue's sizes and generates the table of docs/faults.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from benchmarks.faultserver import FAULTS, HOSTILE_HREFS, FaultConfig, FaultServer

ROOT = Path(__file__).resolve().parent.parent
SMALL = FaultConfig()
FULL = FaultConfig(big_bytes=50 * 1024 * 1024, bomb_bytes=750 * 1024 * 1024, big_links=100_000)
_STATS = re.compile(r"Dumping Scrapy stats:\s*(\{.*?\})\s*(?:\n\d{4}-|\Z)", re.S)


@dataclass
class ProbeRun:
    returncode: int
    seconds: float
    peak_rss_mb: float
    stats: dict[str, Any]
    manifest: dict[str, Any]
    stored: list[tuple[str, str]]  # (url, title)
    log: str
    hits: dict[str, int]
    times: dict[str, list[float]]
    config: FaultConfig
    outcomes: dict[str, str] = field(default_factory=dict)


def _peak_rss(pid: int, peak: list[float], done: threading.Event) -> None:
    while not done.is_set():
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak[0] = max(peak[0], int(line.split()[1]) / 1024)
        except OSError:
            return
        done.wait(0.1)


def _stats(log: str) -> dict[str, Any]:
    match = _STATS.search(log)
    if not match:
        return {}
    text = re.sub(r"datetime\.datetime\([^)]*\)", "None", match.group(1))
    import ast

    value = ast.literal_eval(text)
    return dict(value) if isinstance(value, dict) else {}


def _outcome(path: str, log: str, stored_urls: set[str]) -> str:
    if any(url.endswith(path) for url in stored_urls):
        return "stored"
    patterns = [
        (r"not followed, outside [^:]*: \S+ \(redirect\).*", "blocked: redirect off-site"),
        (rf"request failed \S*{re.escape(path)}: (\S+)", "failed request: {0}"),
        (rf"skipped \S*{re.escape(path)}: not an article \((\S+)\)", "skipped: {0}"),
        (rf"dropped \S*{re.escape(path)}: (\S+)", "dropped: {0}"),
        (rf"page \S*{re.escape(path)} could not be read \((\w+)", "exception: {0}"),
    ]
    found = []
    for pattern, label in patterns:
        if "outside" in pattern and path != "/faults/offsite.html":
            continue
        match = re.search(pattern, log)
        if match:
            found.append(label.format(*match.groups()))
    return "; ".join(found) or "no trace"


def run_probes(config: FaultConfig, workdir: Path, max_links: int = 100, timeout: float = 240) -> ProbeRun:
    """One crawl of every probe root against a fresh fault server."""
    with FaultServer(config) as server:
        roots = [
            f"{server.url}/news/index.html",
            f"{server.url}/endless/1.html",
            f"{server.url}/big/index.html",
        ]
        db = workdir / "faults.sqlite3"
        runs = workdir / "runs"
        cmd = [
            sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", f"start_urls={','.join(roots)}",
            "-a", "max_pages=10", "-s", f"STORE_URL=sqlite:///{db}",
            "-s", f"STORE_SPILL_DIR={workdir / 'spill'}",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=16",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=2",
            "-s", f"MAX_LINKS_PER_LISTING={max_links}", "-s", "RETRY_AFTER_MAX=5", "-s", "LOG_LEVEL=INFO",
            "-s", f"RUNS_DIR={runs}", "-s", "CLOSESPIDER_TIMEOUT=180",
        ]  # fmt: skip
        env = {**os.environ, "CRAWLER_RUNS_DIR": str(runs)}
        started = time.monotonic()
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        peak = [0.0]
        done = threading.Event()
        watcher = threading.Thread(target=_peak_rss, args=(proc.pid, peak, done), daemon=True)
        watcher.start()
        try:
            _, log = proc.communicate(timeout=timeout)
        finally:
            done.set()
            if proc.poll() is None:
                proc.kill()
        seconds = time.monotonic() - started
        hits, times = dict(server.state.hits), {k: list(v) for k, v in server.state.times.items()}
    manifests = sorted(runs.rglob("*.json"))
    manifest = json.loads(manifests[-1].read_text(encoding="utf-8")) if manifests else {}
    stored: list[tuple[str, str]] = []
    if db.exists():
        with sqlite3.connect(db) as conn:
            stored = [(str(u), str(t)) for u, t in conn.execute("SELECT url, title FROM articles")]
    run = ProbeRun(proc.returncode, seconds, peak[0], _stats(log), manifest, stored, log, hits, times, config)
    urls = {u for u, _ in stored}
    run.outcomes = {path: _outcome(path, log, urls) for path in FAULTS}
    return run


def good_stored(run: ProbeRun) -> set[int]:
    """Numbers of the good article pages that were stored."""
    found = set()
    for url, _ in run.stored:
        match = re.search(r"/news/a/(\d+)\.html$", url)
        if match and int(match.group(1)) <= run.config.good:
            found.add(int(match.group(1)))
    return found


def render(run: ProbeRun, command: str) -> str:
    c = run.config
    counts = run.manifest.get("counts", {})
    stats = run.stats
    lines = [
        "| probe | server does | requests answered | outcome |",
        "| --- | --- | --- | --- |",
    ]
    for path, what in FAULTS.items():
        what = what.replace("10,000", f"{c.nesting:,}")
        if path == "/faults/big.html":
            what += f" ({c.big_bytes / 2**20:.0f} MiB)"
        if path == "/faults/bomb.html":
            what += f" ({c.bomb_bytes / 2**20:.0f} MiB inflated)"
        hits = run.hits.get(path, 0) + (
            run.hits.get("/faults/loop2.html", 0) if path == "/faults/loop1.html" else 0
        )
        lines.append(f"| `{path}` | {what} | {hits} | {run.outcomes[path]} |")
    hostile = ", ".join(f"`{h[:40]}{'…' if len(h) > 40 else ''}`" for h in HOSTILE_HREFS)
    lines.append(f"| hostile hrefs | {hostile} on the listing | - | page kept, "
                 f"{stats.get('listing/entries', 0)} entries read, no exception |")  # fmt: skip
    endless = sum(v for k, v in run.hits.items() if k.startswith("/endless/"))
    capped = stats.get("listing/max_pages_reached", 0)
    lines.append(f"| `/endless/N.html` | endless pagination | {endless} "
                 f"| stopped at max_pages (`listing/max_pages_reached` {capped}) |")  # fmt: skip
    first = run.hits.get("/news/index.html", 0)
    lines.append(f"| `/news/index_3.html` -> `index.html` | cyclic pagination | {first} "
                 f"fetch(es) of page 1 | cycle not followed |")  # fmt: skip
    lines.append(f"| `/big/index.html` | {c.big_links:,} links on one listing | "
                 f"{sum(v for k, v in run.hits.items() if k.startswith('/big/a/'))} entries fetched | "
                 f"`listing/links_truncated` {stats.get('listing/links_truncated', 0):,} |")  # fmt: skip
    good = len(good_stored(run))
    titles = [t for _, t in run.stored]
    lines += [
        "",
        f"Whole run: exit status {run.returncode} (manifest: {run.manifest.get('exit_status')}, "
        f"finish reason `{run.manifest.get('finish_reason')}`), {run.seconds:.1f} s, peak RSS "
        f"{run.peak_rss_mb:.0f} MB; {len(run.stored)} articles stored, {len(set(titles))} distinct "
        f"({good} of {c.good} good pages, the rest recovered fault pages); manifest counts: requests "
        f"{counts.get('requests')}, errors {counts.get('errors')}, exceptions {counts.get('exceptions')}, "
        f"offsite {counts.get('offsite')}; health: "
        + ", ".join(f"{h['check']} {'ok' if h['ok'] else 'FAILED'}" for h in run.manifest.get("health", [])),
        "",
        f"Generated by `{command}`.",
    ]
    return "\n".join(lines)


def write_doc(table: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    begin, end = "<!-- probes:begin -->", "<!-- probes:end -->"
    if begin in text and end in text:
        text = text[: text.index(begin) + len(begin)] + "\n" + table + "\n" + text[text.index(end) :]
    else:
        text += f"\n{begin}\n{table}\n{end}\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.faults", description=__doc__)
    parser.add_argument("--small", action="store_true", help="the test suite's sizes")
    parser.add_argument("--print", action="store_true", help="print the table, do not write docs/faults.md")
    args = parser.parse_args(argv)
    config = SMALL if args.small else FULL
    with TemporaryDirectory() as tmp:
        run = run_probes(config, Path(tmp), max_links=100 if args.small else 1000, timeout=600)
    command = "python -m benchmarks.faults" + (" --small" if args.small else "")
    table = render(run, command)
    print(table)
    if not args.print:
        write_doc(table, ROOT / "docs" / "faults.md")
        print("wrote docs/faults.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
