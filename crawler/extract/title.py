"""The headline: the visible heading that best matches the page's title metadata.

Three kinds of evidence, strongest first: a heading (``h1``-``h4`` or an element whose class says
title) that equals the ``<title>``/``og:title`` or the part of it that is not the site's name; any
visible line that equals such a part; the title metadata with the site's name cut off. Old pages
whose ``<title>`` is only the site's name ("网易娱乐", "谢谢您访问…") and that have no heading print
the headline as an emphasised line right above the article: :func:`headline_before` finds it.
"""

from __future__ import annotations

import re
from itertools import pairwise

from lxml import etree

from crawler.extract.body import BREADCRUMB_LEAD
from crawler.extract.dates import find_dates
from crawler.extract.dom import Block, element_text, is_ancestor, tokens
from crawler.extract.fields import parse_meta_line
from crawler.extract.metadata import TITLE_META, PageMetadata
from crawler.extract.text import CaseFree, collapse, unspaced
from crawler.extract.thresholds import LIMITS

_TITLE_CLASS = re.compile(r"title|headline|biaoti|(?:^|[\s_-])(?:bt|tit|tt)\d?(?:$|[\s_-])", re.I)
# A bare hyphen separates after Chinese, before Chinese or a bracketed tag ("版块-[原创]主题"). A
# forum's status page glues its status to the subject, before the site's bracketed name
# ("版块-[原创]主题！错误信息[某某社区]"): the status word separates too.
_TITLE_SEPARATORS = re.compile(
    r"(?<=[\u4e00-\u9fff）)」”】》])-(?=[\u4e00-\u9fff\[【])|\s+[-|–—:·•»›/]\s+|\s*_\s*|\s*--\s*|\s*——\s*"
    r"|\s*－\s*|\s*\|\s*|\s*｜\s*|\s*::\s*|\s*»\s*|(?<=\S)(?:错误信息|提示信息)(?=\s*[\[【])"
)
# Markup that leaked into a title attribute or meta value ("…和力量<div>").
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,80}>")
# Wiki section-edit links printed inside headings: "雄安新区 [编辑]", "Paris [edit]".
_EDIT_LINK = re.compile(
    r"\s*[\[［]\s*(?:编辑|編輯|edit|modifier|bearbeiten|editar|modifica)[^\]］]{0,12}[\]］]\s*$", re.I
)
_EMPHASIS_TAGS = {"b", "strong", "h1", "h2", "h3", "h4", "h5", "big"}
_BIG_FONT = re.compile(
    r"font-size\s*:\s*(?:(?:1[6-9]|[2-9]\d)px|(?:1[4-9]|[2-9]\d)pt|x*-?large|1\.[2-9]em|[2-9](?:\.\d+)?em)",
    re.I,
)
_BOLD = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_SENTENCE_END = ("。", "；", "，", "：", ":")
# The name of a work (a journal, a book) in title marks before the issue or chapter.
_WORK_NAME = re.compile(r"^\s*《[^《》]{2,40}》")


# Permalink glyphs that documentation generators append to headings ("Installation ¶").
_PERMALINK = re.compile(r"\s*[¶§🔗]\s*$")


# The separator between a headline and the site's name ("… @ Site", "… | Site", "Site: …").
# A bare hyphen separates only after Chinese ("标题-某某网"), not inside a word ("Foo-Bar").
_SITE_SEP_END = re.compile(r"(?:\s+-+|(?<=[\u4e00-\u9fff）)」”】》])-+|\s*[@|｜_:：·•»/–—]+|\s*::)\s*$")
_SITE_SEP_START = re.compile(r"^(?:-+\s+|-+(?=[\u4e00-\u9fff])|\s*[@|｜_:：·•»/–—]+|\s*::)\s*")
_TRAILING_COUNT = re.compile(r"\s*\d+$")
# A bullet printed before a heading ("*第一编 古代", "● 标题").
_BULLET = re.compile(r"^\s*[*●◆■·•]+\s*(?=\S)")
# A forum's label before the subject ("主题: …", "Subject: …") and separators left dangling at
# the end when a site name was blank ("谁来为无序拆房“埋单”？- -").
_LABEL_PREFIX = re.compile(r"^\s*(?:主题|標題|标题|主題|Subject|Title)\s*[:：]\s*(?=\S)", re.I)
_DANGLING = re.compile(r"(?:\s*[-–—_|｜])+\s*$")


def clean_title(text: str) -> str:
    # The patterns anchored at the end ("\s*$") are tried at every position of the text: each
    # runs only when the text ends (blanks aside) with a character it removes.
    text = _TAG.sub("", text) if "<" in text else text
    if _ends_with(text, "]］"):
        text = _EDIT_LINK.sub("", text)
    if _ends_with(text, "¶§🔗"):
        text = _PERMALINK.sub("", text)
    text = _LABEL_PREFIX.sub("", _BULLET.sub("", text))
    if _ends_with(text, "-–—_|｜"):
        text = _DANGLING.sub("", text)
    return collapse(text)


def _ends_with(text: str, chars: str) -> bool:
    """Whether the last character of ``text`` that is not whitespace is one of ``chars``."""
    last = text.rstrip()[-1:]
    return bool(last) and last in chars


def title_parts(text: str) -> list[str]:
    """The pieces of a ``<title>`` between its separators ("headline - column - site")."""
    return [p.strip() for p in _TITLE_SEPARATORS.split(text) if p.strip()]


def strip_title_suffix(text: str, site_names: frozenset[str] = frozenset()) -> str:
    parts = [p for p in title_parts(text) if p not in site_names]
    if not parts:
        return text
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    longest = max(parts, key=len)
    return first if len(first) >= 0.4 * len(text) or len(first) >= len(longest) else longest


def split_site_name(text: str, site_names: frozenset[str]) -> tuple[str, str] | None:
    """(headline, site's part) of a title that names the site (``og:site_name``) between
    separators, at its end ("头条 @ 我的部落格 :: 平台 ::") or its start ("Site: headline")."""
    for name in sorted(site_names, key=len, reverse=True):
        if len(name) < 2:
            continue
        for m in reversed(list(re.finditer(re.escape(name), text))):
            before, after = text[: m.start()], text[m.end() :]
            ends = not after.strip() or _SITE_SEP_START.match(after) is not None
            if before.strip() and ends and _SITE_SEP_END.search(before):
                headline = _SITE_SEP_END.sub("", before)
                if headline:
                    return headline, text[m.start() :]
            if not before.strip() and after.strip() and _SITE_SEP_START.match(after):
                headline = _SITE_SEP_START.sub("", after)
                if headline:
                    return headline, name
    return None


# A heading's texts and the breaks inside it, in document order (compiled once: an XPath given
# as a string is compiled again at every call).
_HEADING_PARTS = etree.XPath(
    ".//text()[not(ancestor::script) and not(ancestor::style)] | .//br | .//div | .//p"
)


def heading_text(el: etree._Element) -> str:
    """The text of a heading, a ``<br>`` or a block inside it read as a space ("…纾困<br>预计4年…",
    "…纾困<div>预计4年…</div>")."""
    nodes: list[etree._Element | str] = _HEADING_PARTS(el)
    return clean_title("".join(" " if isinstance(node, etree._Element) else str(node) for node in nodes))


def _refs(md: PageMetadata) -> list[str]:
    refs: list[str] = []
    for name in TITLE_META:
        value = md.meta.get(name)
        if value:
            refs.append(clean_title(value))
    headline = md.jsonld_value("headline")
    if isinstance(headline, str) and headline.strip():
        refs.append(clean_title(headline))
    if md.html_title:
        refs.append(clean_title(md.html_title))
    return [r for r in refs if r]


def _site_names(md: PageMetadata) -> frozenset[str]:
    return frozenset(
        clean_title(v) for k in ("sitename", "og:site_name", "application-name") if (v := md.meta.get(k))
    )


def _ref_score(text: str, refs: list[str], parts: set[str]) -> float:
    # A heading printed on two lines ("…纾困<br>预计4年…") against metadata that runs them
    # together ("…纾困预计4年…") is the same headline: compare without whitespace.
    key = unspaced(text)
    for ref in refs:
        if ref == text or unspaced(ref) == key:
            return 6
    if text in parts or key in {unspaced(p) for p in parts}:
        # Of two parts on the page, the longer is the headline, the shorter the site's name.
        return 5 + min(len(text), 50) / 100
    # A periodical's or a book's page: the <title> names the issue or the chapter ("2022年第4期"),
    # the heading prints it in full after the work's name ("《某某学报》2022年第4期").
    named = _WORK_NAME.match(text)
    if named and (rest := text[named.end() :].strip()) and (short := _ref_score(rest, refs, parts)) >= 4:
        return short + 0.5
    for ref in refs:
        # A heading that opens or ends the metadata's title (its kicker or site cut off); not
        # a section heading whose words sit inside it ("Open Journalism Project:" of "The Open
        # Journalism Project: Better Student Journalism").
        if (ref.startswith(text) or ref.endswith(text)) and len(text) >= 0.3 * len(ref):
            return 4
        if ref in text and len(ref) >= 0.5 * len(text):
            return 2
    return 0


_HEADING_WEIGHT = {"h1": 3.0, "h2": 2.0, "h3": 1.0, "h4": 0.5}
_TITLE_CLASS_CF = CaseFree(_TITLE_CLASS)


def find_title(
    clean: etree._Element, md: PageMetadata, blocks: list[Block] | None = None
) -> tuple[str | None, etree._Element | None, str]:
    """(title, its element, source). ``heading-weak`` is a heading nothing else confirms."""
    refs = _refs(md)
    site_names = _site_names(md)
    # The site's name cuts a title into the headline and the site's part: what follows the name
    # ("… @ 我的部落格 :: 某平台 ::") is the site's too, and a separator inside the headline
    # ("新竹尖石_美樹營地") does not split it.
    site_parts: set[str] = set(site_names)
    headlines: list[str] = []
    for ref in refs:
        cut = split_site_name(ref, site_names)
        if cut is not None:
            site_parts.update(title_parts(cut[1]))
            headlines.append(cut[0])
    refs += [h for h in dict.fromkeys(headlines) if h not in refs]
    parts = {p for ref in refs for p in title_parts(ref) if len(p) >= 2 and p not in site_parts}
    parts.update(h for h in headlines if len(h) >= 2)

    best: tuple[float, int, str, etree._Element] | None = None
    for position, el in enumerate(clean.iter()):
        if not isinstance(el.tag, str):
            continue
        tag = el.tag
        label = tokens(el)
        weight = _HEADING_WEIGHT.get(tag, 0.0)
        if label and _TITLE_CLASS_CF.kept(label):
            weight = max(weight, 2.5) + (0.5 if tag.startswith("h") else 0)
        if weight == 0:
            continue
        text = heading_text(el)
        if not (2 <= len(text) <= 300) or text in site_names:
            continue
        agreement = _ref_score(text, refs, parts)
        counted = _TRAILING_COUNT.sub("", text)
        # A badge after the heading ("…的船长<span>241</span>": comments, views): the heading
        # without it is the title the metadata gives.
        if (
            agreement < 5
            and counted != text
            and len(counted) >= 2
            and (without := _ref_score(counted, refs, parts)) >= 5
        ):
            text, agreement = counted, without
        score = weight + agreement
        # A heading that is a link points elsewhere (a list of other articles), unless it is
        # the page's own title: a blog's headline is often a permalink to the post itself.
        if agreement < 5 and (
            (el.getparent() is not None and el.getparent().tag == "a") or _is_link_only(el)
        ):
            score -= 3
        if best is None or score > best[0]:  # the first of equal scores
            best = (score, position, text, el)
    if best is not None and best[0] >= 5:
        # Of a heading and metadata that differ only in whitespace, the spaced one reads as the
        # page shows it ("…纾困<br>预计…" on two lines; "कैप:</span>शेयर" a kicker in colour).
        text = best[2]
        spaced = [r for r in refs if unspaced(r) == unspaced(text) and r.count(" ") > text.count(" ")]
        return (spaced[0] if spaced else text), best[3], "heading"
    if blocks:
        found = _visible_part(blocks, parts)
        if found is not None:
            # A whole <title> printed on the page may be the site's banner ("谢谢您访问…").
            whole_html_title = md.html_title is not None and found.text == clean_title(md.html_title)
            confirmed = not whole_html_title or any(found.text == r for r in refs[:-1])
            return found.text, found.element, "visible-title" if confirmed else "visible-html-title"
    for name in TITLE_META[:4]:
        value = md.meta.get(name)
        if value:
            return strip_title_suffix(clean_title(value), site_names), None, f"meta:{name}"
    headline = md.jsonld_value("headline")
    if isinstance(headline, str) and headline.strip():
        return clean_title(headline), None, "jsonld"
    if best is not None and best[0] >= 2.5:
        return best[2], best[3], "heading-weak"
    if md.html_title:
        html_title = clean_title(md.html_title)
        # A part of the <title> that another title tag names ("draft-x-04 - remoteStorage" with
        # DC.Title "remoteStorage") is the headline, wherever it sits.
        others = {r for r in _refs(md) if r != html_title}
        named = [p for p in title_parts(html_title) if p in others]
        if named:
            return named[0], None, "html-title"
        return strip_title_suffix(html_title, site_names), None, "html-title"
    return None, None, "none"


def _visible_part(blocks: list[Block], parts: set[str]) -> Block | None:
    """A visible line equal to a part of the title metadata, the longest part first."""
    wanted = sorted((p for p in parts if len(p) >= 4), key=len, reverse=True)
    if not wanted:
        return None
    by_text: dict[str, Block] = {}
    for block in blocks:
        if block.link_density < 0.5:
            by_text.setdefault(block.text, block)
    for part in wanted:
        if part in by_text:
            return by_text[part]
    return None


def _is_link_only(el: etree._Element) -> bool:
    links = el.findall(".//a")
    if not links:
        return False
    link_text = sum(len(element_text(a)) for a in links)
    return link_text >= 0.9 * max(len(element_text(el)), 1)


def _emphasised(el: etree._Element, stop: etree._Element | None = None, line: str | None = None) -> bool:
    """Bold, big or a title by class: the element, its only content, or an ancestor up to a cell.
    ``line`` is the text of the line when the element holds more (links after a ``<br>``)."""
    node: etree._Element | None = el
    for _ in range(4):
        if node is None or not isinstance(node.tag, str):
            break
        if node.tag in _EMPHASIS_TAGS or (node.tag == "font" and _big_font_size(node.get("size"))):
            return True
        style = node.get("style") or ""
        if _BIG_FONT.search(style) or _BOLD.search(style):
            return True
        label = tokens(node)
        if label and _TITLE_CLASS_CF.kept(label):
            return True
        if node is stop or node.tag in {"td", "body", "article", "section"}:
            break
        node = node.getparent()
    # The line's text may sit in one emphasised child: <td><font size=5><b>…</b></font></td>.
    whole = len(line) if line is not None else len(element_text(el))
    for child in el.iter("b", "strong", "font", "big", "span"):
        if child is el:
            continue
        text = element_text(child)
        if len(text) >= 0.8 * whole and _emphasised(child, stop=el):
            return True
    return False


def _big_font_size(size: str | None) -> bool:
    if not size:
        return False
    size = size.strip()
    if size.startswith("+"):
        return size[1:].isdigit() and int(size[1:]) >= 1
    return size.isdigit() and int(size) >= 4


def _headline_like(block: Block) -> bool:
    text = block.text
    if not (4 <= len(text) <= 100) or block.link_density >= 0.3:
        return False
    if text.endswith(_SENTENCE_END) or "。" in text or text.count("，") >= 3:
        return False
    line = parse_meta_line(text)
    return not line.labelled and not find_dates(text)


def _words(text: str) -> set[str]:
    """Words, and pairs of adjacent CJK characters: one character ("艺", "网") is shared by
    unrelated Chinese lines too often to say they are about the same thing."""
    out: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+|[^\W\u4e00-\u9fff]+", text):
        if "\u4e00" <= run[0] <= "\u9fff" and len(run) > 1:
            out.update(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.add(run.lower())
    return out


def shares_words(a: str, b: str, share: float = 0.3) -> bool:
    """Whether at least ``share`` of the words (CJK character pairs) of the shorter text are in the other."""
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) >= share * min(len(wa), len(wb))


def headline_before(blocks: list[Block], container: etree._Element, plain: bool = False) -> Block | None:
    """The emphasised line printed right above the article body (or as its first line); with
    ``plain`` (the page's only other title is its site's banner, or none), a plain line right
    above the body, past a byline link, will do."""
    start = next(
        (i for i, b in enumerate(blocks) if b.element is container or is_ancestor(container, b.element)),
        None,
    )
    if start is None:
        return None
    # A page laid out in table rows, with no smaller box around the text, has the whole page as
    # the body's container, its navigation first: "right above the body" is then right above
    # the first paragraph (when nothing else names the page).
    if plain and _whole_page(blocks, start, container):
        start = next((i for i in range(start, len(blocks)) if _paragraph(blocks[i])), start)
    # An emphasised line right before the body is the headline, before any bold first line of
    # the body (a numbered section heading: "一、…").
    # A blog prints the post's title as a link to the post (a permalink) in a heading, as the
    # first line of the post's box or right above its text.
    if start < len(blocks) and _heading_link(blocks[start]):
        return blocks[start]
    if start > 0 and (_marked_headline(blocks[start - 1]) or _heading_link(blocks[start - 1])):
        return blocks[start - 1]
    # A plain line right above the date line that opens the article ("http://site/ 2005-03-06
    # 16:17:00") is its headline, emphasised or not.
    for i in range(start - 1, max(0, start - 4), -1):
        line = blocks[i]
        if len(line.text) <= 80 and find_dates(line.text):
            if _headline_like(blocks[i - 1]):
                return blocks[i - 1]
            permalink = _permalink(blocks[i - 1])
            if permalink is not None:
                return permalink
            break
    # The body's container may begin with the breadcrumb ("当前位置：首页->军事技术"): the line
    # after it is the first.
    if start + 1 < len(blocks) and (
        blocks[start].link_density >= 0.3 or BREADCRUMB_LEAD.match(blocks[start].text)
    ):
        start += 1
    first = blocks[start] if start < len(blocks) else None
    # The first line is the headline when a longer line follows within a few lines (a byline
    # may sit between: "胡平").
    if (
        first is not None
        and len(first.text) <= 40
        and _headline_like(first)
        and _emphasised(first.element, line=first.text)
        and any(len(b.text) > len(first.text) for b in blocks[start + 1 : start + 4])
    ):
        return first
    for block in reversed(blocks[max(0, start - 10) : start]):
        if _marked_headline(block):
            return block
    if plain:
        for block in reversed(blocks[max(0, start - 2) : start]):
            if _headline_like(block):
                return block
            if block.link_density < 0.9 or len(block.text) > 20:
                break  # only a byline link ("眉间尺") may sit between
    return None


def _whole_page(blocks: list[Block], start: int, container: etree._Element) -> bool:
    """The body's container opens the page with its navigation (a breadcrumb, a row of links)
    and holds nearly all of its lines."""
    if start > 2 or start >= len(blocks):
        return False
    first = blocks[start]
    if first.link_density < LIMITS.page_container_nav_density and not BREADCRUMB_LEAD.match(first.text):
        return False
    inside = sum(1 for b in blocks[start:] if b.element is container or is_ancestor(container, b.element))
    return inside >= LIMITS.page_container_share * len(blocks)


def _permalink(block: Block) -> Block | None:
    """A blog post's title line printed big or bold as links, its category first ("[湖湘文化]"
    then the post's permalink): the last link, when it has a headline's shape."""
    if block.link_density < 0.9 or not _emphasised(block.element, line=block.text):
        return None
    # The line's element may hold more lines (the byline after a <br>): the line is its links.
    line = unspaced(block.text)
    links = [a for a in block.element.iter("a") if element_text(a)]
    for category, post in pairwise(links):
        text = element_text(post)
        if _CATEGORY.fullmatch(element_text(category)) and unspaced(element_text(category) + text) == line:
            found = Block(text, post, "a", len(text))
            return found if 4 <= len(text) <= 100 and not text.endswith(_SENTENCE_END) else None
    return None


# A category printed in brackets before a post's title.
_CATEGORY = re.compile(r"[\[【［(（〔].{1,12}[\]】］)）〕]")


def _paragraph(block: Block) -> bool:
    """A line of the article's text: long, and not links."""
    return (len(block.text) >= LIMITS.title_text_line_chars
            and block.link_density < LIMITS.title_text_line_link_density)  # fmt: skip


def _heading_link(block: Block) -> bool:
    """A heading (by tag or title class) that is a link, with a headline's length and shape."""
    el = block.element
    if block.link_density < 0.5 or not (4 <= len(block.text) <= 100) or block.text.endswith(_SENTENCE_END):
        return False
    if find_dates(block.text) or parse_meta_line(block.text).labelled:
        return False
    node: etree._Element | None = el
    for _ in range(2):
        if node is None or not isinstance(node.tag, str):
            return False
        label = tokens(node)
        if node.tag in {"h1", "h2", "h3"} or (label and _TITLE_CLASS.search(label)):
            return True
        node = node.getparent()
    return any(isinstance(a.tag, str) and _TITLE_CLASS.search(tokens(a) or "") for a in el.iter("a"))


def _marked_headline(block: Block) -> bool:
    """An emphasised headline-like line, or a forum's labelled subject ("主题： …")."""
    if _headline_like(block) and _emphasised(block.element, line=block.text):
        return True
    return (
        _LABEL_PREFIX.match(block.text) is not None
        and 4 <= len(clean_title(block.text)) <= 100
        and block.link_density < 0.3
        and not block.text.endswith(_SENTENCE_END)
    )


def title_block_index(blocks: list[Block], title: str | None, title_el: etree._Element | None) -> int:
    if not title:
        return -1
    if title_el is not None:
        for i, b in enumerate(blocks):
            if b.element is title_el or is_ancestor(title_el, b.element):
                return i
    for i, b in enumerate(blocks):
        if b.text == title:
            return i
    for i, b in enumerate(blocks):
        if title in b.text and len(b.text) < 2 * len(title) + 10:
            return i
    return -1


def first_entry(blocks: list[Block], heading: etree._Element | None, other: Block) -> bool:
    """Whether ``heading`` and ``other`` head two entries of one page (a blog's page of several
    posts): elements of one tag and class, each followed by its text, ``heading`` first."""
    if heading is None or other.element is heading or heading.tag != other.element.tag:
        return False
    kind = heading.get("class")
    if not kind or other.element.get("class") != kind:
        return False
    index = next((i for i, b in enumerate(blocks) if b.element is heading), None)
    if index is None or blocks[index] is other or blocks.index(other) < index:
        return False
    return any(_paragraph(b) for b in blocks[index + 1 : index + 4])


def removed_heading(root: etree._Element) -> str | None:
    """The headline-like heading of the page as served, cleaner and all: the last resort of a
    page where nothing else gives a title. The cleaner removes boxes by their names, and a
    theme may print the headline in one ("rightmenu" above a blog post's text); a page with no
    title at all is worse than its own heading."""
    best: tuple[float, str] | None = None
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in {"head", "title", "script", "style"}:
            continue
        label = tokens(el)
        weight = _HEADING_WEIGHT.get(el.tag, 0.0) if el.tag != "h4" else 0.0
        if label and _TITLE_CLASS_CF.kept(label):
            weight = max(weight, 2.5)
        if weight == 0 or (best is not None and weight <= best[0]):
            continue
        text = heading_text(el)
        if not (4 <= len(text) <= 100) or text.endswith(_SENTENCE_END):
            continue
        if find_dates(text) or parse_meta_line(text).labelled:
            continue
        best = (weight, text)
    return best[1] if best is not None else None


def links_to(root: etree._Element, text: str) -> bool:
    """Whether a link on the page reads ``text`` (a site's name as its home link)."""
    return any(element_text(a) == text for a in root.iter("a"))
