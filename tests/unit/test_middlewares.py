"""``CharsetMiddleware``: responses are re-declared with the encoding their bytes show."""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares import CharsetMiddleware

HEADLINE = "重庆日报：智博会开幕"


def _response(body: bytes, content_type: str | None = None) -> HtmlResponse:
    headers = {"Content-Type": content_type} if content_type else {}
    return HtmlResponse("http://example.cn/a.html", body=body, headers=headers)


def test_utf8_under_a_gb2312_meta_is_read_as_utf8() -> None:
    crawler = get_crawler(Spider)
    mw = CharsetMiddleware.from_crawler(crawler)
    body = f'<html><head><meta charset="gb2312"></head><body><h1>{HEADLINE}</h1></body></html>'.encode()
    response = _response(body)
    assert HEADLINE not in response.text  # what Scrapy alone makes of it
    fixed = mw.process_response(Request(response.url), response, Spider("x"))
    assert HEADLINE in fixed.text
    assert crawler.stats.get_value("charset/corrected") == 1


def test_right_declarations_are_left_alone() -> None:
    mw = CharsetMiddleware()
    body = f'<html><head><meta charset="gbk"></head><body><h1>{HEADLINE}</h1></body></html>'.encode("gbk")
    response = _response(body, "text/html; charset=GBK")
    assert mw.process_response(Request(response.url), response, Spider("x")) is response


def test_undeclared_gbk_is_read_as_gb18030() -> None:
    mw = CharsetMiddleware()
    body = f"<html><body><h1>{HEADLINE}</h1><p>{HEADLINE * 5}</p></body></html>".encode("gbk")
    response = _response(body)
    fixed = mw.process_response(Request(response.url), response, Spider("x"))
    assert HEADLINE in fixed.text
