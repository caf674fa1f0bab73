"""Ways into a site besides its listing pages: sitemaps, RSS/Atom feeds, and where to find them.

Pure functions over response bodies: ``read_sitemap`` (sitemap index, urlset, Google News sitemap
with ``news:publication_date`` and ``news:title``, gzipped or not) through Scrapy's sitemap
utilities, ``read_feed`` (RSS 0.9x/1.0/2.0, Atom) through feedparser, ``feed_links`` (the
``<link rel="alternate">`` feeds of a page) and ``robots_sitemaps`` (``Sitemap:`` lines).
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser
from lxml import etree
from parsel import Selector
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.extract.dates import get_timezone
from crawler.extract.listing import Entry
from crawler.extract.text import collapse
from crawler.urls import join_url

logger = logging.getLogger(__name__)

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
# A gzipped sitemap may not inflate beyond this (the protocol's limit is 50 MB uncompressed).
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


@dataclass
class SitemapPage:
    kind: str  # "sitemapindex" | "urlset" | "" (not a sitemap)
    entries: list[Entry] = field(default_factory=list)  # urlset: article URLs
    sitemaps: list[tuple[str, datetime | None]] = field(default_factory=list)  # index: (url, lastmod)


class _NewsSitemap(Sitemap):
    """Scrapy's Sitemap, also reading the Google News block (``<news:news>``) of each URL."""

    def _process_sitemap_element(self, elem: etree._Element) -> dict[str, Any] | None:
        news: dict[str, str] = {}
        # Read before Scrapy's parser clears the element.
        for child in elem:
            if not isinstance(child.tag, str) or not child.tag.endswith("}news"):
                continue
            for el in child.iter():
                if not isinstance(el.tag, str):
                    continue
                name = el.tag.rsplit("}", 1)[-1]
                if name == "publication_date" and el.text:
                    news["news_publication_date"] = el.text.strip()
                elif name == "title" and el.text and el.getparent() is child:
                    news["news_title"] = collapse(el.text)
        data = super()._process_sitemap_element(elem)
        return {**data, **news} if data is not None else None


def sitemap_body(body: bytes) -> bytes:
    """The XML of a sitemap response: gunzipped when the bytes are gzip (``sitemap.xml.gz``
    served as a file, which HttpCompressionMiddleware leaves alone)."""
    if body[:2] == b"\x1f\x8b":
        return gunzip(body, max_size=MAX_SITEMAP_BYTES)
    return body


def w3c_datetime(text: str | None, tz: tzinfo | None = None) -> datetime | None:
    """A W3C datetime (``2019-07-19``, ``2019-07-19T17:30:36+08:00``, ``…Z``) or an RFC 822 date;
    a value without a zone is read in ``tz`` (UTC when None)."""
    if not text:
        return None
    text = text.strip()
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)  # RFC 822, as RSS writes dates
        except (TypeError, ValueError):
            return None
    return value if value.tzinfo else value.replace(tzinfo=tz or UTC)


def read_sitemap(body: bytes, url: str, timezone: str | None = None) -> SitemapPage:
    """The entries of a urlset (newest date known: news:publication_date, else lastmod) or the
    child sitemaps of an index. A body that is not a sitemap gives kind ``""``."""
    tz = get_timezone(timezone)
    try:
        xml = sitemap_body(body)
        sitemap = _NewsSitemap(xml)
    except (OSError, ValueError, etree.XMLSyntaxError, StopIteration) as err:
        logger.warning("not a sitemap: %s (%s)", url, err)
        return SitemapPage("")
    page = SitemapPage(sitemap.type if sitemap.type in {"sitemapindex", "urlset"} else "")
    if not page.kind:
        return page
    try:
        for item in sitemap:
            loc = join_url(url, str(item.get("loc") or ""))
            if loc is None:
                continue
            lastmod = w3c_datetime(item.get("lastmod"), tz)
            if page.kind == "sitemapindex":
                page.sitemaps.append((loc, lastmod))
                continue
            date = w3c_datetime(item.get("news_publication_date"), tz) or lastmod
            page.entries.append(Entry(url=loc, title=item.get("news_title") or "", date=date))
    except etree.XMLSyntaxError as err:
        logger.warning("sitemap %s is cut short: %s", url, err)
    return page


def read_feed(body: bytes, url: str) -> list[Entry]:
    """The entries of an RSS or Atom feed: link, title, and the published (else updated) time."""
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    entries: list[Entry] = []
    for item in parsed.entries:
        link = item.get("link") or next(
            (x.get("href") for x in item.get("links", []) if x.get("rel") == "alternate"), None
        )
        absolute = join_url(url, str(link or ""))
        if absolute is None:
            continue
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        date = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
        entries.append(Entry(url=absolute, title=collapse(item.get("title") or ""), date=date))
    return entries


def feed_links(html: str, url: str) -> list[str]:
    """Feeds a page announces: ``<link rel="alternate" type="application/rss+xml" href>``."""
    found: list[str] = []
    try:
        links = Selector(text=html).xpath("//link[@href]")
    except ValueError:
        return found
    for link in links:
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES and kind != "application/feed+json":
            absolute = join_url(url, link.attrib["href"])
            if absolute and absolute not in found:
                found.append(absolute)
    return found


def robots_sitemaps(text: str, url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt."""
    found: list[str] = []
    for loc in sitemap_urls_from_robots(text.encode("utf-8"), base_url=url):
        absolute = join_url(url, loc)
        if absolute and absolute not in found:
            found.append(absolute)
    return found
