"""The headline: the visible heading that best matches the page's title metadata."""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract.dom import Block, element_text, is_ancestor, tokens
from crawler.extract.metadata import TITLE_META, PageMetadata
from crawler.extract.text import collapse

_TITLE_CLASS = re.compile(r"title|headline|biaoti|(?:^|[\s_-])(?:bt|tit|tt)(?:$|[\s_-])", re.I)


_TITLE_SEPARATORS = re.compile(r"\s+[-|–—]\s+|\s*_\s*|\s*--\s*|\s*——\s*|\s*－\s*|\s*\|\s*")


def strip_title_suffix(text: str) -> str:
    parts = [p for p in _TITLE_SEPARATORS.split(text) if p.strip()]
    if len(parts) <= 1:
        return text
    first = parts[0].strip()
    longest = max(parts, key=len).strip()
    return first if len(first) >= 0.4 * len(text) or len(first) >= len(longest) else longest


def find_title(clean: etree._Element, md: PageMetadata) -> tuple[str | None, etree._Element | None, str]:
    refs: list[str] = []
    for name in TITLE_META:
        value = md.meta.get(name)
        if value:
            refs.append(value)
    headline = md.jsonld_value("headline")
    if isinstance(headline, str) and headline.strip():
        refs.append(collapse(headline))
    if md.html_title:
        refs.append(md.html_title)
    site_names = {md.meta.get(k, "") for k in ("sitename", "og:site_name", "application-name")} - {""}

    best: tuple[float, str, etree._Element] | None = None
    for position, el in enumerate(clean.iter()):
        if not isinstance(el.tag, str):
            continue
        tag = el.tag
        label = tokens(el)
        weight = {"h1": 3.0, "h2": 2.0, "h3": 1.0, "h4": 0.5}.get(tag, 0.0)
        if label and _TITLE_CLASS.search(label):
            weight = max(weight, 2.5) + (0.5 if tag.startswith("h") else 0)
        if weight == 0:
            continue
        text = element_text(el)
        if not (2 <= len(text) <= 300) or text in site_names:
            continue
        score = weight
        for ref in refs:
            if ref == text:
                score += 6
                break
            if text in ref and len(text) >= 0.3 * len(ref):
                score += 4
                break
            if ref in text and len(ref) >= 0.5 * len(text):
                score += 2
                break
        if (el.getparent() is not None and el.getparent().tag == "a") or _is_link_only(el):
            score -= 3
        score -= position * 1e-5
        if best is None or score > best[0]:
            best = (score, text, el)
    if best is not None and best[0] >= 5:
        return best[1], best[2], "heading"
    for name in TITLE_META[:4]:
        value = md.meta.get(name)
        if value:
            return strip_title_suffix(value), None, f"meta:{name}"
    if isinstance(headline, str) and headline.strip():
        return collapse(headline), None, "jsonld"
    if best is not None and best[0] >= 2.5:
        return best[1], best[2], "heading"
    if md.html_title:
        return strip_title_suffix(md.html_title), None, "html-title"
    return None, None, "none"


def _is_link_only(el: etree._Element) -> bool:
    links = el.findall(".//a")
    if not links:
        return False
    link_text = sum(len(element_text(a)) for a in links)
    return link_text >= 0.9 * max(len(element_text(el)), 1)


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
