"""Distributed mode: several machines crawl one site through a shared scrapy-redis scheduler.

With ``-s DISTRIBUTED=1`` (and ``REDIS_URL``), a crawl's requests go to a Redis priority queue
and its request fingerprints to a Redis set, both keyed by site, so every worker started for the
same site takes requests from the same queue and no page is fetched twice across machines.
Articles go to the shared store (PostgreSQL), whose dedup already holds across machines.
The fingerprints are cleared when a run finishes with the queue empty, so that the next run
reads the listings again.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
from scrapy.settings import Settings
from scrapy_redis.scheduler import Scheduler

from crawler.secrets import mask_text

logger = logging.getLogger(__name__)


def queue_key(settings: Settings, site: str) -> str:
    return f"{settings.get('REDIS_KEY_PREFIX', 'mediacenter')}:{site}:requests"


def dupefilter_key(settings: Settings, site: str) -> str:
    return f"{settings.get('REDIS_KEY_PREFIX', 'mediacenter')}:{site}:dupefilter"


def configure(settings: Settings, site: str) -> bool:
    """Switch ``settings`` to the shared scheduler for ``site``; False when not distributed."""
    if not settings.getbool("DISTRIBUTED"):
        return False
    settings.set("SCHEDULER", "crawler.distributed.ResilientScheduler", priority="cmdline")
    # Short socket timeouts: a lost Redis is noticed in seconds, not scrapy-redis's 30 s per call.
    params = {"socket_timeout": 5, "socket_connect_timeout": 3, **settings.getdict("REDIS_PARAMS")}
    settings.set("REDIS_PARAMS", params, priority="cmdline")
    settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="cmdline")
    settings.set("SCHEDULER_PERSIST", True, priority="cmdline")  # a worker that stops keeps the queue
    settings.set("SCHEDULER_QUEUE_KEY", queue_key(settings, site), priority="cmdline")
    settings.set("SCHEDULER_DUPEFILTER_KEY", dupefilter_key(settings, site), priority="cmdline")
    return True


def check_redis(settings: Settings) -> str | None:
    """None when Redis answers, else a one-line reason."""
    url = settings.get("REDIS_URL")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as err:
        return mask_text(f"cannot reach Redis at {url}: {err}")
    return None


def finish(settings: Settings, site: str, reason: str) -> None:
    """After a finished run: forget the fingerprints once no worker has requests left."""
    if reason != "finished" or not settings.getbool("DISTRIBUTED"):
        return

    server: Any = redis.Redis.from_url(settings.get("REDIS_URL"))
    try:
        if server.zcard(queue_key(settings, site)) == 0:
            server.delete(dupefilter_key(settings, site))
            logger.info("distributed run of %s finished: fingerprints cleared", site)
    except redis.RedisError as err:
        logger.warning("could not clear the fingerprints of %s: %s", site, err)


class ResilientScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler that survives Redis going away for a while.

    Without this, a lost Redis raises ``ConnectionError`` from every scheduler call and the crawl
    neither goes on nor stops. Here requests to enqueue while Redis is down wait in memory and are
    pushed when it answers again, the engine is told there is nothing to take meanwhile, and after
    ``REDIS_DOWN_MAX`` seconds down the crawl stops cleanly (``redis_unavailable``; exit 1) with
    the queue left in Redis for the next run.
    """

    down_since: float | None = None
    waiting: list[Any]

    def open(self, spider: Any) -> None:
        self.waiting = []
        self.down_max = float(spider.crawler.settings.getfloat("REDIS_DOWN_MAX", 30.0))
        super().open(spider)

    def _failed(self, err: Exception) -> None:
        now = time.monotonic()
        if self.down_since is None:
            self.down_since = now
            logger.error("Redis unavailable (%s): waiting up to %.0fs", err, self.down_max)
            if self.stats:
                self.stats.inc_value("redis/outages")
        elif now - self.down_since > self.down_max:
            crawler = self.spider.crawler
            if crawler.engine is not None and not getattr(self, "_closing", False):
                self._closing = True
                logger.error("Redis unavailable for %.0fs: stopping the crawl", now - self.down_since)
                crawler.engine.close_spider(self.spider, "redis_unavailable")

    def _back(self) -> None:
        if self.down_since is not None:
            logger.warning("Redis answers again after %.1fs", time.monotonic() - self.down_since)
            self.down_since = None
        while self.waiting:
            super().enqueue_request(self.waiting[0])
            self.waiting.pop(0)

    def enqueue_request(self, request: Any) -> bool:
        try:
            self._back()
            return bool(super().enqueue_request(request))
        except (redis.ConnectionError, redis.TimeoutError) as err:
            self._failed(err)
            self.waiting.append(request)
            return True

    def next_request(self) -> Any:
        try:
            self._back()
            return super().next_request()
        except (redis.ConnectionError, redis.TimeoutError) as err:
            self._failed(err)
            return None

    def has_pending_requests(self) -> bool:
        try:
            return bool(super().has_pending_requests()) or bool(self.waiting)
        except (redis.ConnectionError, redis.TimeoutError) as err:
            self._failed(err)
            return True  # unknown: keep the crawl open while Redis may come back

    def close(self, reason: str) -> None:
        try:
            self._back()
            super().close(reason)
        except (redis.ConnectionError, redis.TimeoutError) as err:
            logger.error("Redis unavailable at close (%s): %d requests not queued", err, len(self.waiting))
