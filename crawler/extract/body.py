"""The article body: the densest container of paragraphs, and the lines inside it that are not
article text (widgets, meta lines, captions, closing source and editor lines, contact blocks)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from lxml import etree

from crawler.extract.dates import find_dates
from crawler.extract.dom import Block, is_ancestor, tokens
from crawler.extract.fields import parse_meta_line, starts_with_label
from crawler.extract.text import text_length
from crawler.extract.thresholds import LIMITS
from crawler.extract.vocabulary import AUTHOR, CREDIT_LABELS, EDITOR, LABELS, OUTLET, STOP, TIME


class Searcher(Protocol):
    """A compiled pattern: ``re.Pattern`` or a profile's time-bounded ``UserRegex``."""

    def search(self, text: str) -> Any: ...


# Lines that are widgets, not text: print/close/font, share, QR, error-report, counters.
NOISE_LINE = re.compile(
    r"^[\[【(（]?\s*(?:打印|关闭|關閉|列印|打印本页|关闭窗口|打印此页|收藏|纠错|我要纠错|分享到|分享|"
    r"字体|字号|字體|大\s*中\s*小|扫一扫|掃一掃|扫描二维码|掃描二維碼|手机扫|手機掃|二维码|二維碼|瀏覽次數|閱讀次數|浏览量|阅读量|点击量|点击率|访问量|返回顶部|返回|顶部|上一篇|下一篇|"
    r"相关(?:信息|新闻|稿件|文章|阅读|链接|报道)|相關(?:新聞|文章|閱讀)|推荐阅读|延伸阅读|热点推荐|"
    r"下载.{0,12}客户端|看更多.{0,10}|往期推荐|往期回顾|点击蓝字.{0,8}|关注我们|点击播放|视频加载中|"
    r"END|完|（完）|\(完\)|\d{1,2}:\d{2}(?::\d{2})?|"
    r"Related(?:\s+(?:stories|articles|news|content|posts))?|More (?:from|stories|news)|Read more|"
    r"-+\s*(?:Ends?|END)\s*-+|#{3}|\*{3}|"
    r"Print|Close|Share(?:\s+to)?|Font|Large\s+Medium\s+Small|Back to top|Top|"
    r"Previous|Next|E-?mail|Tweet|WeChat|Weibo|微信|微博|QQ空间|QQ|浏览次数|阅读次数|点击数|Views?)"
    r"(?:\s*[:：]?.{0,40})?[\]】)）]?$",
    re.I,
)


# Closing lines that state outlet, editor, author or reviewer: kept out of the body.
_CLOSING_LINE = re.compile(
    r"^[\[【(（]?\s*(?:"
    + "|".join(
        re.escape(label)
        for label in sorted(
            {*LABELS[OUTLET], *LABELS[EDITOR], *LABELS[AUTHOR], *CREDIT_LABELS} - {"By", "From"},
            key=len,
            reverse=True,
        )
    )
    + r")\s*[:：].{0,80}$",
    re.I,
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
    r"(?<=[。！？!?”\"])\s*[（(](?:[^（）()]{0,12}(?:记者|通讯员|报道|编辑|撰稿|供稿|整理)[^（）()]{0,14}"
    r"|[\u4e00-\u9fff]{2,4}(?:[\s、，,][\u4e00-\u9fff]{2,4}){0,3})\s*[）)]\s*$"
)
# The same credit on a line of its own: "（袁源）", "(常书香 马丹阳)".
_CREDIT_ALONE = re.compile(r"^\s*[（(][\u4e00-\u9fff]{2,4}(?:[\s、，,][\u4e00-\u9fff]{2,4}){0,3}\s*[）)]\s*$")
# A short last line that credits the text rather than continuing it: "□本报记者葛灵丹",
# "新京报记者彭冲山东冠县报道", "——《北京之春》1996年6月号", "执笔人：…".
_CREDIT_LINE = re.compile(
    r"^[□■◇◆—–\-\s]*(?:[\u4e00-\u9fff]{0,6}?(?:实习)?记者|通讯员|执笔人?|——\s*《|--\s*《|摘自|转自|[文图]\s*[:：/])"
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
    for block in blocks:
        length = text_length(block.text)
        good = length >= LIMITS.paragraph_chars and block.link_density <= LIMITS.paragraph_link_density
        el: etree._Element | None = block.element
        depth = 0
        while el is not None:
            key = id(el)
            elements[key] = el
            text_total[key] = text_total.get(key, 0) + length
            link_total[key] = link_total.get(key, 0) + int(block.link_density * length)
            if good:
                good_total[key] = good_total.get(key, 0) + length
            el = el.getparent()
            depth += 1
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
        return []

    def final(key: int) -> float:
        density = link_total.get(key, 0) / max(text_total.get(key, 1), 1)
        return scores[key] * (1 - min(density, 1.0))

    best = max(scores, key=final)
    top = elements[best]
    # Climb while the parent holds clearly more paragraph text at a low link density: a story
    # split into several column <div>s, each holding some of its paragraphs.
    candidate, candidate_key = top, best
    for _ in range(5):
        up = candidate.getparent()
        if up is None or up.tag in {"body", "html"}:
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
    for block, container in inside:
        text = block.text
        if id(block.element) in used:
            continue
        if title and (text == title or (title in text and len(text) < len(title) + 6)):
            continue
        if title and text.startswith(title) and len(text) - len(title) <= 20 and not _ends_sentence(text):
            continue  # the headline and its byline in one block: "标题本报实习生刘国栋"
        if related_box is not None and is_ancestor(related_box, block.element):
            continue
        if _RELATED_HEADING.match(text):
            # "相关报道：" / "延伸阅读" and what is under it, wherever the box sits: its own box
            # when it has one, else the link lines that follow the heading.
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
        if _is_meta_line(text):
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
    # Closing outlet/editor lines at the end; remembered as the outlet when none is known.
    while result and _CLOSING_LINE.match(result[-1].text):
        line = parse_meta_line(result[-1].text)
        for role in (OUTLET, EDITOR):
            if role in line.values:
                closing.setdefault(role, line.values[role])
        result.pop()
    while result and _CLOSING_LINE.match(result[0].text):
        result.pop(0)
    _drop_closing_credits(result, closing)
    # Kickers, decks and standfirst bullets above the first sentence: short lines that do not
    # end like a sentence ("——茶博会开幕首日现场见闻", "Press release"). A salutation ending in
    # "：" is the first line of the text; a deck opening with a dash is one whatever its end
    # ("——当代中国的精神危机(上)").
    kickers = 0
    while kickers < LIMITS.kicker_lines:
        first = result[0].text if result else ""
        if len(result) > 1 and text_length(first) <= 2:
            result.pop(0)  # a glyph or a label printed one character a line ("今<br>日<br>推<br>荐")
        elif (
            len(result) > 1
            and text_length(first) < LIMITS.kicker_chars
            and (not _ends_sentence(first) or first.lstrip().startswith(("——", "—", "--")))
            and not first.rstrip().endswith(("，", "、"))  # a sentence cut by a box, not a deck
            and not _SECTION_NUMBER.match(first)
        ):
            result.pop(0)
            kickers += 1
        else:
            break
    # Press releases end with a contact block: nothing from its heading on is article text.
    for i, block in enumerate(result):
        if i > 0 and _CONTACT_HEADING.match(block.text):
            del result[i:]
            break
    # A heading left at the end is the title of a list that was removed ("Related stories").
    while result and result[-1].tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and len(result) > 1:
        result.pop()
    return result, closing


def _drop_closing_credits(result: list[Block], closing: dict[str, str]) -> None:
    """Credit lines and link lines after the last paragraph, and the reporter's credit closing it."""
    while len(result) > 1:
        text = result[-1].text
        credit = _CREDIT_LINE.match(text) or _LINK_LINE.search(text)
        words = _URL.sub("", text)  # an address is not read: "我的博客 http://…/index.html"
        if _CREDIT_ALONE.match(text) or (
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
        trimmed = _TRAILING_CREDIT.sub("", last.text)
        if trimmed != last.text and trimmed:
            result[-1] = Block(trimmed, last.element, last.tag, min(last.link_chars, len(trimmed)))


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


def _in_caption(el: etree._Element, stop: etree._Element) -> bool:
    node: etree._Element | None = el
    while node is not None and node is not stop:
        if node.tag == "figcaption" or _CAPTION.search(tokens(node)):
            return True
        node = node.getparent()
    return False
