"""Distributed mode: two workers share one site's queue through the real Redis server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.distributed import configure

from ..fixturedata import scrapy_stats
from ..stores import PG_URL, with_schema

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Redis tests: Redis at {REDIS_URL} is not reachable: {err}")
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {err}")


def test_two_workers_share_the_queue_and_store_each_article_once(
    fixture_sites: dict[str, str], pg_schema: str, tmp_path: Path
) -> None:
    require_redis()
    import psycopg
    import redis

    prefix = f"test-{uuid.uuid4().hex[:8]}"
    store = with_schema(PG_URL, pg_schema)
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "site=smartchina_expo",
           "-a", f"base_url={fixture_sites['smartchina_expo']}", "-s", "DISTRIBUTED=1",
           "-s", f"REDIS_URL={REDIS_URL}", "-s", f"REDIS_KEY_PREFIX={prefix}", "-s", f"STORE_URL={store}",
           "-s", f"RUNS_DIR={tmp_path}/runs", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.25",
           "-s", "CONCURRENT_REQUESTS=1", "-s", "STORE_BATCH_SIZE=1", "-s", "LOG_LEVEL=INFO"]  # fmt: skip

    def stored_rows() -> int:
        try:
            with psycopg.connect(store) as conn:
                row = conn.execute("SELECT COUNT(*) FROM articles").fetchone()
                return int(row[0]) if row else 0
        except psycopg.Error:
            return 0

    # The second worker joins while the first is under way, so the queue has work for both.
    first = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while stored_rows() < 3 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.1)
    second = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    workers = [first, second]
    stats = []
    for worker in workers:
        _, stderr = worker.communicate(timeout=240)
        assert worker.returncode == 0, stderr[-2000:]
        stats.append(scrapy_stats(stderr))
    server = redis.Redis.from_url(REDIS_URL)
    try:
        stored = [s.get("article/stored", 0) for s in stats]
        handled = [s.get("article/stored", 0) + s.get("article/dropped/unchanged", 0) for s in stats]
        assert sum(stored) == 28
        assert sum(handled) == 28  # no article page was processed by both workers
        assert all(n > 0 for n in stored), stored  # both took their share
        with psycopg.connect(store) as conn:
            row = conn.execute("SELECT COUNT(*), COUNT(DISTINCT url_key) FROM articles").fetchone()
        assert row == (28, 28)
        # The run finished with an empty queue: the fingerprints were cleared for the next run.
        assert server.zcard(f"{prefix}:smartchina_expo:requests") == 0
        assert not server.exists(f"{prefix}:smartchina_expo:dupefilter")
    finally:
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


def test_unreachable_redis_is_one_clear_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "site=smartchina_expo", "-s", "DISTRIBUTED=1",
         "-s", "REDIS_URL=redis://127.0.0.1:1/0", "-s", f"STORE_URL=sqlite:///{tmp_path}/x.sqlite3"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "error: cannot reach Redis at redis://127.0.0.1:1/0" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_distributed_workers_decide_and_commit_each_article_as_it_comes() -> None:
    """A killed worker gives its in-flight requests back; an article decided or committed later
    than its request was marked done would be lost with it."""
    settings = Settings({"DISTRIBUTED": True, "STORE_BATCH_SIZE": 50, "STORE_LOOKUP_BATCH": 32})
    assert configure(settings, "site")
    assert (settings.getint("STORE_BATCH_SIZE"), settings.getint("STORE_LOOKUP_BATCH")) == (1, 1)
