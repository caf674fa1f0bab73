from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from parsel import Selector

from crawler.extract import parse_article
from crawler.extract.encoding import _suspect_sample, decode_html, is_mojibake, mojibake_ratio

from ..fixturedata import SITES, content_type

TEXT = "国务院总理李克强主持召开国务常务会议，朱镕基、王喆、李昇出席"  # 镕 喆 昇 are outside GB2312


def _page(charset: str, meta: str) -> bytes:
    html = f'<html><head><meta http-equiv="content-type" content="text/html;charset={meta}"/></head>'
    return (html + f"<body><p>{TEXT}</p></body></html>").encode(charset)


def test_gb2312_is_read_as_gb18030() -> None:
    text, encoding = decode_html(_page("gb18030", "GB2312"))
    assert TEXT in text
    assert encoding == "gb18030"


def test_http_charset_beats_meta_like_browsers() -> None:
    body = _page("gbk", "utf-8")  # the meta lies, the header is right
    text, encoding = decode_html(body, "text/html; charset=GB2312")
    assert TEXT in text and encoding == "gb18030"


def test_bom_beats_everything() -> None:
    body = b"\xef\xbb\xbf" + _page("utf-8", "gbk")
    text, encoding = decode_html(body, "text/html; charset=big5")
    assert TEXT in text and encoding == "utf-8"


def test_big5_page() -> None:
    trad = "重慶晨報記者報道，兩江新區發佈新政策"
    body = f'<html><head><meta charset="big5"></head><body><p>{trad}</p></body></html>'.encode("big5")
    text, _ = decode_html(body)
    assert trad in text


def test_undeclared_utf8_is_detected() -> None:
    body = f"<html><body><p>{TEXT}</p></body></html>".encode()
    text, _ = decode_html(body)
    assert TEXT in text


def test_gbk_bytes_under_a_utf8_meta_are_read_as_the_bytes_say() -> None:
    body = _page("gbk", "utf-8")  # GBK bytes declared as UTF-8 with no header to correct it
    text, encoding = decode_html(body)
    assert TEXT in text and encoding == "gb18030"
    assert not is_mojibake(text)


def test_utf8_bytes_under_a_gb2312_meta_are_utf8() -> None:
    # A page saved or re-served as UTF-8 that kept its old declaration (three real pages do).
    for declared in ("gb2312", "gbk", "big5", "euc-jp"):
        text, encoding = decode_html(_page("utf-8", declared))
        assert TEXT in text and encoding == "utf-8"
    # The HTTP header is no more right than the meta when the bytes say otherwise.
    text, encoding = decode_html(_page("utf-8", "gb2312"), "text/html; charset=gbk")
    assert TEXT in text and encoding == "utf-8"


def test_undeclared_gbk_is_read_as_gb18030() -> None:
    # Old Chinese pages declare nothing; Scrapy's own guess (UTF-8, then cp1252) gives mojibake.
    body = f"<html><body><h1>标题</h1><p>{TEXT}</p></body></html>".encode("gbk", errors="replace")
    text, encoding = decode_html(body)
    assert encoding == "gb18030" and "李克强" in text


def test_utf8_read_through_gbk_is_mojibake() -> None:
    double = TEXT.encode("utf-8").decode("gb18030", errors="replace")
    assert is_mojibake(f"<p>{double}</p>")
    latin = "Société générale: l'économie française accélère à Genève".encode().decode("cp1252")
    assert is_mojibake(latin)
    assert not is_mojibake(TEXT)
    assert not is_mojibake("Société générale: l'économie française accélère à Genève")


def test_replacement_characters_are_mojibake() -> None:
    text = "<p>" + "\ufffd" * 20 + "正文" * 100 + "</p>"
    assert is_mojibake(text)
    assert mojibake_ratio(text) > 0.01
    assert not is_mojibake(decode_html(_page("gbk", "gbk"))[0])


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=400),
    st.sampled_from([None, "text/html", "text/html; charset=gbk", "text/html; charset=x-bogus"]),
)
def test_any_bytes_decode_without_raising(body: bytes, content_type: str | None) -> None:
    text, encoding = decode_html(body, content_type)
    assert isinstance(text, str) and encoding


@pytest.mark.parametrize(
    ("site", "path"),
    [("people", "/n1/2019/0615/c1013-31139485.html"), ("regional", "/big5/news/list_1.html")],
)
def test_fixture_pages_decode_cleanly(site: str, path: str) -> None:
    text, _ = decode_html((SITES / site / path.lstrip("/")).read_bytes(), content_type(site, path))
    assert not is_mojibake(text)
    assert "\ufffd" not in text


@pytest.mark.parametrize(
    "path",
    [
        "hanweb/index.html",
        "people/index.html",
        "trs_portal/about/index.html",
        "govcn/yaowen/liebiao/home.htm",
        "smartchina_expo/English/syxwlb/index.shtml",
        "smartchina_expo/English/about/index.shtml",
    ],
)
def test_home_about_and_listing_pages_are_not_articles(path: str) -> None:
    site = path.split("/")[0]
    text, _ = decode_html((SITES / path).read_bytes(), content_type(site, "/" + path.split("/", 1)[1]))
    fields = parse_article(Selector(text=text), "http://site.example/" + path.split("/", 1)[1])
    assert not fields.is_article
    assert fields.reason in {"no_date", "no_body", "body_too_short", "no_title"}


def _reference_mojibake_ratio(text: str) -> float:
    """The character-by-character definition the regex implementation must equal."""
    if not text:
        return 0.0
    return sum(1 for ch in text if ch == "\ufffd" or "\x80" <= ch <= "\x9f") / len(text)


@given(st.text(alphabet=st.characters(codec=None), max_size=300))
def test_mojibake_ratio_counts_as_the_definition(text: str) -> None:
    assert mojibake_ratio(text) == _reference_mojibake_ratio(text)


@given(st.text(alphabet=st.sampled_from("ab \ufffd中文é\u00a0"), max_size=1200))
def test_double_decoding_sample_is_the_first_suspect_characters(text: str) -> None:
    # The sample stops reading at 400 characters; it must be what a full scan keeps.
    everything = "".join(c for c in text if not c.isascii() and c != "\ufffd")
    assert _suspect_sample(text) == everything[:400]
