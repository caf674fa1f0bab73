"""Pages built by scripts: rendered in the system Chromium, or reported as needing it.

The rendering test drives a real headless Chromium (Debian's ``chromium``; ``make chromium``
installs it). Without one it skips with the reason, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from parsel import Selector

from crawler.browser import find_chromium
from crawler.devserver import FixtureServers
from crawler.errors import ConfigError
from crawler.extract.encoding import decode_html
from crawler.extract.scripted import script_built_list
from crawler.profiles import build_profile
from crawler.spiders.mediacenter import MediaCenterSpider

from ..fixturedata import EXPECTED, SITES, scrapy_stats, site_info, site_names

ROOT = Path(__file__).resolve().parents[2]
PRESSROOM = ROOT / "fixtures" / "browser" / "pressroom"
EXPECTED_PRESSROOM = json.loads((PRESSROOM / "_expected.json").read_text(encoding="utf-8"))


def require_chromium() -> None:
    """Skip (fail under CI=true) when the browser extra or a Chromium is missing."""
    problem = None
    try:
        import scrapy_playwright  # noqa: F401
    except ImportError:
        problem = "scrapy-playwright is not installed (pip install -e '.[browser]')"
    if problem is None and find_chromium(os.environ.get("BROWSER_EXECUTABLE")) is None:
        problem = "no Chromium on the PATH (make chromium, or apt-get install chromium)"
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true: {problem}")
    pytest.skip(problem)


@pytest.fixture(scope="module")
def pressroom() -> Iterator[str]:
    with FixtureServers(PRESSROOM) as servers:
        yield servers.urls["pressroom"]


def _crawl(
    base: str, tmp: Path, *extra: str
) -> tuple[subprocess.CompletedProcess[str], list[dict[str, str]]]:
    out = tmp / "items.jsonl"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter",
           "-a", f"start_url={base}{EXPECTED_PRESSROOM['listing_start']}",
           "-s", f"STORE_URL=sqlite:///{tmp}/b.sqlite3", "-s", "LOG_LEVEL=INFO", "-O", str(out), *extra]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    items = (
        [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    )
    return proc, items


def test_rendered_in_chromium_every_article_is_found(pressroom: str, tmp_path: Path) -> None:
    require_chromium()
    proc, items = _crawl(pressroom, tmp_path, "-a", "render=browser", "-s", "BROWSER_CONCURRENCY=1")
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = {urlsplit(i["url"]).path: i for i in items}
    assert set(got) == set(EXPECTED_PRESSROOM["articles"])
    for path, want in EXPECTED_PRESSROOM["articles"].items():
        for name, value in want.items():
            assert got[path][name] == value, (path, name)
    stats = scrapy_stats(proc.stderr)
    assert "article/skipped/needs_browser" not in stats
    # Only the listing page went through the browser, and its page was closed.
    assert stats["playwright/page_count"] == stats["playwright/page_count/closed"] == 1
    assert stats["playwright/page_count/max_concurrent"] == 1


def test_without_rendering_the_listing_is_reported_as_needing_the_browser(
    pressroom: str, tmp_path: Path
) -> None:
    proc, items = _crawl(pressroom, tmp_path)
    assert proc.returncode in {0, 3}, proc.stderr[-3000:]  # 3: the health check of an empty crawl
    assert items == []
    assert scrapy_stats(proc.stderr)["article/skipped/needs_browser"] == 1
    assert "try -a render=browser" in proc.stderr


def test_a_missing_browser_or_a_wrong_render_value_is_one_line(tmp_path: Path) -> None:
    base = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "start_url=http://127.0.0.1:9/x.html",
            "-s", f"STORE_URL=sqlite:///{tmp_path}/e.sqlite3"]  # fmt: skip
    proc = subprocess.run([*base, "-a", "render=yes"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "error: render must be one of html, browser" in proc.stderr
    proc = subprocess.run([*base, "-a", "render=browser", "-s", f"BROWSER_EXECUTABLE={tmp_path}/none"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 2 and "is not an executable file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_render_in_a_profile_and_as_an_argument() -> None:
    data = {"name": "spa", "domains": ["example.com"], "start_urls": ["http://example.com/press/"],
            "listing": {"entries": "ul.news-list li a", "render": "browser"}}  # fmt: skip
    profile = build_profile(data, "spa.yaml")
    assert profile.render_listing and not profile.render_detail
    with pytest.raises(ConfigError, match=r"detail\.render"):
        build_profile({**data, "detail": {"render": "chrome"}}, "spa.yaml")
    spider = MediaCenterSpider(start_url="http://example.org/press/", render="both")
    assert spider.render_listing and spider.render_detail
    plain = MediaCenterSpider(start_url="http://example.org/press/")
    assert plain.listing_meta(listing_root="x") == {"listing_root": "x"}
    with pytest.raises(ValueError, match="render must be one of"):
        MediaCenterSpider(start_url="http://example.org/press/", render="chrome")


def _page(path: Path) -> Selector:
    return Selector(text=decode_html(path.read_bytes())[0], type="html")


def test_script_built_lists_are_told_from_ordinary_pages() -> None:
    assert script_built_list(_page(PRESSROOM / "press" / "index.html")) == "an empty script mount point"
    # Xinhua's list comes from a JSONP API (the profile reads it): a script-built list indeed.
    xinhua = SITES / "xinhua" / site_info("xinhua")["listing_start"].lstrip("/")
    assert script_built_list(_page(xinhua)) == "an empty list container"
    # No false alarm on any ordinary listing page of the fixture sites or of the listing evaluation.
    ordinary = [s for s in site_names() if not site_info(s).get("needs_profile")]
    listings = [SITES / s / site_info(s)["listing_start"].lstrip("/") for s in ordinary]
    listings += [SITES / p.parent.name / site_info(p.parent.name, p.name)["listing_start"].lstrip("/")
                 for p in EXPECTED.glob("*/_site_*.json")]  # fmt: skip
    listings += sorted((ROOT / "fixtures" / "unseen_listings" / "pages").glob("*.htm*"))
    flagged = [str(p) for p in listings if p.is_file() and script_built_list(_page(p))]
    assert len(listings) > 30 and flagged == []
    empty = "<html><body><ul id='news'></ul>{}</body></html>"
    assert script_built_list(Selector(text=empty.format(""))) is None  # no script: an empty column
    counter = "<script>fetch('/api/pv?id=1').then(r => r.text())</script>"
    assert script_built_list(Selector(text=f"<html><body><p>Not found</p>{counter}</body></html>")) is None
    api = "<script>$.getJSON('/ajax/newsList?page=1', render)</script>"
    assert script_built_list(Selector(text=f"<html><body><div>News</div>{api}</body></html>")) is not None
    assert script_built_list(Selector(text=empty.format(counter))) == "an empty list container"
