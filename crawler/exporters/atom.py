"""Atom 1.0 (RFC 4287): a Scrapy feed exporter (``-O feed.xml:atom``) and a writer for exports
from the store (``crawler export --format atom``), for the feed readers that do not read JSON Feed.

Entries are streamed as they come. RFC 4287 gives the children of ``atom:feed`` no order, so the
feed's own ``title``, ``id`` and ``updated`` (the newest entry's) are written after the entries,
as the JSON Feed writer does, without holding the entries in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import urlsplit

from lxml import etree

from crawler.exporters.jsonfeed import DEFAULT_TITLE, FeedItemExporter, rfc3339, write_articles, write_text
from crawler.extract.media import mime_type
from crawler.items import Article

ATOM_NS = "http://www.w3.org/2005/Atom"
GENERATOR = "mediacenter-crawler"
# Characters XML 1.0 cannot carry at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _text(text)
    return el


def atom_entry(data: dict[str, Any]) -> tuple[etree._Element, str]:
    """One ``<entry>`` from an article's fields, and its ``updated`` time (RFC 3339)."""
    url = data.get("canonical_url") or data.get("url") or ""
    entry = etree.Element("entry")
    _sub(entry, "id", url)
    _sub(entry, "title", data.get("title") or url, type="text")
    published = rfc3339(data.get("published_at"))
    updated = published or rfc3339(data.get("crawled_at")) or _now()
    _sub(entry, "updated", updated)
    if published:
        _sub(entry, "published", published)
    if data.get("outlet"):
        author = _sub(entry, "author")
        _sub(author, "name", data["outlet"])
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    if data.get("lead_image"):
        _sub(entry, "link", rel="enclosure", href=data["lead_image"], type=mime_type(str(data["lead_image"])))
    for attachment in data.get("attachments") or []:
        if not isinstance(attachment, dict) or not attachment.get("url"):
            continue
        attrs = {"rel": "enclosure", "href": str(attachment["url"]),
                 "type": mime_type(str(attachment["url"]), attachment.get("type"))}  # fmt: skip
        if attachment.get("title"):
            attrs["title"] = str(attachment["title"])
        if isinstance(attachment.get("size"), int):
            attrs["length"] = str(attachment["size"])
        _sub(entry, "link", **attrs)
    if data.get("category"):
        _sub(entry, "category", term=data["category"])
    if data.get("body"):
        _sub(entry, "content", data["body"], type="text")
    if data.get("language"):
        entry.set("{http://www.w3.org/XML/1998/namespace}lang", str(data["language"]))
    return entry, updated


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class AtomWriter:
    """Streams an Atom 1.0 document to a binary or text file object."""

    def __init__(self, file: IO[Any], title: str | None = None, home_page_url: str | None = None,
                 feed_url: str | None = None) -> None:  # fmt: skip
        self.file = file
        self.title = title
        self.home_page_url = home_page_url
        self.feed_url = feed_url
        self.count = 0
        self._updated: str | None = None
        self._updated_at: datetime | None = None
        self._sites: dict[str, str] = {}

    def _write(self, text: str) -> None:
        write_text(self.file, text)

    def start(self) -> None:
        self._write(f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="{ATOM_NS}">\n')

    def add(self, data: dict[str, Any]) -> None:
        entry, updated = atom_entry(data)
        xml = etree.tostring(entry, encoding="unicode")
        # The entry was built without a namespace; inside <feed xmlns=ATOM_NS> it is Atom's.
        self._write(xml + "\n")
        self.count += 1
        when = datetime.fromisoformat(updated)
        if self._updated_at is None or when > self._updated_at:
            self._updated_at, self._updated = when, updated
        url = data.get("canonical_url") or data.get("url") or ""
        if data.get("site") and url:
            parts = urlsplit(url)
            self._sites.setdefault(str(data["site"]), f"{parts.scheme}://{parts.netloc}/")

    def finish(self) -> None:
        sites = list(self._sites)
        title = self.title or (f"{DEFAULT_TITLE}: {', '.join(sites)}" if sites else DEFAULT_TITLE)
        home = self.home_page_url or (self._sites[sites[0]] if sites else None)
        tail = etree.Element("tail")
        _sub(tail, "title", title, type="text")
        # A feed's id must be permanent and unique: its home page plus what it holds.
        feed_id = self.feed_url or (f"{home}#mediacenter-crawler:{','.join(sites)}" if home else None)
        _sub(tail, "id", feed_id or "urn:mediacenter-crawler:feed")
        _sub(tail, "updated", self._updated or _now())
        # Entries without an outlet have no author: the feed's author stands for them.
        author = _sub(tail, "author")
        _sub(author, "name", GENERATOR)
        if home:
            _sub(tail, "link", rel="alternate", type="text/html", href=home)
        if self.feed_url:
            _sub(tail, "link", rel="self", href=self.feed_url)
        _sub(tail, "generator", GENERATOR)
        body = "".join(etree.tostring(child, encoding="unicode") for child in tail)
        self._write(body + "\n</feed>\n")


class AtomItemExporter(FeedItemExporter):
    """``-O feed.xml:atom``. Settings: JSONFEED_TITLE and JSONFEED_HOME_PAGE_URL serve Atom too."""

    writer_class = AtomWriter


def write_atom(articles: Iterable[Article], file: IO[Any], title: str | None = None,
               home_page_url: str | None = None) -> int:  # fmt: skip
    return write_articles(AtomWriter(file, title=title, home_page_url=home_page_url), articles)
