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
import os
import socket
import time
import uuid
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
    # Each article is decided and committed as it comes, before its request counts as handled: a
    # worker killed mid-crawl then loses no accepted article that its in-flight request (given
    # back to the queue) would not fetch again.
    settings.set("STORE_BATCH_SIZE", 1, priority="cmdline")
    settings.set("STORE_LOOKUP_BATCH", 1, priority="cmdline")
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
        key = queue_key(settings, site)
        if server.zcard(key) == 0 and server.hlen(f"{key}:inflight") == 0:
            server.delete(dupefilter_key(settings, site))
            logger.info("distributed run of %s finished: fingerprints cleared", site)
    except redis.RedisError as err:
        logger.warning("could not clear the fingerprints of %s: %s", site, err)


class ResilientScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler that survives Redis going away and workers dying.

    Redis lost: without this, every scheduler call raises ``ConnectionError`` and the crawl
    neither goes on nor stops. Here requests to enqueue while Redis is down wait in memory and are
    pushed when it answers again, the engine is told there is nothing to take meanwhile, and after
    ``REDIS_DOWN_MAX`` seconds down the crawl stops cleanly (``redis_unavailable``; exit 1) with
    the queue left in Redis for the next run.

    A worker lost (SIGKILL, a machine gone): scrapy-redis pops a request and forgets it, so the
    pages a dead worker was fetching were lost for good (their fingerprints bar them). Here every
    popped request is also written to ``<queue>:inflight`` under the worker's name until the
    spider is done with it (:meth:`done`), and each worker holds a lease ``<queue>:alive:<name>``
    (``REDIS_WORKER_LEASE`` seconds, renewed every third of it). Any worker that finds in-flight
    requests of a worker whose lease lapsed pushes them back on the queue, and stays open while
    such requests may still come back, so the survivors finish the dead worker's share.
    """

    LEASE_S = 10
    LEASE_RENEW_S = 2.0

    down_since: float | None = None
    waiting: list[Any]

    def open(self, spider: Any) -> None:
        self.waiting = []
        self.undone: list[str] = []
        self.down_max = float(spider.crawler.settings.getfloat("REDIS_DOWN_MAX", 30.0))
        self.lease_s = max(2, spider.crawler.settings.getint("REDIS_WORKER_LEASE", self.LEASE_S))
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        super().open(spider)
        self.inflight_key = f"{self.queue.key}:inflight"
        self.alive_prefix = f"{self.queue.key}:alive:"
        spider.scheduler_inflight = self
        from twisted.internet import task

        self._lease = task.LoopingCall(self._renew)
        self._lease.start(min(self.LEASE_RENEW_S, self.lease_s / 3), now=True)

    # --- Redis outages ---------------------------------------------------------------------------

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
        """Called after a Redis call succeeded: the outage (if any) is over; push what waited."""
        if self.down_since is not None:
            logger.warning("Redis answers again after %.1fs", time.monotonic() - self.down_since)
            self.down_since = None
        while self.waiting:
            self.queue.push(self.waiting[0])  # their fingerprints were checked (or taken) before
            self.waiting.pop(0)
        while self.undone:
            self.server.hdel(self.inflight_key, self.undone[-1])
            self.undone.pop()

    # --- leases and in-flight requests -----------------------------------------------------------

    def _renew(self) -> None:
        try:
            self.server.set(self.alive_prefix + self.worker, "1", ex=self.lease_s)
            self._back()
            self.recover()
        except (redis.ConnectionError, redis.TimeoutError) as err:
            self._failed(err)

    def recover(self) -> int:
        """Push back the in-flight requests of workers whose lease lapsed; how many."""
        recovered = 0
        for field, data in self.server.hgetall(self.inflight_key).items():
            owner = field.decode().split("\t", 1)[0]
            if owner == self.worker or self.server.exists(self.alive_prefix + owner):
                continue
            if self.server.hdel(self.inflight_key, field):  # only one worker wins each request
                self.server.zadd(self.queue.key, {data: 0})
                recovered += 1
        if recovered:
            logger.warning("recovered %d in-flight requests of lost workers", recovered)
            if self.stats:
                self.stats.inc_value("redis/recovered_requests", recovered)
        return recovered

    def _others_inflight(self) -> bool:
        mine = self.worker + "\t"
        return any(not field.decode().startswith(mine) for field in self.server.hkeys(self.inflight_key))

    def done(self, request: Any) -> None:
        """The spider is done with ``request`` (its items stored, its requests queued)."""
        token = request.meta.get("inflight") if request is not None else None
        if not token:
            return
        try:
            self.server.hdel(self.inflight_key, token)
        except (redis.ConnectionError, redis.TimeoutError) as err:
            self.undone.append(token)  # removed when Redis answers again
            self._failed(err)

    # --- the scheduler interface -----------------------------------------------------------------

    def enqueue_request(self, request: Any) -> bool:
        try:
            queued = bool(super().enqueue_request(request))
            self._back()
            return queued
        except (redis.ConnectionError, redis.TimeoutError) as err:
            self._failed(err)
            self.waiting.append(request)
            return True

    def next_request(self) -> Any:
        try:
            request = super().next_request()
            self._back()
        except (redis.ConnectionError, redis.TimeoutError) as err:
            self._failed(err)
            return None
        if request is not None:
            token = f"{self.worker}\t{uuid.uuid4().hex}"
            request.meta["inflight"] = token
            try:
                self.server.hset(self.inflight_key, token, self.queue._encode_request(request))
            except (redis.ConnectionError, redis.TimeoutError) as err:
                self._failed(err)  # fetched all the same, only not recoverable if this worker dies
        return request

    def has_pending_requests(self) -> bool:
        try:
            pending = bool(super().has_pending_requests()) or self._others_inflight()
            self._back()
            return pending or bool(self.waiting)
        except (redis.ConnectionError, redis.TimeoutError) as err:
            self._failed(err)
            return True  # unknown: keep the crawl open while Redis may come back

    def close(self, reason: str) -> None:
        if self._lease.running:
            self._lease.stop()
        try:
            self._back()
            self.server.delete(self.alive_prefix + self.worker)
            super().close(reason)
        except (redis.ConnectionError, redis.TimeoutError) as err:
            logger.error("Redis unavailable at close (%s): %d requests not queued", err, len(self.waiting))
