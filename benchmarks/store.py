"""Store throughput and memory as the number of stored articles grows.

    python -m benchmarks.store [N]

Adds N synthetic articles (default 20000, distinct texts, a few near-duplicates) to a fresh
SQLite store through the same add()/flush() path the pipeline uses, and prints articles per
second and the process's resident memory at checkpoints: dedup state lives in the store, so
memory should stay flat while the store grows.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from crawler.items import Article
from crawler.storage import open_store

WORDS = [
    "expo",
    "robot",
    "data",
    "city",
    "trade",
    "project",
    "signed",
    "billion",
    "yuan",
    "forum",
    "smart",
    "chip",
    "cloud",
    "factory",
    "market",
    "export",
    "growth",
    "policy",
    "investment",
    "district",
    "company",
    "platform",
    "service",
    "digital",
]


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(120)) + f" story {n}."


def main() -> int:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    rng = random.Random(7)
    checkpoints = {total // 10, total // 4, total // 2, total}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp)}/bench.sqlite3", batch_size=200)
        start = time.perf_counter()
        print(f"{'articles':>9}{'per second':>12}{'RSS MB':>9}")
        body = ""
        for n in range(1, total + 1):
            # Every 50th article re-posts the previous body with a new head: a near-duplicate.
            body = f"Reposted. {body}" if n % 50 == 0 else text(rng, n)
            url = f"http://bench.example/{n}.html"
            published = "2024-01-01T08:00:00+08:00"
            store.add(Article(url=url, site="bench", title=f"Story {n}", body=body, published_at=published))
            if n in checkpoints:
                store.flush()
                print(f"{n:>9}{n / (time.perf_counter() - start):>12.0f}{rss_mb():>9.1f}")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
