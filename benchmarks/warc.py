"""Size of the page archive per 1,000 fixture pages, and the speed of re-extraction from it.

    python -m benchmarks.warc

Crawls every fixture site that has a profile with ``-s WARC_DIR`` (one crawl per site, all
against the local fixture server), then prints the archive's size per 1,000 archived pages
(every response: listing pages, list API answers, articles, robots.txt) and per 1,000 article
pages, and the pages per second of ``reextract`` over it into the crawl's store (every article
unchanged) and into an empty store (every article new), best of three runs each; into an empty
store also with extraction in 1 and 2 worker processes (``reextract --processes``).
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.devserver import FIXTURE_SITES, FixtureServers
from crawler.profiles import load_profiles
from crawler.reextract import ProgressBar, reextract
from crawler.storage import open_store
from crawler.warc import iter_pages, warc_files

ROOT = Path(__file__).resolve().parent.parent


def _quiet(total: int) -> ProgressBar:
    """A progress bar that draws nothing: the benchmark times extraction, not the terminal."""
    return ProgressBar(total, out=io.StringIO())


def main() -> int:
    profiles = load_profiles()
    with tempfile.TemporaryDirectory() as tmp_name, FixtureServers(FIXTURE_SITES) as servers:
        tmp = Path(tmp_name)
        warc_dir, store_url = tmp / "warc", f"sqlite:///{tmp}/store.sqlite3"
        sites = [s for s in sorted(servers.urls) if s in profiles]
        started = time.monotonic()
        for site in sites:
            cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", f"site={site}",
                   "-a", f"base_url={servers.urls[site]}", "-s", f"STORE_URL={store_url}",
                   "-s", f"WARC_DIR={warc_dir}", "-s", f"RUNS_DIR={tmp}/runs",
                   "-s", "LOG_LEVEL=WARNING"]  # fmt: skip
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        crawl_s = time.monotonic() - started
        files = warc_files([warc_dir])
        size = sum(f.stat().st_size for f in files)
        pages = list(iter_pages(files))
        articles = sum(p.metadata.get("kind") == "article" for p in pages)
        raw = sum(len(p.body) for p in pages)
        print(f"crawled {len(sites)} fixture sites in {crawl_s:.1f} s: {len(pages)} pages archived "
              f"({articles} article pages) in {len(files)} files, {size / 1e6:.2f} MB "
              f"(bodies {raw / 1e6:.2f} MB uncompressed)")  # fmt: skip
        print(f"archive size: {size / len(pages) * 1000 / 1e6:.2f} MB per 1,000 pages, "
              f"{size / articles * 1000 / 1e6:.2f} MB per 1,000 article pages")  # fmt: skip
        for label, url, processes in (("into the crawl's store (unchanged)", store_url, 0),
                                      ("into an empty store (new)", None, 0),
                                      ("into an empty store, 1 worker process", None, 1),
                                      ("into an empty store, 2 worker processes", None, 2)):  # fmt: skip
            rates = []
            for run in range(3):
                target = url or f"sqlite:///{tmp}/empty{processes}{run}.sqlite3"
                store = open_store(target)
                try:
                    tally = reextract(files, store, profiles, "Asia/Shanghai", progress=_quiet,
                                      processes=processes, pool_after=0)  # fmt: skip
                finally:
                    store.close()
                rates.append(tally.read / tally.seconds)
            print(f"reextract {label}: {tally.render()}; best {max(rates):.0f} pages/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
