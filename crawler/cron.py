"""``python -m crawler schedule``: run crawls from a schedule file, unattended.

A schedule (YAML) lists sites, each with a cron expression (UTC) or an interval, a random start
jitter, spider arguments and Scrapy settings::

    defaults: {jitter: 30, args: {}, settings: {}}
    sites:
      - {site: smartchina_expo, cron: "*/15 * * * *"}
      - {site: govcn, every: 2h, args: {max_pages: 5}, settings: {DOWNLOAD_DELAY: 1}}

Each crawl is its own subprocess (``scrapy crawl mediacenter -a site=NAME ...`` run in the Scrapy
project directory) whose output goes to ``runs/logs/<site>-<UTC stamp>.log``. A site never runs
twice at once: the scheduler holds ``runs/locks/<site>.lock`` (``flock``) for the life of the child,
so a second scheduler on the same machine skips the site, and a scheduler that dies leaves no stuck
lock. SIGTERM/SIGINT stops starting crawls, forwards SIGTERM to the running ones, waits up to
``--grace`` seconds, then kills what is left.

Interval sites start when the scheduler starts, then every interval after the previous scheduled
start; cron sites start at the next matching minute. Jitter delays each start by a random
``[0, jitter]`` seconds (keep it below the period).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import logging
import os
import random
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import yaml
from croniter import croniter

from crawler import settings as defaults
from crawler.errors import ConfigError, UserError, exit_status
from crawler.profiles import PROFILE_DIR, load_profiles
from crawler.secrets import install_log_masking, mask_text

logger = logging.getLogger(__name__)

DEFAULT_SCHEDULE = "schedule.yaml"
DEFAULT_RUNS_DIR = "runs"
DEFAULT_GRACE = 60.0
STAMP_FORMAT = defaults.RUN_STAMP_FORMAT
SPIDER = "mediacenter"
TICK = 0.25  # seconds between checks of the clock and the children

SITE_KEYS = {"site", "cron", "every", "jitter", "args", "settings", "command"}
DEFAULT_KEYS = {"jitter", "args", "settings"}
TOP_KEYS = {"defaults", "sites"}
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+)\s*([smhd])")
_DURATION_FULL = re.compile(r"\s*(\d+\s*[smhd]\s*)+")


@dataclass(frozen=True)
class Entry:
    """One scheduled site, defaults merged in. Exactly one of ``cron``/``every`` is set."""

    site: str
    cron: str | None = None
    every: float | None = None  # seconds
    jitter: float = 0.0  # seconds
    args: Mapping[str, str] = field(default_factory=dict)
    settings: Mapping[str, str] = field(default_factory=dict)
    command: tuple[str, ...] | None = None

    @property
    def when(self) -> str:
        return f"cron {self.cron!r}" if self.cron is not None else f"every {self.every:g}s"


# ---------------------------------------------------------------------------------------------
# Parsing (pure).
# ---------------------------------------------------------------------------------------------


def parse_duration(value: Any, source: str, key: str) -> float:
    """``45s``, ``30m``, ``2h``, ``1d`` (or combined: ``1h30m``) -> seconds, positive."""
    if isinstance(value, bool) or not isinstance(value, str) or not _DURATION_FULL.fullmatch(value):
        raise ConfigError(source, key, f"invalid interval {value!r}: expected e.g. 45s, 30m, 2h, 1d")
    seconds = float(sum(int(n) * UNITS[unit] for n, unit in _DURATION.findall(value)))
    if seconds <= 0:
        raise ConfigError(source, key, f"invalid interval {value!r}: must be longer than 0s")
    if seconds > MAX_INTERVAL_S:
        # 99999999999999999999d passes the pattern and overflows datetime after the first run.
        most = f"{MAX_INTERVAL_S // 86400:.0f}d"
        raise ConfigError(source, key, f"invalid interval {value!r}: at most {most}")
    return seconds


MAX_INTERVAL_S = 3660.0 * 86400  # ten years


def _jitter(value: Any, source: str, key: str) -> float:
    if isinstance(value, str):
        return parse_duration(value, source, key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError(source, key, f"invalid jitter {value!r}: expected seconds (a number >= 0)")
    return float(value)


def _scalar(value: Any) -> str:
    """A YAML value as a command-line value; lists and mappings as JSON (Scrapy parses those)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _options(value: Any, source: str, key: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(source, key, f"must be a mapping of names to values, not {type(value).__name__}")
    out = {}
    for name, item in value.items():
        if not isinstance(name, str) or not name or "=" in name:
            raise ConfigError(source, f"{key}.{name}", "names must be non-empty strings without '='")
        if item is None:
            raise ConfigError(source, f"{key}.{name}", "has no value")
        out[name] = _scalar(item)
    return out


def _mapping(value: Any, source: str, key: str, allowed: set[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(source, key, f"must be a mapping, not {type(value).__name__}")
    for name in value:
        if name not in allowed:
            where = f"{key}.{name}" if key != "<file>" else str(name)
            raise ConfigError(source, where, f"unknown key (expected one of: {', '.join(sorted(allowed))})")
    return value


def _entry(raw: Any, defaults: dict[str, Any], source: str, key: str, sites: Collection[str] | None) -> Entry:
    data = _mapping(raw, source, key, SITE_KEYS)
    if not data:
        raise ConfigError(source, key, "must be a mapping with at least `site` and `cron` or `every`")
    site = data.get("site")
    if not isinstance(site, str) or not site:
        raise ConfigError(source, f"{key}.site", "required: a site profile name")
    if sites is not None and site not in sites:
        known = ", ".join(sorted(sites)) or "none"
        raise ConfigError(source, f"{key}.site", f"unknown site {site!r} (known profiles: {known})")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", site) or site.startswith("."):
        raise ConfigError(source, f"{key}.site", f"{site!r} is not usable as a file name")

    cron = data.get("cron")
    every_raw = data.get("every")
    if (cron is None) == (every_raw is None):
        raise ConfigError(source, key, f"site {site!r} needs exactly one of `cron` or `every`")
    every = None
    if cron is not None:
        if not isinstance(cron, str) or not croniter.is_valid(cron):
            raise ConfigError(source, f"{key}.cron", f"invalid cron expression {cron!r}")
        try:
            # Valid syntax that never matches (``0 0 30 2 *``: February 30th) fails only here.
            croniter(cron, datetime(2000, 1, 1, tzinfo=UTC)).get_next(datetime)
        except Exception as err:
            message = f"cron expression {cron!r} never matches: {err}"
            raise ConfigError(source, f"{key}.cron", message) from err
    else:
        every = parse_duration(every_raw, source, f"{key}.every")

    jitter_raw = data.get("jitter", defaults.get("jitter", 0))
    jitter = _jitter(jitter_raw, source, f"{key}.jitter" if "jitter" in data else "defaults.jitter")
    args = {**defaults["args"], **_options(data.get("args"), source, f"{key}.args")}
    if "site" in args:
        raise ConfigError(source, f"{key}.args.site", "the site is given by `site:`, not by args")
    settings = {**defaults["settings"], **_options(data.get("settings"), source, f"{key}.settings")}

    command = None
    if "command" in data:
        cmd = data["command"]
        if (
            not isinstance(cmd, list)
            or not cmd
            or not all(isinstance(part, str | int | float) and not isinstance(part, bool) for part in cmd)
        ):
            raise ConfigError(source, f"{key}.command", "must be a non-empty list of strings")
        command = tuple(str(part) for part in cmd)
    return Entry(site=site, cron=cron, every=every, jitter=jitter, args=args, settings=settings,
                 command=command)  # fmt: skip


def parse_schedule(
    data: Any, source: str = "<schedule>", sites: Collection[str] | None = None
) -> list[Entry]:
    """Validate a loaded schedule. ``sites``: the known site names (``None``: don't check)."""
    top = _mapping(data, source, "<file>", TOP_KEYS)
    raw_defaults = _mapping(top.get("defaults"), source, "defaults", DEFAULT_KEYS)
    defaults: dict[str, Any] = {
        "args": _options(raw_defaults.get("args"), source, "defaults.args"),
        "settings": _options(raw_defaults.get("settings"), source, "defaults.settings"),
    }
    if "jitter" in raw_defaults:
        defaults["jitter"] = _jitter(raw_defaults["jitter"], source, "defaults.jitter")
    raw_sites = top.get("sites")
    if not isinstance(raw_sites, list) or not raw_sites:
        raise ConfigError(source, "sites", "required: a non-empty list of sites")
    return [_entry(raw, defaults, source, f"sites[{i}]", sites) for i, raw in enumerate(raw_sites)]


def known_sites() -> set[str]:
    """Names of the concrete (crawlable) site profiles."""
    dirs = [PROFILE_DIR, *(Path(d) for d in _profile_dirs())]
    return {name for name, profile in load_profiles(dirs).items() if not profile.abstract}


def _profile_dirs() -> list[str]:
    """The ``PROFILE_DIRS`` setting (project settings and ``-s``-less environment)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    return list(get_project_settings().getlist("PROFILE_DIRS"))


def load_schedule(path: str | Path, sites: Collection[str] | None = None) -> list[Entry]:
    """Read and validate a schedule file; ``sites`` defaults to the bundled profile names."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise ConfigError(source, "<file>", "no such file") from err
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(source, "<file>", f"cannot read: {err}") from err
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        detail = " ".join(str(err).split())
        raise ConfigError(source, "<file>", f"not valid YAML: {detail}") from err
    if sites is None:
        try:
            sites = known_sites()
        except ConfigError as err:
            raise ConfigError(source, "<profiles>", f"invalid site profile: {err}") from err
    return parse_schedule(data, source, sites)


# ---------------------------------------------------------------------------------------------
# Times, commands, paths (pure).
# ---------------------------------------------------------------------------------------------


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def next_slot(entry: Entry, after: datetime) -> datetime:
    """The next scheduled start without jitter: the next cron time strictly after ``after`` (UTC),
    or ``after`` (the previous scheduled start) plus the interval."""
    after = _utc(after)
    if entry.cron is not None:
        nxt: datetime = croniter(entry.cron, after).get_next(datetime)
        return _utc(nxt)
    assert entry.every is not None
    return after + timedelta(seconds=entry.every)


def jitter_delay(entry: Entry, rng: random.Random) -> timedelta:
    return timedelta(seconds=rng.uniform(0, entry.jitter)) if entry.jitter > 0 else timedelta(0)


def next_run(entry: Entry, after: datetime, rng: random.Random) -> datetime:
    """When ``entry`` runs next (UTC): :func:`next_slot` plus a random jitter in ``[0, jitter]``."""
    return next_slot(entry, after) + jitter_delay(entry, rng)


def first_slot(entry: Entry, now: datetime) -> datetime:
    """Interval sites start right away; cron sites at their next matching time."""
    return next_slot(entry, now) if entry.cron is not None else _utc(now)


def advance(entry: Entry, slot: datetime, now: datetime) -> datetime:
    """The slot after a start at ``now`` of the one scheduled for ``slot``. A cron site goes to its
    next time after now; an interval site to ``slot`` + interval, or now when that has already
    passed (a scheduler that fell behind runs once, not in a burst)."""
    if entry.cron is not None:
        return next_slot(entry, now)
    return max(next_slot(entry, slot), _utc(now))


def crawl_command(entry: Entry, python: str = sys.executable, runs_dir: Path | None = None) -> list[str]:
    """The command of one crawl: the entry's own ``command``, else ``scrapy crawl mediacenter``
    (writing its run manifest under ``runs_dir`` unless the entry sets RUNS_DIR itself)."""
    if entry.command is not None:
        return list(entry.command)
    cmd = [python, "-m", "scrapy", "crawl", SPIDER, "-a", f"site={entry.site}"]
    for name, value in entry.args.items():
        cmd += ["-a", f"{name}={value}"]
    for name, value in entry.settings.items():
        cmd += ["-s", f"{name}={value}"]
    if runs_dir is not None and "RUNS_DIR" not in entry.settings:
        cmd += ["-s", f"RUNS_DIR={runs_dir.resolve()}"]
    return cmd


def project_dir(start: Path | None = None) -> Path:
    """The nearest directory at or above ``start`` holding ``scrapy.cfg``; else ``start``."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / "scrapy.cfg").is_file():
            return directory
    return here


def stamp(when: datetime) -> str:
    return _utc(when).strftime(STAMP_FORMAT)


def log_path(runs_dir: Path, site: str, when: datetime) -> Path:
    return runs_dir / "logs" / f"{site}-{stamp(when)}.log"


def lock_path(runs_dir: Path, site: str) -> Path:
    return runs_dir / "locks" / f"{site}.lock"


def exit_code(returncode: int) -> int:
    """A child's status as a shell reports it: killed by signal N -> 128 + N."""
    return 128 - returncode if returncode < 0 else returncode


# ---------------------------------------------------------------------------------------------
# Locks and children.
# ---------------------------------------------------------------------------------------------


class SiteLock:
    """``flock`` on ``runs/locks/<site>.lock``, held while the site's crawl runs.

    The descriptor is close-on-exec (never inherited by the crawl), so the lock dies with the
    scheduler process, however it ends.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        os.set_inheritable(fd, False)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        try:  # who holds it, for people looking (not used by the lock itself)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the last descriptor releases the flock
            self.fd = None


@dataclass
class Running:
    entry: Entry
    proc: subprocess.Popen[bytes]
    lock: SiteLock
    log: Path
    started: float  # time.monotonic()


@dataclass
class Stats:
    started: int = 0
    skipped: int = 0
    failed: int = 0
    worst: int = 0


def _append(path: Path, line: str) -> None:
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(line)
    except OSError as err:
        logger.warning("cannot write %s: %s", path, err)


class Scheduler:
    """Starts, watches and stops the crawls of a schedule (the loop around the pure helpers)."""

    def __init__(
        self,
        entries: Sequence[Entry],
        runs_dir: Path,
        *,
        cwd: Path | None = None,
        grace: float = DEFAULT_GRACE,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.entries = list(entries)
        self.runs_dir = runs_dir.resolve()
        self.cwd = cwd or project_dir()
        self.grace = grace
        self.rng = rng or random.Random()
        self.clock = clock
        self.running: dict[str, Running] = {}
        self.stats = Stats()
        self.stop_signal: int | None = None
        self.force = False

    # -- signals ----------------------------------------------------------------------------

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stop_signal is None:
            self.stop_signal = signum
        else:
            self.force = True  # a second signal: don't wait for the grace period

    def _install_signals(self) -> dict[int, Any]:
        previous: dict[int, Any] = {}
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, self._on_signal)
        return previous

    # -- children ---------------------------------------------------------------------------

    def start(self, entry: Entry) -> Running | None:
        """Start one crawl of ``entry`` unless its site is running (here or in another scheduler)."""
        site = entry.site
        lock = SiteLock(lock_path(self.runs_dir, site))
        if site in self.running or not lock.acquire():
            logger.warning("site %s is already running, skipped", site)
            self.stats.skipped += 1
            return None
        now = self.clock()
        log = log_path(self.runs_dir, site, now)
        cmd = crawl_command(entry, runs_dir=self.runs_dir)
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with open(log, "ab") as out:
                header = f"# {now.isoformat(timespec='seconds')} start {site}: {mask_text(shlex.join(cmd))}\n"
                out.write(header.encode())
                out.flush()
                proc = subprocess.Popen(
                    cmd,
                    cwd=self.cwd,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    close_fds=True,
                    start_new_session=True,  # terminal signals reach the scheduler only: it forwards
                )
        except OSError as err:
            lock.release()
            status = 126 if isinstance(err, PermissionError) else 127
            logger.error("site %s: cannot start %s: %s", site, shlex.join(cmd), err)
            self._record(status)
            _append(log, f"# cannot start: {err}\n")
            return None
        run = Running(entry=entry, proc=proc, lock=lock, log=log, started=time.monotonic())
        self.running[site] = run
        self.stats.started += 1
        logger.info("site %s started (pid %d), log %s", site, proc.pid, log)
        return run

    def _record(self, status: int) -> None:
        if status != 0:
            self.stats.failed += 1
        self.stats.worst = max(self.stats.worst, status)

    def _finish(self, run: Running) -> None:
        returncode = run.proc.wait()
        run.lock.release()
        self.running.pop(run.entry.site, None)
        status = exit_code(returncode)
        elapsed = time.monotonic() - run.started
        self._record(status)
        _append(run.log, f"# exit status {status} after {elapsed:.1f}s\n")
        if status == 0:
            logger.info("site %s finished in %.1fs", run.entry.site, elapsed)
        else:
            logger.warning("site %s failed with exit status %d after %.1fs, log %s",
                           run.entry.site, status, elapsed, run.log)  # fmt: skip

    def reap(self) -> None:
        """Collect the children that have ended and release their locks."""
        for run in list(self.running.values()):
            if run.proc.poll() is not None:
                self._finish(run)

    def _signal(self, run: Running, sig: int) -> None:
        if run.proc.poll() is not None:
            return
        try:
            os.killpg(run.proc.pid, sig)  # the child leads its own process group
        except (ProcessLookupError, PermissionError):
            with contextlib.suppress(ProcessLookupError):
                run.proc.send_signal(sig)

    def shutdown(self) -> None:
        """SIGTERM to every child, up to ``grace`` seconds to end, then SIGKILL."""
        self.reap()
        for run in self.running.values():
            logger.info("stopping site %s (pid %d)", run.entry.site, run.proc.pid)
            self._signal(run, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        while self.running and time.monotonic() < deadline and not self.force:
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
            self.reap()
        for run in list(self.running.values()):
            logger.warning("site %s did not stop within %gs, killed", run.entry.site, self.grace)
            self._signal(run, signal.SIGKILL)
            try:
                run.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                logger.error("site %s (pid %d) does not die", run.entry.site, run.proc.pid)
                run.lock.release()
                self.running.pop(run.entry.site, None)
                continue
            self._finish(run)

    # -- loops ------------------------------------------------------------------------------

    def run_once(self) -> int:
        """Start every site now, wait for all; the worst exit status (0: all succeeded)."""
        previous = self._install_signals()
        try:
            for entry in self.entries:
                if self.stop_signal is not None:
                    break
                self.start(entry)
            while self.running and self.stop_signal is None:
                time.sleep(TICK)
                self.reap()
            if self.stop_signal is not None:
                logger.info("signal %d: stopping", self.stop_signal)
            self.shutdown()
        finally:
            _restore(previous)
        self._summary()
        return self.stats.worst

    def run_forever(self) -> int:
        """Start sites when due until SIGTERM/SIGINT, then stop the children; exit status 0."""
        previous = self._install_signals()
        try:
            now = self.clock()
            slots = [first_slot(entry, now) for entry in self.entries]
            due = [
                slot + jitter_delay(entry, self.rng) for entry, slot in zip(self.entries, slots, strict=True)
            ]
            for entry, when in zip(self.entries, due, strict=True):
                logger.info("site %s: %s, first run %s", entry.site, entry.when, _iso(when))
            while self.stop_signal is None:
                self.reap()
                now = self.clock()
                for i, entry in enumerate(self.entries):
                    if due[i] > now or self.stop_signal is not None:
                        continue
                    self.start(entry)
                    slots[i] = advance(entry, slots[i], now)
                    due[i] = slots[i] + jitter_delay(entry, self.rng)
                    logger.debug("site %s: next run %s", entry.site, _iso(due[i]))
                wait = (min(due) - self.clock()).total_seconds()
                time.sleep(min(TICK, max(0.0, wait)) or 0.01)
            logger.info("signal %d: stopping", self.stop_signal)
            self.shutdown()
        finally:
            _restore(previous)
        self._summary()
        return 0

    def _summary(self) -> None:
        s = self.stats
        logger.info(
            "%d runs started, %d failed, %d skipped (site already running)", s.started, s.failed, s.skipped
        )


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _restore(previous: Mapping[int, Any]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)


# ---------------------------------------------------------------------------------------------
# Command line.
# ---------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "schedule", nargs="?", default=DEFAULT_SCHEDULE, help="the schedule file (default: %(default)s)"
    )
    parser.add_argument(
        "--once",
        action="store_true",
        help="start every site once now, wait for all, exit with the worst status",
    )
    parser.add_argument(
        "--runs-dir", default=DEFAULT_RUNS_DIR, help="where logs/ and locks/ go (default: %(default)s)"
    )
    parser.add_argument(
        "--grace",
        type=float,
        default=DEFAULT_GRACE,
        help="seconds the crawls get to stop on SIGTERM/SIGINT before SIGKILL (default: %(default)g)",
    )
    parser.add_argument("--log-level", default="INFO", help="log level (default: INFO)")


def run_schedule(args: argparse.Namespace) -> int:
    if args.grace < 0:
        raise UserError("--grace must be 0 or more seconds")
    try:
        entries = load_schedule(args.schedule)
    except ConfigError as err:
        raise UserError(str(err)) from err
    runs_dir = Path(args.runs_dir)
    try:
        for sub in ("logs", "locks"):
            (runs_dir / sub).mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UserError(f"--runs-dir {runs_dir}: cannot create {sub}/: {err.strerror or err}") from err
    scheduler = Scheduler(entries, runs_dir, grace=args.grace)
    if args.once:
        return scheduler.run_once()
    logger.info("scheduling %d sites from %s (runs in %s)", len(entries), args.schedule, scheduler.cwd)
    return scheduler.run_forever()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler schedule",
                                     description=(__doc__ or "").split("\n\n")[0])  # fmt: skip
    add_arguments(parser)
    args = parser.parse_args(argv)
    level = getattr(logging, str(args.log_level).upper(), logging.INFO)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_masking()
    return exit_status(lambda: run_schedule(args))


if __name__ == "__main__":
    raise SystemExit(main())
