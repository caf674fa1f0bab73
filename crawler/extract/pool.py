"""Article extraction in worker processes, so that a crawl uses more than one core.

Scrapy runs downloads, scheduling, callbacks and pipelines on one reactor thread, and article
extraction is the largest CPU cost of a page (docs/throughput.md). With ``EXTRACTION_PROCESSES``
workers (``auto``: one per core beyond the first, at most four) the spider sends each detail
page's decoded text to a worker and awaits its :class:`ArticleFields`, while the reactor goes on
downloading and storing. The pool starts only after ``EXTRACTION_POOL_AFTER`` article pages were
extracted in the crawl's own process: a small crawl never pays for starting workers. Workers
are started with ``spawn`` (never ``fork`` from a process that runs threads and an event loop),
import the extractor once, and build the selector from the page exactly as the crawl's own
process does (:meth:`Page.selector`, :func:`crawler.extract.dom.html_selector`), so the fields are
exactly those of in-process extraction.

A worker that dies (killed, out of memory) breaks the pool: the pages in flight are then
extracted in the crawl's own process and a new pool is started, so no page is lost.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Literal

from parsel import Selector

from crawler.extract.article import ArticleFields, parse_article
from crawler.extract.dom import html_selector
from crawler.profiles import Profile

logger = logging.getLogger(__name__)

AUTO_MAX = 4  # workers "auto" starts at most: the reactor thread feeds about four


def processes_for(setting: object, cpus: int | None = None) -> int:
    """The EXTRACTION_PROCESSES setting as a number of workers: a count, or ``auto``."""
    if setting is None or str(setting).strip().lower() in {"", "auto"}:
        cpus = cpus or os.cpu_count() or 1
        return max(0, min(AUTO_MAX, cpus - 1))
    try:
        count = int(str(setting))
    except ValueError:
        raise ValueError(f"EXTRACTION_PROCESSES must be a number or 'auto', not {setting!r}") from None
    if count < 0:
        raise ValueError(f"EXTRACTION_PROCESSES must be 0 or more, not {count}")
    return count


@dataclass(frozen=True)
class Page:
    """What a worker needs of a response to build the selector the response builds."""

    text: str
    url: str
    base_url: str
    type: Literal["html", "xml"] | None = "html"

    def selector(self) -> Selector:
        if self.type == "html":
            return html_selector(self.text, self.base_url)
        return Selector(text=self.text, type=self.type, base_url=self.base_url)


def extract(page: Page, profile: Profile | None, timezone: str) -> ArticleFields:
    """What ``parse_article`` gives for the response that ``page`` was taken from."""
    return parse_article(page.selector(), page.url, profile, timezone=timezone)


def _warm_up() -> None:
    """Run once in each worker: the first page should not pay for lazy imports and compiled patterns."""
    html = "<html><head><title>t</title></head><body><h1>t</h1><p>x</p></body></html>"
    extract(Page(html, "http://localhost/", "http://localhost/"), None, "UTC")


class ExtractionPool:
    """``processes`` workers that run :func:`extract`; see the module docstring."""

    def __init__(self, processes: int) -> None:
        if processes < 1:
            raise ValueError(f"an extraction pool needs at least one process, not {processes}")
        self.processes = processes
        self.restarts = 0
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.processes, mp_context=multiprocessing.get_context("spawn"), initializer=_warm_up
        )

    async def extract(self, page: Page, profile: Profile | None, timezone: str) -> ArticleFields:
        """The page's fields from a worker; in this process when the pool has broken."""
        executor = self._executor
        try:
            return await asyncio.wrap_future(executor.submit(extract, page, profile, timezone))
        except BrokenProcessPool:
            if executor is self._executor:
                self.restarts += 1
                logger.warning("an extraction worker died; starting a new pool (%d so far)", self.restarts)
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._start()
            return extract(page, profile, timezone)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and diagnostics)."""
        return [p.pid for p in getattr(self._executor, "_processes", {}).values() if p.pid is not None]


class ExtractionWorkers:
    """Where a crawl's article pages are extracted: in its own process for the first ``after``
    pages, then in a pool of ``processes`` workers (never, when ``processes`` is 0)."""

    def __init__(self, processes: int, after: int) -> None:
        self.processes = processes
        self.after = after
        self.pages = 0
        self.pool: ExtractionPool | None = None

    def pool_for_next_page(self) -> ExtractionPool | None:
        self.pages += 1
        if self.pool is None and self.processes and self.pages > self.after:
            logger.info("article extraction moves to %d worker process(es)", self.processes)
            self.pool = ExtractionPool(self.processes)
        return self.pool

    def close(self) -> int:
        """Stop the workers; how many times the pool was started again after a worker died."""
        if self.pool is None:
            return 0
        self.pool.close()
        return self.pool.restarts
