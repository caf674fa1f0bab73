"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1): a Scrapy feed exporter and a writer for
exports from the store.

Items are streamed as they come. The feed-level ``title`` and ``home_page_url`` are written after
the items (key order means nothing in JSON) so that they can name the site the items came from
without holding the items in memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import IO, Any, Protocol
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy.exporters import BaseItemExporter

from crawler.extract.media import mime_type
from crawler.items import Article

VERSION = "https://jsonfeed.org/version/1.1"
DEFAULT_TITLE = "Media center articles"


def rfc3339(value: str | None) -> str | None:
    """ISO 8601 with offset, as RFC 3339 wants it (no microseconds; 'Z' kept as '+00:00')."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.replace(microsecond=0).isoformat()


def feed_item(data: dict[str, Any]) -> dict[str, Any]:
    """One JSON Feed item from an article's fields."""
    url = data.get("canonical_url") or data.get("url")
    item: dict[str, Any] = {
        "id": url,
        "url": url,
        "title": data.get("title") or "",
        "content_text": data.get("body") or "",
    }
    if data.get("url") and data.get("url") != url:
        item["external_url"] = data["url"]
    published = rfc3339(data.get("published_at"))
    if published:
        item["date_published"] = published
    if data.get("outlet"):
        item["authors"] = [{"name": data["outlet"]}]
    if data.get("language"):
        item["language"] = data["language"]
    if data.get("category"):
        item["tags"] = [data["category"]]
    if data.get("lead_image"):
        item["image"] = data["lead_image"]
    files = data.get("attachments") or []
    attachments = [feed_attachment(a) for a in files if isinstance(a, dict) and a.get("url")]
    if attachments:
        item["attachments"] = attachments
    extension = {
        key: data.get(key)
        for key in ("site", "outlet", "published_at_raw", "author", "editor", "duplicate_of", "crawled_at",
                    "images")
        if data.get(key)
    }  # fmt: skip
    if extension:
        item["_crawler"] = extension
    return item


def feed_attachment(data: dict[str, Any]) -> dict[str, Any]:
    """A JSON Feed attachment: url and mime_type (required), title, size_in_bytes when known."""
    out: dict[str, Any] = {"url": data["url"], "mime_type": mime_type(str(data["url"]), data.get("type"))}
    if data.get("title"):
        out["title"] = data["title"]
    if isinstance(data.get("size"), int):
        out["size_in_bytes"] = data["size"]
    return out


def write_text(file: IO[Any], text: str) -> None:
    """``text`` into a file opened as text, or as UTF-8 into one opened as bytes (Scrapy's feed
    storages, gzip files and sys.stdout.buffer alike)."""
    mode = getattr(file, "mode", "b")
    if isinstance(mode, str) and "b" not in mode:
        file.write(text)
        return
    try:
        file.write(text.encode("utf-8"))
    except TypeError:
        file.write(text)


class JsonFeedWriter:
    """Streams a JSON Feed document to a binary or text file object."""

    def __init__(self, file: IO[Any], title: str | None = None, home_page_url: str | None = None,
                 feed_url: str | None = None) -> None:  # fmt: skip
        self.file = file
        self.title = title
        self.home_page_url = home_page_url
        self.feed_url = feed_url
        self.count = 0
        self._sites: dict[str, str] = {}

    def _write(self, text: str) -> None:
        write_text(self.file, text)

    def start(self) -> None:
        self._write(f'{{"version": "{VERSION}", "items": [\n')

    def add(self, data: dict[str, Any]) -> None:
        item = feed_item(data)
        self._write(("" if self.count == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
        self.count += 1
        url = item["url"] or ""
        if data.get("site") and url:
            parts = urlsplit(url)
            self._sites.setdefault(str(data["site"]), f"{parts.scheme}://{parts.netloc}/")

    def finish(self) -> None:
        sites = list(self._sites)
        title = self.title or (f"{DEFAULT_TITLE}: {', '.join(sites)}" if sites else DEFAULT_TITLE)
        # An aggregate of several sites has no single home page: the first site's stands in.
        home = self.home_page_url or (self._sites[sites[0]] if sites else None)
        tail: dict[str, Any] = {"title": title}
        if home:
            tail["home_page_url"] = home
        if self.feed_url:
            tail["feed_url"] = self.feed_url
        body = json.dumps(tail, ensure_ascii=False)[1:-1]
        self._write(f"\n], {body}}}\n")


class FeedWriter(Protocol):
    """A feed written as items come: JSON Feed here, Atom in ``crawler.exporters.atom``."""

    count: int

    def start(self) -> None: ...

    def add(self, data: dict[str, Any]) -> None: ...

    def finish(self) -> None: ...


WriterFactory = Callable[..., FeedWriter]  # (file, title=..., home_page_url=...) -> writer


class FeedItemExporter(BaseItemExporter):
    """A Scrapy feed exporter over a :class:`FeedWriter`; JSONFEED_TITLE and JSONFEED_HOME_PAGE_URL
    name the feed's title and home page."""

    writer_class: WriterFactory

    def __init__(self, file: IO[bytes], **kwargs: Any) -> None:
        settings = kwargs.pop("settings", None)
        super().__init__(dont_fail=True, **kwargs)
        title = home = None
        if settings is not None:
            title = settings.get("JSONFEED_TITLE")
            home = settings.get("JSONFEED_HOME_PAGE_URL")
        self.writer = type(self).writer_class(file, title=title, home_page_url=home)

    def start_exporting(self) -> None:
        self.writer.start()

    def export_item(self, item: Any) -> None:
        self.writer.add(ItemAdapter(item).asdict())

    def finish_exporting(self) -> None:
        self.writer.finish()


def write_articles(writer: FeedWriter, articles: Iterable[Article]) -> int:
    """Every article into ``writer``, start to finish; how many were written."""
    writer.start()
    for article in articles:
        writer.add(article.to_dict())
    writer.finish()
    return writer.count


class JsonFeedItemExporter(FeedItemExporter):
    """``-O feed.json:jsonfeed``."""

    writer_class = JsonFeedWriter


def write_feed(articles: Iterable[Article], file: IO[Any], title: str | None = None,
               home_page_url: str | None = None) -> int:  # fmt: skip
    return write_articles(JsonFeedWriter(file, title=title, home_page_url=home_page_url), articles)
