"""Distributed faults: three workers on one site through a Redis of the test's own; one worker is
SIGKILLed mid-crawl and Redis is restarted mid-crawl. Every article ends stored exactly once.

The test starts its own ``redis-server`` (append-only file, ephemeral port) so that restarting
it disturbs no one else on the machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..fixturedata import scrapy_stats
from ..stores import PG_URL, with_schema

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    def __init__(self, workdir: Path) -> None:
        self.dir = workdir
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
             "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # redis-server saves its append-only file and exits
            self.proc.wait(timeout=30)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the distributed fault test: redis-server is not installed")
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_three_workers_survive_a_killed_worker_and_a_redis_restart(
    fixture_sites: dict[str, str], pg_schema: str, tmp_path: Path, own_redis: RedisServer
) -> None:
    import psycopg
    import redis

    store = with_schema(PG_URL, pg_schema)
    prefix = f"faults-{uuid.uuid4().hex[:6]}"
    inflight_key = f"{prefix}:smartchina_expo:requests:inflight"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "site=smartchina_expo",
           "-a", f"base_url={fixture_sites['smartchina_expo']}", "-s", "DISTRIBUTED=1",
           "-s", f"REDIS_URL={own_redis.url}", "-s", f"REDIS_KEY_PREFIX={prefix}", "-s", f"STORE_URL={store}",
           "-s", f"RUNS_DIR={tmp_path}/runs", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.3",
           "-s", "CONCURRENT_REQUESTS=1", "-s", "LOG_LEVEL=INFO", "-s", "REDIS_DOWN_MAX=60",
           "-s", "REDIS_WORKER_LEASE=4"]  # fmt: skip

    def stored_rows() -> int:
        try:
            with psycopg.connect(store) as conn:
                row = conn.execute("SELECT COUNT(*) FROM articles").fetchone()
                return int(row[0]) if row else 0
        except psycopg.Error:
            return 0

    def wait_rows(n: int) -> None:
        deadline = time.monotonic() + 90
        while stored_rows() < n and time.monotonic() < deadline:
            time.sleep(0.05)

    workers = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)]
    wait_rows(2)
    workers += [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]  # fmt: skip
    try:
        wait_rows(8)
        # SIGKILL a worker caught with a request in flight: that request must come back to the others.
        server = redis.Redis.from_url(own_redis.url)
        deadline = time.monotonic() + 30
        victim = None
        while victim is None and time.monotonic() < deadline:
            owners = {int(k.decode().split(":")[1]) for k in server.hkeys(inflight_key)}
            victim = next((w for w in workers if w.pid in owners), None)
        assert victim is not None
        victim.kill()
        workers.remove(victim)
        victim.communicate(timeout=30)
        wait_rows(12)
        own_redis.stop()  # Redis restarted mid-crawl
        time.sleep(2)
        own_redis.start()
        stats = []
        for worker in workers:
            try:
                _, stderr = worker.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                worker.kill()
                _, stderr = worker.communicate()
                raise AssertionError(stderr[-6000:]) from None
            problems = [line for line in stderr.splitlines() if "ERROR" in line or line.startswith("error:")]
            assert worker.returncode == 0, "\n".join(problems[-30:]) + "\n" + stderr[-2000:]
            stats.append(scrapy_stats(stderr))
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    with psycopg.connect(store) as conn:
        row = conn.execute("SELECT COUNT(*), COUNT(DISTINCT url_key) FROM articles").fetchone()
    assert row == (28, 28)
    assert sum(s.get("redis/outages", 0) for s in stats) >= 1  # both saw Redis go and waited
    assert sum(s.get("redis/recovered_requests", 0) for s in stats) >= 1
    assert server.zcard(f"{prefix}:smartchina_expo:requests") == 0
    assert server.hlen(inflight_key) == 0
