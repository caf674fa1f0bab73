"""Downloader middlewares of the project."""

from __future__ import annotations

import codecs
import logging

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from crawler.extract.encoding import detect_encoding

logger = logging.getLogger(__name__)


def _norm(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name.lower()


class CharsetMiddleware:
    """Reads every text response as its bytes say (``crawler.extract.encoding``).

    Scrapy trusts the declared charset and guesses UTF-8, then cp1252, when there is none; real
    pages declare ``gb2312`` over UTF-8 bytes, or nothing over GBK bytes. The response is
    re-declared with the encoding the bytes show, so the spider and extraction see the text a
    reader sees. Counted as ``charset/corrected``.
    """

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.stats = crawler.stats if crawler is not None else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Spider) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        content_type = response.headers.get(b"Content-Type")
        header = content_type.decode("latin-1") if content_type else None
        encoding = detect_encoding(response.body, header)
        if _norm(encoding) == _norm(response.encoding):
            return response
        logger.debug("%s: read as %s, not %s", response.url, encoding, response.encoding)
        if self.stats is not None:
            self.stats.inc_value("charset/corrected")
        return response.replace(encoding=encoding)
