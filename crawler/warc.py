"""The page archive: every fetched request and response in gzipped WARC 1.1 files (warcio).

``-s WARC_DIR=path`` turns it on. ``WarcMiddleware`` sits next to the downloader (order 950), so
it sees each request with every header the other middlewares added and each response before
HttpCompressionMiddleware (590) decompresses it: the body is archived as the server sent it
(``Content-Encoding`` included). What Scrapy does not keep cannot be archived: header names come
title-cased, and a chunked body arrives joined, so ``Transfer-Encoding: chunked`` is recorded as
``X-Crawler-Orig-Transfer-Encoding`` (a WARC reader would otherwise try to de-chunk it). A page
rendered in the browser is archived as rendered (its metadata record says ``"rendered": true``).

Each request/response pair is followed by a ``metadata`` record (JSON, ``WARC-Concurrent-To`` the
response) with what re-extraction needs: the site, the kind of page, its public URL and listing.
Files are ``<WARC_PREFIX>-<UTC stamp>-<serial>-<pid>.warc.gz``, written as ``….warc.gz.open``
and renamed when closed, each opening with a ``warcinfo`` record, rotated past ``WARC_MAX_SIZE``.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import __version__

logger = logging.getLogger(__name__)

SOFTWARE = f"mediacenter-crawler/{__version__}"
WARC_SUFFIX = ".warc.gz"


class RotatingWarcWriter:
    """Gzipped WARC 1.1 files in ``directory``, a new one past ``max_size`` bytes."""

    def __init__(self, directory: Path, max_size: int, prefix: str = "mediacenter",
                 info: dict[str, str] | None = None) -> None:  # fmt: skip
        self.directory = directory
        self.max_size = max_size
        self.prefix = prefix
        self.info = info or {}
        self.serial = 0
        self.files: list[Path] = []
        self._fh: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        self._path: Path | None = None
        self.records = 0

    def _open(self) -> WARCWriter:
        if self._writer is not None:
            return self._writer
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")[:17]
        name = f"{self.prefix}-{stamp}-{self.serial:05d}-{os.getpid()}{WARC_SUFFIX}"
        self.serial += 1
        self._path = self.directory / name
        self._fh = open(f"{self._path}.open", "wb")  # noqa: SIM115 -- closed in close()
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="1.1")
        info = {
            "software": SOFTWARE,
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "hostname": socket.gethostname(),
            **self.info,
        }
        self._writer.write_record(self._writer.create_warcinfo_record(name, info))
        return self._writer

    def write(self, *records: Any) -> None:
        writer = self._open()
        for record in records:
            writer.write_record(record)
            self.records += 1
        assert self._fh is not None
        if self._fh.tell() >= self.max_size:
            self.close()

    @property
    def writer(self) -> WARCWriter:
        return self._open()

    def close(self) -> None:
        if self._fh is None or self._path is None:
            return
        self._fh.close()
        os.replace(f"{self._path}.open", self._path)
        self.files.append(self._path)
        self._fh = self._writer = self._path = None


def _http_headers(headers: Any) -> list[tuple[str, str]]:
    out = []
    for name, values in headers.items():
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in values if isinstance(values, list) else [values]:
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            if key.lower() == "transfer-encoding" and "chunked" in text.lower():
                key = "X-Crawler-Orig-Transfer-Encoding"
            out.append((key, text))
    return out


def page_kind(meta: dict[str, Any]) -> str:
    """What the spider fetched the page as: article, continuation, listing, api or other."""
    if meta.get("article"):
        return "article"
    if "first" in meta:
        return "continuation"
    if meta.get("listing_api"):
        return "api"
    if "listing_root" in meta:
        return "listing"
    return "other"


def exchange_records(writer: WARCWriter, request: Request, response: Response,
                     metadata: dict[str, Any]) -> list[Any]:  # fmt: skip
    """The request, response and metadata records of one fetch."""
    parts = urlsplit(request.url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    protocol = getattr(response, "protocol", None) or "HTTP/1.1"
    req_headers = _http_headers(request.headers)
    if not any(k.lower() == "host" for k, _ in req_headers):
        req_headers.insert(0, ("Host", parts.netloc))
    # Scrapy (Twisted) sends every request as HTTP/1.1, whatever the server answers with.
    req_http = StatusAndHeaders(f"{request.method} {target} HTTP/1.1", req_headers, is_http_request=True)
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = ""
    resp_http = StatusAndHeaders(f"{response.status} {phrase}".strip(), _http_headers(response.headers),
                                 protocol=protocol)  # fmt: skip
    resp = writer.create_warc_record(response.url, "response", payload=BytesIO(response.body),
                                     http_headers=resp_http)  # fmt: skip
    resp_id = resp.rec_headers.get_header("WARC-Record-ID")
    req = writer.create_warc_record(request.url, "request", payload=BytesIO(request.body or b""),
                                    http_headers=req_http,
                                    warc_headers_dict={"WARC-Concurrent-To": resp_id})  # fmt: skip
    meta = writer.create_warc_record(
        response.url, "metadata", payload=BytesIO(json.dumps(metadata, ensure_ascii=False).encode("utf-8")),
        warc_content_type="application/json", warc_headers_dict={"WARC-Concurrent-To": resp_id},
    )  # fmt: skip
    return [req, resp, meta]


class WarcMiddleware:
    """Archives every fetched request and response when ``WARC_DIR`` is set (NotConfigured otherwise)."""

    def __init__(self, crawler: Crawler, writer: RotatingWarcWriter) -> None:
        self.crawler = crawler
        self.out = writer

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcMiddleware:
        directory = crawler.settings.get("WARC_DIR")
        if not directory:
            raise NotConfigured("WARC_DIR is not set")
        info = {"http-header-user-agent": str(crawler.settings.get("USER_AGENT") or ""),
                "robots": "obey" if crawler.settings.getbool("ROBOTSTXT_OBEY") else "ignore"}  # fmt: skip
        writer = RotatingWarcWriter(Path(directory), crawler.settings.getint("WARC_MAX_SIZE", 100_000_000),
                                    crawler.settings.get("WARC_PREFIX") or "mediacenter", info)  # fmt: skip
        mw = cls(crawler, writer)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def process_response(self, request: Request, response: Response, spider: Spider) -> Response:
        meta = request.meta
        metadata = {
            "site": getattr(spider, "site", None),
            "profile": getattr(getattr(spider, "profile", None), "name", None),
            "kind": page_kind(meta),
            "public_url": meta.get("public_url"),
            "listing_url": meta.get("listing_url"),
            "rendered": "playwright" in response.flags or bool(meta.get("playwright")),
        }
        try:
            self.out.write(*exchange_records(self.out.writer, request, response, metadata))
        except OSError as err:  # a full disk must not stop the crawl; the stats tell
            logger.error("could not archive %s: %s", response.url, err)
            self.crawler.stats.inc_value("warc/errors") if self.crawler.stats else None
            return response
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("warc/responses")
            self.crawler.stats.inc_value("warc/bytes", len(response.body))
        return response

    def spider_closed(self, spider: Spider) -> None:
        self.out.close()
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("warc/files", len(self.out.files))
        logger.info("archived %d records in %d WARC files under %s",
                    self.out.records, len(self.out.files), self.out.directory)  # fmt: skip


# --- Reading ----------------------------------------------------------------------------------


@dataclass
class ArchivedPage:
    """One archived response: URL, status, headers, body (transfer and content encodings undone),
    fetch time, and the crawler's metadata record when there is one."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    date: str | None
    metadata: dict[str, Any] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def warc_files(paths: Iterable[Path]) -> list[Path]:
    """The WARC files named, and those in the directories named (closed files only)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.name.endswith((".warc.gz", ".warc"))))
        else:
            out.append(path)
    return out


def iter_pages(paths: Iterable[Path]) -> Iterator[ArchivedPage]:
    """Every response record of the files, in order, with its metadata record attached."""
    for path in paths:
        with open(path, "rb") as fh:
            pending: ArchivedPage | None = None
            pending_id: str | None = None
            for record in ArchiveIterator(fh):
                kind = record.rec_type
                if kind == "metadata" and pending is not None:
                    if record.rec_headers.get_header("WARC-Concurrent-To") == pending_id:
                        try:
                            pending.metadata = json.loads(record.content_stream().read().decode("utf-8"))
                        except ValueError:
                            pending.metadata = {}
                    continue
                if kind != "response":
                    continue
                if pending is not None:
                    yield pending
                http = record.http_headers
                status = int(http.get_statuscode() or 0) if http else 0
                pending = ArchivedPage(
                    url=record.rec_headers.get_header("WARC-Target-URI") or "",
                    status=status,
                    headers=list(http.headers) if http else [],
                    body=record.content_stream().read(),
                    date=record.rec_headers.get_header("WARC-Date"),
                )
                pending_id = record.rec_headers.get_header("WARC-Record-ID")
            if pending is not None:
                yield pending
