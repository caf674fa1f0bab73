"""``python -m crawler runs``: the recent crawl runs, newest first, from their manifests.

Every crawl leaves a manifest ``runs/<site>/<YYYYmmddTHHMMSSZ>-<pid>.json`` (when it started, how it
finished, what it counted, which health checks failed). This lists them as a table, or as JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler import settings as defaults
from crawler.errors import UserError, exit_status

logger = logging.getLogger(__name__)

DEFAULT_RUNS_DIR = "runs"
DEFAULT_LIMIT = 20
STAMP_FORMAT = defaults.RUN_STAMP_FORMAT
NOT_SITES = {"logs", "locks"}  # the scheduler's directories beside the sites'
_NAME = re.compile(r"(\d{8}T\d{6}Z)-(\d+)\.json")

COLUMNS = ("started", "site", "duration", "status", "new", "upd", "same", "skip", "drop", "err")
NUMERIC = {"new", "upd", "same", "skip", "drop", "err"}
COUNT_KEYS = {"new": "new", "upd": "updated", "same": "unchanged", "skip": "skipped", "err": "errors"}


def _sort_key(path: Path) -> tuple[str, int, str]:
    """Newest first by the stamp in the file name (the modification time for other names)."""
    match = _NAME.fullmatch(path.name)
    if match:
        return match.group(1), int(match.group(2)), path.name
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    return datetime.fromtimestamp(mtime, UTC).strftime(STAMP_FORMAT), 0, path.name


def manifest_files(runs_dir: Path, site: str | None = None) -> list[Path]:
    """Every manifest file under ``runs_dir`` (of one site), newest first."""
    if site is not None:
        site_dirs = [runs_dir / site]
    elif runs_dir.is_dir():
        site_dirs = sorted(p for p in runs_dir.iterdir() if p.is_dir() and p.name not in NOT_SITES)
    else:
        site_dirs = []
    files = [path for directory in site_dirs if directory.is_dir() for path in directory.glob("*.json")]
    return sorted(files, key=_sort_key, reverse=True)


def load_manifests(
    runs_dir: str | Path, site: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """The newest ``limit`` manifests (all when ``None``), newest first; unreadable files are
    skipped with a warning."""
    out: list[dict[str, Any]] = []
    for path in manifest_files(Path(runs_dir), site):
        if limit is not None and len(out) >= limit:
            break
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            logger.warning("skipped unreadable run manifest %s: %s", path, err)
            continue
        if not isinstance(data, dict):
            logger.warning("skipped run manifest %s: not a JSON object", path)
            continue
        data.setdefault("site", path.parent.name)
        out.append(data)
    return out


# ---------------------------------------------------------------------------------------------
# The table (pure).
# ---------------------------------------------------------------------------------------------


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def format_duration(seconds: float) -> str:
    """``5s``, ``1m05s``, ``2h03m``."""
    total = round(seconds)
    if total < 60:
        return f"{total}s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def run_status(manifest: Mapping[str, Any]) -> str:
    """``ok``; else the finish reason when the crawl did not finish, and ``FAILED: <checks>``."""
    parts = []
    reason = manifest.get("finish_reason")
    if reason != "finished":
        parts.append(str(reason) if reason else "unfinished")
    health = manifest.get("health")
    failed = [
        str(check.get("check", "?"))
        for check in (health if isinstance(health, list) else [])
        if isinstance(check, dict) and check.get("ok") is False
    ]
    exit_status = manifest.get("exit_status")
    if failed:
        parts.append("FAILED: " + ", ".join(failed))
    elif manifest.get("ok") is False or (isinstance(exit_status, int) and exit_status != 0):
        if isinstance(exit_status, int) and exit_status != 0:
            parts.append(f"FAILED: exit {exit_status}")
        elif not parts:
            parts.append("FAILED")
    return " ".join(parts) or "ok"


def _count(counts: Mapping[str, Any], key: str) -> str:
    value = counts.get(key)
    if key == "dropped" and isinstance(value, dict):
        value = sum(v for v in value.values() if isinstance(v, int | float) and not isinstance(v, bool))
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "-"
    return str(int(value))


def table_row(manifest: Mapping[str, Any]) -> dict[str, str]:
    started = _time(manifest.get("started_at"))
    finished = _time(manifest.get("finished_at"))
    raw_counts = manifest.get("counts")
    counts: Mapping[str, Any] = raw_counts if isinstance(raw_counts, dict) else {}
    row = {
        "started": started.strftime("%Y-%m-%d %H:%M:%S") if started else str(manifest.get("started_at", "?")),
        "site": str(manifest.get("site", "?")),
        "duration": format_duration((finished - started).total_seconds()) if started and finished else "-",
        "status": run_status(manifest),
        "drop": _count(counts, "dropped"),
    }
    for column, key in COUNT_KEYS.items():
        row[column] = _count(counts, key)
    return row


def render_table(manifests: Sequence[Mapping[str, Any]]) -> str:
    """The runs as an aligned text table, in the given order (``started`` is UTC)."""
    rows = [table_row(m) for m in manifests]
    header = {c: ("started (UTC)" if c == "started" else c) for c in COLUMNS}
    widths = {c: max(len(r[c]) for r in [header, *rows]) for c in COLUMNS}

    def line(row: Mapping[str, str]) -> str:
        cells = [row[c].rjust(widths[c]) if c in NUMERIC else row[c].ljust(widths[c]) for c in COLUMNS]
        return "  ".join(cells).rstrip()

    return "\n".join(line(r) for r in [header, *rows])


# ---------------------------------------------------------------------------------------------
# Command line.
# ---------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--runs-dir", default=DEFAULT_RUNS_DIR, help="the runs directory (default: %(default)s)"
    )
    parser.add_argument("--site", help="only this site's runs")
    parser.add_argument(
        "--limit", type=int, default=DEFAULT_LIMIT, help="at most N runs, 0 for all (default: %(default)s)"
    )
    parser.add_argument("--json", action="store_true", help="print the manifests as a JSON array")


def list_runs(args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise UserError("--limit must be 0 (all) or more")
    if args.site is not None and (not args.site or "/" in args.site or args.site.startswith(".")):
        raise UserError(f"--site {args.site!r} is not a site name")
    manifests = load_manifests(args.runs_dir, site=args.site, limit=args.limit or None)
    if args.json:
        print(json.dumps(manifests, ensure_ascii=False, indent=2))
        return 0
    if not manifests:
        where = f"{args.runs_dir}/{args.site}" if args.site else args.runs_dir
        print(f"no runs in {where}", file=sys.stderr)
        return 0
    print(render_table(manifests))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler runs", description=(__doc__ or "").split("\n\n")[0]
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return exit_status(lambda: list_runs(args))


if __name__ == "__main__":
    raise SystemExit(main())
