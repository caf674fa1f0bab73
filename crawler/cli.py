"""``python -m crawler``: the fixture server, the main job, profiles, one-page extraction, export."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler import cron, runs
from crawler import settings as defaults
from crawler.demo import run_fixture_crawl
from crawler.devserver import FIXTURE_SITES, FixtureServers
from crawler.errors import ConfigError, StoreError, UserError, exit_status
from crawler.exporters.files import export_store
from crawler.extract import html_selector, parse_article
from crawler.extract.encoding import decode_html
from crawler.extract.pool import processes_for
from crawler.profiles import PROFILE_DIR, load_profiles, profile_for_url
from crawler.reextract import articles, reextract
from crawler.secrets import install_log_masking
from crawler.storage import open_store
from crawler.warc import warc_files

logger = logging.getLogger(__name__)


def _add_serve(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="serve the fixture sites on loopback")
    p.add_argument(
        "directory", nargs="?", help="a fixture site, or a directory of sites (default: fixtures/sites)"
    )
    p.add_argument("--port", type=int, default=0, help="port of the first site (default: any free port)")


def cmd_serve(args: argparse.Namespace) -> int:
    directory = Path(args.directory) if args.directory else FIXTURE_SITES
    try:
        servers = FixtureServers(directory, port=args.port).start()
    except (FileNotFoundError, OSError) as err:
        raise UserError(str(err)) from err
    urls = servers.urls
    if len(urls) == 1:
        print(next(iter(urls.values())), flush=True)
    else:
        for name, url in urls.items():
            print(f"{url}\t{name}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        servers.stop()
    return 0


def _add_main_job(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run", help="crawl every bundled fixture site into the store (the main job)")
    p.add_argument("--sites", help="comma-separated fixture sites (default: all with a profile)")
    p.add_argument("--store", help="store URL (default: STORE_URL setting, sqlite:///data/news.sqlite3)")
    p.add_argument("--output", default="output", help="directory of the exported feeds (default: output)")
    p.add_argument("--runs-dir", help="where run manifests go (default: the RUNS_DIR setting, runs)")
    p.add_argument("--log-level", default="WARNING", help="Scrapy log level during the crawl")


def cmd_main_job(args: argparse.Namespace) -> int:
    try:
        open_store(args.store or _setting("STORE_URL")).close()
    except StoreError as err:
        raise UserError(str(err)) from err

    sites = [s.strip() for s in args.sites.split(",")] if args.sites else None
    runs_dir = Path(args.runs_dir or _setting("RUNS_DIR") or "runs")
    summary = run_fixture_crawl(sites=sites, store_url=args.store, output=Path(args.output),
                                log_level=args.log_level, runs_dir=runs_dir)  # fmt: skip
    print(summary.render())
    return 0 if summary.ok else 1


def _add_profiles(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("profiles", help="list the site profiles and validate them all")
    p.add_argument("--dir", action="append", default=[], help="an extra directory of profiles")


def cmd_profiles(args: argparse.Namespace) -> int:
    try:
        profiles = load_profiles([PROFILE_DIR, *(Path(d) for d in args.dir)])
    except ConfigError as err:
        raise UserError(f"invalid profile: {err}") from err
    for name, profile in sorted(profiles.items()):
        kind = "base" if profile.abstract else profile.pagination.kind
        domains = ", ".join(profile.domains) or "-"
        print(f"{name:<22} {kind:<12} {profile.timezone:<16} {domains}")
    print(f"{len(profiles)} profiles, all valid")
    return 0


def _add_extract(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("extract", help="extract one article per HTML file (JSON Lines)")
    p.add_argument("files", nargs="*", help="saved HTML pages")
    p.add_argument("--warc", action="append", default=[], metavar="FILE",
                   help="the article pages archived in this WARC file (repeatable)")  # fmt: skip
    p.add_argument("--url", help="the page's URL (picks a profile by host, resolves links)")
    p.add_argument("--profile", help="use this site profile")
    p.add_argument("--timezone", default=defaults.DEFAULT_TIMEZONE, help="zone of dates that name none")


def cmd_extract(args: argparse.Namespace) -> int:
    dirs = [PROFILE_DIR, *(Path(d) for d in _setting_list("PROFILE_DIRS"))]
    try:
        profiles = load_profiles(dirs)
    except ConfigError as err:
        raise UserError(f"invalid profile: {err}") from err
    profile = None
    if args.profile:
        if args.profile not in profiles:
            raise UserError(f"unknown profile {args.profile!r}; see `python -m crawler profiles`")
        profile = profiles[args.profile]
    elif args.url:
        profile = profile_for_url(args.url, profiles)
    if not args.files and not args.warc:
        raise UserError("give saved HTML files, or --warc FILE")
    status = _extract_warcs(args.warc, profiles, args.timezone) if args.warc else 0
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"error: no such file: {name}", file=sys.stderr)
            status = 2
            continue
        try:
            text, encoding = decode_html(path.read_bytes())
            url = args.url or path.resolve().as_uri()
            fields = parse_article(html_selector(text), url, profile, timezone=args.timezone)
        except Exception as err:  # one unreadable page must not stop the others
            print(json.dumps({"file": name, "error": f"{type(err).__name__}: {err}"}, ensure_ascii=False))
            status = status or 1
            continue
        record = {"file": name, "encoding": encoding, **fields.as_dict(),
                  "is_article": fields.is_article, "reason": fields.reason}  # fmt: skip
        print(json.dumps(record, ensure_ascii=False))
    return status


def _warc_paths(names: Sequence[str]) -> list[Path]:
    paths = [Path(n) for n in names]
    for path in paths:
        if not path.exists():
            raise UserError(f"no such file or directory: {path}")
    found = warc_files(paths)
    if not found:
        raise UserError(f"no WARC files (*.warc.gz) in {', '.join(names)}")
    return found


def _extract_warcs(names: Sequence[str], profiles: dict[str, Any], timezone: str) -> int:
    for result in articles(_warc_paths(names), profiles, timezone):
        item = result.article.to_dict() if result.article else {"url": result.page.url, **result.fields}
        record = {**item, "is_article": result.article is not None, "reason": result.reason}
        print(json.dumps(record, ensure_ascii=False))
    return 0


def _add_reextract(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("reextract", help="run today's extraction over archived pages (WARC) into the store")
    p.add_argument("warcs", nargs="*", metavar="WARC", help="WARC files (or directories of them)")
    p.add_argument("--warc-dir", action="append", default=[], help="a directory of WARC files (WARC_DIR)")
    p.add_argument("--site", help="only the pages of this site (profile name, or host in generic mode)")
    p.add_argument("--store", help="store URL (default: STORE_URL setting)")
    p.add_argument("--timezone", help="zone of dates that name none (default: DEFAULT_TIMEZONE)")
    p.add_argument("--processes", help="worker processes that extract (default: EXTRACTION_PROCESSES, auto)")


def cmd_reextract(args: argparse.Namespace) -> int:
    if not args.warcs and not args.warc_dir:
        raise UserError("give WARC files, or --warc-dir DIR")
    files = _warc_paths([*args.warcs, *args.warc_dir])
    try:
        profiles = load_profiles()
    except ConfigError as err:
        raise UserError(f"invalid profile: {err}") from err
    try:
        store = open_store(args.store or _setting("STORE_URL"))
    except StoreError as err:
        raise UserError(str(err)) from err
    timezone = args.timezone or _setting("DEFAULT_TIMEZONE") or defaults.DEFAULT_TIMEZONE
    try:
        processes = processes_for(args.processes or _setting("EXTRACTION_PROCESSES"))
    except ValueError as err:
        store.close()
        raise UserError(str(err)) from err
    try:
        tally = reextract(files, store, profiles, timezone, site=args.site, processes=processes)
    finally:
        store.close()
    print(tally.render())
    return 0


def _add_export(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="export stored articles, newest first")
    p.add_argument("--format", choices=("jsonl", "jsonfeed", "atom", "csv"), default="jsonl")
    p.add_argument("--site", help="only this site")
    p.add_argument("--since", help="only articles published at or after this date (ISO 8601)")
    p.add_argument("--limit", type=int, help="at most N articles")
    p.add_argument("--store", help="store URL (default: STORE_URL setting)")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")


def cmd_export(args: argparse.Namespace) -> int:
    if args.since is not None:
        args.since = _since(args.since)
    if args.limit is not None and args.limit < 0:
        raise UserError("--limit must be 0 or more")
    url = args.store or _setting("STORE_URL") or ""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        # Opening would create an empty store and export nothing, silently.
        raise UserError(f"no store at {url.removeprefix('sqlite:///')}: nothing to export")
    try:
        store = open_store(url or None)
    except StoreError as err:
        raise UserError(str(err)) from err
    try:
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as fh:
                n = export_store(store, fh, args.format, site=args.site, since=args.since, limit=args.limit)
            print(f"wrote {n} articles to {args.output}", file=sys.stderr)
        else:
            export_store(store, sys.stdout, args.format, site=args.site, since=args.since, limit=args.limit)
    finally:
        store.close()
    return 0


def _since(value: str) -> str:
    """``--since`` as an ISO 8601 date or time (UTC when it names no zone), or a UserError."""
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as err:
        raise UserError(f"--since {value!r} is not a date: use ISO 8601, e.g. 2024-05-01 or "
                        "2024-05-01T08:00:00+08:00") from err  # fmt: skip
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.isoformat()


def _setting_list(name: str) -> list[str]:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    return list(get_project_settings().getlist(name))


def _setting(name: str) -> str | None:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    value = get_project_settings().get(name)
    return str(value) if value is not None else None


def _add_schedule(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cron.add_arguments(
        sub.add_parser("schedule", help="run crawls from a schedule file (cron or intervals)")
    )


def cmd_schedule(args: argparse.Namespace) -> int:
    return cron.run_schedule(args)


def _add_runs(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    runs.add_arguments(sub.add_parser("runs", help="list recent crawl runs from their manifests"))


def cmd_runs(args: argparse.Namespace) -> int:
    return runs.list_runs(args)


COMMANDS = {
    "serve": (_add_serve, cmd_serve),
    "run": (_add_main_job, cmd_main_job),
    "profiles": (_add_profiles, cmd_profiles),
    "extract": (_add_extract, cmd_extract),
    "reextract": (_add_reextract, cmd_reextract),
    "export": (_add_export, cmd_export),
    "schedule": (_add_schedule, cmd_schedule),
    "runs": (_add_runs, cmd_runs),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crawler", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for add, _ in COMMANDS.values():
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = getattr(logging, str(getattr(args, "log_level", "WARNING")).upper(), logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.root.handlers:
        handler.setLevel(level)
    install_log_masking()
    return exit_status(lambda: COMMANDS[args.command][1](args))
