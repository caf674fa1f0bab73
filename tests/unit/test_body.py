"""Where the article body starts and ends: one small hand-written page per class of line that is
kept out of (or in) the body at its edges."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from parsel import Selector

from crawler.extract import parse_article

NOW = datetime(2026, 11, 25, tzinfo=UTC)
TITLE = "江城推进老旧小区改造工作"
# Article paragraphs: long enough that the density step picks their container.
TEXT = [
    "今年以来，江城市住建局把老旧小区改造列为民生实事，全市共有一百二十个小区纳入计划，涉及居民三万多户，"
    "改造内容包括管网更新、外墙保温、加装电梯和完善停车设施等多个方面。",
    "在东风路街道的一个小区里，施工人员正在更换老化的供水管道，居民王大爷说，以前一到冬天水压就不够，"
    "楼上几户常常没水用，这次改造以后，大家心里都踏实了，生活方便了很多。",
    "市住建局有关负责人介绍，改造工作坚持先民生后提升，每个小区都先听取居民意见，再确定改造清单，"
    "做到一区一策，确保改造成果经得起群众检验，让更多居民共享城市发展的成果。",
]


def page(before: str = "", after: str = "", title: str = TITLE) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in TEXT)
    return (
        f"<html><head><title>{title}_江城新闻网</title></head><body>"
        f"<div class='nav'><a href='/'>首页</a> <a href='/news'>新闻</a></div>"
        f"<h1>{title}</h1><div class='info'>发布时间：2026-11-20 09:30 来源：江城日报</div>"
        f"<div class='content'>{before}{paragraphs}{after}</div>"
        f"<div class='footer'>版权所有 江城新闻网</div></body></html>"
    )


def body_of(html: str) -> str:
    fields = parse_article(Selector(text=html), "http://news.example/a/1.html", None, now=NOW)
    assert fields.body is not None
    return fields.body


FIRST, LAST = TEXT[0][:20], TEXT[-1][-20:]


def whole_text(html: str) -> str:
    """The body of ``html``, checked to run from the story's first paragraph to its last."""
    body = body_of(html)
    assert body.startswith(FIRST), body[:40]
    assert body.endswith(TEXT[-1]), body[-40:]
    return body


@pytest.mark.parametrize(
    ("after", "last"),
    [
        # Credit lines printed with a bar or a slash instead of a colon.
        ("<p>原标题：江城老旧小区改造见闻</p><p>出品︱江城融媒体中心</p><p>作者︱王明</p>", LAST),
        # Credit lines whose label is followed by a space only.
        ("<p>整合 江城日报记者 李华</p><p>素材来源 江城各区融媒体中心</p>", LAST),
        # The editor's credit in brackets on a line of its own.
        ("<p>（江城网编辑 孙芳）</p>", LAST),
        # Where a reprint was taken from, in brackets, and the author's affiliation.
        (
            "<p>【作者单位：江城大学社会学系】</p><p>(摘自《江城社会科学》2000年第2期，原文约15，000字)《文摘》2000年第9期</p>",
            LAST,
        ),
        # The translator's credit closing the last paragraph.
        ("<p>（编译/林东）</p>", LAST),
        # A closing sentence that only mentions a label word stays.
        ("<p>出品方表示，明年还将继续推进改造工作，让更多小区焕然一新。</p>", "让更多小区焕然一新。"),
    ],
)
def test_closing_credit_lines(after: str, last: str) -> None:
    body = body_of(page(after=after))
    assert body.startswith(FIRST)
    assert body.replace("\n", "").endswith(last), body[-80:]


@pytest.mark.parametrize(
    ("before", "first"),
    [
        # The second half of a headline printed over two lines.
        ("<p>如何推进老旧小区改造？</p>", FIRST),
        # ... but the document's own heading block, its name over its place after a <br>, is text.
        ("<p>如何推进老旧小区改造<br>（第三次居民议事会，东风路街道）</p>", "如何推进老旧小区改造（第三次"),
        # A subhead that repeats part of the headline, with other quotes.
        ("<p>江城“老旧小区”</p>", FIRST),
        # The lead photo's caption.
        ("<p>资料图：改造后的小区能住多久？</p>", FIRST),
        ("<p>图为施工人员在东风路小区更换供水管道。</p>", FIRST),
        # A deck and the byline under it.
        (
            "<p>住建局负责人说，改造坚持先民生后提升，每个小区都先听取居民意见，再确定改造清单</p><p>本报记者李华发自江城</p>",
            FIRST,
        ),
        # A dateline on its own line opens the text.
        ("<p>江城日报 11月20日讯</p>", "江城日报11月20日讯"),
        # Lines that open a list are text, not kickers.
        ("<p>◎名 称 东风路小区</p><p>◎户 数 三百户</p>", "◎名称东风路小区"),
        ("<p>改造目标</p><p>1.完成管网更新；</p>", "改造目标"),
        # A kicker is still dropped.
        ("<p>——民生实事进行时</p>", FIRST),
        ("<p>——民生实事进行时</p><p>一、改造的由来</p>", "一、改造的由来"),
        # A table of contents under the document's title: the text starts at its first sentence.
        (
            "<p>江城老旧小区改造报告</p><p>目 录：</p><p>导 言</p><p>第一章 改造的由来</p><p>第二章 改造的做法</p>",
            FIRST,
        ),
        # ... but a table of contents that the text introduces is part of it.
        (
            "<p>本文收集了江城老旧小区改造中的几个小故事，并附上相关的图片和资料链接，供大家参考。</p>"
            "<p>目录</p><p>一、改造的由来</p>",
            "本文收集了江城老旧小区改造中",
        ),
        # A label over the text.
        ("<p>原文：</p>", FIRST),
        # Headings set in bold over the first paragraph, even when they end like a sentence.
        ("<div align='center'><b>改造，让老小区焕发新生。</b></div>", FIRST),
        ("<p><strong>改造前：水压够不够？</strong></p><p><strong>改造后：电梯何时装？</strong></p>", FIRST),
        # ... but a numbered one opens the first section, a bold label opens the line under it, and
        # a bold line over a list of short lines heads the list.
        ("<p><b>一、改造的由来</b></p>", "一、改造的由来"),
        ("<p><b>项目简介：</b></p>", "项目简介："),
        ("<p><b>改造清单？</b></p><p>管网更新</p><p>外墙保温</p>", "改造清单？管网更新"),
        # An epigraph closed by its attribution.
        ("<p>房子是旧的，日子是新的。</p><p>——一位老住户</p>", FIRST),
        # The dateline opens the story: an editor's note or the lead photo's caption above it is
        # not its text.
        (
            "<p>编者按</p><p>为改造一个小区，居民们等了整整十年，这样的等待不应再有。</p>"
            "<p>本报讯 记者从市住建局获悉，第二批改造名单即将公布。</p>",
            "本报讯记者从市住建局获悉",
        ),
        (
            "<p>改造后的东风路小区焕然一新，居民们在新建的小广场上休息聊天。</p>"
            "<p>江城网讯 记者从市住建局获悉，第二批改造名单即将公布。</p>",
            "江城网讯记者从市住建局获悉",
        ),
        # A date followed by "电话" opens no dateline.
        (
            "<p>改造前，东风路小区的居民们多次反映管网老化、水压不足的问题。</p>"
            "<p>周五11月20日电话会议上，住建局确定了改造方案。</p>",
            "改造前，东风路小区",
        ),
    ],
)
def test_opening_lines(before: str, first: str) -> None:
    body = body_of(page(before=before, title='江城"老旧小区"改造：如何推进老旧小区改造？'))
    assert "".join(body.split()).startswith(first), body[:80]
    assert body.endswith(TEXT[-1])


@pytest.mark.parametrize(
    ("after", "last"),
    [
        # A rights notice after the text, with its clauses.
        (
            "<p>反侵权公告：</p><p>一、任何单位或个人使用本报作品，须经书面授权。</p><p>王律师（法律顾问）0432-6209922</p>",
            LAST,
        ),
        # A rights line.
        ("<p>【本文版权归江城日报所有。未经授权，不得转载、摘编。】</p>", LAST),
        ("<p>转载请注明出处：江城新闻网</p>", LAST),
        # The labels of lists that were removed, a pager, a loading widget, a back link.
        ("<p>财经新闻TOP10:</p><p>本周推荐:</p>", LAST),
        ("<p>第1页/共1页 &lt;&lt; 上一页 | 下一页 &gt;&gt;</p><p>正在加载...</p><p>← 返回</p>", LAST),
        # A handle to contact after the text (a phone number is no handle: it stays).
        ("<p>教程交流： xhd825</p>", LAST),
        ("<p>联系电话：0432-62099222</p>", "联系电话：0432-62099222"),
        # The site's self-promotion box.
        (
            "<div class='o-self-promo'><p class='o-self-promo__text'>每日新闻信，掌握江城大小事</p></div>",
            LAST,
        ),
        # The back matter of an encyclopedia article: its heading and the reference lines under it.
        (
            "<div>参考资料</div><ul><li>1 江城老旧小区改造计划公布．江城日报．2026-03-01</li>"
            "<li>2 江城住建局：今年改造一百二十个小区．江城新闻网 [引用日期2026-03-02]</li></ul>",
            LAST,
        ),
        (
            "<h2>注释</h2><p>^ 改造计划的全文见江城市住建局二〇二六年第三号文件，文件同时列出了一百二十个小区的名单和各自的改造内容。</p>",
            LAST,
        ),
        # A board's rules under a letter-spaced notice heading.
        ("<div>郑 重 声 明</div><p>1. 任何言论纯属作者个人观点，与本论坛无关；</p><p>2. 转载请注明出处；</p>", LAST),
        # An entry of a dated link list, and a picture label.
        ("<p>·★老旧小区改造的三个误区（2001-07-05 09:37AM）</p><p>[图片说明1：漫画/冷洁]</p>", LAST),
        # The body signing a notice, and its date, are part of the notice.
        (
            "<p>特此通告。</p><p>江城市人民政府</p><p>2026年11月20日</p>",
            "特此通告。江城市人民政府2026年11月20日",
        ),
        (
            "<p>特此公告。</p><p>江城股份有限公司董事会</p><p>2026年11月20日（来源：江城证券报）</p>",
            "特此公告。江城股份有限公司董事会2026年11月20日",
        ),
        # A box about the author after the text.
        ("<p>作者简介 more&gt;</p><p>笔名：</p><p>江城客</p><p>记录生活、雅俗共赏。</p>", LAST),
        # A reprint notice closes the text: the boxes under it are the page's.
        (
            "<p>转载请注明:原文链接 - https://news.example/a/1</p>"
            "<p>王明（1950～），江城人，当代作家，著有散文集《江城旧事》等多部作品，曾获江城文学奖。</p>",
            LAST,
        ),
        # The numbered notes closing a report.
        ("<p>[1] 《江城统计年鉴》，江城出版社，2025年。</p><p>[2] 《江城日报》，2026年11月20日。</p>", LAST),
        # A blogger's sign-off asking for likes.
        (
            '<p>如果您喜歡「江城生活」圖文分享 邀請您到 FB 粉絲團 按個"讚"!</p><p>內文有不定期的更新圖文訊息 謝謝!</p>',
            LAST,
        ),
        # A last sentence that only mentions liking and following stays.
        (
            "<p>居民们说，如果喜欢这样的改造，大家会继续关注后续工程。</p>",
            "大家会继续关注后续工程。",
        ),
        # "(未完待续)" closing an instalment.
        ("<p>下一步，各区还将陆续公布第二批改造名单。(未完待续)□</p>", "陆续公布第二批改造名单。"),
        # A last line that ends with a colon but is a sentence of the text stays.
        ("<p>最后放一张我特别喜欢的改造前后对比图：</p>", "改造前后对比图："),
        # A last sentence about rights stays.
        (
            "<p>他说，改造要尊重每一户居民的意见，尤其要获得版权所有者和住户本人的许可，才能动工。</p>",
            "住户本人的许可，才能动工。",
        ),
    ],
)
def test_widget_and_notice_tails(after: str, last: str) -> None:
    body = body_of(page(after=after))
    assert body.startswith(FIRST)
    assert body.replace("\n", "").endswith(last), body[-80:]


@pytest.mark.parametrize(
    ("after", "last"),
    [
        # A related list after the text, then the page's other boxes: teasers, slideshow labels.
        (
            "<p>相关报道：</p><p><a href='/b'>东风路小区改造完工</a></p><p>幻灯欣赏：</p>"
            "<p>杨大爷怎么也想不明白，小区为什么要改造……[<a href='/c'>全文</a>]</p><p>搜捕商机</p>",
            LAST,
        ),
        # A related box in the middle of the text: the paragraphs under it stay.
        (
            "<p>相关报道：</p><p><a href='/b'>东风路小区改造完工</a></p><p>" + TEXT[0] + "</p>",
            TEXT[0][-20:],
        ),
        # The print edition the text appeared in.
        ("<p>《江城日报》（ 2026年11月20日 02版）</p>", LAST),
    ],
)
def test_related_and_edition_tails(after: str, last: str) -> None:
    body = body_of(page(after=after))
    assert body.replace("\n", "").endswith(last), body[-80:]


@pytest.mark.parametrize(
    ("html", "body"),
    [
        # No paragraph long enough to weigh: the page's own text is its body.
        ("<html><body>\n  Test\n</body></html>", "Test"),
        # A "javascript:" anchor around paragraphs leads nowhere: its text is no link.
        ("<html><body><a href='javascript:'><p>abc</p><p>def</p> ghi</a></body></html>", "abc\n\ndef\n\nghi"),
        # ... and a page of short lines has no kicker above its first sentence.
        ("<html><head><title>Lazy images</title></head><body><article><p>Short line one</p>"
         "<img src='a.jpg'><p>Short line two</p></article></body></html>", "Short line one\n\nShort line two"),
    ],
)  # fmt: skip
def test_page_without_paragraphs(html: str, body: str) -> None:
    fields = parse_article(Selector(text=html), "http://news.example/a/1.html", None, now=NOW)
    assert fields.body == body


def test_climb_stops_at_the_article_element() -> None:
    # The story's <article> sits in a column beside a "latest news" box holding another story:
    # the climb from the paragraphs' parent stops at the article.
    other = (
        "城西片区将新建三百套保障性住房，项目计划明年开工，预计两年内完成建设并交付使用，"
        "届时将有效缓解新就业青年的住房困难，相关配套设施也将同步规划建设。"
    )
    html = (
        f"<html><head><title>{TITLE}</title></head><body><div class='page'>"
        f"<div class='wrapper'><div class='col'><div class='article'><h1>{TITLE}</h1>"
        f"<div class='article__content'>{''.join(f'<p>{p}</p>' for p in TEXT)}</div></div></div></div>"
        f"<div class='wrapper'><div class='col'><h3>最新消息</h3><p>3分钟前</p>"
        f"<h2>城西片区新建保障性住房</h2>{''.join(f'<p>{other}</p>' for _ in range(2))}</div></div>"
        "</div></body></html>"
    )
    whole_text(html)


def test_lead_paragraph_beside_the_meta_lines() -> None:
    # One <div> holds the date and source lines and the lead paragraph: the meta lines are read
    # for the fields, the paragraph stays in the body.
    html = (
        f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1><div class='content'>"
        f"<div>发布时间：2026-11-20 09:30<br>来源：江城日报<br>{TEXT[0]}</div>"
        f"<p>{TEXT[1]}</p><p>{TEXT[2]}</p></div></body></html>"
    )
    fields = parse_article(Selector(text=html), "http://news.example/a/1.html", None, now=NOW)
    assert fields.published_at is not None
    assert fields.body is not None
    assert fields.body.startswith(FIRST), fields.body[:40]


def test_paragraph_written_into_the_parent() -> None:
    # The first paragraph is the cell's own text; the others sit in a <font> inside it.
    html = (
        f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1><table><tr><td>"
        f"{TEXT[0]}<font>{''.join(f'<p>{TEXT[1 + i % 2]}</p>' for i in range(6))}</font></td></tr></table>"
        "</body></html>"
    )
    body = body_of(html)
    assert body.startswith(FIRST), body[:40]


def test_counter_badges_on_paragraphs() -> None:
    # Each paragraph carries a badge with its count of reader comments.
    badge = (
        "<span class='review'><span class='review-icon'></span><span class='review-count'>{}</span></span>"
    )
    paragraphs = "".join(
        f"<p><span>{p}</span>{badge.format(n)}</p>" for n, p in zip((37, 22, 319), TEXT, strict=True)
    )
    html = (
        f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
        f"<main class='content'><p><span>短短一句开头。</span>{badge.format(5)}</p>{paragraphs}</main></body></html>"
    )
    body = body_of(html)
    assert body.startswith("短短一句开头。"), body[:40]
    assert body.endswith(TEXT[-1])


def test_comment_thread_named_by_its_id() -> None:
    # The thread's class leads with a content word ("user-post-box"); its id says what it is.
    comments = "".join(
        f"<ul class='single-post'><li class='post-text'>{t}</li><li class='floor'>{n}F</li></ul>"
        for n, t in enumerate(("谢谢分享文章！", "真是个美丽的好地方，感谢分享～", "谢谢赏图文!"))
    )
    html = page(after=f"<div class='user-post-box' id='comment-box'>{comments}</div>")
    body = body_of(html)
    assert body.endswith(TEXT[-1]), body[-40:]


def test_listing_of_full_posts_gives_the_first() -> None:
    # A blog's home page prints its posts in boxes of one name, newest first; the second post is
    # the longest, and the page is still the post it leads with.
    longer = TEXT + TEXT

    def post(n: int, paragraphs: list[str]) -> str:
        cell = "".join(f"{p}<br><br>" for p in paragraphs)
        return (
            f"<table class='table-bg'><tr class='p{n}'><td><table><tr><td class='post-title'>第{n}篇</td>"
            f"<td class='post-title'>2026-11-2{n} 09:3{n}:00</td></tr>"
            f"<tr><td class='post-body'>{cell}</td></tr></table></td></tr></table>"
        )

    html = (
        f"<html><head><title>江城博客</title></head><body><h1>江城博客</h1>"
        f"{post(3, TEXT[:2])}{post(2, longer)}{post(1, TEXT)}</body></html>"
    )
    body = body_of(html)
    assert body.startswith(FIRST), body[:40]
    assert body.endswith(TEXT[1]), body[-40:]


@pytest.mark.parametrize(
    "tree",
    [
        # A board's reply tree under the post: title link, author, time, size and counts.
        "<ul>"
        + "".join(
            f"<li><a href='/t/{n}'>{t}</a>【{a}】08-1{n} 17:4{n} {n}15字 [155/0]<ul><li><a href='/t/{n}1'>顶</a>"
            f"【{a}】08-1{n} 18:0{n} 0字 [12/0]</li></ul></li>"
            for n, (t, a) in enumerate(
                (("大家都来说说改造后的变化，我们小区加装了电梯，老人上下楼方便多了", "江城人"),
                 ("还是素质问题，施工队晚上十点还在打钻，投诉了好几次也没有人管", "东风路"),
                 ("我的经历：改造清单是居民投票定的，这个做法值得推广到全市各个小区", "老王"))
            )
        )
        + "</ul>",
        # Replies following the post, one line each: title, author, time and date.
        "<ul>"
        + "".join(
            f"<li><a href='/m/{n}'>{t}</a> {a} 09:0{n}:51 5/23/06 (无内容)</li>"
            for n, (t, a) in enumerate((("谢谢分享", "馨语"), ("说得好", "小虫"), ("支持改造", "大卫"), ("顶一下", "江城人")))
        )
        + "</ul>",
    ],
)  # fmt: skip
def test_reply_tree_after_a_post(tree: str) -> None:
    # A forum post followed by its thread's list of posts: dated links to other pages, not text
    # (a reply's own text can be as long as a paragraph).
    html = page(after=f"<p>回复线索：</p>{tree}")
    whole_text(html)


def test_forum_post_above_its_thread_list() -> None:
    # The post is one paragraph; the thread's list of posts under it holds far more text.
    entries = "".join(
        f"<li><a href='/t/{n}'>回复</a>{TEXT[n % 3][:60]}【网友{n}】08-{10 + n} 1{n % 10}:45 {n}15字 [155/0]</li>"
        for n in range(12)
    )
    html = (
        f"<html><head><title>{TITLE}</title></head><body><h1>主题：{TITLE}</h1>"
        f"<table><tr><td>作者：江城人 时间：2026-11-20 09:30</td></tr><tr><td class='line'><p>{TEXT[0]}</p></td></tr>"
        f"<tr><td><ul>{entries}</ul></td></tr></table></body></html>"
    )
    assert body_of(html) == TEXT[0]


def test_wiki_furniture_and_back_matter() -> None:
    # An encyclopedia article: maintenance and hatnote boxes and the infobox above the text, the
    # section headings' edit links, then notes, references, external links and a navigation box.
    html = (
        f"<html><head><title>{TITLE}</title></head><body><div class='mw-body'><h1>{TITLE}</h1>"
        "<div class='mw-parser-output'>"
        "<div role='note' class='hatnote navigation-not-searchable'>“江城”重定向至此。关于其他用法，请见“江城 (消歧义)”。</div>"
        "<table class='box-Refimprove plainlinks metadata ambox ambox-content'><tr><td class='mbox-text'>"
        "本条目需要补充更多来源。请协助补充可靠来源以改善这篇条目，无法查证的内容可能会被提出异议而移除。</td></tr></table>"
        "<table class='infobox vcard'><tr><th>所属行政区</th><td>江城市</td></tr><tr><th>建置时间</th><td>2017年</td></tr></table>"
        f"<p>{TEXT[0]}</p><h2><span class='mw-headline'>改造</span><span class='mw-editsection'>[<a href='/e'>编辑</a>]</span></h2>"
        f"<p>{TEXT[1]}</p><p>{TEXT[2]}</p>"
        "<h2><span class='mw-headline'>参考资料</span><span class='mw-editsection'>[<a href='/e'>编辑</a>]</span></h2>"
        "<div class='reflist'><ol class='references'><li>^ 江城老旧小区改造计划公布，居民意见征集同步启动，涉及全市一百二十个小区. 江城日报. "
        "2026-03-01.</li></ol></div>"
        "<h2><span class='mw-headline'>外部链接</span></h2><ul><li><a href='http://x.example'>江城市住建局官方网站</a></li></ul>"
        "<table class='navbox'><tr><th>江城市行政区划</th></tr><tr><td><a href='/a'>东风区</a> · <a href='/b'>西湖区</a></td></tr></table>"
        "</div></div></body></html>"
    )
    body = whole_text(html)
    assert "编辑" not in body


def test_forum_thread_gives_its_first_post() -> None:
    # A thread: the post and the replies in tables of their own, each signed with its time; the
    # replies hold as much text as the post, and the page is the post, not the whole thread.
    def post(text: str, user: str, day: int) -> str:
        return (
            f"<table><tr><td class='p4'>{text}<p>------------------------------</p>"
            f"<p>〓 江城论坛 发布时间 2026/11/{day} 22:36:13 by {user} 〓</p></td></tr>"
            "<tr><td class='p2'><a href='/back'>← 返回</a></td></tr></table>"
        )

    replies = "".join(post(f"{TEXT[i % 3]}<br>{TEXT[(i + 1) % 3]}", f"网友{i}", 21 + i) for i in range(3))
    html = (
        f"<html><head><title>{TITLE}</title></head><body><div>"
        f"<table><tr><td class='p4'>{TITLE}</td></tr></table>"
        f"{post('<br>'.join(TEXT), '江城人', 20)}{replies}</div></body></html>"
    )
    whole_text(html)


def test_sections_of_one_story_are_no_listing() -> None:
    # The story's sections in boxes of one name, each under its own heading: no dates, one text.
    sections = "".join(
        f"<section><h2>第{i}部分</h2><div class='text'><p>{TEXT[i]}</p><p>{TEXT[(i + 1) % 3]}</p></div></section>"
        for i in range(3)
    )
    html = f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1><article>{sections}</article></body></html>"
    body = body_of(html)
    assert body.startswith("第0部分"), body[:40]
    assert body.endswith(TEXT[0]), body[-40:]


def test_table_printed_after_the_text() -> None:
    # A notice ends with a table of short cells ("附：…" over it): no cell weighs for density, and
    # the table is still part of the notice.
    rows = "".join(
        f"<tr><td>0{n}</td><td>{name}</td><td>{n + 3}</td><td>1、英语 2、{name}概论</td></tr>"
        for n, name in enumerate(("艺术学", "音乐学", "美术学", "戏剧学"), 1)
    )
    text = "".join(f"{p}<br>" for p in TEXT) + "附：招生专业及考试科目"
    html = (
        f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1><table><tr><td>"
        f"<table><tr><td>{text}</td></tr></table>"
        f"<table><tr><th>专业代码</th><th>专业名称</th><th>人数</th><th>考试科目</th></tr>{rows}</table>"
        "</td></tr></table><div><a href='/'>返回首页</a></div></body></html>"
    )
    body = body_of(html)
    assert body.startswith(FIRST), body[:40]
    assert body.endswith("1、英语 2、戏剧学概论"), body[-40:]


def test_page_that_is_a_table_of_contents() -> None:
    # A journal issue's table of contents: its heading is left out, its first entry starts it.
    entries = "".join(
        f"<p>{t}</p>"
        for t in (
            "城市更新研究", "老旧小区改造中的居民参与机制及其完善路径探析", "张明", "城市治理现代化背景下的社区更新模式比较研究",
            "李华;王芳", "城市史", "近代江城市政建设的制度变迁与空间重构研究", "赵强",
        )
    )  # fmt: skip
    html = (
        "<html><head><title>江城学报2026年第4期目录</title></head><body><div class='content'>"
        f"<h3>《江城学报》2026年第4期</h3><p>目录</p>{entries}</div></body></html>"
    )
    body = body_of(html)
    assert body.startswith("城市更新研究"), body[:40]
    assert body.endswith("赵强")


def test_notice_under_the_lead_paragraph() -> None:
    # A reprint notice printed under the lead paragraph is no end of the text: the rest stays.
    body = body_of(page(before=f"<p>{TEXT[1]}</p><p>转载请注明出处：江城新闻网</p>"))
    assert body.endswith(TEXT[-1]), body[-40:]


def test_dateline_of_a_second_story() -> None:
    # A roundup: the second story opens with a dateline, the first (longer) one stays.
    first = "".join(f"<p>{p}</p>" for p in TEXT)
    html = page(before=first, after="<p>本报讯 记者从市住建局获悉，第二批改造名单即将公布。</p>")
    assert body_of(html).startswith(FIRST)


def test_table_header_row_over_the_text() -> None:
    # The message box's header row prints the site, the board and the headline: no text.
    html = (
        f"<html><head><title>{TITLE}_江城论坛</title></head><body><table class='box'>"
        f"<tr><th>江城市民网络论坛-城市建设与管理-{TITLE}错误信息</th></tr>"
        f"{''.join(f'<tr><td>{p}</td></tr>' for p in TEXT)}</table></body></html>"
    )
    body = body_of(html)
    assert body.startswith(FIRST), body[:40]
