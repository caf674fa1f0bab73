"""Download on demand (``-s DOWNLOAD_MEDIA=1``): an article's images through Scrapy's own
ImagesPipeline, its attachments through FilesPipeline, into ``FILES_STORE``.

Each downloaded file's path (relative to the store directory), checksum and size are written into
the item's media dicts and recorded in the article store's ``media`` table; a file the store
already records is not requested again, its record is copied into the item instead. Attachments
of types outside ``MEDIA_ATTACHMENT_TYPES``, files above ``MEDIA_MAX_BYTES`` (Scrapy's
``download_maxsize`` per request) and media beyond ``MEDIA_MAX_PER_ARTICLE`` are not fetched.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline
from scrapy.pipelines.images import ImagesPipeline
from scrapy.pipelines.media import MediaPipeline

from crawler.extract.media import ATTACHMENT_TYPES, attachment_type, mime_type
from crawler.storage.base import MediaRecord, Store, StoreError
from crawler.storage.shared import store_for

logger = logging.getLogger(__name__)


class _StoredMedia:
    """What the images and the attachments pipelines share: the item field they serve, the
    store lookups, and writing results back into the item."""

    field = ""  # "images" | "attachments"
    kind = ""  # "image" | "attachment"
    crawler: Crawler
    store_dir: Path | None
    max_bytes: int
    max_per_article: int
    types: frozenset[str]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        cls._enabled(crawler)
        pipe = super().from_crawler(crawler)  # type: ignore[misc]  # Scrapy's Images/FilesPipeline
        pipe._setup(crawler)
        return pipe

    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        return self._remember(self._requests(item, info))

    def item_completed(self, results: list[Any], item: Any, info: MediaPipeline.SpiderInfo) -> Any:
        return self._completed(results, item)

    def _setup(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.max_bytes = settings.getint("MEDIA_MAX_BYTES", 20 * 1024 * 1024)
        self.max_per_article = settings.getint("MEDIA_MAX_PER_ARTICLE", 30)
        types = settings.getlist("MEDIA_ATTACHMENT_TYPES", list(ATTACHMENT_TYPES))
        self.types = frozenset(t.lower() for t in types)
        uri = str(settings.get("IMAGES_STORE" if self.kind == "image" else "FILES_STORE") or "")
        self.store_dir = Path(uri) if uri and "://" not in uri else None

    @staticmethod
    def _enabled(crawler: Crawler) -> None:
        if not crawler.settings.getbool("DOWNLOAD_MEDIA"):
            raise NotConfigured()  # off by default: silent (Scrapy warns only when given a reason)

    def _store(self) -> Store | None:
        try:
            return store_for(self.crawler)
        except StoreError as err:  # the store pipeline reports it; media are only extra
            logger.warning("media records unavailable: %s", err)
            return None

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)

    def _wanted(self, item: Any) -> list[dict[str, Any]]:
        entries = [e for e in ItemAdapter(item).get(self.field) or [] if isinstance(e, dict) and e.get("url")]
        if self.kind == "attachment":
            entries = [e for e in entries if str(e.get("type") or "").lower() in self.types]
        return entries[: self.max_per_article]

    def _requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        entries = self._wanted(item)
        if not entries:
            return []
        store = self._store()
        records = store.media_records([str(e["url"]) for e in entries]) if store is not None else {}
        requests = []
        fetch = getattr(info.spider, "fetch_url", None)
        for entry in entries:
            url = str(entry["url"])
            record = records.get(url)
            if record is not None:
                entry.update(path=record.path, checksum=record.checksum)
                if record.size_in_bytes is not None:
                    entry["size"] = record.size_in_bytes
                self._inc(f"media/{self.kind}/known")
                continue
            # A local mirror (-a base_url=) serves what the item names by its public URL.
            target = fetch(url) if callable(fetch) else url
            requests.append(Request(target, callback=NO_CALLBACK, meta={"media_url": url,
                                    "download_maxsize": self.max_bytes}))  # fmt: skip
        return requests

    def _completed(self, results: list[Any], item: Any) -> Any:
        by_url = {str(e["url"]): e for e in ItemAdapter(item).get(self.field) or [] if isinstance(e, dict)}
        records = []
        for ok, result in results:
            if not ok:
                self._inc(f"media/{self.kind}/failed")
                logger.warning("media download failed: %s", getattr(result, "value", result))
                continue
            public = self._public_of.pop(result["url"], result["url"])
            entry = by_url.get(public)
            if entry is None:
                continue
            size = self._size(result["path"])
            entry.update(path=result["path"], checksum=result["checksum"])
            if size is not None:
                entry["size"] = size
            records.append(MediaRecord(public, self.kind, result["path"], result["checksum"], size,
                                       mime_type(public, entry.get("type"))))  # fmt: skip
            self._inc(f"media/{self.kind}/downloaded")
        store = self._store()
        if store is not None and records:
            try:
                store.record_media(records)
            except StoreError as err:
                logger.warning("could not record %d downloaded files: %s", len(records), err)
        return item

    def _size(self, path: str) -> int | None:
        if self.store_dir is None:
            return None
        try:
            return (self.store_dir / path).stat().st_size
        except OSError:
            return None

    @property
    def _public_of(self) -> dict[str, str]:
        # fetched URL -> public URL, filled as requests are made (a mirror's URL differs).
        if not hasattr(self, "_public_map"):
            self._public_map: dict[str, str] = {}
        return self._public_map

    def _remember(self, requests: list[Request]) -> list[Request]:
        for request in requests:
            self._public_of[request.url] = request.meta["media_url"]
        return requests

    @staticmethod
    def _guid(request: Request) -> str:
        # Named by the public URL: a mirror and the real site share one file.
        return hashlib.sha1(str(request.meta.get("media_url", request.url)).encode()).hexdigest()


class ArticleImagesPipeline(_StoredMedia, ImagesPipeline):
    """The article's ``images`` (Scrapy's ImagesPipeline: stored as JPEG under ``full/``)."""

    field, kind = "images", "image"

    def file_path(self, request: Request, response: Response | None = None,
                  info: MediaPipeline.SpiderInfo | None = None, *, item: Any = None) -> str:  # fmt: skip
        return f"images/{self._guid(request)}.jpg"


class AttachmentsPipeline(_StoredMedia, FilesPipeline):
    """The article's ``attachments`` (Scrapy's FilesPipeline), under ``files/`` with their type."""

    field, kind = "attachments", "attachment"

    def file_path(self, request: Request, response: Response | None = None,
                  info: MediaPipeline.SpiderInfo | None = None, *, item: Any = None) -> str:  # fmt: skip
        kind = attachment_type(str(request.meta.get("media_url", request.url))) or "bin"
        return f"files/{self._guid(request)}.{kind}"
