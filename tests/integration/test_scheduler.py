from __future__ import annotations

import argparse
import contextlib
import fcntl
import logging
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler import cron
from crawler.cron import (
    Entry,
    advance,
    crawl_command,
    first_slot,
    load_schedule,
    next_run,
    parse_duration,
    parse_schedule,
    project_dir,
)
from crawler.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
SITES = {"smartchina_expo", "govcn", "people"}


# ---------------------------------------------------------------------------------------------
# Parsing.
# ---------------------------------------------------------------------------------------------


def test_parse_merges_defaults_and_stringifies_values() -> None:
    data = yaml.safe_load(
        """
        defaults:
          jitter: 30
          args: {max_pages: 3, full: true}
          settings: {LOG_LEVEL: INFO}
        sites:
          - site: smartchina_expo
            cron: "*/15 * * * *"
            jitter: 60
            args: {max_pages: 5}
            settings: {DOWNLOAD_DELAY: 1.5, ITEM_PIPELINES: {a.B: 1}}
          - site: govcn
            every: 1h30m
            command: [python3, -c, "print(1)"]
        """
    )
    first, second = parse_schedule(data, "s.yaml", SITES)
    assert first == Entry(
        site="smartchina_expo",
        cron="*/15 * * * *",
        jitter=60.0,
        args={"max_pages": "5", "full": "true"},
        settings={"LOG_LEVEL": "INFO", "DOWNLOAD_DELAY": "1.5", "ITEM_PIPELINES": '{"a.B": 1}'},
    )
    assert second.every == 5400.0
    assert second.cron is None
    assert second.jitter == 30.0
    assert second.command == ("python3", "-c", "print(1)")
    assert crawl_command(second) == ["python3", "-c", "print(1)"]


def test_default_crawl_command() -> None:
    [entry] = parse_schedule(
        {
            "sites": [
                {"site": "govcn", "every": "30m", "args": {"max_pages": 5}, "settings": {"DOWNLOAD_DELAY": 1}}
            ]
        },
        "s.yaml",
        SITES,
    )
    assert crawl_command(entry, python="/py") == [
        "/py", "-m", "scrapy", "crawl", "mediacenter",
        "-a", "site=govcn", "-a", "max_pages=5", "-s", "DOWNLOAD_DELAY=1",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "value"),
    [("45s", 45), ("30m", 1800), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), (" 5 m", 300)],
)
def test_parse_duration(text: str, value: float) -> None:
    assert parse_duration(text, "s.yaml", "every") == value


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        ("sites: []", "sites", "non-empty list"),
        ("{}", "sites", "required"),
        ("- site: govcn", "<file>", "mapping"),
        ("sites: [{site: govcn, every: 1m}]\nextra: 1", "extra", "unknown key"),
        ("defaults: {jiter: 3}\nsites: [{site: govcn, every: 1m}]", "defaults.jiter", "unknown key"),
        ("sites: [{site: govcn, every: 1m, cronn: x}]", "sites[0].cronn", "unknown key"),
        ("sites: [{site: govcn, every: 1m}, {site: govcn}]", "sites[1]", "exactly one of `cron` or `every`"),
        ("sites: [{site: govcn, every: 1m, cron: '* * * * *'}]", "sites[0]", "exactly one"),
        (
            "sites: [{site: govcn, cron: '61 * * * *'}]",
            "sites[0].cron",
            "invalid cron expression '61 * * * *'",
        ),
        ("sites: [{site: govcn, cron: 'every day'}]", "sites[0].cron", "invalid cron"),
        ("sites: [{site: govcn, every: 30x}]", "sites[0].every", "invalid interval '30x'"),
        ("sites: [{site: govcn, every: 30}]", "sites[0].every", "invalid interval 30"),
        ("sites: [{site: govcn, every: 0s}]", "sites[0].every", "longer than 0s"),
        ("sites: [{site: nosuch, every: 1m}]", "sites[0].site", "unknown site 'nosuch'"),
        ("sites: [{every: 1m}]", "sites[0].site", "required"),
        ("sites: [{site: govcn, every: 1m, jitter: -1}]", "sites[0].jitter", "invalid jitter"),
        ("defaults: {jitter: soon}\nsites: [{site: govcn, every: 1m}]", "defaults.jitter", "invalid"),
        ("sites: [{site: govcn, every: 1m, args: [1]}]", "sites[0].args", "mapping"),
        ("sites: [{site: govcn, every: 1m, args: {site: x}}]", "sites[0].args.site", "given by `site:`"),
        ("sites: [{site: govcn, every: 1m, settings: {A: }}]", "sites[0].settings.A", "no value"),
        ("sites: [{site: govcn, every: 1m, command: echo hi}]", "sites[0].command", "list of strings"),
        ("sites: [{site: govcn, every: 1m, command: []}]", "sites[0].command", "list of strings"),
        ("sites: [{site: govcn, every: 1m", "<file>", "not valid YAML"),
    ],
)
def test_schedule_errors_name_file_and_key(tmp_path: Path, body: str, key: str, words: str) -> None:
    path = tmp_path / "schedule.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_schedule(path, SITES)
    message = str(info.value)
    assert message.startswith(f"{path}: {key}: "), message
    assert words in message
    assert "\n" not in message
    assert info.value.key == key


def test_missing_file_and_real_profiles(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.yaml: <file>: no such file"):
        load_schedule(tmp_path / "nope.yaml")
    path = tmp_path / "schedule.yaml"
    path.write_text("sites: [{site: govcn_base, every: 1m}]", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sites\[0\]\.site: unknown site 'govcn_base'"):
        load_schedule(path)  # abstract profiles are not sites


def test_example_schedule_is_valid() -> None:
    entries = load_schedule(ROOT / "examples" / "schedule.yaml")
    assert {e.site for e in entries} == {"smartchina_expo", "govcn"}
    assert all(e.command is None for e in entries)


# ---------------------------------------------------------------------------------------------
# Next-run computation.
# ---------------------------------------------------------------------------------------------

AFTER = datetime(2026, 11, 25, 21, 7, 13, tzinfo=UTC)


def test_next_run_cron_in_utc_with_seeded_jitter() -> None:
    entry = Entry(site="govcn", cron="*/15 * * * *", jitter=60)
    slot = datetime(2026, 11, 25, 21, 15, tzinfo=UTC)
    runs = [next_run(entry, AFTER, random.Random(seed)) for seed in range(200)]
    assert all(slot <= when <= slot + timedelta(seconds=60) for when in runs)
    assert max(runs) - min(runs) > timedelta(seconds=40)  # spread over the window
    assert next_run(entry, AFTER, random.Random(7)) == next_run(entry, AFTER, random.Random(7))
    assert all(when.tzinfo is not None and when.utcoffset() == timedelta(0) for when in runs)
    # exactly on a slot: the next one; another zone or naive (UTC) give the same instant
    no_jitter = Entry(site="govcn", cron="*/15 * * * *")
    assert next_run(no_jitter, slot, random.Random(1)) == slot + timedelta(minutes=15)
    shanghai = AFTER.astimezone(timezone(timedelta(hours=8)))
    assert next_run(no_jitter, shanghai, random.Random(1)) == slot
    assert next_run(no_jitter, AFTER.replace(tzinfo=None), random.Random(1)) == slot
    daily = Entry(site="govcn", cron="0 2 * * *")
    assert next_run(daily, AFTER, random.Random(1)) == datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def test_next_run_every_with_seeded_jitter() -> None:
    entry = Entry(site="govcn", every=1800, jitter=30)
    base = AFTER + timedelta(minutes=30)
    runs = [next_run(entry, AFTER, random.Random(seed)) for seed in range(200)]
    assert all(base <= when <= base + timedelta(seconds=30) for when in runs)
    assert len(set(runs)) > 100
    assert next_run(Entry(site="govcn", every=45), AFTER, random.Random(3)) == AFTER + timedelta(seconds=45)


def test_first_slot_and_advance() -> None:
    every = Entry(site="govcn", every=60)
    cron = Entry(site="govcn", cron="0 * * * *")
    assert first_slot(every, AFTER) == AFTER  # interval sites start right away
    assert first_slot(cron, AFTER) == datetime(2026, 11, 25, 22, 0, tzinfo=UTC)
    # on time: previous slot + interval; fallen behind: now, not a burst of catch-up runs
    assert advance(every, AFTER, AFTER + timedelta(seconds=5)) == AFTER + timedelta(seconds=60)
    assert advance(every, AFTER, AFTER + timedelta(hours=3)) == AFTER + timedelta(hours=3)
    assert advance(cron, AFTER, AFTER + timedelta(hours=3)) == datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


def test_project_dir(tmp_path: Path) -> None:
    assert project_dir(ROOT / "crawler" / "profiles") == ROOT
    assert project_dir(tmp_path) == tmp_path.resolve()


# ---------------------------------------------------------------------------------------------
# Running: --once in this process.
# ---------------------------------------------------------------------------------------------


def py(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def write_schedule(path: Path, sites: list[dict[str, Any]], **defaults: Any) -> Path:
    data: dict[str, Any] = {"sites": sites}
    if defaults:
        data["defaults"] = defaults
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def run_scheduler(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    cron.add_arguments(parser)
    return cron.run_schedule(parser.parse_args(list(argv)))


def logs_of(runs: Path, site: str) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((runs / "logs").glob(f"{site}-*.log"))]


def test_once_aggregates_exit_statuses_and_writes_logs(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    sched = write_schedule(
        tmp_path / "s.yaml",
        [
            {"site": "smartchina_expo", "every": "1h", "command": py("print('hello from expo')")},
            {
                "site": "govcn",
                "cron": "0 * * * *",
                "command": py("import sys; print('oops', file=sys.stderr); sys.exit(3)"),
            },
            {"site": "people", "every": "1h", "command": py("import sys; sys.exit(1)")},
        ],
        jitter=3600,  # --once ignores jitter: starts now
    )
    started = time.monotonic()
    assert run_scheduler("--once", "--runs-dir", str(runs), str(sched)) == 3
    assert time.monotonic() - started < 5
    [expo] = logs_of(runs, "smartchina_expo")
    assert "hello from expo" in expo
    assert "exit status 0" in expo
    [gov] = logs_of(runs, "govcn")
    assert "oops" in gov
    assert "exit status 3" in gov
    name = next((runs / "logs").glob("govcn-*.log")).name
    assert len(name) == len("govcn-20261125T210000Z.log")
    # every lock is released afterwards
    for site in ("smartchina_expo", "govcn", "people"):
        with open(runs / "locks" / f"{site}.lock", "rb") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)

    ok = write_schedule(tmp_path / "ok.yaml", [{"site": "govcn", "every": "1m", "command": py("pass")}])
    assert run_scheduler("--once", "--runs-dir", str(runs), str(ok)) == 0
    killed = write_schedule(
        tmp_path / "killed.yaml",
        [
            {
                "site": "govcn",
                "every": "1m",
                "command": py("import os, signal; os.kill(os.getpid(), signal.SIGKILL)"),
            }
        ],
    )
    assert run_scheduler("--once", "--runs-dir", str(runs), str(killed)) == 128 + 9


def test_once_skips_a_site_whose_lock_is_held(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs = tmp_path / "runs"
    marker = tmp_path / "ran"
    sched = write_schedule(
        tmp_path / "s.yaml",
        [{"site": "govcn", "every": "1m", "command": py(f"open({str(marker)!r}, 'w').close()")}],
    )
    (runs / "locks").mkdir(parents=True)
    with open(runs / "locks" / "govcn.lock", "wb") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with caplog.at_level(logging.INFO, logger="crawler.cron"):
            assert run_scheduler("--once", "--runs-dir", str(runs), str(sched)) == 0
    assert "site govcn is already running, skipped" in caplog.text
    assert "1 skipped" in caplog.text
    assert not marker.exists()
    assert logs_of(runs, "govcn") == []


def test_command_that_cannot_start(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    sched = write_schedule(
        tmp_path / "s.yaml", [{"site": "govcn", "every": "1m", "command": [str(tmp_path / "nope")]}]
    )
    assert run_scheduler("--once", "--runs-dir", str(runs), str(sched)) == 127
    with open(runs / "locks" / "govcn.lock", "rb") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_bad_schedule_is_one_line_error(tmp_path: Path) -> None:
    sched = tmp_path / "s.yaml"
    sched.write_text("sites: [{site: govcn, every: soon}]", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "crawler.cron", "--once", str(sched)],
        cwd=tmp_path, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert proc.returncode == 2
    assert (
        proc.stderr
        == f"error: {sched}: sites[0].every: invalid interval 'soon': expected e.g. 45s, 30m, 2h, 1d\n"
    )


# ---------------------------------------------------------------------------------------------
# Running: real scheduler processes.
# ---------------------------------------------------------------------------------------------


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def sleeper(pid_file: Path, marker: Path | None = None, ignore_term: bool = False) -> list[str]:
    """A child that writes its pid, then sleeps; on SIGTERM writes ``marker`` and exits 0."""
    if ignore_term:
        handler = "signal.SIG_IGN"
    else:
        handler = f"lambda *a: (pathlib.Path({str(marker)!r}).write_text('terminated'), sys.exit(0))"
    return py(
        "import os, pathlib, signal, sys, time\n"
        f"signal.signal(signal.SIGTERM, {handler})\n"
        f"pathlib.Path({str(pid_file) + '.tmp'!r}).write_text(str(os.getpid()))\n"
        f"os.rename({str(pid_file) + '.tmp'!r}, {str(pid_file)!r})\n"
        "print('child started', flush=True)\n"
        "time.sleep(30)\n"
    )


@contextlib.contextmanager
def scheduler_process(tmp_path: Path, name: str, *argv: str) -> Iterator[subprocess.Popen[bytes]]:
    """A scheduler process (stderr to ``<name>.err``), killed at the end if still alive."""
    with open(tmp_path / f"{name}.err", "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.cron", *argv], cwd=ROOT, stdout=err, stderr=err
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


@pytest.fixture
def child_pids() -> Iterator[list[Path]]:
    """Pid files of children that outlive their scheduler: killed at the end of the test."""
    pid_files: list[Path] = []
    yield pid_files
    for path in pid_files:
        with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError):
            os.kill(int(path.read_text()), signal.SIGKILL)


def lock_is_free(path: Path) -> bool:
    with open(path, "rb") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(fh, fcntl.LOCK_UN)
        return True


def test_second_scheduler_process_skips_a_running_site(tmp_path: Path, child_pids: list[Path]) -> None:
    runs = tmp_path / "runs"
    pid_file, marker = tmp_path / "child.pid", tmp_path / "terminated"
    child_pids.append(pid_file)
    first = write_schedule(
        tmp_path / "a.yaml", [{"site": "govcn", "every": "1h", "command": sleeper(pid_file, marker)}]
    )
    ran = tmp_path / "second-ran"
    second = write_schedule(
        tmp_path / "b.yaml",
        [{"site": "govcn", "every": "1h", "command": py(f"open({str(ran)!r}, 'w').close()")}],
    )
    with scheduler_process(tmp_path, "a", "--once", "--grace", "5", "--runs-dir", str(runs), str(first)) as a:
        wait_for(pid_file.exists)
        assert not lock_is_free(runs / "locks" / "govcn.lock")
        proc = subprocess.run(
            [sys.executable, "-m", "crawler.cron", "--once", "--runs-dir", str(runs), str(second)],
            cwd=ROOT, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert "site govcn is already running, skipped" in proc.stderr
        assert not ran.exists()
        assert len(logs_of(runs, "govcn")) == 1
        a.send_signal(signal.SIGTERM)
        assert a.wait(timeout=8) == 0  # the child exited 0 on the forwarded SIGTERM
    assert marker.read_text() == "terminated"
    assert lock_is_free(runs / "locks" / "govcn.lock")


def test_killed_scheduler_leaves_no_stuck_lock(tmp_path: Path, child_pids: list[Path]) -> None:
    runs = tmp_path / "runs"
    pid_file = tmp_path / "child.pid"
    child_pids.append(pid_file)
    sched = write_schedule(
        tmp_path / "s.yaml", [{"site": "govcn", "every": "1h", "command": sleeper(pid_file)}]
    )
    lock = runs / "locks" / "govcn.lock"
    with scheduler_process(tmp_path, "s", "--once", "--runs-dir", str(runs), str(sched)) as proc:
        wait_for(pid_file.exists)
        assert not lock_is_free(lock)
        proc.kill()
        assert proc.wait(timeout=5) == -signal.SIGKILL
    child = int(pid_file.read_text())
    os.kill(child, 0)  # the crawl lives on (its own session) ...
    assert lock_is_free(lock)  # ... but did not inherit the lock
    os.kill(child, signal.SIGKILL)


def test_sigterm_is_forwarded_and_the_scheduler_exits_0(tmp_path: Path, child_pids: list[Path]) -> None:
    runs = tmp_path / "runs"
    pid_file, marker = tmp_path / "child.pid", tmp_path / "terminated"
    child_pids.append(pid_file)
    sched = write_schedule(
        tmp_path / "s.yaml",
        [{"site": "govcn", "every": "1s", "command": sleeper(pid_file, marker)}],
        jitter=0,
    )
    with scheduler_process(tmp_path, "s", "--grace", "5", "--runs-dir", str(runs), str(sched)) as proc:
        wait_for(pid_file.exists)
        time.sleep(1.3)  # a second start is due while the first still runs
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert proc.wait(timeout=8) == 0
        assert time.monotonic() - started < 5
    assert marker.read_text() == "terminated"
    err = (tmp_path / "s.err").read_text()
    assert "site govcn is already running, skipped" in err
    assert "1 runs started" in err
    [log] = logs_of(runs, "govcn")
    assert "child started" in log
    assert "exit status 0" in log
    assert lock_is_free(runs / "locks" / "govcn.lock")


def test_children_that_ignore_sigterm_are_killed_after_the_grace(
    tmp_path: Path, child_pids: list[Path]
) -> None:
    runs = tmp_path / "runs"
    pid_file = tmp_path / "child.pid"
    child_pids.append(pid_file)
    sched = write_schedule(
        tmp_path / "s.yaml",
        [{"site": "govcn", "every": "1h", "command": sleeper(pid_file, ignore_term=True)}],
    )
    with scheduler_process(
        tmp_path, "s", "--once", "--grace", "0.5", "--runs-dir", str(runs), str(sched)
    ) as proc:
        wait_for(pid_file.exists)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=8) == 128 + 9  # --once: the worst status, the killed child's
    assert "did not stop within 0.5s, killed" in (tmp_path / "s.err").read_text()
    with pytest.raises(ProcessLookupError):  # killed, and reaped by the scheduler
        os.kill(int(pid_file.read_text()), 0)
