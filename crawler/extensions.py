"""Run manifests (JSON under RUNS_DIR), health checks, and live progress on a terminal."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler import settings as defaults
from crawler.health import Limits, run_checks
from crawler.storage.base import mask_url

logger = logging.getLogger(__name__)

MAX_FAILED_URLS = 200
_ARGS = {"site", "start_urls", "max_pages", "full", "base_url", "sitemap_urls", "feed_urls", "discover"}


def counts_from_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """The counts of a run manifest, by kind, from the Scrapy stats."""

    def prefixed(prefix: str) -> dict[str, int]:
        return {k.removeprefix(prefix): int(v) for k, v in stats.items() if k.startswith(prefix)}

    dropped = prefixed("article/dropped/")
    skipped = prefixed("article/skipped/")
    new, updated = int(stats.get("article/stored", 0)), int(stats.get("article/updated", 0))
    unchanged = dropped.pop("unchanged", 0)
    downloads = int(stats.get("downloader/request_count", 0))
    exceptions = int(stats.get("page/exception", 0)) + int(stats.get("spider_exceptions/count", 0))
    return {
        "pages": int(stats.get("listing/pages", 0)) + int(stats.get("listing/api_pages", 0)),
        # Pages asked for: downloads less retries and robots.txt (the error rate's denominator).
        "requests": max(0, downloads - int(stats.get("retry/count", 0))
                        - int(stats.get("robotstxt/request_count", 0))),
        "downloads": downloads,
        "retries": int(stats.get("retry/count", 0)),
        "responses": int(stats.get("downloader/response_count", 0)),
        "entries": int(stats.get("listing/entries", 0)),
        "new": new,
        "updated": updated,
        "unchanged": unchanged,
        "near_duplicates": int(stats.get("article/near_duplicate", 0)),
        "skipped": sum(skipped.values()),
        "skipped_by_reason": skipped,
        "dropped": dropped,
        "spilled": int(stats.get("article/spilled", 0)),
        "errors": sum(prefixed("request/failed/").values()) + exceptions,
        "exceptions": exceptions,
        "offsite": int(stats.get("offsite/blocked", 0)) + int(stats.get("offsite/redirect_blocked", 0)),
        "spill_imported": int(stats.get("article/spill_imported", 0)),
        "spill_rejected": int(stats.get("article/spill_rejected", 0)),
        "items": int(stats.get("article/validated", 0)),
        "with_outlet": int(stats.get("article/with_outlet", 0)),
        "undated": sum(v for k, v in dropped.items() if k.endswith("published_at")),
    }


def previous_counts(site_dir: Path) -> dict[str, Any] | None:
    """Counts of the newest earlier manifest of a site that finished."""
    for path in sorted(site_dir.glob("*.json"), reverse=True):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if data.get("finish_reason") == "finished" and isinstance(data.get("counts"), dict):
            return dict(data["counts"])
    return None


class RunManifest:
    """Writes ``RUNS_DIR/<site>/<UTC stamp>-<pid>.json`` when a crawl closes."""

    def __init__(self, crawler: Crawler, runs_dir: Path, limits: Limits) -> None:
        self.crawler = crawler
        self.runs_dir = runs_dir
        self.limits = limits
        self.started = datetime.now(UTC)
        self.failed: list[dict[str, str]] = []
        self.path: Path | None = None
        self.manifest: dict[str, Any] | None = None
        # "check: detail" of each failed health check; `scrapy crawl` prints them and exits 3.
        self.failed_health: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunManifest:
        s = crawler.settings
        if not s.get("RUNS_DIR"):
            raise NotConfigured("RUNS_DIR is empty")
        limits = Limits(
            max_error_rate=s.getfloat("HEALTH_MAX_ERROR_RATE", 0.2),
            min_outlet_share=s.getfloat("HEALTH_MIN_OUTLET_SHARE", 0.5),
            min_published_share=s.getfloat("HEALTH_MIN_PUBLISHED_SHARE", 0.8),
            min_items=s.getint("HEALTH_MIN_ITEMS", 5),
        )
        ext = cls(crawler, Path(s.get("RUNS_DIR")), limits)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.manifest = ext  # type: ignore[attr-defined]
        return ext

    def record_failure(self, url: str, reason: str) -> None:
        if len(self.failed) < MAX_FAILED_URLS:
            self.failed.append({"url": url, "reason": reason})

    def spider_opened(self, spider: Any) -> None:
        self.started = datetime.now(UTC)

    def spider_closed(self, spider: Any, reason: str) -> None:
        stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        site = str(getattr(spider, "site", spider.name))
        site_dir = self.runs_dir / site
        counts = counts_from_stats(stats)
        distributed = self.crawler.settings.getbool("DISTRIBUTED")
        checks = run_checks(counts, previous_counts(site_dir), self.limits, distributed)
        failed = [c.check for c in checks if not c.ok]
        finished = datetime.now(UTC)
        ok = reason == "finished" and not failed
        self.manifest = {
            "site": site,
            "spider": spider.name,
            "started_at": self.started.replace(microsecond=0).isoformat(),
            "finished_at": finished.replace(microsecond=0).isoformat(),
            "duration_s": round((finished - self.started).total_seconds(), 3),
            "finish_reason": reason,
            "exit_status": 0 if ok else (1 if reason != "finished" else 3),
            "ok": ok,
            "mode": stats.get("crawl/mode"),
            "counts": counts,
            "failed_urls": self.failed,
            "health": [c.as_dict() for c in checks],
            "args": {k: v for k, v in vars(spider).items() if k in _ARGS},
            "store": mask_url(str(self.crawler.settings.get("STORE_URL"))),
        }
        site_dir.mkdir(parents=True, exist_ok=True)
        stamp = self.started.strftime(defaults.RUN_STAMP_FORMAT)
        self.path = site_dir / f"{stamp}-{os.getpid()}.json"
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        tmp.replace(self.path)
        for check in checks:
            if not check.ok:
                logger.error("health check %s failed for %s: %s", check.check, site, check.detail)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("run/manifest", str(self.path))
            if failed:
                self.crawler.stats.set_value("health/failed", ",".join(failed))
        self.failed_health = [f"{c.check}: {c.detail}" for c in checks if not c.ok]
        if reason != "finished":
            logger.error("the crawl of %s did not finish: %s", site, reason)


class Progress:
    """One live status line on a terminal: pages, items, rate and errors of every running site."""

    _instances: ClassVar[list[Progress]] = []

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.started = time.monotonic()
        self.site = "?"
        self.closed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        ext = cls(crawler, crawler.settings.getfloat("PROGRESS_INTERVAL", 1.0))
        if not crawler.settings.getbool("PROGRESS_ENABLED", True) or not sys.stderr.isatty():
            return ext  # no terminal: Scrapy's LogStats lines report progress
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        from twisted.internet import task

        self.site = str(getattr(spider, "site", spider.name))
        Progress._instances.append(self)
        self.loop = task.LoopingCall(self.render)
        self.loop.start(self.interval, now=False)

    def status(self) -> str:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        pages = int(stats.get("downloader/response_count", 0))
        items = int(stats.get("article/stored", 0)) + int(stats.get("article/updated", 0))
        errors = sum(int(v) for k, v in stats.items() if k.startswith("request/failed/"))
        minutes = max((time.monotonic() - self.started) / 60, 1e-6)
        mark = " done" if self.closed else ""
        return f"{self.site}: {pages}p {items}i {pages / minutes:.0f}p/min {errors}err{mark}"

    def render(self) -> None:
        line = " | ".join(p.status() for p in Progress._instances)
        try:
            width = os.get_terminal_size(sys.stderr.fileno()).columns or 120  # 0: size not set
        except OSError:
            width = 120
        sys.stderr.write("\r" + line[: width - 1].ljust(width - 1))
        sys.stderr.flush()

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.closed = True
        if self.loop.running:
            self.loop.stop()
        self.render()
        if all(p.closed for p in Progress._instances):
            sys.stderr.write("\n")
            Progress._instances.clear()
