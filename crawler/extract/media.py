"""Images and attachments of an article: pure functions over the cleaned page tree.

``article_images(containers, url)`` returns the pictures of the article body in page order with
the caption printed under or beside each (``<figcaption>``, a caption-class element, the centred
paragraph after the picture, ``图为…``, ``(photo by …)``). Logos, icons, share buttons, QR codes,
tracking pixels, ads and the thumbnails of related articles are not pictures of the article:
the noise containers holding most of them are gone from the cleaned tree already, and what is
left is recognised by its file name, class, size and link.

``article_attachments(tree, containers, url)`` returns the files an article links to (PDF, DOC,
XLS, WPS, OFD...) in the body and in the 附件 / 相关附件 / Attachment blocks around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from posixpath import splitext
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml import etree

from crawler.extract.dom import Block, element_text, is_ancestor, text_at_least, tokens
from crawler.extract.text import CaseFree, collapse
from crawler.urls import join_url

ATTACHMENT_TYPES = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "ofd", "zip", "rar", "txt")
MIME_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "wps": "application/vnd.ms-works",
    "ofd": "application/ofd",
    "zip": "application/zip",
    "rar": "application/vnd.rar",
    "txt": "text/plain",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "bmp": "image/bmp",
}

# Where a picture's real address hides on lazy-loading pages, most specific first.
_SRC_ATTRS = ("data-original", "data-src", "data-lazy-src", "data-url", "original", "src")
# File names, classes and alt texts of pictures that are not the article's.
_DECOY = re.compile(
    r"logo|icon|ico_|favicon|qr-?code|qrcode|erweima|ewm|share|weixin|wechat|weibo|qzone|"
    r"twitter|facebook|linkedin|whatsapp|sprite|spacer|blank|pixel|beacon|track|counter|stat\.|"
    r"advert|banner|\bads?\b|avatar|button|btn|arrow|loading|placeholder|print|close|havefile|file_?icon|"
    r"扫一扫|二维码|分享|关注|微信|打印|关闭|图标|标志",
    re.I,
)
# Directories of pictures that are not an article's: avatars, icons, emoticons.
_DECOY_DIR = re.compile(r"/(?:avatars?|authors?|icons?|emoji|emoticons?|smilies|face|bdshare|share)/", re.I)
# Pictures smaller than this (declared width or height, pixels) are icons or tracking pixels.
MIN_SIDE = 60
# A caption is a short line: longer text under a picture is the next paragraph of the article.
MAX_CAPTION_CHARS = 200
# A line that only its layout (centred, set apart by <br>) marks as a caption must be shorter:
# longer centred lines under pictures are quotes and intros of the text as often as captions.
SHORT_CAPTION_CHARS = 60
_CAPTION_CLASS = re.compile(
    r"caption|img-?desc|pic-?desc|picdesc|imgtext|img-?text|photo-?desc|pic-?text|pictext|tupian|"
    r"img_title|pic-?title|pictitle|(?:^|[\s_-])cap(?:$|[\s_-])|(?:^|[\s_-])tit(?:$|[\s_-])|zhushi|tuzhu",
    re.I,
)
# Lines that say what a picture shows: "图为…", "（图片来源：…）", "(photo by …)", "Photo: …".
_CAPTION_TEXT = re.compile(
    r"^\s*(?:图为|上图|下图|图片为|图：|图:|组图|\(photo\b|photo\s*(?:by|:|／|/)|pictured|"
    r"[（(](?:图片来源|摄影|photo|图/|图／)|▲)|"
    r"[（(][^（）()]{0,24}(?:供图|摄|photo by[^()]*|Photo by[^()]*)[）)]\s*$",
    re.I,
)
_QUOTE = re.compile(r"^\s*[“\"'‘「『<《]")
_CENTER_STYLE = re.compile(r"text-align\s*:\s*center", re.I)
_RELATED_LINK = re.compile(r"\.(?:s?html?|shtml|php|aspx?|jsp)(?:$|[?#])|/(?:art|content|detail)[/_]", re.I)
_ATTACHMENT_LABEL = re.compile(
    r"^\s*[【\[]?\s*(?:相关附件|附件(?:下载)?|附\s*件|Attachments?|Downloads?)\s*[】\]]?\s*"
    r"(?:\d+|[一二三四五六七八九十]+)?\s*[:：]?",
    re.I,
)
_GENERIC_LINK_TEXT = re.compile(
    r"^\s*[【\[(（]?\s*(?:点击)?(?:下载|查看|附件|download|click here|here|原文|pdf)\s*[】\])）]?\s*$", re.I
)
_CONTENT_WORDS = re.compile(r"content|article|detail|zoom|body|text", re.I)
_DECOY_CF = CaseFree(_DECOY)
_CONTENT_WORDS_CF = CaseFree(_CONTENT_WORDS)
_CAPTION_CLASS_CF = CaseFree(_CAPTION_CLASS)


@lru_cache(maxsize=4096)
def _decoy_label(label: str) -> bool:
    """Whether the class/id string of a picture's ancestor names a decoy's holder (names recur:
    the answer is kept per string)."""
    return _DECOY_CF.found(label) and not _CONTENT_WORDS_CF.found(label)


@dataclass
class Image:
    url: str
    caption: str | None = None
    alt: str | None = None
    caption_element: etree._Element | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"url": self.url, "caption": self.caption, "alt": self.alt}


@dataclass
class Attachment:
    url: str
    title: str
    type: str

    def as_dict(self) -> dict[str, str]:
        return {"url": self.url, "title": self.title, "type": self.type}


def image_src(img: etree._Element) -> str | None:
    for attr in _SRC_ATTRS:
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return None


def _side(value: str | None) -> int | None:
    match = re.match(r"\s*(\d+)(?:px)?\s*$", value or "")
    return int(match.group(1)) if match else None


def _style_side(style: str, name: str) -> int | None:
    match = re.search(rf"(?:^|;)\s*{name}\s*:\s*(\d+)px", style, re.I)
    return int(match.group(1)) if match else None


def is_decoy(img: etree._Element, src: str, page_url: str) -> bool:
    """A logo, icon, share or QR button, tracking pixel, ad, or a related article's thumbnail."""
    path = unquote(urlsplit(src).path)
    if path.lower().endswith((".svg", ".ico")):
        return True
    name = path.rsplit("/", 1)[-1]
    words = f"{name} {tokens(img)} {img.get('alt') or ''} {img.get('title') or ''}"
    if _DECOY_CF.found(words) or _DECOY_DIR.search(path):
        return True
    style = img.get("style") or ""
    for side in (_side(img.get("width")), _side(img.get("height")),
                 _style_side(style, "width"), _style_side(style, "height")):  # fmt: skip
        if side is not None and side < MIN_SIDE:
            return True
    node = img.getparent()
    depth = 0
    while node is not None and depth < 6:
        if node.tag == "a":
            href = join_url(page_url, node.get("href") or "")
            # A thumbnail that links to another page is a teaser of that page, not a picture
            # of this article; a link to the full-size picture itself is fine.
            if href and href != page_url and _RELATED_LINK.search(href) and not _is_picture_url(href):
                return True
        label = tokens(node)
        if label and _decoy_label(label):
            return True
        node = node.getparent()
        depth += 1
    return False


def _is_picture_url(url: str) -> bool:
    return splitext(urlsplit(url).path.lower())[1] in {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp"}


def _caption_for(img: etree._Element, stop: etree._Element) -> tuple[str | None, etree._Element | None]:
    """The caption printed with ``img``, and the element holding it (None: the alt stands alone)."""
    # <figure><img><figcaption>, or a caption-class element inside the picture's wrapper.
    node = img.getparent()
    depth = 0
    while node is not None and depth < 3:
        for child in node.iter("figcaption"):
            text = element_text(child)
            if text:
                return text, child
        for child in node.iter():
            if child is img or not isinstance(child.tag, str) or child.tag == "img":
                continue
            if _CAPTION_CLASS_CF.kept(tokens(child)) and not child.findall(".//img"):
                text = element_text(child)
                if text and len(text) <= MAX_CAPTION_CHARS:
                    return text, child
        if node is stop or (node.findall(".//p") and len(node.findall(".//img")) > 1):
            break
        if node.getparent() is not None and text_at_least(node, MAX_CAPTION_CHARS + 1):
            break
        node = node.getparent()
        depth += 1
    # Text after the picture inside its own paragraph: <p><img><br>图为…</p>. Inline pictures in
    # running text are common, so only a short line set apart (a <br>, centred, or worded as a
    # caption) is one.
    holder = _block_of(img, stop)
    if holder is not None and holder is not stop and len(holder.findall(".//img")) == 1:
        own = _text_after(img, holder)
        before = collapse(element_text(holder)[: max(0, len(element_text(holder)) - len(own))])
        worded = _CAPTION_TEXT.search(own)
        # ... one line: lines under the picture cut by more <br>s are the text it illustrates (a
        # post that is a picture and two lines).
        one_line = sum(1 for br in holder.iter("br") if collapse(br.tail or "")) <= 1
        set_apart = worded or (
            len(own) <= SHORT_CAPTION_CHARS and one_line and (_is_centred(holder) or _br_after(img))
        )
        if own and not before and len(own) <= MAX_CAPTION_CHARS and set_apart and not _QUOTE.match(own):
            return own, holder
    # The next paragraph: centred, or saying what the picture shows.
    anchor = holder if holder is not None else img
    nxt = anchor.getnext()
    while _empty(nxt):
        assert nxt is not None
        nxt = nxt.getnext()  # empty <p>&nbsp;</p> or <br> between picture and caption
    if nxt is not None and isinstance(nxt.tag, str) and not nxt.findall(".//img"):
        text = element_text(nxt)
        if text and len(text) <= MAX_CAPTION_CHARS and not _QUOTE.match(text):
            if _CAPTION_TEXT.search(text):
                return text, nxt
            # A page that centres all its paragraphs centres text, not captions.
            after = nxt.getnext()
            centred_text = after is not None and _is_centred(after) and not after.findall(".//img")
            if _is_centred(nxt) and not centred_text and len(text) <= SHORT_CAPTION_CHARS:
                return text, nxt
    return None, None


def _br_after(img: etree._Element) -> bool:
    """Whether a <br> follows ``img`` before any text: the line under the picture."""
    node = img
    while node is not None:
        if collapse(node.tail or ""):
            return False
        nxt = node.getnext()
        if nxt is None:
            return False
        if nxt.tag == "br":
            return True
        if element_text(nxt):
            return False
        node = nxt
    return False


def _empty(el: etree._Element | None) -> bool:
    return el is not None and isinstance(el.tag, str) and not element_text(el) and not el.findall(".//img")


def _is_centred(el: etree._Element) -> bool:
    if el.tag == "center" or (el.get("align") or "").lower() == "center":
        return True
    if _CENTER_STYLE.search(el.get("style") or ""):
        return True
    return any(
        _CENTER_STYLE.search(child.get("style") or "") or (child.get("align") or "").lower() == "center"
        or child.tag == "center"
        for child in el
        if isinstance(child.tag, str) and element_text(child) == element_text(el)
    )


def _block_of(img: etree._Element, stop: etree._Element) -> etree._Element | None:
    """The paragraph-like element that holds ``img`` (``<p>``, ``<div>``, ``<center>``)."""
    node = img.getparent()
    while node is not None and node is not stop:
        if node.tag in {"p", "div", "center", "figure", "td", "li", "section", "span"} and node.tag != "span":
            return node
        node = node.getparent()
    return None


def _text_after(img: etree._Element, holder: etree._Element) -> str:
    """Text of ``holder`` that follows ``img`` in document order."""
    parts: list[str] = []
    seen = False
    for el in holder.iter():
        if el is img:
            seen = True
            parts.append(img.tail or "")
            continue
        if seen and isinstance(el.tag, str):
            if is_ancestor(img, el):
                continue
            parts.append(el.text or "")
            parts.append(el.tail or "")
    # A tail of an ancestor between img and holder is after the picture too.
    node = img.getparent()
    while node is not None and node is not holder:
        parts.append(node.tail or "")
        node = node.getparent()
    return collapse("".join(parts))


def article_images(containers: list[etree._Element], page_url: str) -> list[Image]:
    """The pictures of the article body, in page order, absolute URLs, with their captions."""
    found: list[Image] = []
    seen: set[str] = set()
    for container in containers:
        for img in container.iter("img"):
            src = image_src(img)
            if not src:
                continue
            url = join_url(page_url, src)
            if url is None or url in seen or is_decoy(img, url, page_url):
                continue
            seen.add(url)
            caption, element = _caption_for(img, container)
            alt = collapse(img.get("alt") or "") or None
            found.append(Image(url=url, caption=caption, alt=alt, caption_element=element))
    return found


def caption_elements(images: list[Image]) -> list[etree._Element]:
    return [i.caption_element for i in images if i.caption_element is not None]


def attachment_type(url: str) -> str | None:
    """The file type of an attachment link (``pdf``...), from its path or a file-name parameter."""
    parts = urlsplit(url)
    candidates = [unquote(parts.path)] + [unquote(v) for _, v in parse_qsl(parts.query)]
    for candidate in candidates:
        ext = splitext(candidate.lower().rstrip("/"))[1].lstrip(".")
        if ext in ATTACHMENT_TYPES:
            return ext
    return None


def _link_title(link: etree._Element, url: str) -> str:
    text = element_text(link) or collapse(link.get("title") or "")
    if text and not _GENERIC_LINK_TEXT.match(text):
        return _ATTACHMENT_LABEL.sub("", text).strip() or text
    # "附件1：关于…的通知 [下载]": the title is the text before a generic link.
    parent = link.getparent()
    if parent is not None:
        before = collapse(_ATTACHMENT_LABEL.sub("", element_text(parent).replace(text, "")))
        if before and len(before) <= MAX_CAPTION_CHARS:
            return before
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


_TEXT = etree.XPath("string()", smart_strings=False)


def _may_hold_attachment_label(tree: etree._Element) -> bool:
    """Whether a text of ``tree`` can hold an _ATTACHMENT_LABEL ("附件", "附 件", "Attachment",
    "Download"): most pages have none, and their whole text says so at once."""
    text = _TEXT(tree)
    if "附" in text:
        return True
    lowered = text.lower()  # no other letter folds to those of "attachment" or "download" in re
    return "attachment" in lowered or "download" in lowered


def _attachment_blocks(tree: etree._Element) -> list[etree._Element]:
    """Elements holding a 附件 / Attachment block: the label's element and what follows it."""
    blocks: list[etree._Element] = []
    if not _may_hold_attachment_label(tree):
        return blocks
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in {"a", "html", "body"}:
            continue
        own = collapse(el.text or "")
        if not own:
            first = next((c for c in el if isinstance(c.tag, str)), None)
            if first is not None and first.tag in {"span", "strong", "b", "label", "em", "font"}:
                own = collapse(first.text or "")
        if not own or len(own) > 40 or not _ATTACHMENT_LABEL.match(own):
            continue
        blocks.append(el)
        sibling = el.getnext()
        for _ in range(12):  # the list after the label line
            if sibling is None:
                break
            blocks.append(sibling)
            sibling = sibling.getnext()
    return blocks


def article_attachments(
    tree: etree._Element,
    containers: list[etree._Element],
    page_url: str,
    blocks: list[etree._Element] | None = None,
) -> list[Attachment]:
    """Files the article links to, in page order: in the body, then in 附件 blocks around it."""
    found: list[Attachment] = []
    seen: set[str] = set()
    for scope in [*containers, *(_attachment_blocks(tree) if blocks is None else blocks)]:
        for link in scope.iter("a"):
            url = join_url(page_url, link.get("href") or "")
            if url is None or url in seen:
                continue
            kind = attachment_type(url)
            if kind is None:
                continue
            seen.add(url)
            found.append(Attachment(url=url, title=_link_title(link, url), type=kind))
    return found


def mime_type(url: str, kind: str | None = None) -> str:
    kind = kind or splitext(urlsplit(url).path.lower())[1].lstrip(".")
    return MIME_TYPES.get(kind, "application/octet-stream")


@dataclass
class Media:
    images: list[Image]
    attachments: list[Attachment]
    lead_image: str | None
    # Label lines and list items of the 附件 / Attachment blocks: not article text.
    attachment_lines: list[etree._Element] = field(default_factory=list)


def find_media(
    tree: etree._Element, containers: list[etree._Element], page_url: str, meta: dict[str, str]
) -> Media:
    """Images, attachments and the lead image (the first body image, else og:image)."""
    images = article_images(containers, page_url)
    blocks = _attachment_blocks(tree)
    attachments = article_attachments(tree, containers, page_url, blocks)
    lead = images[0].url if images else None
    if lead is None:
        for key in ("og:image", "og:image:url", "twitter:image"):
            if meta.get(key):
                lead = join_url(page_url, meta[key])
                if lead:
                    break
    # Only blocks that hold a file link are attachment blocks ("附件" alone may be a word of text).
    lines = [b for b in blocks if any(attachment_type(join_url(page_url, a.get("href") or "") or "")
                                      for a in b.iter("a"))]  # fmt: skip
    if lines:
        # The label line before the first block with files belongs to it.
        lines += [
            b for b in blocks if len(element_text(b)) <= 12 and _ATTACHMENT_LABEL.match(element_text(b))
        ]
    return Media(images, attachments, lead, lines)


def without_media_lines(blocks: list[Block], media: Media) -> list[Block]:
    """``blocks`` minus the caption lines of the images and the lines of the attachment blocks:
    neither is article text."""
    captions = [(i.caption_element, i.caption) for i in media.images if i.caption_element is not None]
    files = media.attachment_lines
    if not captions and not files:
        return blocks
    kept = []
    for block in blocks:
        element = block.element
        if any(element is el or is_ancestor(el, element) for el in files) and len(block.text) <= 80:
            continue
        if any(
            (element is cap or is_ancestor(cap, element)) and block.text in text
            for cap, text in captions
            if cap is not None and text
        ):
            continue
        kept.append(block)
    return kept
