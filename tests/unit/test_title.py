"""``crawler.extract.title``: each class of real-page headline failure as a table case."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extract import parse_article
from crawler.extract.title import clean_title, shares_words, split_site_name, strip_title_suffix, title_parts

# Lines of text broken by <br>, as old pages print a post.
LINES = "太史公因为替他说话而遭了腐刑，这一段历史人人都知道，后人也常常说起。" * 3 + "<br>"
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
        # The metadata runs the two lines of the heading together; the heading (with its space) wins.
        (
            "<meta name='ArticleTitle' content='助企纾困预计减负180亿元'><title>助企纾困预计减负180亿元_某省政府</title>",
            "<h3>要闻动态</h3><h1 class='detail_title'>助企纾困<div>预计减负180亿元</div></h1>" + BODY,
            "助企纾困 预计减负180亿元",
        ),
        # The headline is a permalink to the post; it equals the <title>'s first part, so the link
        # does not count against it (the blog's name in the h1 is not the headline).
        (
            "<title>Testing front-end code in the browser | Notes | Jane Doe</title>",
            "<h1>Hi, I'm Jane.</h1><div class='post'><h2><a href='/2013/testing'>Testing front-end code in"
            " the browser</a></h2>" + BODY + "</div>",
            "Testing front-end code in the browser",
        ),
        # A numbered title class ("tit2", "bt1") prints the whole <title>, column name and all.
        (
            "<title>本周要闻 | 春风送暖入万家</title>",
            "<div class='tit2'>本周要闻 | 春风送暖入万家</div>" + BODY,
            "本周要闻 | 春风送暖入万家",
        ),
        # The <title> is the site's banner printed on the page; it shares single characters, not
        # words, with the bold headline above the article.
        (
            "<title>美术网>艺术教育</title>",
            "<div>美术网>艺术教育</div><div>您的位置：主页>艺术教育>院校招生</div>"
            f"<table><tr><td><p><b>中国艺术研究院博士生招生简章</b></p>{BODY}</td></tr></table>",
            "中国艺术研究院博士生招生简章",
        ),
        # The bold headline shares its line's element with links after a <br> (chapter links).
        (
            "<title>艺术史研究<某某艺术网</title>",
            "<div>艺术史研究<某某艺术网</div><table><tr><td><p><b>第一编 古代</b><br><a href='1.html'>第一章</a>│"
            f"<a href='2.html'>第二章</a></p></td></tr><tr><td>{BODY}</td></tr></table>",
            "第一编 古代",
        ),
        # The <title> printed bold right above the body is the headline, not the bold numbered
        # heading that opens the body ("一、…").
        (
            "<title>二十三、感赞</title>",
            "<center><b>二十三、感赞</b></center><div><b>一、法官试验凡事谢恩</b><br><br>"
            + "有一个法官，因为听见一位传道人常常说要凡事谢恩，就想试试他。" * 4
            + "<br><br><b>二、被抢钱包应当感谢神</b><br><br>"
            + "昔有享利马太者，被人抢去钱包。他在日记中写下，被抢钱包，应当感谢神。" * 4
            + "</div>",
            "二十三、感赞",
        ),
        # A counter badge inside the heading ("241" reviews) is not part of the headline the
        # <title> confirms.
        (
            "<title>第二章 远航的船长 _《深海》小说在线阅读 - 某某中文网</title>",
            "<h2>阅读记录</h2><h1 class='title'>第二章 远航的船长<span class='review'><span class='count'>241"
            "</span></span></h1>" + BODY,
            "第二章 远航的船长",
        ),
        # A forum's <title> names only the forum; the post's subject is the labelled line above it.
        (
            "<title>某某网- 某某论坛 :: null</title>",
            "<table><tr><td><b>主题：</b> 导游为什么热衷于让你去商场购物？</td></tr>"
            "<tr><td><b>作者：</b><a href='u.jsp'>芊草</a> <b>时间：</b>2005-08-22 19:13:18</td></tr></table>"
            f"<table><tr><td>{BODY}</td></tr></table>",
            "导游为什么热衷于让你去商场购物？",
        ),
        # og:site_name cuts the <title>: the platform's name after it is the site's too (not a
        # headline for the platform's h1 logo), and "_" inside the headline does not split it.
        (
            "<title>新竹尖石_美樹營地賞楓 (2) @ 小明的家_藍天 :: 某某部落 ::</title>"
            "<meta property='og:site_name' content='小明的家_藍天'>",
            "<h1 class='logo__title'>某某部落</h1><ul><li><h2><a href='/post/1'>新竹尖石_美樹營地賞楓 (2)</a>"
            "</h2></li></ul><div class='article-body'>" + BODY + "</div>",
            "新竹尖石_美樹營地賞楓 (2)",
        ),
        # No heading; DC.Title names the second part of the <title>, not the first.
        (
            "<title>draft-doe-storage-04 - Simple Storage</title><meta name='DC.Title' content='Simple Storage'>",
            "<pre>" + "Network Working Group. This document defines a storage protocol. " * 5 + "</pre>",
            "Simple Storage",
        ),
        # No <title>, no heading: the plain line right above the date line that opens the article.
        (
            "",
            "<table><tr><td><a href='/'>首页</a> - <a href='/news'>新闻</a> - <a href='/auto'>汽车</a></td></tr>"
            "<tr><td><div>广汽回应合资传闻 全面合作即将展开</div><div><a href='/'>http://www.news.example/</a>"
            f" 2005-07-18 13:03:17</div></td></tr><tr><td class='Content'>{BODY}</td></tr></table>",
            "广汽回应合资传闻 全面合作即将展开",
        ),
        # No <title>: the bold first line of the body's cell, after the breadcrumb that opens it.
        (
            "",
            "<table><tr><td><a href='/a'>最新军情</a></td><td><a href='/b'>军事技术</a></td></tr>"
            "<tr><td colspan='2'>当前位置：<a href='/'>首页</a>-><a href='/b'>军事技术</a>"
            "<p align='center'><b>飞行物理学常识</b></p>"
            + "<p>飞行归因于作用在飞机上的几个力，第一个是飞机的重量，即将飞机拉向地面的重力。</p>" * 4
            + "</td></tr></table>",
            "飞行物理学常识",
        ),
        # No <title>: the blog post's permalink heading opens the post's box; the blog's name (h1)
        # and motto (bold) above it are not the headline.
        (
            "",
            "<h1><a href='/'>李小明</a></h1><p><b>C#/.NET 培训与咨询</b></p><div class='post'><h2>"
            "<a id='TitleUrl' href='/archive/41810.aspx'>很高兴入住博客堂</a></h2>" + BODY + "</div>",
            "很高兴入住博客堂",
        ),
        # ... or sits right above the post's text, after the sidebar's h1 sections.
        (
            "",
            "<div id='side'><h1>导航</h1><ul><li><a href='/'>首页</a></li></ul><h1>公告</h1><p>欢迎</p></div>"
            "<div class='post'><div class='postTitle'><a href='/p/98.aspx'>评老冒：做最好的东西？</a></div>"
            "<div class='postText'>" + BODY + "</div></div>",
            "评老冒：做最好的东西？",
        ),
        # A forum's <title> is its banner, printed on the page; the post's subject is a plain line
        # right above the post, past the author's link.
        (
            "<title>某某娱乐</title>",
            "<div>某某娱乐</div><table><tr><td>某某娱乐 &gt; 电影版区</td></tr><tr><td><img src='i.gif'>"
            "<font color='#FFFBB5'>《清洁》：东方式内敛与摇滚现实</font></td></tr><tr><td><a href='u.php'>眉间尺</a>"
            f"</td><td class='p4'>{BODY}</td></tr></table>",
            "《清洁》：东方式内敛与摇滚现实",
        ),
        # An empty <title> before the real one (and SVG icons' titles) do not hide the real one,
        # which confirms the h1 against a different og:title teaser.
        (
            "<title></title><meta property='og:title' content='A teaser for social media'>"
            "<title>The Deck of Cards That Made Tarot Famous - Atlas</title>",
            "<svg><symbol><title>icon-share</title></symbol></svg>"
            "<h1>The Deck of Cards That Made Tarot Famous</h1>" + BODY,
            "The Deck of Cards That Made Tarot Famous",
        ),
        # ... and the other way round: a coloured kicker glued to the h1's text, the metadata spaced.
        (
            "<meta property='og:title' content='Market cap falls:  six of the top ten lose value'>",
            "<h1><span style='color:#3e9e3e'>Market cap falls:</span>six of the top ten lose value</h1>" + BODY,
            "Market cap falls: six of the top ten lose value",
        ),
        # The <title> is only the site's banner; the headline is the bold line above the article.
        (
            "<title>谢谢您访问〖关注中国中心〗</title>",
            "<div>谢谢您访问〖关注中国中心〗</div><table><tr><td><p>首页</p><p>人物</p></td></tr>"
            "<tr><td align='center'><b><font size='3'>茉莉：我是怎样卷入八九民运的</font></b></td></tr>"
            f"<tr><td>{BODY}</td></tr></table>",
            "茉莉：我是怎样卷入八九民运的",
        ),
        # ... or the <title> is the site's name the page links home with, printed nowhere else.
        (
            "<title>某某娱乐</title>",
            "<table><tr><td><a href='/'>某某娱乐</a> &gt; 电影版区</td></tr><tr><td><img src='i.gif'>"
            "<font color='#FFFBB5'>《清洁》：东方式内敛与摇滚现实</font></td></tr><tr><td><a href='u.php'>眉间尺</a>"
            f"</td><td class='p4'>{BODY}</td></tr></table>",
            "《清洁》：东方式内敛与摇滚现实",
        ),
        # ... and when no box smaller than the page holds the text (the post and its replies in
        # table rows from the breadcrumb down), the subject is the plain line right above the
        # first paragraph.
        (
            "<title>某某娱乐</title>",
            "<div>某某娱乐</div><div><table><tr><td><a href='/'>某某娱乐</a> &gt; <a href='/f'>明星话题</a></td>"
            "<td>[<a href='/s'>精华区</a>]</td></tr></table><table><tr><td></td><td class='p4'>"
            "<font color='#FFFBB5'>惊爆唱片公司操控女星黑幕(转载)</font></td></tr><tr><td><a href='u.php'>"
            f"眉间尺</a></td><td class='p4'>{LINES * 6}</td></tr></table>"
            f"<table><tr><td class='p4'>回复：{LINES * 4}</td></tr></table>"
            f"<table><tr><td class='p4'>回复：{LINES * 4}</td></tr></table></div>",
            "惊爆唱片公司操控女星黑幕(转载)",
        ),
        # A blog's page of several entries, each under a title cell of one class: the page's
        # entry is the first, though a later entry's text is longer.
        (
            "<title>海姑娘 | blog.example.com</title>",
            "<div class='main'><table class='post'><tr><td class='post-title'>湘菜粤菜 兵分两路 (图)</td></tr>"
            "<tr><td>2005-06-14 03:25:55</td></tr><tr><td class='post-body'><p>"
            + "湘菜浓妆淡抹，粤菜却是明艳照人，两家的菜各有各的好处。" * 3
            + "</p></td></tr></table><table class='post'><tr><td class='post-title'>中国历史上的十大人物</td>"
            "</tr><tr><td>2005-06-10 05:41:31</td></tr><tr><td class='post-body'>"
            + LINES * 12
            + "</td></tr></table></div>",
            "湘菜粤菜 兵分两路 (图)",
        ),
        # A periodical's page: the <title> names the issue, the heading prints the journal's name
        # before it, and a second heading the issue alone.
        (
            "<title>理论网-2022年第4期</title>",
            "<div class='detail'><h3>《某某大学学报》2022年第4期</h3>" + BODY + "</div>"
            "<div class='side'><h3>2022年第4期</h3><img src='cover.jpg'></div>",
            "《某某大学学报》2022年第4期",
        ),
        # No <title>, and the cleaner removes the box that holds the post's title link by its
        # name ("rightmenu"): the page's own title-labelled heading is still better than none.
        (
            "",
            "<div id='bright'><div class='rightmenu'><div><a id='viewpost1_TitleUrl' href='/p/1.html'>"
            "13岁女孩辍学后生下女婴(附图)</a></div></div><div class='rightbox'>" + BODY + "</div></div>",
            "13岁女孩辍学后生下女婴(附图)",
        ),
        # A blog post whose <title> names the platform and the blog, the blog's name printed as
        # the banner far above the post: the post's title is its permalink, after its category,
        # printed big above the byline and date.
        (
            "<title>Blog平台--洞庭一叶</title>",
            "<table><tr><td><b><font color='#ffffff'>洞庭一叶</font></b></td></tr></table><table>"
            + "".join(f"<tr><td>{d}</td><td>{d + 1}</td></tr>" for d in range(1, 30, 2))
            + "</table><table><tr><td><font size='4'><strong><a href='b.asp?s=5'>[湖湘文化]</a>"
            "<a href='more.asp?id=22546'>陈天华《警世钟》</a></strong></font><br><a href='b.asp'>ggjjzhzz</a>"
            f" 发表于 2005-9-15 11:46:00</td></tr><tr><td>{BODY}</td></tr></table>",
            "陈天华《警世钟》",
        ),
        # A section heading whose words sit inside the metadata's title is not the headline: only
        # a heading that opens or ends it (a kicker or the site cut off) is.
        (
            "<meta property='og:title' content='The Open Journalism Project: Better Student Journalism'>",
            "<div class='post'><p>" + "We pushed out the first version of the project in 2012 and it grew. " * 4
            + "</p><h2>Open Journalism Project:</h2>" + BODY + "</div>",
            "The Open Journalism Project: Better Student Journalism",
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


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("主题: 【太行山上】 【DVDSCR-RMVB】", "【太行山上】 【DVDSCR-RMVB】"),  # a forum's label
        ("Subject: Re: build fails", "Re: build fails"),
        ("谁来为无序拆房“埋单”？- -", "谁来为无序拆房“埋单”？"),  # separators left dangling
        ("Foo-bar baz", "Foo-bar baz"),
        ("主题", "主题"),  # a label alone is left as it is
        ("*第一编 古代", "第一编 古代"),  # a bullet before the heading
        ("● 新春走基层", "新春走基层"),
        ("5*3 的答案", "5*3 的答案"),  # not at the start: kept
    ],
)
def test_clean_title(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


def test_a_block_inside_a_heading_is_a_space() -> None:
    title = _title("<title>x</title>", "<h1 class='title'>税收优惠政策助企纾困<div>预计减负180亿元</div></h1>" + BODY)[0]
    assert title == "税收优惠政策助企纾困 预计减负180亿元"


def test_title_parts_and_suffixes() -> None:
    assert title_parts("播客热潮 » 多维博客") == ["播客热潮", "多维博客"]
    assert title_parts("Foo-bar baz") == ["Foo-bar baz"]  # a hyphenated word is not a separator
    assert strip_title_suffix("A long headline here - Site", frozenset()) == "A long headline here"
    assert strip_title_suffix("雄安新区 - 维基百科，自由的百科全书", frozenset({"维基百科，自由的百科全书"})) == "雄安新区"
    # A forum's status page: board, subject, the status glued to it, the site's bracketed name.
    assert title_parts("大话四川-[原创]请正确认识凉山、西昌！错误信息[某某社区]") == [
        "大话四川",
        "[原创]请正确认识凉山、西昌！",
        "[某某社区]",
    ]
    assert strip_title_suffix("大话四川-[原创]请正确认识凉山、西昌！错误信息[某某社区]") == "[原创]请正确认识凉山、西昌！"
    assert title_parts("如何读懂系统的错误信息") == ["如何读懂系统的错误信息"]  # a headline's own words


@pytest.mark.parametrize(
    ("title", "site", "cut"),
    [
        ("头条_新闻 @ 我的家_藍天 :: 平台 ::", "我的家_藍天", ("头条_新闻", "我的家_藍天 :: 平台 ::")),
        ("Why neon lasts - CityLab", "CityLab", ("Why neon lasts", "CityLab")),
        ("CityLab: Why neon lasts", "CityLab", ("Why neon lasts", "CityLab")),
        ("标题新闻-新华网", "新华网", ("标题新闻", "新华网")),
        ("Foo-Bar baz", "Bar", None),  # inside a word, not between separators
        ("BBC cuts jobs - BBC News", "BBC", None),
        ("The Independent", "The Independent", None),  # nothing else
    ],
)
def test_split_site_name(title: str, site: str, cut: tuple[str, str] | None) -> None:
    assert split_site_name(title, frozenset({site})) == cut


def test_shares_words() -> None:
    assert shares_words("Bartleby the Scrivener Web Study Text", "Study Webtext")
    assert not shares_words("谢谢您访问〖关注中国中心〗", "茉莉：我是怎样卷入八九民运的")
    # Two single characters in common ("艺", "术") do not make a site's banner the headline.
    assert not shares_words("美术网>艺术教育", "中国艺术研究院博士生招生简章")
    assert shares_words("美术学院招生简章_美术网", "中国美术学院2004年招生简章")


# --- the body's first and last lines (body.py) ------------------------------------------------

PARA = "近年来，我省积极把握制造业发展趋势，加速推进数字化、网络化、智能化改造，推动工业高质量发展。"


def _body(paragraphs: list[str], title: str = "制造业高质量发展") -> str | None:
    html = f"<html><head><title>{title}</title></head><body><h1>{title}</h1><div class='article'>"
    html += "".join(f"<p>{p}</p>" for p in paragraphs) + "</div></body></html>"
    return parse_article(Selector(text=html), "http://news.example.cn/a.html").body


@pytest.mark.parametrize(
    ("last", "expected_end"),
    [
        (PARA + "（记者胡晓蓉）", PARA),  # the reporter's credit closing the last paragraph
        (PARA + "（常书香 马丹阳）", PARA),
        (PARA + "（常书香 马丹阳 ）", PARA),
        (PARA + "（完）", PARA + "（完）"),  # not a credit: left alone
    ],
)
def test_trailing_credit_of_the_last_paragraph(last: str, expected_end: str) -> None:
    body = _body([PARA, PARA, last])
    assert body is not None and body.endswith(expected_end)


@pytest.mark.parametrize("line", ["（袁源）", "文：眉间尺", "我的博客 眉间尺梦蝶 http://www.blogcn.example/User9/kafka85/index.html", "□本报记者葛灵丹", "新京报记者彭冲山东冠县报道", "请关注www.qushijing.com", "#大家健康超能团#@大家健康"])
def test_credit_and_link_lines_after_the_text(line: str) -> None:
    body = _body([PARA, PARA, PARA, line])
    assert body is not None and body.endswith(PARA)


def test_a_sentence_cut_by_a_box_is_not_a_kicker() -> None:
    # Three centred lines (headline again, authors, date), then a sentence an ad box cut after
    # its comma: the cut half is the body's first line, not a deck.
    body = _body(["制造业高质量发展", "某某课题组", "2003年5月", "为了贯彻落实发展规划，", PARA, PARA])
    assert body is not None and body.startswith("为了贯彻落实发展规划，")


def test_an_attribution_line_gives_the_outlet() -> None:
    html = (
        "<html><head><title>显示</title></head><body><h1>犬儒病</h1><div>"
        + f"<p>{PARA}</p>" * 4
        + "<p>——《北京之春》1998年3月号</p></div></body></html>"
    )
    fields = parse_article(Selector(text=html), "http://news.example.cn/a.html")
    assert fields.outlet == "北京之春" and fields.body is not None and fields.body.endswith(PARA)


def test_headline_glued_to_its_byline_is_not_body() -> None:
    body = _body(["制造业高质量发展本报实习生刘国栋", PARA, PARA])
    assert body is not None and body.startswith(PARA)


def test_consent_dialogs_are_never_the_article() -> None:
    legal = "<p>" + "We and our partners use cookies to store and access information on your device. " * 6 + "</p>"
    html = (
        "<html><head><title>Fish are spinning in the Florida Keys</title></head><body>"
        f"<div id='onetrust-consent-sdk'>{legal * 4}</div>"
        "<h1>Fish are spinning in the Florida Keys</h1><div class='story'>"
        + "<p>A mysterious ailment causing fish in the Florida Keys to spin has touched off a race.</p>" * 4
        + "</div></body></html>"
    )
    fields = parse_article(Selector(text=html), "https://news.example.com/a")
    assert fields.body is not None and "cookies" not in fields.body and "mysterious ailment" in fields.body


@pytest.mark.parametrize(
    ("opening", "kept"),
    [
        ("一、理解文革的一个重要内容", True),  # a numbered section heading opens the text
        ("1. 电子商务物流配送概述", True),
        ("第一章 失乡号", True),
        ("——当代中国的精神危机（上）", False),  # a deck, though it ends with a bracket
        ("茶博会开幕首日现场见闻", False),  # a kicker
    ],
)
def test_opening_lines(opening: str, kept: bool) -> None:
    body = _body([opening, PARA, PARA])
    assert body is not None and body.startswith(opening) is kept and PARA in body


def test_a_label_printed_one_character_a_line_is_not_text() -> None:
    body = _body(["今", "日", "推", "荐", PARA, PARA])
    assert body is not None and body.startswith(PARA)


def test_a_related_stories_box_is_cut_wherever_it_sits() -> None:
    related = "".join(f"·<a href='/n{i}.html'>其他新闻标题第{i}条内容</a> (2004-04-26 01:40AM)<br>" for i in range(4))
    html = (
        "<html><head><title>制造业高质量发展</title></head><body><h1>制造业高质量发展</h1><div class='article'>"
        f"<p>{PARA}</p><p>{PARA}</p><div><b>相关报道：</b></div><div>{related}</div><p>文章继续。{PARA}</p>"
        "</div></body></html>"
    )
    body = parse_article(Selector(text=html), "http://news.example.cn/a.html").body
    assert body is not None and "其他新闻" not in body and "相关报道" not in body
    assert body.endswith("文章继续。" + PARA)


def test_the_bold_line_above_a_byline_is_the_headline() -> None:
    html = (
        "<html><head><title>显示</title></head><body><div>"
        "<p align='center'><strong>犬儒病（上）</strong></p><p>胡平</p>"
        + f"<p>{PARA}</p>" * 4
        + "</div></body></html>"
    )
    assert parse_article(Selector(text=html), "http://news.example.cn/a.html").title == "犬儒病（上）"


def test_a_date_without_time_takes_the_time_printed_for_that_day_elsewhere() -> None:
    html = (
        "<html><head><title>留学指南</title></head><body><h1>留学指南</h1><div class='info'>2015-11-05</div>"
        f"<div class='article'>{'<p>' + PARA + '</p>' * 4}</div>"
        "<div class='art-info'>阅读 120 · 2015-11-05 11:34</div></body></html>"
    )
    fields = parse_article(Selector(text=html), "http://news.example.cn/a.html")
    assert fields.published_at is not None and fields.published_at.strftime("%Y-%m-%d %H:%M") == "2015-11-05 11:34"


def test_two_times_that_day_leave_the_date_alone() -> None:
    html = (
        "<html><head><title>留学指南</title></head><body><h1>留学指南</h1><div class='info'>2015-11-05</div>"
        f"<div class='article'>{'<p>' + PARA + '</p>' * 4}</div>"
        "<div class='art-info'>阅读 120 · 2015-11-05 11:34</div><div class='art-info'>评论 3 · 2015-11-05 18:02</div></body></html>"
    )
    fields = parse_article(Selector(text=html), "http://news.example.cn/a.html")
    assert fields.published_at is not None and fields.published_at.strftime("%H:%M") == "00:00"


def test_a_source_line_after_the_text_replaces_a_placeholder_outlet() -> None:
    html = (
        "<html><head><title>孩子的压岁钱</title></head><body><h1>孩子的压岁钱</h1>"
        "<div>2005-02-06 13:26更新 来源：转载文章</div><div class='article'>"
        + f"<p>{PARA}</p>" * 4
        + "<p>\u3000\u3000来源：新华网</p></div></body></html>"
    )
    fields = parse_article(Selector(text=html), "http://news.example.cn/a.html")
    assert fields.outlet == "新华网" and fields.body is not None and "新华网" not in fields.body


@pytest.mark.parametrize("placeholder", ["", "来源：转载文章"])
def test_a_credit_row_after_the_text_gives_the_outlet(placeholder: str) -> None:
    # Old portals close an article with a table of its own: editor | source | author cells.
    html = (
        "<html><head><title>广汽现代商用车</title></head><body><h1>广汽现代商用车</h1>"
        f"<div>2005-02-06 13:26 {placeholder}</div><table><tr><td class='content'>"
        + f"<p>{PARA}</p>" * 16
        + "</td></tr></table><table><tr><td>编辑：\n 金金</td><td align='right'>来源：\n 21世纪经济报道 </td>"
        "<td>作者：宋怡</td></tr></table><div>相关新闻</div><ul><li><a href='/b.html'>别的新闻</a></li></ul>"
        "</body></html>"
    )
    fields = parse_article(Selector(text=html), "http://news.example.cn/a.html")
    assert fields.outlet == "21世纪经济报道" and fields.body is not None and "21世纪" not in fields.body


def test_a_credit_row_far_below_the_text_is_not_read() -> None:
    html = (
        "<html><head><title>广汽现代商用车</title></head><body><h1>广汽现代商用车</h1>"
        "<div>2005-02-06 13:26</div><div class='content'>"
        + f"<p>{PARA}</p>" * 4
        + "</div>"
        + "".join(f"<div><a href='/n{i}.html'>其他新闻标题第{i}条</a></div>" for i in range(16))
        + "<div>来源：别的网站</div></body></html>"
    )
    assert parse_article(Selector(text=html), "http://news.example.cn/a.html").outlet is None


def test_the_rest_of_a_time_is_not_an_outlet() -> None:
    html = (
        "<html><head><title>中国经济</title></head><body><h1>中国经济</h1>"
        "<p>2012年12月10日, 格林尼治标准时间10:41</p><div class='content'>"
        + f"<p>{PARA}</p>" * 4
        + "</div></body></html>"
    )
    assert parse_article(Selector(text=html), "http://news.example.cn/a.html").outlet is None


def test_private_use_characters_are_not_text() -> None:
    html = (
        "<html><head><title>孩子的压岁钱</title></head><body><h1>孩子的压岁钱</h1>"
        "<div>2005-02-06 13:26 来源：人民网\ue5c2</div><div class='article'>"
        + f"<p>{PARA}</p>" * 4
        + "</div></body></html>"
    )
    assert parse_article(Selector(text=html), "http://news.example.cn/a.html").outlet == "人民网"
