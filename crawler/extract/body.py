"""The article body: the densest container of paragraphs, and the lines inside it that are not
article text (widgets, meta lines, captions, closing source and editor lines, contact blocks)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

from lxml import etree

from crawler.extract.dates import find_dates
from crawler.extract.dom import Block, is_ancestor, iter_blocks, tokens
from crawler.extract.fields import parse_meta_line, starts_with_label
from crawler.extract.text import CaseFree, has_cjk, text_length, unspaced
from crawler.extract.thresholds import LIMITS
from crawler.extract.vocabulary import (
    AUTHOR,
    CONTENTS_HEADINGS,
    CREDIT_LABELS,
    EDITOR,
    LABELS,
    OUTLET,
    PROFILE_HEADINGS,
    STOP,
    TEXT_LABELS,
    TIME,
)


class Searcher(Protocol):
    """A compiled pattern: ``re.Pattern`` or a profile's time-bounded ``UserRegex``."""

    def search(self, text: str) -> Any: ...


# Lines that are widgets, not text: print/close/font, share, QR, error-report, counters.
NOISE_LINE = re.compile(
    r"^(?:[←«<]+\s*)?[\[【(（]?\s*(?:打印|关闭|關閉|列印|打印本页|关闭窗口|打印此页|收藏|纠错|我要纠错|分享到|分享|"
    r"字体|字号|字體|大\s*中\s*小|扫一扫|掃一掃|扫描二维码|掃描二維碼|手机扫|手機掃|二维码|二維碼|瀏覽次數|閱讀次數|浏览量|阅读量|点击量|点击率|访问量|返回顶部|返回|顶部|上一篇|下一篇|"
    r"相关(?:信息|新闻|稿件|文章|阅读|链接|报道)|相關(?:新聞|文章|閱讀)|推荐阅读|延伸阅读|热点推荐|"
    r"下载.{0,12}客户端|看更多.{0,10}|往期推荐|往期回顾|点击蓝字.{0,8}|关注我们|点击播放|视频加载中|"
    r"END|完|（完）|\(完\)|精彩(?:视频|图片|内容)?推荐|视频推荐|正在加载|加载中|猜你喜欢|上一页|下一页|第\s*\d+\s*页\s*/\s*共\s*\d+\s*页|\d{1,2}:\d{2}(?::\d{2})?|"
    r"Related(?:\s+(?:stories|articles|news|content|posts))?|More (?:from|stories|news)|Read more|"
    r"-+\s*(?:Ends?|END)\s*-+|#{3}|\*{3}|"
    r"Print|Close|Share(?:\s+to)?|Font|Large\s+Medium\s+Small|Back to top|Top|"
    r"Previous|Next|E-?mail|Tweet|WeChat|Weibo|微信|微博|QQ空间|QQ|浏览次数|阅读次数|点击数|Views?)"
    r"(?:\s*[:：]?.{0,40})?[\]】)）]?$",
    re.I,
)


# Closing lines that state outlet, editor, author or reviewer: kept out of the body. The label
# is followed by a colon, or by the bar or slash some sites print instead ("出品︱网易科学人",
# "作者︱春春", "编译/林靖东").
_CLOSING_WORDS = sorted(
    {*LABELS[OUTLET], *LABELS[EDITOR], *LABELS[AUTHOR], *CREDIT_LABELS} - {"By", "From"},
    key=len,
    reverse=True,
)
_CLOSING_LINE = re.compile(
    r"^[\[【(（]?\s*(?:"
    + "|".join(re.escape(label) for label in _CLOSING_WORDS)
    + r")\s*[:：︱｜|丨/].{0,80}$",
    re.I,
)
# ... or by a space only, on a short last line that is no sentence: "素材来源 江苏13个设区市党报",
# "整合 新华日报·交汇点记者 徐睿翔" (Chinese labels of two or more characters only).
_CLOSING_SPACED = re.compile(
    r"^(?:"
    + "|".join(re.escape(label) for label in _CLOSING_WORDS if len(label) >= 2 and has_cjk(label))
    + r")[\s\u3000]+\S.{0,38}$"
)


_CONTACT_HEADING = re.compile(
    r"^(?:(?:Media|Press|News)\s+(?:contacts?|inquiries|enquiries)|Contacts?|"
    r"For (?:more information|media inquiries)|媒体联系(?:人|方式)?|新闻联络|联系方式)\s*[:：]?\s*$",
    re.I,
)


_RELATED_HEADING = re.compile(
    r"^[\[【]?\s*(?:相关|相關|延伸|推荐|推薦)(?:报道|新闻|文章|阅读|链接|稿件|專題|专题|報導|新聞|閱讀)\s*[\]】]?\s*[:：]?\s*$|"
    r"^(?:(?:Related|More)\s+(?:stories|articles|news|coverage|content|reading)|Further\s+reading|"
    r"(?:Read|See)\s+also|Also\s+read)\s*:?\s*$",
    re.I,
)


# "推进会现场。（高新区融媒体中心供图）": a photo line with its credit, not article text.
_PHOTO_CREDIT = re.compile(r"[（(][^（）()]{0,24}(?:供图|摄|图|photo|Photo)[）)]\s*$")


# The reporter's credit closing the last paragraph: "…高质量发展。（记者胡晓蓉）", "（常书香 马丹阳）".
_TRAILING_CREDIT = re.compile(
    r"(?<=[。！？!?”\"])\s*[（(](?:[^（）()]{0,12}(?:记者|通讯员|报道|编辑|编译|撰稿|供稿|整理)[^（）()]{0,14}"
    r"|[\u4e00-\u9fff]{2,4}(?:[\s、，,][\u4e00-\u9fff]{2,4}){0,3})\s*[）)]\s*$"
)
# The same credit on a line of its own: "（袁源）", "(常书香 马丹阳)".
_CREDIT_ALONE = re.compile(
    r"^\s*[（(](?:[\u4e00-\u9fff]{2,4}(?:[\s、，,][\u4e00-\u9fff]{2,4}){0,3}"
    r"|[^（）()]{0,16}(?:记者|通讯员|编辑|编译|撰稿|供稿|整理)[^（）()]{0,16})\s*[）)]\s*$"
)
# A short last line that credits the text rather than continuing it: "□本报记者葛灵丹",
# "新京报记者彭冲山东冠县报道", "——《北京之春》1996年6月号", "执笔人：…".
_CREDIT_LINE = re.compile(
    r"^[□■◇◆—–\-\s]*[（(【\[]?\s*(?:[\u4e00-\u9fff]{0,6}?(?:实习)?记者|通讯员|执笔人?|——\s*《|--\s*《|摘自|转自|"
    r"[文图]\s*[:：/])"
)
# "《光明日报》（ 2022年02月13日 02版）": the print edition the text appeared in.
_PRINT_EDITION = re.compile(
    r"^\s*《[^》]{2,30}》\s*[（(]?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^（）()]{0,12}[)）]?\s*$"
)
_ATTRIBUTION = re.compile(r"^[—–\-\s]*《([^》]{2,30})》")
# Lines that are links or tags, not text: "请关注www.example.com", "#话题#@账号", "PostId=543698".
_URL = re.compile(r"(?:https?://|www\.)\S+")
_LINK_LINE = re.compile(r"(?:https?://|www\.)\S+\s*$|^[#@]\S|[?&]\w+=\w+\s*$")


# A numbered section heading opens the text, it is no kicker: "一、理解文革", "1. 概述", "第一章",
# "（一）", "IV. Results".
_SECTION_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}(?:\.\d{1,2})*\s*[.．、]?\s+\S|\d{1,2}\s*[、．]|"
    r"第[一二三四五六七八九十百\d]{1,4}[章节部分篇编回]|[（(][一二三四五六七八九十\d]{1,3}[)）]|[IVX]{1,4}\.\s)"
)


# A rights notice after the text: nothing from its heading on is article text.
_NOTICE_HEADING = re.compile(
    r"^[\[【]?\s*(?:反侵权公告|侵权声明|版权声明|版权说明|免责声明|郑重声明|特别声明|"
    r"Disclaimer|Copyright notice)\s*[\]】]?\s*[:：]?\s*$",
    re.I,
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# The pieces of a rights notice: "未经授权，不得转载", and a line opening with the copyright sign.
_UNAUTHORISED = r"未经(?:授权|许可|书面(?:授权|许可))[，,、]?\s*(?:不得|禁止|严禁|请勿)"
_COPYRIGHT_START = r"\s*(?:©|Copyright\b"
# "【…独家所有。未经授权，不得转载、摘编等。】", "转载请注明:原文链接 - …", "© 2024 …".
_RIGHTS_LINE = re.compile(
    _UNAUTHORISED + r"|版权所有(?![者人方])|转载请注明|All rights reserved|^" + _COPYRIGHT_START + ")",
    re.I,
)
_FOOTER_LINE = re.compile(_COPYRIGHT_START + r"|\(c\)\s*\d{4})", re.I)
# "转载请注明:原文链接 - …" after the text: the reprint notice closes the article; what follows is
# the page's own boxes (the author's biography, other poems), whatever their length.
_REPRINT_LINE = re.compile(r"转载请注明|轉載請註明|" + _UNAUTHORISED)
# The heading of a box about the author after the text: "诗人简介 more>", "作者简介：…".
_PROFILE_HEADING = re.compile(
    r"^[\[【]?\s*(?:" + "|".join(re.escape(h) for h in PROFILE_HEADINGS) + r")\s*[\]】]?\s*"
    r"(?:(?:more|更多)\s*>*\s*$|[:：]|$)",
    re.I,
)
# A note of the list closing a report: "[1] 《…的讲话》，新华社，2021年7月1日。", "［2］…".
_ENDNOTE = re.compile(r"^\s*[\[［]\d{1,3}[\]］]\s*\S")
_NOTES_HEADING = re.compile(
    r"^\s*(?:注释|注|附注|尾注|参考文献|参考资料|Notes|References)\s*[:：]?\s*$", re.I
)
# A blogger's sign-off after the text, asking for likes or follows: "如果您喜歡…請到 FB 粉絲團
# 按個"讚"!", "欢迎关注我的公众号", "Follow us on …".
_SIGN_OFF = re.compile(
    r"(?:如果|若|如)(?:您|你)(?:喜欢|喜歡|觉得|覺得).{0,40}?(?:[赞讚]|关注|關注|订阅|訂閱|追蹤|粉[丝絲])|"
    r"欢迎(?:关注|订阅)(?:我|本|微信|公众号)|歡迎(?:關注|訂閱)(?:我|本)|按[个個]\s*[\"“「]?[赞讚]|"
    r"(?:Like|Follow) (?:us|me) on|Subscribe to (?:our|my)",
    re.I,
)
# "·★股市３６计—以空对空的股市骗局（2001-07-05 09:37AM）": an entry of a dated link list.
_DATED_ENTRY = re.compile(r"^\s*[·•]\s*\S.{0,80}[（(]\s*\d{4}[-/.年]\d{1,2}[^（）()]{0,20}[）)]\s*$")
# "教程交流： xhd825", "微信：jc_news": a handle to contact, after the text.
_HANDLE_LINE = re.compile(r"^[\u4e00-\u9fff]{2,8}\s*[:：]\s*(?=[\w.@-]*[A-Za-z])[A-Za-z0-9_.@-]{3,40}\s*$")
# "[图片说明1：漫画/冷洁]".
_PICTURE_LABEL = re.compile(r"^\s*[\[【]\s*图片?(?:说明)?\s*\d*\s*[:：][^\]】]{0,40}[\]】]\s*$")
# "(未完待续)□" closing the last paragraph of an instalment.
_TO_BE_CONTINUED = re.compile(r"\s*[（(](?:未完待续|待续|未完)[)）]\s*[□■]?\s*$")
# "（来源：上海证券报）" after a date.
_BRACKETED_LABEL = re.compile(r"\s*[（(][^（）()]{1,12}[:：][^（）()]{1,30}[）)]\s*$")
# The body signing a notice: its date under it is part of the notice.
_SIGNATURE_ORG = re.compile(
    r"(?:人民政府|政府|委员会|董事会|监事会|办公室|办公厅|人民法院|人民检察院|[局厅委]|股份有限公司|有限公司|有限责任公司)$"
)
# The caption of the lead photo, above the first paragraph: "资料图：…", "图为马素湘在…".
_LEAD_CAPTION = re.compile(r"^\s*(?:(?:资料图片?|图片|图注|图)\s*[:：]|图为\S)")
# A dateline on its own line opens the text: "TNW中文站 10月14日报道", "新华社北京11月17日电".
_DATELINE = re.compile(r"^[^:：]{0,30}\d{1,2}\s*日\s*(?:电|讯|报道)\s*$")
# A dateline opening the first paragraph of a news story: "本报讯 经过…", "南方网讯 薛凯琪…",
# "新华社北京11月17日电 …". What a page prints above it (an editor's note, the lead photo's
# caption) is not the story's text.
_DATELINE_OPENER = re.compile(
    r"^\s*[（(【\[]?\s*(?:本[报刊台网]讯|[\u4e00-\u9fff]{1,8}[网報报社台]讯|"
    r"[\u4e00-\u9fffA-Za-z]{2,16}\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|電|讯|訊)(?![\u4e00-\u9fff]))"
)  # (not "周五3月5日电话会议上…")
# "目 录：" over a report's chapters.
_CONTENTS_HEADING = re.compile(
    r"^\s*[\[【]?\s*(?:"
    + "|".join(r"\s*".join(map(re.escape, h)) if has_cjk(h) else re.escape(h) for h in CONTENTS_HEADINGS)
    + r")\s*[\]】]?\s*[:：]?\s*$",
    re.I,
)
# "原文：" over a poem: the name of the field the text fills.
_TEXT_LABEL = re.compile(r"^\s*(?:" + "|".join(map(re.escape, TEXT_LABELS)) + r")\s*[:：]\s*$", re.I)
# The first item of a numbered list: "1.认识…", "一、…".
_FIRST_ITEM = re.compile(r"^\s*[（(]?(?:1|一)\s*[.．、)）]")


# "棠商发〔2024〕2号": a document number standing alone.
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,10}[〔\[（(]\d{4}[〕\]）)]\s*\d+\s*号$")


_CAPTION = re.compile(
    r"caption|img-?desc|pic-?desc|picdesc|imgtext|photo-?desc|tupian|img_title|gallery|slideshow|carousel|"
    r"swiper|(?:^|[\s_-])cap(?:$|[\s_-])",
    re.I,
)


BREADCRUMB_LEAD = re.compile(
    r"^(?:当前位置|您现在的位置|您的位置|现在位置|所在位置|当前位置是|目前位置|您所在的位置|"
    r"Your (?:current )?(?:location|position)|You are here|Location|Current location)\s*[:：]?\s*",
    re.I,
)


# Labels whose whole line is a field of the page however long it is (a summary, keywords,
# a disclosure table's index number).
STOP_OPENERS = re.compile(
    r"(?:摘要|内容摘要|导语|内容提要|关键词|关键字|索引号|主题分类|文号|发文字号|有效性|成文日期|生效日期|废止日期|"
    r"排版)\s*[:：]",
    re.I,
)


def densest_containers(blocks: list[Block]) -> list[etree._Element]:
    """The element whose paragraphs hold the most text with the fewest links, with the
    siblings that continue it."""
    scores: dict[int, float] = {}
    elements: dict[int, etree._Element] = {}
    text_total: dict[int, int] = {}
    link_total: dict[int, int] = {}
    good_total: dict[int, int] = {}
    loose_good: dict[int, int] = {}  # good text written straight into an element
    for block in blocks:
        length = block.length
        good = length >= LIMITS.paragraph_chars and block.link_density <= LIMITS.paragraph_link_density
        if good:
            loose_good[id(block.element)] = loose_good.get(id(block.element), 0) + length
        linked = int(block.link_density * length)
        el: etree._Element | None = block.element
        while el is not None:
            key = id(el)
            elements[key] = el
            text_total[key] = text_total.get(key, 0) + length
            link_total[key] = link_total.get(key, 0) + linked
            if good:
                good_total[key] = good_total.get(key, 0) + length
            el = el.getparent()
        if not good:
            continue
        weight = 1 + min(length / 100, 3) + block.text.count(",") * 0.3 + block.text.count("，") * 0.3
        weight += block.text.count("。") * 0.3
        base = block.element
        if block.tag in {"p", "li", "h2", "h3", "h4", "h5", "h6", "span", "font", "br", "blockquote",
                         "strong", "b", "em"}:  # fmt: skip
            parent = base.getparent()
            base = parent if parent is not None else base
        for factor in (1.0, 0.5, 0.25):
            if base is None:
                break
            key = id(base)
            elements[key] = base
            scores[key] = scores.get(key, 0.0) + weight * factor
            base = base.getparent()
    if not scores:
        # No paragraph long enough to weigh ("<body>Test</body>", a list of headings and images):
        # the page's own text is all there is.
        if not any(b.text for b in blocks):
            return []
        return [blocks[0].element.getroottree().getroot()]

    def final(key: int) -> float:
        density = link_total.get(key, 0) / max(text_total.get(key, 1), 1)
        return scores[key] * (1 - min(density, 1.0))

    best = max(scores, key=final)
    top = elements[best]
    # One of the boxes of a listing of full posts (a blog's home page, a forum thread): the first
    # post, and no climb into the page that holds them all.
    first = _first_post(top, good_total)
    if first is None:
        top, best = _climb(top, best, elements, scores, text_total, link_total, good_total, loose_good)
        first = _first_post(top, good_total)
    if first is not None:
        top, best = first, id(first)
        scores.setdefault(best, 0.0)
    else:
        table_after = _with_table_after(top, text_total, link_total)
        if table_after is not None:
            top, best = table_after, id(table_after)
            scores.setdefault(best, 0.0)
    parent = top.getparent()
    if parent is None:
        return [top]
    # Readability's sibling rule: text split over sibling blocks (NYT "companion columns",
    # paragraphs around an inline ad) belongs to the article when it scores close enough.
    floor = max(LIMITS.sibling_floor_share * final(best), 3.0)
    chosen: list[etree._Element] = []
    for sibling in parent:
        if sibling is top:
            chosen.append(sibling)
            continue
        key = id(sibling)
        if key in scores and final(key) >= floor:
            chosen.append(sibling)
        elif sibling.tag == "p" and key in text_total:
            density = link_total.get(key, 0) / max(text_total[key], 1)
            if text_total[key] >= LIMITS.sibling_paragraph_chars and density < LIMITS.sibling_link_density:
                chosen.append(sibling)
    return chosen


def _climb(
    top: etree._Element,
    best: int,
    elements: dict[int, etree._Element],
    scores: dict[int, float],
    text_total: dict[int, int],
    link_total: dict[int, int],
    good_total: dict[int, int],
    loose_good: dict[int, int],
) -> tuple[etree._Element, int]:
    """From the densest element up to the one that holds the whole text."""
    # Climb while the parent holds clearly more paragraph text at a low link density: a story
    # split into several column <div>s, each holding some of its paragraphs.
    candidate, candidate_key = top, best
    for _ in range(5):
        up = candidate.getparent()
        if up is None or up.tag in {"body", "html"} or _marks_article(candidate):
            break
        key = id(up)
        density = link_total.get(key, 0) / max(text_total.get(key, 1), 1)
        gained = good_total.get(key, 0) / max(good_total.get(candidate_key, 0), 1)
        if density >= LIMITS.climb_link_density or gained < 1.0:
            break
        elements[key] = up
        candidate, candidate_key = up, key
        if gained >= LIMITS.climb_gain:
            # Adopt it; wrappers that add nothing are passed through on the way up.
            top, best = up, key
            scores.setdefault(key, 0.0)
    # Paragraphs written straight into the parent, around the densest element ("<td>first
    # paragraph<font><p>…</p></font></td>"): the parent holds the whole text.
    parent = top.getparent()
    if parent is not None and parent.tag not in {"body", "html"}:
        key = id(parent)
        density = link_total.get(key, 0) / max(text_total.get(key, 1), 1)
        loose = loose_good.get(key, 0)
        if loose and density < LIMITS.climb_link_density and not _marks_article(top):
            top, best = parent, key
            scores.setdefault(key, 0.0)
    return top, best


def _with_table_after(
    top: etree._Element, text_total: dict[int, int], link_total: dict[int, int]
) -> etree._Element | None:
    """The box that holds the text and the table printed right after it: a notice's schedule or
    list of subjects ("附：招生专业及考试科目" over a table of short cells) weighs nothing for
    density, and is still the text's. Only tables without links that follow the text, in the
    first element around it that holds more."""
    chain, box = top, top.getparent()
    while box is not None and text_total.get(id(box), 0) <= text_total.get(id(top), 0):
        chain, box = box, box.getparent()  # wrappers that add nothing
    if box is None or box.tag in {"body", "html"}:
        return None
    extra = 0
    after = False
    for child in box:
        if child is chain:
            after = True
            continue
        key = id(child)
        if key not in text_total:
            continue
        linked = link_total.get(key, 0) > LIMITS.table_link_share * text_total[key]
        if not after or child.tag != "table" or linked:
            return None
        extra += text_total[key]
    return box if 0 < extra <= LIMITS.table_after_share * text_total.get(id(top), 0) else None


def _first_post(top: etree._Element, good_total: dict[int, int]) -> etree._Element | None:
    """The first of the page's full posts when the densest element is one of them: a blog's
    home or archive page, or a forum thread, prints several posts in boxes of one name
    (``<td class="post-body">``), newest (or the thread's own) first, each with a post's worth
    of text; the page is the post it leads with, not the longest one nor all of them. Boxes that
    share a parent or a grandparent are no posts (a story's sections or a table's cells)."""
    label = top.get("class")
    if not label or not label.strip():
        return None
    posts = [
        el
        for el in top.getroottree().getroot().iter(top.tag)
        if el.get("class") == label and good_total.get(id(el), 0) >= LIMITS.post_chars
    ]
    if len(posts) < LIMITS.listing_posts or not any(el is top for el in posts):
        return None
    parents = {id(el.getparent()) for el in posts}
    grandparents = {id(p.getparent()) for el in posts if (p := el.getparent()) is not None}
    if len(parents) < len(posts) or len(grandparents) < len(posts):
        return None
    # Each post has its date and time on a short line of its own ("由海姑娘张贴 @ 2005-06-14
    # 03:25:55", "〓 发布时间 2005/03/15 22:36:13 by duscha 〓"); the sections of one story do not.
    dated = sum(1 for el in posts if _dated_line(_post_box(el, posts)))
    return posts[0] if dated >= LIMITS.dated_posts_share * len(posts) else None


_POST_TIME = re.compile(r"(?<!\d)\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*\d{1,2}:\d{2}")


def _post_box(post: etree._Element, posts: list[etree._Element]) -> etree._Element:
    """The largest element around ``post`` that holds no other post."""
    box = post
    while (up := box.getparent()) is not None and not any(
        other is not post and (other is up or is_ancestor(up, other)) for other in posts
    ):
        box = up
    return box


def _dated_line(box: etree._Element) -> bool:
    limit = LIMITS.post_date_line_chars
    return any(len(block.text) <= limit and _POST_TIME.search(block.text) for block in iter_blocks(box))


# An element that names itself the article: the climb stops there, since what lies around it is
# the page's other boxes ("Právě se děje" with the next story), not more columns of this one.
_ARTICLE_ELEMENT = re.compile(r"(?:^|\s)article(?:$|\s)", re.I)


def _marks_article(el: etree._Element) -> bool:
    return el.tag == "article" or bool(_ARTICLE_ELEMENT.search(tokens(el)))


def body_blocks(
    blocks: list[Block],
    containers: list[etree._Element],
    title: str | None,
    used: set[int],
    drops: Sequence[Searcher],
) -> tuple[list[Block], dict[str, str]]:
    """The article's paragraphs among ``blocks`` inside ``containers``, and the values of the
    closing lines cut from its end (``Source: …`` gives an outlet, ``责任编辑：…`` an editor)."""
    inside: list[tuple[Block, etree._Element]] = []
    for block in blocks:
        for container in containers:
            if block.element is container or is_ancestor(container, block.element):
                inside.append((block, container))
                break
    result: list[Block] = []
    closing: dict[str, str] = {}
    in_related = False
    related_box: etree._Element | None = None
    related_at: int | None = None  # where a related list starts after the text
    for block, container in inside:
        text = block.text
        if id(block.element) in used and not _signed_date(text, result) and not _text_beside_meta(text):
            continue  # a meta line read for the fields (the date under a notice's signature is text)
        if title and (text == title or (title in text and len(text) < len(title) + 6)):
            continue
        if title and text.startswith(title) and len(text) - len(title) <= 20 and not _ends_sentence(text):
            continue  # the headline and its byline in one block: "标题本报实习生刘国栋"
        if title and not result and block.tag in {"th", "caption"} and _box_header(text, title):
            continue  # a table's header row over the text: "论坛-版面-<headline>错误信息"
        if related_box is not None and is_ancestor(related_box, block.element):
            continue
        if _RELATED_HEADING.match(text):
            # "相关报道：" / "延伸阅读" and what is under it, wherever the box sits: its own box
            # when it has one, else the link lines that follow the heading.
            if related_at is None and any(_is_paragraph(b.text) for b in result):
                related_at = len(result)
            box = block.element.getparent()
            holds_text = box is not None and any(is_ancestor(box, b.element) for b in result)
            if box is not None and box is not container and not holds_text:
                related_box = box
            else:
                in_related = True
            continue
        if in_related and block.link_density >= 0.3:
            continue
        in_related = False
        if _in_caption(block.element, container):
            continue
        if NOISE_LINE.match(text) or BREADCRUMB_LEAD.match(text):
            continue
        if any(p.search(text) for p in drops):
            continue
        if block.link_density > LIMITS.link_line_density and text_length(text) < LIMITS.link_line_chars:
            continue
        signed = _signed_date(text, result)
        if signed:  # "2005年8月25日（来源：上海证券报）" under the body signing a notice
            if signed != text:
                block = Block(signed, block.element, block.tag, 0)
        elif _is_meta_line(text) and not _DATELINE.search(text):
            if result:  # a source line after the text ("　　来源：新华网") names the outlet
                values = parse_meta_line(text).values
                if OUTLET in values:
                    closing.setdefault(OUTLET, values[OUTLET])
            continue
        if not re.search(r"[^\W_]", text):
            continue  # separators such as "* *** *"
        if _DOC_NUMBER.match(text) or (len(text) < LIMITS.photo_credit_chars and _PHOTO_CREDIT.search(text)):
            continue
        result.append(block)
    # A related list after the text with no paragraph under it: what follows it is the page's
    # other boxes (teasers, slideshows, ads), not more of the article.
    if related_at is not None and not any(_is_paragraph(b.text) for b in result[related_at:]):
        del result[related_at:]
    # Closing outlet/editor lines at the end; remembered as the outlet when none is known.
    while result and _CLOSING_LINE.match(result[-1].text):
        line = parse_meta_line(result[-1].text)
        for role in (OUTLET, EDITOR):
            if role in line.values:
                closing.setdefault(role, line.values[role])
        result.pop()
    while result and _CLOSING_LINE.match(result[0].text):
        result.pop(0)
    _drop_after_text(result)
    _drop_closing_credits(result, closing)
    _drop_openers(result, title)
    # Press releases end with a contact block: nothing from its heading on is article text.
    for i, block in enumerate(result):
        if i > 0 and _CONTACT_HEADING.match(block.text):
            del result[i:]
            break
    _drop_back_matter(result)
    # A heading left at the end is the title of a list that was removed ("Related stories").
    while result and result[-1].tag in _HEADING_TAGS and len(result) > 1:
        result.pop()
    return result, closing


# The heading of an encyclopedia article's back matter: notes, references, external links.
_BACK_MATTER_HEADING = re.compile(
    r"^(?:注释|注解|脚注|参考资料|参考文献|參考資料|參考文獻|外部链接|外部連結|相关条目|相關條目|参见|參見|"
    r"References|Notes|Footnotes|External links|See also|Bibliography|Sources)\s*$",
    re.I,
)


def _drop_back_matter(result: list[Block]) -> None:
    """Nothing from the heading of the back matter on ("参考资料", "外部链接", "References") is the
    article's text: when it is a heading, or a line with no paragraph after it (a reference list
    whose lines are titles and dates)."""
    for i, block in enumerate(result):
        if i > 0 and _BACK_MATTER_HEADING.match(block.text) and (
            block.tag in _HEADING_TAGS or not any(_is_paragraph(b.text) for b in result[i + 1 :])
        ):
            del result[i:]
            return


def _box_header(text: str, title: str) -> bool:
    """The headline with the site's or board's names around it, and no sentence."""
    short = len(text) <= len(title) + LIMITS.box_header_extra_chars
    return title in text and short and not _ends_sentence(text)


def _drop_openers(result: list[Block], title: str | None) -> None:
    """Lines above the first sentence that are not article text: a byline with the decks above
    it, a piece of the headline printed again, the lead photo's caption, kickers and decks, a
    table of contents, a label over the text, what stands above a story's dateline."""
    # The first dateline opens the story: an editor's note or a caption above it is no text.
    # (Less text above it than under it: a roundup whose second story opens with a dateline
    # keeps its first.)
    total = sum(b.length for b in result)
    for i, block in enumerate(result[: LIMITS.dateline_lines]):
        if _DATELINE_OPENER.match(block.text):
            if 2 * sum(b.length for b in result[:i]) < total:
                del result[:i]
                return
            break
    # A table of contents near the top, with the document's title over it: the text starts at
    # its first sentence; a page that is only a table of contents starts at its first entry.
    # A heading with a line or two under it is a contents widget, not a table: the kickers below.
    heading = _contents_heading(result)
    if heading is not None:
        text_at = next((i for i, b in enumerate(result) if i > heading and _is_sentence_line(b.text)), None)
        if text_at is None:
            del result[: heading + 1]
            return
        if text_at - heading > LIMITS.kicker_lines:
            del result[:text_at]
            return
    # "本报记者罗科苏盈发自北京" under a deck: the text starts after the byline.
    for i, block in enumerate(result[: LIMITS.kicker_lines]):
        if i + 1 < len(result) and _is_byline(block.text):
            if all(not _ends_sentence(b.text) for b in result[:i]):
                del result[: i + 1]
            break
    # Kickers, decks and standfirst bullets: short lines that do not end like a sentence
    # ("——茶博会开幕首日现场见闻", "Press release"). A salutation ending in "：" is the first line
    # of the text; a deck opening with a dash is one whatever its end ("——当代中国的精神危机(上)").
    # A short line that opens a list ("◎译 名 …" above "◎片 名 …", "学习目的" above "1.…") is text.
    kickers = 0
    # Lines above the first sentence only: a page of short lines has no deck.
    if not any(b.length >= LIMITS.paragraph_chars for b in result):
        kickers = LIMITS.kicker_lines
    while kickers < LIMITS.kicker_lines and len(result) > 1:
        first, second = result[0].text, result[1].text
        if _TEXT_LABEL.match(first):
            result.pop(0)  # "原文：" over the text
        elif text_length(first) <= 2:
            result.pop(0)  # a glyph or a label printed one character a line ("今<br>日<br>推<br>荐")
        elif title and _title_piece(first, title):
            if (
                result[1].element is result[0].element
                and result[0].tag not in _HEADING_TAGS
                and not _title_piece(second, title)
            ):
                break  # the document's own heading block in its text: its name over its date
            result.pop(0)  # a headline printed over two lines, or its second half as a subhead
        elif _LEAD_CAPTION.match(first) and text_length(first) < LIMITS.lead_caption_chars:
            result.pop(0)  # "资料图：…", "图为…": the caption of the photo above the text
        elif (
            text_length(first) < LIMITS.kicker_chars
            and not first.rstrip().endswith(("，", "、"))  # a sentence cut by a box, not a deck
        ) and (
            first.lstrip().startswith(("——", "—", "--"))
            or (
                not _ends_sentence(first)
                and not _SECTION_NUMBER.match(first)
                and not _opens_list(first, second)
                and not _DATELINE.search(first)
            )
        ):
            result.pop(0)
            kickers += 1
        else:
            break
    # Headings set in bold at the top, over the first paragraph ("神奇，偶然掉在凡俗的临床上。",
    # "出国前：…？" under "出国前后关注点大不同"): the text starts under them. A numbered one ("一、…")
    # is the first section's and opens the text; a bold label ("个人简介：") opens the line under it.
    bold = 0
    while (
        bold < min(LIMITS.kicker_lines, len(result) - 1)
        and _emphasised(result[bold])
        and result[bold].length < LIMITS.kicker_chars
        and not _SECTION_NUMBER.match(result[bold].text)
        and not result[bold].text.rstrip().endswith((":", "："))
    ):
        bold += 1
    if bold and not _is_paragraph(result[bold - 1].text) and _is_sentence_line(result[bold].text):
        del result[:bold]  # (a bold heading over a list of short lines heads the list: it stays)
    # An epigraph above the text, closed by its attribution ("——作者手记", "——鲁迅《野草》").
    for i in range(1, min(LIMITS.kicker_lines + 1, len(result) - 1)):
        if _is_paragraph(result[i - 1].text):
            break
        line = result[i].text.strip()
        if line.startswith(("——", "—", "--")) and text_length(line) <= LIMITS.attribution_chars:
            del result[: i + 1]
            break


_STRING = etree.XPath("string()", smart_strings=False)
_IN_BOLD = etree.XPath("boolean(ancestor::b|ancestor::strong)")


def _emphasised(block: Block) -> bool:
    """All of the line's text is set in bold."""
    el = block.element
    if el.tag in {"b", "strong"}:
        return True
    whole = unspaced(_STRING(el))
    if not whole or whole != unspaced(block.text):
        return False
    bold = "".join(_STRING(b) for b in el.iter("b", "strong") if not _IN_BOLD(b))
    return unspaced(bold) == whole


def _contents_heading(result: list[Block]) -> int | None:
    """Where a table of contents' heading ("目 录：") stands near the top, under the document's
    title only. A table of contents that the text itself introduces ("本文收集了…" over "目录")
    is part of the text: no heading is reported then."""
    for i, block in enumerate(result[: LIMITS.kicker_lines]):
        if _is_sentence_line(block.text):
            return None
        if _CONTENTS_HEADING.match(block.text) and i + 1 < len(result):
            return i
    return None


def _is_sentence_line(text: str) -> bool:
    """A line of text, not an entry of a list: it ends like a sentence and is not short."""
    return text_length(text) >= LIMITS.sentence_chars and _ends_sentence(text)


def _text_beside_meta(text: str) -> bool:
    """A paragraph of text that shares its element with a meta line read for the fields (one
    <div> holding "日期：…<br>来源：…<br>" and the lead paragraph): it stays."""
    return _is_paragraph(text) and not _is_meta_line(text)


def _is_paragraph(text: str) -> bool:
    """A paragraph of text: a long line that ends like a sentence."""
    return text_length(text) >= LIMITS.paragraph_line_chars and _ends_sentence(text)


def _is_byline(text: str) -> bool:
    short = len(text) <= LIMITS.credit_line_chars
    return short and bool(_CREDIT_LINE.match(text)) and not _ends_sentence(text)


_QUOTES = str.maketrans({**dict.fromkeys("“”„‟″＂", '"'), **dict.fromkeys("‘’‚‛′＇", "'")})


def _title_piece(text: str, title: str) -> bool:
    """``text`` is part of the headline (quotes and blanks aside): "耐克鞋的气垫“伤机”" under
    'Title 耐克鞋的气垫"伤机"'."""
    piece, whole = _unquoted(text), _unquoted(title)
    return len(piece) >= 4 and len(piece) < len(whole) and piece in whole


@lru_cache(maxsize=256)
def _unquoted(text: str) -> str:
    """``text`` without blanks, its quotes made straight (asked of the same title many times)."""
    return unspaced(text).translate(_QUOTES)


def _opens_list(first: str, second: str) -> bool:
    """``first`` heads a list: both lines open with the same bullet, or the next line is item 1."""
    a, b = first.lstrip(), second.lstrip()
    if a and b and a[0] == b[0] and not a[0].isalnum() and a[0] not in "“\"'‘(（[【—-":
        return True
    return bool(_FIRST_ITEM.match(b))


def _drop_after_text(result: list[Block]) -> None:
    """What the page prints after the article's text and no credit names: a reprint notice and
    the boxes under it, a box about the author, the numbered notes closing a report and a
    blogger's sign-off asking for likes."""
    # (Only below the bulk of the text: a notice or a profile printed under the lead paragraph
    # of a long text is no end of it.)
    total = sum(b.length for b in result)
    above = 0
    for i, block in enumerate(result):
        text = block.text
        if (
            2 * above > total
            and (
                _PROFILE_HEADING.match(text)
                or (len(text) <= LIMITS.rights_line_chars and _REPRINT_LINE.search(text))
            )
            and any(_is_paragraph(b.text) for b in result[:i])  # last: it reads every line above
        ):
            del result[i:]
            break
        above += text_length(text)
    # The notes: a run of numbered lines at the end, under the heading the page may give them.
    run = 0
    while run < len(result) and _ENDNOTE.match(result[len(result) - 1 - run].text):
        run += 1
    if run >= LIMITS.endnote_lines and run < len(result):
        del result[len(result) - run :]
        if len(result) > 1 and _NOTES_HEADING.match(result[-1].text):
            result.pop()
    # The sign-off: short lines at the end, from the one that asks for likes or follows.
    start = max(len(result) - LIMITS.sign_off_lines, 1)
    for i in range(start, len(result)):
        tail = result[i:]
        if _SIGN_OFF.search(result[i].text) and all(len(b.text) <= LIMITS.credit_line_chars for b in tail):
            del result[i:]
            break


def _drop_closing_credits(result: list[Block], closing: dict[str, str]) -> None:
    """Credit lines and link lines after the last paragraph, and the reporter's credit closing it;
    a rights notice, the leftovers of the page's widgets and a notice's signature block."""
    for i, block in enumerate(result):
        if i > 0 and (_NOTICE_HEADING.match(block.text) or _NOTICE_HEADING.match(unspaced(block.text))):
            del result[i:]  # "反侵权公告：" ("郑 重 声 明", letter-spaced) and the clauses under it
            break
    while len(result) > 1:
        text = result[-1].text
        if _tail_widget(text) or _PRINT_EDITION.match(text):
            result.pop()
            continue
        credit = _CREDIT_LINE.match(text) or _LINK_LINE.search(text) or _CLOSING_SPACED.match(text)
        words = _URL.sub("", text)  # an address is not read: "我的博客 http://…/index.html"
        if _CLOSING_LINE.match(text):
            line = parse_meta_line(text)
            for role in (OUTLET, EDITOR):
                if role in line.values:
                    closing.setdefault(role, line.values[role])
            result.pop()
        elif _CREDIT_ALONE.match(text) or (
            len(words) <= LIMITS.credit_line_chars and not _ends_sentence(text) and credit
        ):
            attribution = _ATTRIBUTION.match(text)
            if attribution:
                closing.setdefault(OUTLET, attribution.group(1))
            result.pop()
        else:
            break
    if result:
        last = result[-1]
        trimmed = _TRAILING_CREDIT.sub("", _TO_BE_CONTINUED.sub("", last.text))
        if trimmed != last.text and trimmed:
            result[-1] = Block(trimmed, last.element, last.tag, min(last.link_chars, len(trimmed)))


def _tail_widget(text: str) -> bool:
    """What a widget leaves after the text: a list's label without its list ("本周雅虎推荐:"),
    one entry of a dated link list, a picture label, a contact handle, a reprint or rights line."""
    if len(text) <= LIMITS.orphan_label_chars and text.rstrip().endswith((":", "：")):
        return True
    if len(text) <= LIMITS.link_line_chars and (_DATED_ENTRY.match(text) or _PICTURE_LABEL.match(text)):
        return True
    if _HANDLE_LINE.match(text):
        return True
    return len(text) <= LIMITS.rights_line_chars and bool(_RIGHTS_LINE.search(text))


def is_site_footer(text: str) -> bool:
    """A site's rights footer, "Copyright © 2004 站名 Source from: 软件名": whatever label it holds
    names the site or its software, never the article's outlet."""
    return len(text) <= LIMITS.rights_line_chars and bool(_FOOTER_LINE.match(text))


def _signed_date(text: str, result: list[Block]) -> str | None:
    """The date under the body signing a notice ("吉林省人民政府" over "2022年1月27日", itself under
    the last sentence), without a source credit after it: part of the notice, not a meta line."""
    if len(result) < 2 or len(text) > LIMITS.signature_chars + LIMITS.credit_line_chars:
        return None
    signer, above = result[-1].text, result[-2].text
    if len(signer) > LIMITS.signature_chars or not _SIGNATURE_ORG.search(signer) or not _ends_sentence(above):
        return None
    core = _BRACKETED_LABEL.sub("", text).strip()
    dates = find_dates(core)
    if len(core) > LIMITS.signature_chars or not dates:
        return None
    return core if sum(d.end - d.start for d in dates) >= 0.6 * len(core) else None


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(
        ("。", ".", "！", "？", "!", "?", "：", ":", "；", "”", '"', "…", "）", ")")
    )


def _is_meta_line(text: str) -> bool:
    """A short line of labels and a date: the meta line when it sits inside the container;
    a line that opens with a label of the page's fields (索引号：, 摘要：, Source:); a line that
    is mostly a date ("Updated on 2024-03-06 09:40 CET")."""
    if starts_with_label(text, (STOP,)) and STOP_OPENERS.match(text.lstrip(" \u3000【[(（")):
        return True
    if len(text) > LIMITS.meta_line_chars:
        return False
    line = parse_meta_line(text)
    if TIME in line.values or (line.labelled and find_dates(text)):
        return True
    dates = find_dates(text)
    if (
        dates
        and len(text) <= LIMITS.date_line_chars
        and sum(d.end - d.start for d in dates) >= 0.5 * len(text)
    ):
        return True
    return starts_with_label(text, (TIME, OUTLET, AUTHOR, EDITOR, STOP)) and len(text) < 100


_CAPTION_CF = CaseFree(_CAPTION)


def _in_caption(el: etree._Element, stop: etree._Element) -> bool:
    node: etree._Element | None = el
    while node is not None and node is not stop:
        if node.tag == "figcaption" or _CAPTION_CF.kept(tokens(node)):
            return True
        node = node.getparent()
    return False
