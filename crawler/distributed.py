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
from typing import Any

from scrapy.settings import Settings

logger = logging.getLogger(__name__)


def queue_key(settings: Settings, site: str) -> str:
    return f"{settings.get('REDIS_KEY_PREFIX', 'mediacenter')}:{site}:requests"


def dupefilter_key(settings: Settings, site: str) -> str:
    return f"{settings.get('REDIS_KEY_PREFIX', 'mediacenter')}:{site}:dupefilter"


def configure(settings: Settings, site: str) -> bool:
    """Switch ``settings`` to the shared scheduler for ``site``; False when not distributed."""
    if not settings.getbool("DISTRIBUTED"):
        return False
    settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler", priority="cmdline")
    settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="cmdline")
    settings.set("SCHEDULER_PERSIST", True, priority="cmdline")  # a worker that stops keeps the queue
    settings.set("SCHEDULER_QUEUE_KEY", queue_key(settings, site), priority="cmdline")
    settings.set("SCHEDULER_DUPEFILTER_KEY", dupefilter_key(settings, site), priority="cmdline")
    return True


def check_redis(settings: Settings) -> str | None:
    """None when Redis answers, else a one-line reason."""
    import redis

    url = settings.get("REDIS_URL")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as err:
        return f"cannot reach Redis at {url}: {err}"
    return None


def finish(settings: Settings, site: str, reason: str) -> None:
    """After a finished run: forget the fingerprints once no worker has requests left."""
    if reason != "finished" or not settings.getbool("DISTRIBUTED"):
        return
    import redis

    server: Any = redis.Redis.from_url(settings.get("REDIS_URL"))
    try:
        if server.zcard(queue_key(settings, site)) == 0:
            server.delete(dupefilter_key(settings, site))
            logger.info("distributed run of %s finished: fingerprints cleared", site)
    except redis.RedisError as err:
        logger.warning("could not clear the fingerprints of %s: %s", site, err)
