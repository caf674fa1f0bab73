"""Images and attachments (crawler.extract.media): golden values of the media fixtures in
generic mode, decoys, captions out of the body, and the Article item's media fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from lxml import html
from parsel import Selector

from crawler.extract import parse_article
from crawler.extract.media import article_images, attachment_type, is_decoy, mime_type
from crawler.items import Article

ROOT = Path(__file__).resolve().parents[2]
MEDIA = ROOT / "fixtures" / "media"
GOLDEN_FIELDS = ("title", "outlet", "published_at", "published_at_raw", "body", "language", "images",
                 "attachments", "lead_image")  # fmt: skip


def _expected() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for file in sorted((MEDIA / "expected").rglob("*.json")):
        if not file.name.startswith("_"):
            out.append((file.relative_to(MEDIA / "expected").parts[0], json.loads(file.read_text("utf-8"))))
    return out


def _path(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def as_paths(data: dict[str, Any]) -> dict[str, Any]:
    """Media URLs as paths (the expected files name them so; a crawl sees the server's origin)."""
    out = dict(data)
    out["images"] = [{**i, "url": _path(i["url"])} for i in data.get("images") or []]
    out["attachments"] = [{**a, "url": _path(a["url"])} for a in data.get("attachments") or []]
    out["lead_image"] = _path(data.get("lead_image"))
    return out


EXPECTED = _expected()


@pytest.mark.parametrize(("site", "want"), EXPECTED, ids=[f"{s}:{w['url']}" for s, w in EXPECTED])
def test_golden_values_in_generic_mode(site: str, want: dict[str, Any]) -> None:
    page = (MEDIA / "sites" / site / want["url"].lstrip("/")).read_text(encoding="utf-8")
    fields = parse_article(Selector(text=page), "http://127.0.0.1:8000" + want["url"])
    got = as_paths(fields.as_dict())
    assert fields.is_article
    for name in GOLDEN_FIELDS:
        assert got[name] == want[name], name


def test_every_media_family_is_covered() -> None:
    sites = {s for s, _ in EXPECTED}
    assert sites == {"photo_news", "gov_notice", "expo_news"}
    images = [i for _, w in EXPECTED for i in w["images"]]
    assert len(images) >= 8 and sum(1 for i in images if i["caption"]) == len(images)
    types = {a["type"] for _, w in EXPECTED for a in w["attachments"]}
    assert types == {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "ofd", "zip", "rar", "txt"}


def _img(markup: str) -> Any:
    return html.fromstring(f"<div>{markup}</div>").find(".//img")


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="/images/logo.png">',
        '<img src="/a/weixin_qrcode.jpg">',
        '<img src="/a/x.jpg" alt="扫一扫">',
        '<img src="/c.gif?x=1" width="1" height="1">',
        '<img src="/c.gif" style="width:1px;height:1px">',
        '<img src="/icons/print.gif">',
        '<img src="/i/f.svg">',
        '<a href="/news/2024/1/2/99.shtml"><img src="/u/thumb.jpg"></a>',
        '<div class="share-box"><img src="/u/a.jpg"></div>',
    ],
)
def test_decoys(markup: str) -> None:
    img = _img(markup)
    assert is_decoy(img, "http://x.example" + img.get("src"), "http://x.example/news/1.html")


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="/uploads/2024/05/a.jpg" width="600">',
        '<a href="/uploads/2024/05/a_big.jpg"><img src="/uploads/2024/05/a.jpg"></a>',
        '<img src="/upload/P020240315.png" alt="开幕式现场">',
    ],
)
def test_article_pictures_are_not_decoys(markup: str) -> None:
    img = _img(markup)
    assert not is_decoy(img, "http://x.example" + img.get("src"), "http://x.example/news/1.html")


def test_captions_leave_the_body_but_text_with_an_inline_picture_stays() -> None:
    page = (
        "<html><body><h1>标题在这里</h1><div class='content'>"
        "<p>第一段正文内容，介绍了本次活动的基本情况和主要安排，共有多家单位参加。</p>"
        "<p><img src='/u/1.jpg'></p><p>图为活动现场。</p>"
        "<p><img src='/u/2.jpg'>第二段正文从图片后面开始，这是正文的一部分，不是图片说明，内容较长。</p>"
        "<p>第三段正文内容，说明了后续的工作计划和时间安排，请各单位做好准备。</p>"
        "</div></body></html>"
    )
    fields = parse_article(Selector(text=page), "http://x.example/a/1.html")
    assert [i["caption"] for i in fields.images] == ["图为活动现场。", None]
    assert fields.body is not None and "图为活动现场" not in fields.body
    assert "第二段正文从图片后面开始" in fields.body


@pytest.mark.parametrize(
    ("under", "caption"),
    [
        # One short line under the picture, set apart by a <br>: its caption.
        ("<br>江城老旧小区改造现场", "江城老旧小区改造现场"),
        # Two lines cut by <br>s: the post the picture illustrates, not a caption.
        ("<br>江城老旧小区改造代办<br>联系电话 12345678 王师傅", None),
    ],
)
def test_lines_under_a_picture_in_its_paragraph(under: str, caption: str | None) -> None:
    page = (
        "<html><body><h1>标题在这里</h1><div class='content'>"
        f"<p><img src='/u/1.jpg'>{under}</p></div></body></html>"
    )
    fields = parse_article(Selector(text=page), "http://x.example/a/1.html")
    assert [i["caption"] for i in fields.images] == [caption]


def test_attachment_types_and_mime() -> None:
    assert attachment_type("http://x.example/P0201.PDF") == "pdf"
    assert attachment_type("http://x.example/download.jsp?file=a%2Fb.docx") == "docx"
    assert attachment_type("http://x.example/a.html") is None
    assert attachment_type("http://x.example/a.exe") is None
    assert mime_type("http://x.example/a.pdf") == "application/pdf"
    assert mime_type("http://x.example/dl?id=3", "ofd") == "application/ofd"


def test_lead_image_falls_back_to_og_image_and_is_absolute() -> None:
    page = ("<html><head><meta property='og:image' content='/share/cover.jpg'></head><body><h1>T</h1>"
            "<div id='content'><p>Only text in this article, long enough to be its body text.</p></div>"
            "</body></html>")  # fmt: skip
    fields = parse_article(Selector(text=page), "http://x.example/a/1.html")
    assert fields.images == [] and fields.lead_image == "http://x.example/share/cover.jpg"


def test_images_in_page_order_without_duplicates() -> None:
    root = html.fromstring(
        "<div><p><img src='b.jpg'></p><p><img src='a.jpg'></p><p><img src='b.jpg'></p>"
        "<p><img src='data:image/png;base64,AAAA'></p></div>"
    )
    assert [i.url for i in article_images([root], "http://x.example/n/1.html")] == [
        "http://x.example/n/b.jpg",
        "http://x.example/n/a.jpg",
    ]


def test_article_from_an_old_dict_and_with_unknown_keys() -> None:
    # A spill line or JSON Lines row written before images and attachments existed.
    old = {"url": "http://x.example/1.html", "title": "T", "body": "B", "published_at": "2019-07-19T17:30:36+08:00",
           "content_hash": "abc", "duplicate_of": None}  # fmt: skip
    article = Article.from_dict(old)
    assert article.images == [] and article.attachments == [] and article.lead_image is None
    newer = Article.from_dict({**old, "images": None, "attachments": '[{"url": "u", "type": "pdf"}]',
                               "some_future_field": 1, "media_version": 2})  # fmt: skip
    assert newer.images == [] and newer.attachments == [{"url": "u", "type": "pdf"}]
    assert Article.from_dict({**old, "images": "not json"}).images == []


def test_to_dict_copies_the_media_lists() -> None:
    article = Article(url="u", images=[{"url": "i", "caption": None, "alt": None}])
    data = article.to_dict()
    data["images"][0]["caption"] = "changed"
    data["images"].append({"url": "j"})
    assert article.images == [{"url": "i", "caption": None, "alt": None}]
    assert Article.from_dict(data).to_dict() == data
    two = Article(url="v")
    two.images.append({"url": "k"})
    assert Article(url="w").images == []  # no list shared between instances
