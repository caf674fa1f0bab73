"""Redis memory of a distributed crawl's queue: bytes per queued request, measured.

    python -m benchmarks.redis_memory                      # 100,000 requests, redis://127.0.0.1:6379/15
    python -m benchmarks.redis_memory --count 10000 --redis redis://127.0.0.1:6379/15

Queues ``count`` article requests as the spider makes them (same callback, errback and meta) in
scrapy-redis's priority queue and their fingerprints in its dupefilter set, under a key prefix of
its own, reads ``MEMORY USAGE`` of both keys and the server's ``used_memory`` before and after,
prints the figures and deletes the keys.
"""

from __future__ import annotations

import argparse
import uuid

import redis
from scrapy import Request
from scrapy.utils.request import RequestFingerprinter
from scrapy_redis.queue import PriorityQueue

from crawler.spiders.mediacenter import MediaCenterSpider


def measure(url: str, count: int) -> dict[str, float]:
    server = redis.Redis.from_url(url)
    spider = MediaCenterSpider(site="smartchina_expo")
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    queue = PriorityQueue(server, spider, f"{prefix}:requests")
    seen = f"{prefix}:dupefilter"
    fingerprint = RequestFingerprinter().fingerprint
    listing = "http://smartchina-expo.cn/English/syxwlb/index.shtml"
    before = int(server.info("memory")["used_memory"])
    try:
        for n in range(count):
            page = f"http://smartchina-expo.cn/English/syxwlb/2019/7/{1 + n % 28}/{1164745 + n}.shtml"
            request = Request(page, callback=spider.parse_article, errback=spider.on_error, dont_filter=False,
                              meta={"article": True, "recheck": False, "public_url": page,
                                    "listing_url": listing})  # fmt: skip
            queue.push(request)
            server.sadd(seen, fingerprint(request).hex())
        after = int(server.info("memory")["used_memory"])
        queue_bytes = int(server.memory_usage(queue.key, samples=0) or 0)
        seen_bytes = int(server.memory_usage(seen, samples=0) or 0)
    finally:
        server.delete(queue.key, seen)
    return {
        "requests": count,
        "queue_mb": round(queue_bytes / 2**20, 1),
        "dupefilter_mb": round(seen_bytes / 2**20, 1),
        "total_mb": round((queue_bytes + seen_bytes) / 2**20, 1),
        "bytes_per_request": round((queue_bytes + seen_bytes) / count),
        "used_memory_delta_mb": round((after - before) / 2**20, 1),
        "mb_per_100k": round((queue_bytes + seen_bytes) / 2**20 * 100_000 / count, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.redis_memory", description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args(argv)
    for key, value in measure(args.redis, args.count).items():
        print(f"{key:>22}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
