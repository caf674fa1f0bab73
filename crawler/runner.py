"""The main job: serve the bundled fixture sites, crawl each one, export, summarize."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.devserver import FIXTURE_SITES, FixtureServers
from crawler.profiles import load_profiles

logger = logging.getLogger(__name__)


@dataclass
class SiteResult:
    site: str
    stats: dict[str, Any] = field(default_factory=dict)
    finish_reason: str | None = None

    @property
    def pages(self) -> int:
        return int(self.stats.get("downloader/response_count", 0))

    @property
    def stored(self) -> int:
        return int(self.stats.get("article/stored", 0))

    @property
    def dropped(self) -> dict[str, int]:
        prefix = "article/dropped/"
        return {k.removeprefix(prefix): int(v) for k, v in self.stats.items() if k.startswith(prefix)}

    @property
    def skipped(self) -> dict[str, int]:
        prefix = "article/skipped/"
        return {k.removeprefix(prefix): int(v) for k, v in self.stats.items() if k.startswith(prefix)}

    @property
    def errors(self) -> int:
        return sum(int(v) for k, v in self.stats.items() if k.startswith("request/failed/"))


@dataclass
class RunSummary:
    results: list[SiteResult]
    store_url: str
    total_rows: int
    exports: list[Path]

    @property
    def ok(self) -> bool:
        return all(r.finish_reason == "finished" for r in self.results)

    def render(self) -> str:
        lines = [f"{'site':<18} {'pages':>6} {'stored':>7}  dropped / skipped"]
        for r in self.results:
            dropped = ", ".join(f"{k}={v}" for k, v in sorted(r.dropped.items())) or "-"
            skipped = ", ".join(f"{k}={v}" for k, v in sorted(r.skipped.items())) or "-"
            status = "" if r.finish_reason == "finished" else f"  [{r.finish_reason}]"
            lines.append(f"{r.site:<18} {r.pages:>6} {r.stored:>7}  {dropped} / {skipped}{status}")
        lines.append(f"store {self.store_url}: {self.total_rows} articles in all")
        lines.extend(f"wrote {p}" for p in self.exports)
        return "\n".join(lines)


def run_fixture_crawl(
    sites: Sequence[str] | None = None,
    store_url: str | None = None,
    output: Path = Path("output"),
    log_level: str = "WARNING",
    fixtures: Path = FIXTURE_SITES,
) -> RunSummary:
    """Crawl the fixture sites that have a profile of the same name, all in one reactor."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from crawler.exporters.files import export_store
    from crawler.spiders.mediacenter import MediaCenterSpider
    from crawler.storage import open_store

    settings = get_project_settings()
    if store_url:
        settings.set("STORE_URL", store_url, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    # The CLI already installed a root handler at the level asked for; Scrapy adds none.
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    store_url = str(settings.get("STORE_URL"))
    profiles = load_profiles()
    with FixtureServers(fixtures) as servers:
        urls = servers.urls
        chosen = [s for s in (sites or sorted(urls)) if s in urls and s in profiles]
        missing = [s for s in (sites or []) if s not in chosen]
        if missing:
            raise ValueError(f"no fixture site with a profile named {', '.join(missing)}")
        process = CrawlerProcess(settings)
        results: list[SiteResult] = []
        for site in chosen:
            result = SiteResult(site)
            results.append(result)
            crawler = process.create_crawler(MediaCenterSpider)

            def closed(spider: Any, reason: str, result: SiteResult = result, crawler: Any = crawler) -> None:
                result.stats = dict(crawler.stats.get_stats())
                result.finish_reason = reason

            crawler.signals.connect(closed, signal=signals.spider_closed, weak=False)
            process.crawl(crawler, site=site, base_url=urls[site])
        process.start()

    output.mkdir(parents=True, exist_ok=True)
    store = open_store(store_url)
    try:
        jsonl = output / "articles.jsonl"
        with jsonl.open("w", encoding="utf-8") as fh:
            export_store(store, fh, "jsonl")
        feed = output / "feed.json"
        with feed.open("w", encoding="utf-8") as fh:
            export_store(store, fh, "jsonfeed")
        total = store.count()
    finally:
        store.close()
    return RunSummary(results, store_url, total, [jsonl, feed])
