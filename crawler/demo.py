"""The fixture demo, ``python -m crawler run`` (the main job): serve the bundled fixture sites,
crawl each one, export, summarize."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.devserver import FIXTURE_SITES, FixtureServers
from crawler.exporters.files import export_store
from crawler.profiles import load_profiles
from crawler.spiders.mediacenter import MediaCenterSpider
from crawler.storage import open_store

logger = logging.getLogger(__name__)


@dataclass
class SiteResult:
    """One site's crawl, as its run manifest tells it."""

    site: str
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, Any]:
        return dict(self.manifest.get("counts") or {})

    @property
    def finish_reason(self) -> str | None:
        return self.manifest.get("finish_reason")

    @property
    def failed_checks(self) -> list[str]:
        return [c["check"] for c in self.manifest.get("health", []) if not c.get("ok")]


@dataclass
class RunSummary:
    results: list[SiteResult]
    store_url: str
    total_rows: int
    exports: list[Path]

    @property
    def ok(self) -> bool:
        return all(r.manifest.get("ok") for r in self.results)

    def render(self) -> str:
        head = (
            f"{'site':<17}{'pages':>6}{'new':>6}{'upd':>5}{'same':>6}{'skip':>6}{'err':>5}"
            "  dropped, skipped by reason"
        )
        lines = [head]
        for r in self.results:
            c = r.counts
            reasons = [f"{k}={v}" for k, v in sorted((c.get("dropped") or {}).items())]
            reasons += [f"{k}={v}" for k, v in sorted((c.get("skipped_by_reason") or {}).items())]
            status = "" if r.finish_reason == "finished" else f"  [{r.finish_reason}]"
            if r.failed_checks:
                status += f"  [health: {', '.join(r.failed_checks)}]"
            lines.append(
                f"{r.site:<17}{c.get('responses', 0):>6}{c.get('new', 0):>6}{c.get('updated', 0):>5}"
                f"{c.get('unchanged', 0):>6}{c.get('skipped', 0):>6}{c.get('errors', 0):>5}  "
                f"{', '.join(reasons) or '-'}{status}"
            )
        lines.append(f"store {self.store_url}: {self.total_rows} articles in all")
        lines.extend(f"wrote {p}" for p in self.exports)
        return "\n".join(lines)


def run_fixture_crawl(
    sites: Sequence[str] | None = None,
    store_url: str | None = None,
    output: Path = Path("output"),
    log_level: str = "WARNING",
    fixtures: Path = FIXTURE_SITES,
    runs_dir: Path = Path("runs"),
) -> RunSummary:
    """Crawl the fixture sites that have a profile of the same name, all in one reactor."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    if store_url:
        settings.set("STORE_URL", store_url, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.set("RUNS_DIR", str(runs_dir), priority="cmdline")
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
        crawlers = []
        for site in chosen:
            crawler = process.create_crawler(MediaCenterSpider)
            crawlers.append((site, crawler))
            process.crawl(crawler, site=site, base_url=urls[site])
        process.start()
        # The summary is the run manifests' (crawler.extensions.RunManifest).
        results = [SiteResult(site, getattr(getattr(c, "manifest", None), "manifest", None) or {})
                   for site, c in crawlers]  # fmt: skip

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
