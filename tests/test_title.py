"""``crawler.extract.title``: each class of real-page headline failure as a table case."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extract import parse_article
from crawler.extract.title import shares_words, strip_title_suffix, title_parts

BODY = "<p>" + "正文内容，记者从有关部门获悉，相关工作正在推进之中。" * 6 + "</p>"


def _title(head: str, body: str) -> tuple[str | None, str]:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    fields = parse_article(Selector(text=html), "http://news.example.cn/a/2024/0101/1.html")
    return fields.title, fields.sources.get("title", "")


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # The site's name glued to the headline with a bare hyphen, no heading on the page.
        ("<title>法国全国大罢工再次严重影响交通-新华网</title>", BODY, "法国全国大罢工再次严重影响交通"),
        # A heading equal to the <title> without the site's name wins over a longer sidebar heading.
        (
            "<title>雄安新区 - 维基百科，自由的百科全书</title>",
            "<h2>目录</h2><h1>雄安新区 <span>[<a href='#'>编辑</a>]</span></h1>" + BODY,
            "雄安新区",
        ),
        # Documentation permalinks after the heading text.
        (
            "<title>Evolve: Shared Mutable History — evolve extension</title>",
            "<h1>evolve extension</h1><h1>Evolve: Shared Mutable History <a class='headerlink'>¶</a></h1>" + BODY,
            "Evolve: Shared Mutable History",
        ),
        # Markup that leaked into the metadata value.
        ("<meta name='ArticleTitle' content='为现代化建设凝聚强大智慧和力量&lt;div&gt;'>", BODY, "为现代化建设凝聚强大智慧和力量"),
        # A <br> inside the heading is a space, not nothing.
        ("<title>x</title>", "<h1 class='title'>税收优惠政策助企纾困<br>预计减负180亿元</h1>" + BODY, "税收优惠政策助企纾困 预计减负180亿元"),
        # The <title> is only the site's banner; the headline is the bold line above the article.
        (
            "<title>谢谢您访问〖关注中国中心〗</title>",
            "<div>谢谢您访问〖关注中国中心〗</div><table><tr><td><p>首页</p><p>人物</p></td></tr>"
            "<tr><td align='center'><b><font size='3'>茉莉：我是怎样卷入八九民运的</font></b></td></tr>"
            f"<tr><td>{BODY}</td></tr></table>",
            "茉莉：我是怎样卷入八九民运的",
        ),
        # A visible line equal to the part of the <title> before the site's name.
        (
            "<title>多维博客 » 播客热潮迅速蔓延 挑逗传统传媒业</title>",
            "<div class='post'><div>播客热潮迅速蔓延 挑逗传统传媒业</div>" + BODY + "</div>",
            "播客热潮迅速蔓延 挑逗传统传媒业",
        ),
    ],
)
def test_headline_classes(head: str, body: str, expected: str) -> None:
    assert _title(head, body)[0] == expected


def test_a_title_that_is_the_headline_is_not_replaced_by_a_bold_line() -> None:
    # The <title> shares its words with the bold line: the <title> is the headline itself.
    title, _ = _title(
        "<title>Bartleby the Scrivener Web Study Text</title>",
        "<p><b>Study Webtext</b></p><div>" + "<p>I am a rather elderly man. The nature of my avocations.</p>" * 8 + "</div>",
    )
    assert title == "Bartleby the Scrivener Web Study Text"


def test_title_parts_and_suffixes() -> None:
    assert title_parts("播客热潮 » 多维博客") == ["播客热潮", "多维博客"]
    assert title_parts("Foo-bar baz") == ["Foo-bar baz"]  # a hyphenated word is not a separator
    assert strip_title_suffix("A long headline here - Site", frozenset()) == "A long headline here"
    assert strip_title_suffix("雄安新区 - 维基百科，自由的百科全书", frozenset({"维基百科，自由的百科全书"})) == "雄安新区"


def test_shares_words() -> None:
    assert shares_words("Bartleby the Scrivener Web Study Text", "Study Webtext")
    assert not shares_words("谢谢您访问〖关注中国中心〗", "茉莉：我是怎样卷入八九民运的")
