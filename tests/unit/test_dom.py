"""``crawler.extract.dom`` on hostile markup, and zero crashes over every real page."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from parsel import Selector

from crawler.extract import parse_article
from crawler.extract.dom import MAX_DEPTH, cleaned_tree, collapse_tag_runs, iter_blocks, parse_html
from crawler.extract.listing import parse_listing

TEXT = "<p>" + "The council approved the budget on Tuesday after a long debate. " * 5 + "</p>"


def test_ten_thousand_nested_divs_do_not_crash() -> None:
    # libxml2 itself drops what lies deeper than its own limit; nothing may raise.
    html = "<html><body><h1>Deep page</h1>" + "<div>" * 10_000 + TEXT + "</div>" * 10_000 + "</body></html>"
    assert parse_article(Selector(text=html), "http://news.example/a").reason is not None
    parse_listing(Selector(text=html), "http://news.example/")


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><h1>Deep page</h1>" + "<div>" * 1_000 + TEXT + "</div>" * 1_000 + "</body></html>",
        "<html><body><h1>Unclosed fonts</h1>" + "<font>" * 1_000 + TEXT + "</body></html>",
        "<html><body><h1>Control characters</h1><!-- c -->\x01\x02 tail" + TEXT + "</body></html>",
    ],
)
def test_hostile_markup_is_read_not_crashed_on(html: str) -> None:
    fields = parse_article(Selector(text=html), "http://news.example/a")
    assert fields.body is not None and "approved the budget" in fields.body
    parse_listing(Selector(text=html), "http://news.example/")


def test_deep_subtrees_are_read_as_one_block() -> None:
    root = parse_html("<html><body>" + "<div>" * (MAX_DEPTH + 50) + "deep text" + "</div>" * (MAX_DEPTH + 50) + "</body></html>")
    blocks = list(iter_blocks(cleaned_tree(root)))
    assert [b.text for b in blocks] == ["deep text"]


def test_json_responses_are_not_html() -> None:
    selector = Selector(text='{"list": [1, 2]}', type="json")
    assert parse_article(selector, "http://news.example/api").reason == "not_html"
    assert parse_listing(selector, "http://news.example/api").entries == []


def test_blocks_keep_document_order_and_link_share() -> None:
    root = parse_html("<body><div>one <a href='/x'>two</a> three<p>four</p>five</div></body>")
    blocks = [(b.text, b.link_chars) for b in iter_blocks(root)]
    assert blocks == [("one two three", 3), ("four", 0), ("five", 0)]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_as_a_page_never_crashes(text: str) -> None:
    parse_article(Selector(text=f"<html><body><h1>{text}</h1><p>{text}</p></body></html>"), "http://news.example/a")


def test_a_long_paragraph_is_text_whatever_its_class_says() -> None:
    para = "وزارة النقل تشغل سيارات كهربائية للعمل تاكسى بالعاصمة الإدارية، وتؤكد أن حجزها يبدأ الأربعاء. " * 3
    html = (
        "<html><head><title>x</title></head><body><h1>وزارة النقل تشغل 10 سيارات كهربائية</h1>"
        "<div id='articleBody'>" + f"<p class='selectionShareable'>{para}</p>" * 4 + "</div>"
        "<div class='share'><p class='share'>شارك</p></div></body></html>"
    )
    body = parse_article(Selector(text=html), "http://news.example.com/a.html").body
    assert body is not None and body.count("وزارة النقل") == 12 and "شارك" not in body


def test_runs_of_identical_tags_are_read_as_one() -> None:
    deep = b"<html><body>" + b"<div class='x'>" * 10_000 + b"<p>hello</p>" + b"</div>" * 10_000 + b"</body></html>"
    assert collapse_tag_runs(deep) == b"<html><body><div class='x'><p>hello</p></div></body></html>"
    fonts = b"<html><body>" + b"<font size=2>" * 3000 + b"<p>text</p></body></html>"
    assert collapse_tag_runs(fonts).count(b"<font") == 1
    ordinary = b"<html><body>" + b"<div><p>a</p></div>" * 5000 + b"</body></html>"
    assert collapse_tag_runs(ordinary) is ordinary  # short runs are left as they are


def test_a_consent_dialog_without_telling_class_names_is_not_the_article() -> None:
    legal = "<p>" + "Zaufani Partnerzy przetwarzają Twoje dane osobowe w celach marketingowych. " * 20 + "</p>"
    story = "<p>" + "Zaproszenie organizatorów do występu w Miśni przyjęli Mateusz Dul i Adrian Gała. " * 3 + "</p>"
    links = "".join(f"<li><a href='/s/{i}.html'>Inny artykuł sportowy numer {i} z tego tygodnia</a></li>" for i in range(60))
    html = (
        "<html><head><title>Dominacja Polaków w Niemczech</title></head><body>"
        f"<div class='q7w5vdw'><div class='f1r5xfs'>{legal}</div>"
        "<div class='sf9pzut'><button class='p9mqihl'>AKCEPTUJĘ I PRZECHODZĘ DO SERWISU</button></div></div>"
        f"<ul class='k3j4'>{links}</ul>"
        f"<h1>Dominacja Polaków w Niemczech</h1><div class='a1b2'>{story * 4}</div></body></html>"
    )
    body = parse_article(Selector(text=html), "http://sport.example.pl/a.html").body
    assert body is not None and "Zaproszenie" in body and "Partnerzy" not in body
    clean = cleaned_tree(parse_html(html))
    text = " ".join(clean.itertext())
    assert "Partnerzy" not in text and "Zaproszenie" in text  # the box is gone, the story is not


def test_a_payment_dialog_is_not_the_article() -> None:
    # A blog platform keeps its wallet dialog in every page; the post itself is two short lines.
    html = (
        "<html><head><title>江城代办</title></head><body><h1>江城代办</h1>"
        + "".join(f"<a href='/c/{i}'>江城博客第{i}个栏目的名称</a>" for i in range(12))
        + "<div class='article_content'><p>江城老旧小区改造申请材料代办服务</p><p>联系电话 12345678 王师傅</p></div>"
        "<div class='pay-code'><div class='pay-balance'><div class='pay-code-tile'><p>抵扣说明：</p>"
        "<p>1.余额是钱包充值的虚拟货币，按照1:1的比例进行支付金额的抵扣。</p>"
        "<p>2.余额无法直接购买下载，可以购买VIP、付费专栏及课程。</p></div></div></div></body></html>"
    )
    body = parse_article(Selector(text=html), "http://blog.example.com/a.html").body
    assert body is not None and "王师傅" in body and "余额" not in body


def test_a_login_form_is_not_the_article() -> None:
    # A forum's status page: a short message, and a login form with more lines than the message.
    options = "".join(f"<tr><td><input type='radio' name='c'>{o}</td></tr>" for o in ("不保存", "保存一天", "保存一月", "保存一年"))
    html = (
        "<html><head><title>江城论坛</title></head><body>"
        + "".join(f"<a href='/b/{i}'>江城论坛第{i}个版面</a>" for i in range(12))
        + "<table><tr><td>您在访问的时候发生错误，下面是错误的详细信息：错误的版面参数，请确认您是从有效的连接进入。</td></tr></table>"
        "<form action='/login'><table><tr><th>您尚未登录，您可以输入您的用户名、密码登录以便进行您的操作。</th></tr>"
        "<tr><td>请输入您的用户名<input name='u'></td></tr><tr><td>请输入您的密码<input type='Password' name='p'></td></tr>"
        f"<tr><td>请选择你的 Cookie 保存时间，下次访问可以方便输入。</td></tr>{options}</table></form></body></html>"
    )
    body = parse_article(Selector(text=html), "http://bbs.example.com/a.html").body
    assert body is not None and "错误的版面参数" in body and "密码" not in body
    text = " ".join(cleaned_tree(parse_html(html)).itertext())
    assert "用户名" not in text
