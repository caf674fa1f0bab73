"""Sitemaps and feeds as ways in: the parsers, profile keys, and crawls of the expo_news fixture
(robots.txt Sitemap:, sitemap index, Google News sitemap, gzipped urlset, RSS, Atom)."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.devserver import FixtureServers
from crawler.errors import ConfigError
from crawler.extract.entrypoints import feed_links, read_feed, read_sitemap, robots_sitemaps, w3c_datetime
from crawler.profiles import build_profile

from ..fixturedata import scrapy_stats

ROOT = Path(__file__).resolve().parents[2]
MEDIA = ROOT / "fixtures" / "media"
SITE = MEDIA / "sites" / "expo_news"
TRUTH = json.loads((MEDIA / "expected" / "expo_news" / "_site.json").read_text(encoding="utf-8"))
CST = timezone(timedelta(hours=8))
ORIGIN = "http://www.expo-news.example"


def test_sitemap_index_lists_children_with_lastmod() -> None:
    page = read_sitemap((SITE / "sitemap_index.xml").read_bytes(), f"{ORIGIN}/sitemap_index.xml", "Asia/Shanghai")
    assert page.kind == "sitemapindex" and page.entries == []
    assert page.sitemaps == [
        (f"{ORIGIN}/sitemap_news.xml", datetime(2024, 6, 12, 9, tzinfo=CST)),
        (f"{ORIGIN}/sitemaps/2023.xml.gz", datetime(2023, 11, 20, tzinfo=CST)),
    ]


def test_news_sitemap_gives_publication_dates_and_titles() -> None:
    page = read_sitemap((SITE / "sitemap_news.xml").read_bytes(), f"{ORIGIN}/sitemap_news.xml")
    assert page.kind == "urlset"
    assert [(urlsplit(e.url).path, e.title, e.date) for e in page.entries] == [
        ("/news/2024/06/12/2101.html", "Expo Opens Registration for Exhibitors", datetime(2024, 6, 12, 9, tzinfo=CST)),
        ("/news/2024/06/11/2102.html", "Forum on Green Logistics Announced", datetime(2024, 6, 11, 14, 30, tzinfo=CST)),
        ("/news/2024/06/10/2103.html", "New Exhibition Hall Passes Inspection", datetime(2024, 6, 10, 10, tzinfo=CST)),
    ]


def test_gzipped_urlset_and_garbage() -> None:
    body = (SITE / "sitemaps" / "2023.xml.gz").read_bytes()
    assert body[:2] == b"\x1f\x8b"
    page = read_sitemap(body, f"{ORIGIN}/sitemaps/2023.xml.gz", "Asia/Shanghai")
    assert [urlsplit(e.url).path for e in page.entries] == ["/news/2023/11/20/2001.html", "/news/2023/11/16/2002.html"]
    assert page.entries[0].date == datetime(2023, 11, 20, tzinfo=CST)
    assert read_sitemap(b"<html><body>not a sitemap</body></html>", "http://x.example/s.xml").kind == ""
    assert read_sitemap(gzip.compress(b"\x00garbage"), "http://x.example/s.xml.gz").kind == ""


def test_rss_and_atom_feeds() -> None:
    rss = read_feed((SITE / "rss.xml").read_bytes(), f"{ORIGIN}/rss.xml")
    assert [urlsplit(e.url).path for e in rss] == [
        "/news/2024/06/12/2101.html", "/news/2024/06/10/2103.html", "/news/2024/06/08/2104.html"
    ]
    assert rss[2].title == "Volunteers Wanted for Autumn Expo"
    assert rss[2].date == datetime(2024, 6, 8, 8, 45, tzinfo=UTC)
    atom = read_feed((SITE / "atom.xml").read_bytes(), f"{ORIGIN}/atom.xml")
    assert [(urlsplit(e.url).path, e.date) for e in atom] == [
        ("/news/2024/06/10/2103.html", datetime(2024, 6, 10, 2, tzinfo=UTC)),
        ("/news/2023/11/16/2002.html", datetime(2023, 11, 16, 0, 30, tzinfo=UTC)),
    ]
    rss091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>x</title>
      <item><title>Old style</title><link>/a/1.html</link></item></channel></rss>"""
    [entry] = read_feed(rss091, "http://x.example/rss.xml")
    assert entry.url == "http://x.example/a/1.html" and entry.date is None
    rdf = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="http://x.example/"><title>x</title></channel>
      <item rdf:about="http://x.example/b/2.html"><title>RSS 1.0</title><link>http://x.example/b/2.html</link>
      <dc:date>2024-01-02T03:04:05+08:00</dc:date></item></rdf:RDF>"""
    [entry] = read_feed(rdf, "http://x.example/rdf")
    assert entry.url == "http://x.example/b/2.html" and entry.date == datetime(2024, 1, 1, 19, 4, 5, tzinfo=UTC)
    assert read_feed(b"not a feed at all", "http://x.example/f") == []


def test_discovery_on_the_page_and_in_robots() -> None:
    page = (SITE / "news" / "index.html").read_text(encoding="utf-8")
    assert feed_links(page, "http://127.0.0.1:9/news/index.html") == [
        "http://127.0.0.1:9/rss.xml", "http://127.0.0.1:9/atom.xml"
    ]
    robots = (SITE / "robots.txt").read_text(encoding="utf-8")
    assert robots_sitemaps(robots, "http://127.0.0.1:9/robots.txt") == [f"{ORIGIN}/sitemap_index.xml"]
    assert w3c_datetime("2024-06-12") == datetime(2024, 6, 12, tzinfo=UTC)
    assert w3c_datetime("Sat, 08 Jun 2024 16:45:00 +0800") == datetime(2024, 6, 8, 8, 45, tzinfo=UTC)
    assert w3c_datetime("soon") is None


def test_profile_keys_sitemaps_and_feeds() -> None:
    data = {"name": "x", "domains": ["x.example"], "sitemaps": ["http://x.example/sitemap.xml"],
            "feeds": ["http://x.example/rss.xml"]}  # fmt: skip
    profile = build_profile(data, "x.yaml")
    assert profile.sitemaps == ("http://x.example/sitemap.xml",) and profile.origin == "http://x.example"
    with pytest.raises(ConfigError, match="feeds"):
        build_profile({**data, "feeds": ["ftp://x.example/rss"]}, "x.yaml")
    with pytest.raises(ConfigError, match="start_urls"):
        build_profile({"name": "x", "domains": ["x.example"]}, "x.yaml")


# --- Crawls ----------------------------------------------------------------------------------------


@pytest.fixture
def expo_site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    site = tmp_path / "expo_news"
    shutil.copytree(SITE, site)
    with FixtureServers(site) as servers:
        yield site, servers.urls["expo_news"]


def _crawl(store: Path, *args: str) -> tuple[dict[str, int], list[dict[str, object]], str]:
    out = store.with_suffix(f".{len(list(store.parent.glob('*.jsonl')))}.jsonl")
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", *args,
           "-s", f"PROFILE_DIRS={MEDIA / 'profiles'}", "-s", f"STORE_URL=sqlite:///{store}",
           "-s", "LOG_LEVEL=INFO", "-O", str(out)]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return scrapy_stats(proc.stderr), items, proc.stderr


def test_profile_sitemaps_and_feeds_then_incremental(expo_site: tuple[Path, str], tmp_path: Path) -> None:
    site, base = expo_site
    store = tmp_path / "e.sqlite3"
    stats, items, _ = _crawl(store, "-a", "site=expo_news", "-a", f"base_url={base}")
    assert sorted(urlsplit(str(i["url"])).path for i in items) == TRUTH["articles"]
    assert all(str(i["canonical_url"]).startswith(ORIGIN) for i in items)
    assert stats["sitemap/pages"] == 3 and stats["feed/pages"] == 1 and stats["article/stored"] == 6

    # Known URLs are not fetched again; the 2023 sitemap is older than the watermark.
    stats, items, _ = _crawl(store, "-a", "site=expo_news", "-a", f"base_url={base}")
    assert items == [] and stats.get("article/stored", 0) == 0
    assert stats["sitemap/skipped_watermark"] == 1
    assert stats["downloader/request_count"] == 5  # robots.txt, listing, index, news sitemap, RSS

    # A new story and a new entry dated before the watermark (2024-06-12 09:00 - 48 h).
    news = (site / "sitemap_news.xml").read_text(encoding="utf-8")
    extra = "".join(
        f"<url><loc>{ORIGIN}/news/{day.replace('-', '/')}/{n}.html</loc><news:news><news:publication>"
        f"<news:name>Expo News</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{day}T08:00:00+08:00</news:publication_date><news:title>{n}</news:title>"
        "</news:news></url>"
        for n, day in ((2105, "2024-06-13"), (2099, "2024-06-01"))
    )
    (site / "sitemap_news.xml").write_text(news.replace("</urlset>", extra + "</urlset>"), encoding="utf-8")
    for n, day in ((2105, "2024-06-13"), (2099, "2024-06-01")):
        page = (site / "news/2024/06/12/2101.html").read_text(encoding="utf-8")
        page = page.replace("2024-06-12 09:00", f"{day} 08:00").replace("Registration", f"Story {n}: registration")
        target = site / "news" / day.replace("-", "/") / f"{n}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    stats, items, _ = _crawl(store, "-a", "site=expo_news", "-a", f"base_url={base}")
    assert [urlsplit(str(i["url"])).path for i in items] == ["/news/2024/06/13/2105.html"]
    assert stats["article/skipped/watermark"] == 1


def test_discover_finds_feeds_on_the_page_and_sitemaps_in_robots(
    expo_site: tuple[Path, str], tmp_path: Path
) -> None:
    _, base = expo_site
    stats, items, _ = _crawl(tmp_path / "d.sqlite3", "-a", f"start_url={ORIGIN}/news/index.html",
                             "-a", "discover=1", "-a", f"base_url={base}")  # fmt: skip
    assert sorted(urlsplit(str(i["url"])).path for i in items) == TRUTH["articles"]
    assert stats["discover/feeds"] == 2 and stats["discover/sitemaps"] == 1
    assert stats["feed/pages"] == 2 and stats["sitemap/pages"] == 3


def test_sitemap_url_and_feed_url_arguments_alone(expo_site: tuple[Path, str], tmp_path: Path) -> None:
    _, base = expo_site
    stats, items, _ = _crawl(tmp_path / "a.sqlite3", "-a", f"feed_url={ORIGIN}/atom.xml",
                             "-a", f"sitemap_url={ORIGIN}/sitemaps/2023.xml.gz", "-a", f"base_url={base}")  # fmt: skip
    assert sorted(urlsplit(str(i["url"])).path for i in items) == [
        "/news/2023/11/16/2002.html", "/news/2023/11/20/2001.html", "/news/2024/06/10/2103.html"
    ]
    assert stats.get("listing/pages", 0) == 0
