"""Document preparation: a cleaned copy of the page tree and its text blocks.

Noise is what ``LAYOUTS.md`` lists around Chinese and English articles: share bars
(bdsharebuttonbox, ops_share), print/close/font widgets, QR blocks, view counters, related and
hot lists, breadcrumbs, pagers, footers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from functools import cached_property, lru_cache

from lxml import etree, html
from parsel import Selector
from parsel.selector import create_root_node

from crawler.extract.text import CaseFree, alternation, collapse, text_length

# Removed with their content wherever they are.
DROP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "svg", "canvas", "select",
     "button", "input", "textarea", "object", "embed", "map", "audio", "video", "head",
     "link", "meta"}
)  # fmt: skip
BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
     "table", "tbody", "thead", "tfoot", "tr", "td", "th", "section", "article", "main",
     "blockquote", "pre", "header", "footer", "nav", "aside", "figure", "figcaption",
     "center", "form", "fieldset", "address", "hr", "br", "details", "summary", "caption"}
)  # fmt: skip
# Class/id words that mark noise as a substring (long, unambiguous words).
_NOISE_WORDS = frozenset(
    {"share", "sharing", "bdshare", "social", "related", "relate", "recommend", "comment", "breadcrumb",
     "crumb", "copyright", "footer", "qrcode", "erweima", "ewm", "weixin", "wechat", "advert", "sidebar",
     "sidenav", "subnav", "navbar", "topnav", "menu", "pagination", "pager", "print", "fontsize",
     "font-size", "zihao", "toolbar", "newsletter", "subscribe", "promo", "login", "signup", "cookie",
     "popup", "modal", "hotnews", "hot-news", "hot_news", "rank", "tuijian", "xgxw", "xgwz", "xiangguan",
     "jiucuo", "dayin", "guanbi", "backtop", "gotop", "banner", "prevnext", "prev-next", "pre-next",
     "nextprev", "keywords", "tags", "tagcloud", "disclaimer", "statement"}
)  # fmt: skip
_NOISE_SUBSTR = re.compile(alternation(_NOISE_WORDS), re.IGNORECASE)
# Class/id tokens that mark noise only as a whole token (short words that occur inside others).
_NOISE_TOKENS = frozenset(
    {"nav", "ad", "ads", "foot", "footer", "header", "head", "hot", "more",
     "tag", "tool", "tools", "link", "links", "friend", "friendlink", "search", "logo",
     "location", "position", "path", "weizhi", "dqwz", "fx", "share", "prev", "next",
     "page", "pages", "side", "aside", "fenxiang", "gg", "ggw", "review", "count", "counter"}
)  # fmt: skip
# ... "pay", "wallet", "recharge": the payment dialog a blog platform keeps in every page
# ("pay-code", "pay-balance": "抵扣说明：1.余额是钱包充值的虚拟货币…"), longer than a short post.
# Whole class names of a wiki's page furniture, noise whatever else the class says
# ("plainlinks metadata ambox ambox-content"): MediaWiki's maintenance and notice boxes above the
# article ("本条目存在以下问题…", "此条目讲述…"), hatnotes, the infobox's data table, the navigation
# boxes and reference list under it, and the "[编辑]" links of its section headings.
_FURNITURE_TOKENS = frozenset(
    {"ambox", "hatnote", "dablink", "infobox", "navbox", "reflist", "mw-editsection", "sistersitebox"}
)
_STRONG_PARTS = frozenset(
    {"nav", "footer", "ad", "ads", "share", "fenxiang", "breadcrumb", "toolbar", "hot", "popular",
     "redian", "paihang", "pay", "wallet", "recharge"}
)  # fmt: skip
# Comment threads hold long paragraphs too, and are still not the article.
_COMMENTS = re.compile(r"comment|reply|disqus|discussion|pinglun", re.IGNORECASE)
# Tokens that mark the article itself: never drop such a container as noise.
_CONTENT_TOKENS = re.compile(
    r"content|article|detail|zoom|text|body|main|post|entry|story|zw|rwb_zw|TRS_Editor|"
    r"p-detail|UCAP",
    re.IGNORECASE,
)
# Consent and privacy dialogs hold long paragraphs of legal text and are never the article.
_CONSENT = re.compile(r"cookie|consent|gdpr|onetrust|didomi|truste|qc-cmp|sp_message|cmp-container", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


# A <p> this long is text: its class names a behaviour ("selectionShareable"), not a widget.
LONG_PARAGRAPH = 120


_NOISE_SUBSTR_CF = CaseFree(_NOISE_SUBSTR)
_CONTENT_TOKENS_CF = CaseFree(_CONTENT_TOKENS)
_COMMENTS_CF = CaseFree(_COMMENTS)
_CONSENT_CF = CaseFree(_CONSENT)
_HIDDEN_STYLE_CF = CaseFree(_HIDDEN_STYLE)


def tokens(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def is_noise_container(el: etree._Element) -> bool:
    """Whether ``el`` is a widget, list or frame around the article rather than its text."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in {"nav", "footer", "aside"}:
        return True
    if el.get("hidden") is not None or _HIDDEN_STYLE_CF.found(el.get("style") or ""):
        return True
    if el.get("role") in {"navigation", "contentinfo", "banner", "complementary"}:
        return True
    _, noise_name, _ = _name_verdict(el.get("class"), el.get("id"))
    # (a paragraph of text is none, whatever its class says: "selectionShareable")
    return noise_name and not _long_paragraph(el)


def _long_paragraph(el: etree._Element) -> bool:
    return el.tag == "p" and len(_STRING(el)) >= LONG_PARAGRAPH  # lxml.html's text_content()


@lru_cache(maxsize=4096)
def _noise_label(label: str) -> bool:
    """Whether a class/id string names noise (the same names recur on every element of a list
    and on every page of a site: the answer is kept)."""
    low = label.lower()
    words = set(low.split())
    if not _FURNITURE_TOKENS.isdisjoint(words):
        return True
    noise_word = _NOISE_SUBSTR_CF.found(label)
    content_word = _CONTENT_TOKENS_CF.found(label)
    if content_word and not noise_word:
        return False
    if noise_word:
        # "article-content share-free" style names: the content word wins when it leads.
        return not _leading_content(label)
    # Whole class names ("hot", "page"), and a few strong words as parts ("nav-bar", "ad-slot");
    # weak words as parts would hit "col-no-side-gutter".
    hit = not words.isdisjoint(_NOISE_TOKENS) or not _STRONG_PARTS.isdisjoint(_PARTS_SPLIT.split(low))
    return hit and not content_word


_PARTS_SPLIT = re.compile(r"[\s_\-]+")


def _leading_content(label: str) -> bool:
    first = label.split()[0] if label.split() else ""
    return _CONTENT_TOKENS_CF.found(first) and not _NOISE_SUBSTR_CF.found(first)


# Deeper than this, a subtree is read as one block of text: hostile or broken pages nest
# 10,000 <div>s or leave 1,000 <font>s unclosed, and every walk of the tree must stay bounded.
MAX_DEPTH = 150
# Characters lxml refuses in text (C0 controls but tab and newlines, and non-characters).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


_AT_MAX_DEPTH = etree.XPath("boolean(" + "/".join(["*"] * MAX_DEPTH) + ")")


# libxml2 stops building the tree about 2,048 elements deep and drops what lies below: a page
# that wraps its article in 10,000 <div>s (or leaves 1,000 <font>s open) loses the article. Runs
# of the same tag opened (or closed) many times in a row are read as one before parsing.
_TAG_RUN_MIN = 64
_RUN_TAGS = rb"div|span|font|b|i|u|p|section|table|tr|td|ul|li|blockquote|center"
_OPEN_RUN = re.compile(
    rb"(<(" + _RUN_TAGS + rb")\b[^<>]{0,200}>\s*)(?:<\2\b[^<>]{0,200}>\s*){%d,}" % (_TAG_RUN_MIN - 1), re.I
)
_CLOSE_RUN = re.compile(rb"(</(" + _RUN_TAGS + rb")\s*>\s*)(?:</\2\s*>\s*){%d,}" % (_TAG_RUN_MIN - 1), re.I)


def collapse_tag_runs(body: bytes) -> bytes:
    """``body`` with every run of 64 or more identical opening (closing) tags read as one; the
    body itself when it has none (the common case costs one byte count)."""
    if body.count(b"<") < 2 * _TAG_RUN_MIN * 16:  # far too few tags for a run that matters
        return body
    out = _CLOSE_RUN.sub(rb"\1", _OPEN_RUN.sub(rb"\1", body))
    return body if out == body else out


def flatten_deep(tree: etree._Element, limit: int = MAX_DEPTH) -> bool:
    """Replace every element deeper than ``limit`` by its text, in place, without recursion;
    False when the tree is shallower and nothing was changed."""
    # Nearly every page is shallower: one XPath (in C) says so without walking the tree here.
    if limit == MAX_DEPTH and not _AT_MAX_DEPTH(tree):
        return False
    stack: list[tuple[etree._Element, int]] = [(tree, 0)]
    while stack:
        el, depth = stack.pop()
        if depth >= limit:
            text = " ".join(t for t in el.itertext() if t.strip())
            tail = el.tail
            el.clear()
            el.text = _NOT_XML.sub("", text)
            el.tail = tail
            continue
        stack.extend((child, depth + 1) for child in el if isinstance(child.tag, str))
    return True


def html_selector(text: str, base_url: str | None = None) -> Selector:
    """The selector parsel builds from ``text`` (the same parser and options, so the same tree),
    made of lxml's plain elements: lxml.html's elements ask a Python function for their class each
    time lxml hands one out, about a fifth of a page's extraction. The extractor uses no method
    of lxml.html's elements; htmldate, which wants them, is given its own parse."""
    return Selector(root=create_root_node(text, etree.HTMLParser, base_url=base_url), type="html")


_NOISE_CANDIDATE_PATH = (
    "descendant::*[@class or @id or @role or @style or @hidden]"
    " | descendant::nav | descendant::footer | descendant::aside"  # (faster than self:: tests)
)
_NOISE_CANDIDATES = etree.XPath(_NOISE_CANDIDATE_PATH)
_COUNT_NOISE_CANDIDATES = etree.XPath(f"count({_NOISE_CANDIDATE_PATH})")


def _plain_copy(root: etree._Element) -> etree._Element:
    """A copy of ``root`` made of lxml's plain elements. lxml makes a Python object for an
    element each time one is handed out that no one holds, and for lxml.html's elements (what
    parsel parses) it asks a Python function which class to make; the steps walk the cleaned
    copy many times. The text and tags are the same, and nothing here uses lxml.html's methods."""
    tree = deepcopy(root)
    if not isinstance(tree.tag, str):
        return tree
    try:
        plain = etree.Element(tree.tag, dict(tree.attrib))
        plain.text = tree.text
    except ValueError:  # a name or text lxml refuses to set from Python: keep the copy as it is
        return tree
    for child in list(tree):
        plain.append(child)
    return plain


def cleaned_tree(root: etree._Element, *, visible: list[str] | None = None) -> etree._Element:
    """A copy of ``root`` without scripts, comments, hidden parts and noise containers.

    A container that looks like noise by its name but holds most of the page's text (a
    ``<div class="page">`` wrapping everything) is kept. ``visible``, when given, receives the
    text that ``iter_blocks(root)`` reads (as :func:`visible_text` gives it, but that control
    characters lxml refuses may be missing), taken on the way at no walk's cost; nothing when
    the page is too deep to tell.
    """
    tree = _plain_copy(root)
    flattened = flatten_deep(tree)
    # Removed in C, their tails kept (what _remove does one element at a time in Python).
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    body = tree.find(".//body")
    start = body if body is not None else tree
    consent = _consent_boxes(start)  # found by their buttons, before buttons go with DROP_TAGS
    consent += _login_forms(start)  # ... and login forms by their password field
    etree.strip_elements(tree, *DROP_TAGS, with_tail=False)
    if visible is not None and not flattened:
        visible.append(_STRING(tree))
    for box in consent:
        _remove(box)
    total = max(len(element_text(start)), 1)
    # Only an element with a class, id, role, style or hidden attribute, or a nav, footer or
    # aside, can be an overlay or noise: one XPath (in C) picks them, in document order.
    candidates = _NOISE_CANDIDATES(start)
    # The candidates inside a removed element follow it in document order: they are skipped.
    skip = 0

    def remove(el: etree._Element) -> None:
        nonlocal skip
        skip = int(_COUNT_NOISE_CANDIDATES(el))
        _remove(el)

    for el in candidates:
        if skip:
            skip -= 1
            continue
        consent_name, noise_name, comments_name = _name_verdict(el.get("class"), el.get("id"))
        if (
            el.get("role") is not None
            or el.get("style") is not None
            or el.get("hidden") is not None
            or el.tag in {"nav", "footer", "aside"}
        ):
            overlay, noise = _overlay(el), None
        else:  # only a class or an id: the name decides, as _overlay and is_noise_container would
            overlay = consent_name
            noise = noise_name and not _long_paragraph(el)  # a paragraph's length last
        if overlay and not _holds_headline(el):
            remove(el)
            continue
        if noise is None:
            noise = is_noise_container(el)
        if not noise or _holds_headline(el):
            continue
        # A comment thread goes however long it is; other widgets only when they are small and
        # hold no run of long paragraphs (article wrappers named "and-w-sidebar").
        if comments_name or (_text_shorter(el, 0.4 * total) and not _holds_paragraphs(el)):
            remove(el)
    return tree


@lru_cache(maxsize=4096)
def _name_verdict(cls: str | None, ident: str | None) -> tuple[bool, bool, bool]:
    """What an element's class and id say, kept per pair (names recur on every item of a list
    and every page of a site): a consent box, noise (as :func:`is_noise_container` reads the
    name), a comment thread."""
    label = f"{cls or ''} {ident or ''}".strip()
    if not label:
        return False, False, False
    # id="comment-box" is the thread, whatever words its class leads with ("user-post-box").
    comment_id = ident is not None and _COMMENTS_CF.kept(ident)
    return _CONSENT_CF.kept(label), comment_id or _noise_label(label), _COMMENTS_CF.found(label)


# A list entry of a thread's reply tree or a post list: a link, its author, a time
# ("你知道导游为什么…【芊草凡凡】08-22 19:13 173字 [154/0]", "许先生著作 大卫 20:02:45 9/12/05 (75)").
_ENTRY_TIME = re.compile(
    r"(?<!\d)(?:\d{1,2}:\d{2}|\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}|\d{1,2}[-/]\d{1,2}(?:[-/]\d{2,4})?)(?!\d)"
)
_TIME_HINT = re.compile(r"\d[:/.年-]\d")  # what each of those times holds, found fast
_OWN_TEXT = etree.XPath(
    "text() | *[not(self::ul or self::ol)]/descendant-or-self::*/text()", smart_strings=False
)
_OWN_LINK = etree.XPath("boolean(*[not(self::ul or self::ol)]/descendant-or-self::a)")
POST_LIST_ENTRY_CHARS = 200
POST_LIST_MIN_ENTRIES = 4
POST_LIST_SHARE = 0.7


def drop_post_lists(tree: etree._Element) -> None:
    """Remove the lists whose items are dated links, in place: the reply tree under a forum post
    and a board's list of posts name each post by its title, author and time; they are links to
    other pages, never the article's text. (Only for an article: a listing page is such a list.)"""
    for lst in list(tree.iter("ul", "ol")):
        if lst.getparent() is None or any(a.tag in {"ul", "ol"} for a in lst.iterancestors()):
            continue
        # Most lists print no times at all: one count over the list's text says so.
        if len(_TIME_HINT.findall(_STRING(lst))) < POST_LIST_MIN_ENTRIES:
            continue
        items = list(lst.iter("li"))
        entries = sum(1 for li in items if _dated_entry(li))
        if entries >= POST_LIST_MIN_ENTRIES and entries >= POST_LIST_SHARE * len(items):
            _remove(lst)


def _dated_entry(li: etree._Element) -> bool:
    text = collapse("".join(_OWN_TEXT(li)))
    return len(text) <= POST_LIST_ENTRY_CHARS and bool(_OWN_LINK(li)) and bool(_ENTRY_TIME.search(text))


_STRING_LENGTH = etree.XPath("string-length()")


def _text_shorter(el: etree._Element, limit: float) -> bool:
    return not text_at_least(el, limit)


def text_at_least(el: etree._Element, n: float) -> bool:
    """``len(element_text(el)) >= n``, without collapsing the blanks of more text than it takes:
    the length before collapsing, counted in C, answers when it is below (collapsing never
    lengthens), and the collapsed text of a prefix is a prefix of the collapsed text."""
    if not isinstance(el.tag, str):
        return len(element_text(el)) >= n
    if _STRING_LENGTH(el) < n:
        return False
    text = _STRING(el)
    head = text[: int(2 * n) + 64]
    if len(collapse(head)) >= n:
        return True
    return len(head) < len(text) and len(collapse(text)) >= n


# The button that closes a consent dialog, in the languages of the real pages ("AKCEPTUJĘ I
# PRZECHODZĘ DO SERWISU", "Alle akzeptieren", "同意并继续").
_ACCEPT = re.compile(
    r"^\s*(?:accept|agree|i agree|allow all|got it|akceptuj|zgadzam|einverstanden|akzeptieren|"
    r"alle akzeptieren|zustimmen|accepter|j'accepte|tout accepter|aceptar|acepto|aceitar|accett|"
    r"akkoord|godkänn|hyväksy|"
    r"同意|接受|我同意|我知道了|동의|同意する|承諾)",
    re.IGNORECASE,
)
_CONSENT_BOX_CHARS = 300


def _consent_boxes(start: etree._Element) -> list[etree._Element]:
    """The boxes of consent dialogs whose class names say nothing (obfuscated): the nearest
    ancestor of an accept button that holds a paragraph's worth of text, when it is a small part
    of the page and holds no headline."""
    boxes: list[etree._Element] = []
    total: int | None = None  # the page's text, measured only when an accept button is found
    for button in start.iter("button"):
        label = element_text(button)
        if len(label) > 60 or not _ACCEPT.match(label):
            continue
        if total is None:
            total = len(element_text(start))
        box = button.getparent()
        while box is not None and box is not start and len(element_text(box)) < _CONSENT_BOX_CHARS:
            box = box.getparent()
        if box is None or box is start or len(element_text(box)) > 0.5 * total or _holds_headline(box):
            continue
        if not any(box is b or is_ancestor(b, box) for b in boxes):
            boxes.append(box)
    return boxes


_PASSWORD_FORMS = etree.XPath(
    "descendant::form[descendant::input[translate(@type, 'PASWORD', 'pasword')='password']]"
)


def _login_forms(start: etree._Element) -> list[etree._Element]:
    """The login forms (a form with a password field: "您尚未登录，请输入您的用户名、密码…", the
    cookie options under it): never the article, and on a short page (an error message, a
    one-paragraph post) their lines outweigh it. Not a form that wraps the page (ASP.NET's one
    <form> around everything) or holds the headline."""
    forms = _PASSWORD_FORMS(start)
    if not forms:
        return []
    total = len(element_text(start))
    return [f for f in forms if len(element_text(f)) < 0.4 * total and not _holds_headline(f)]


def _overlay(el: etree._Element) -> bool:
    """A consent banner or a dialog: removed whatever its size."""
    return el.get("role") in {"dialog", "alertdialog"} or _CONSENT_CF.kept(tokens(el))


def _holds_headline(el: etree._Element) -> bool:
    """An article header (``<header class="release__head">``) holds the h1; a site header's h1
    is a logo link."""
    for h1 in el.iter("h1"):
        text = element_text(h1)
        links = "".join(element_text(a) for a in h1.iter("a"))
        if text and len(links) < 0.5 * len(text):
            return True
    return False


def _holds_paragraphs(el: etree._Element) -> bool:
    """Three or more long paragraphs: article text inside a container named like a widget
    ("main-white and-w-sidebar"), unless the container is a comment thread."""
    if _COMMENTS_CF.found(tokens(el)):
        return False
    long_paragraphs = 0
    for p in el.iter("p"):
        if text_at_least(p, 150):
            long_paragraphs += 1
            if long_paragraphs >= 3:
                return True
    return False


def _remove(el: etree._Element) -> None:
    """Remove ``el`` but keep the text that follows it (lxml stores it on the element)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = _NOT_XML.sub("", el.tail) if el.tail else el.tail
    prev = el.getprevious()
    parent.remove(el)
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


@dataclass
class Block:
    """One line of visible text: a paragraph, a heading, a list item, a cell."""

    text: str
    element: etree._Element
    tag: str
    link_chars: int

    @property
    def link_density(self) -> float:
        return self.link_chars / max(len(self.text), 1)

    @cached_property
    def length(self) -> int:
        """``text_length(self.text)``, which several steps ask of the same block."""
        return text_length(self.text)


def iter_blocks(root: etree._Element) -> Iterator[Block]:
    """The text of ``root`` cut into blocks at block-level elements and ``<br>``."""
    parts: list[str] = []
    link_chars = 0
    owner: list[etree._Element] = [root]

    def flush(el: etree._Element) -> Iterator[Block]:
        nonlocal parts, link_chars
        text = collapse("".join(parts))
        if text:
            tag = el.tag if isinstance(el.tag, str) else ""
            yield Block(text, el, tag, min(link_chars, len(text)))
        parts = []
        link_chars = 0

    # An explicit stack instead of recursion: a page may nest thousands of elements.
    # Steps: ("enter", el, link) reads the element's own text and schedules its children;
    # ("tail", child, link) reads the text after a child; ("exit", el, link) closes a block.
    stack: list[tuple[str, etree._Element, bool]] = [("enter", root, False)]
    while stack:
        step, el, in_link = stack.pop()
        if step == "tail":
            parts.append(el.tail or "")
            if in_link:
                link_chars += len(collapse(el.tail or ""))
            continue
        if step == "exit":
            yield from flush(el)
            owner.pop()
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in DROP_TAGS:
            continue
        is_block = tag in BLOCK_TAGS
        if is_block:
            yield from flush(owner[-1])
            owner.append(el)
            stack.append(("exit", el, False))
        link = in_link or (tag == "a" and not _script_wrapper(el))
        if el.text:
            parts.append(el.text)
            if link:
                link_chars += len(collapse(el.text))
        for child in reversed(el):
            if child.tail:
                stack.append(("tail", child, link))
            if isinstance(child.tag, str) and child.tag not in DROP_TAGS:
                stack.append(("enter", child, link))

    yield from flush(root)


def _script_wrapper(el: etree._Element) -> bool:
    """An ``<a href="javascript:">`` around paragraphs leads nowhere: its text is text, not a
    link's (a "javascript:" anchor around a word is still a widget: "自动播放", "打印")."""
    href = (el.get("href") or "").lstrip().lower()
    return href.startswith("javascript:") and any(
        isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in el
    )


def parse_html(text: str) -> etree._Element:
    """Parse an HTML string into an lxml tree (for callers without a parsel Selector)."""
    return html.fromstring(text) if text.strip() else html.fromstring("<html></html>")


_TEXTS = etree.XPath("descendant::text()", smart_strings=False)
_TEXTS_BEFORE = etree.XPath("count(preceding::text())")
_TEXTS_INSIDE = etree.XPath("count(descendant::text())")


def visible_text(root: etree._Element) -> str:
    """The text ``iter_blocks(root)`` reads, in the same order, without the cuts between blocks
    (nor their whitespace collapsed): every text of ``root`` but that of dropped elements, cut
    out of the list of texts by their positions (XPath in C instead of a walk in Python)."""
    if isinstance(root.tag, str) and root.tag in DROP_TAGS:
        return ""
    texts = _TEXTS(root)
    kept: list[str] = []
    position = 0  # in ``texts``: what comes before is kept or cut
    offset: int | None = None  # the texts before ``root`` in its document
    for el in root.iter(*DROP_TAGS):
        if el.text is None and not len(el):
            continue  # holds no text (meta, link, an empty script)
        if offset is None:
            offset = int(_TEXTS_BEFORE(root))
        start = int(_TEXTS_BEFORE(el)) - offset
        if start < position:
            continue  # inside a dropped element already cut
        kept.extend(texts[position:start])
        position = start + int(_TEXTS_INSIDE(el))
    kept.extend(texts[position:])
    return "".join(kept)


# The text of an element as ``"".join(el.itertext())`` reads it, built in C (3 times faster).
_STRING = etree.XPath("string()", smart_strings=False)


def element_text(el: etree._Element) -> str:
    if not isinstance(el.tag, str):  # a comment's string() would be its content
        return collapse("".join(el.itertext()))
    return collapse(_STRING(el))


def is_ancestor(ancestor: etree._Element, el: etree._Element) -> bool:
    node = el.getparent()
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False
