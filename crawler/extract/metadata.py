"""Machine-readable metadata: government meta tags, OpenGraph, JSON-LD, ``<time>``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from crawler.extract.text import collapse

# Order of trust among date tags: the government CMS tags, then article/OpenGraph tags.
DATE_META = (
    "pubdate", "firstpublishedtime", "publishdate", "publish_date", "publishtime",
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "dc.date.issued", "dc.date", "dcterms.created", "date", "sailthru.date",
    "parsely-pub-date", "article.published", "published_time", "release_date",
)  # fmt: skip
TITLE_META = ("articletitle", "og:title", "twitter:title", "headline", "dc.title", "title")
OUTLET_META = ("contentsource", "source", "article:source", "og:article:source")
AUTHOR_META = ("author", "article:author", "dc.creator", "byl")
NEWS_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
    "backgroundnewsarticle", "webpage", "pressrelease", "report", "socialmediaposting",
}  # fmt: skip


@dataclass
class PageMetadata:
    meta: dict[str, str] = field(default_factory=dict)
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    canonical: str | None = None
    html_title: str = ""
    html_lang: str | None = None
    time_tags: list[str] = field(default_factory=list)
    time_texts: list[str] = field(default_factory=list)  # what each <time> prints, same order

    def first(self, names: tuple[str, ...]) -> tuple[str, str] | None:
        for name in names:
            value = self.meta.get(name)
            if value:
                return name, value
        return None

    def jsonld_value(self, key: str) -> Any:
        for obj in self.jsonld:
            value = obj.get(key)
            if value:
                return value
        return None


def _iter_jsonld(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _iter_jsonld(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _iter_jsonld(data["@graph"])
        kinds = data.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(k, str) and k.lower() in NEWS_TYPES for k in kinds):
            yield data


# A script's text wrapped for XHTML parsers: "<![CDATA[ {...} ]]>", "//<![CDATA[ ... //]]>".
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


def read_metadata(root: etree._Element) -> PageMetadata:
    md = PageMetadata()
    # One walk for the five tags (lxml picks them in C); each kind is read in document order.
    for el in root.iter("meta", "script", "link", "title", "time"):
        tag = el.tag
        if tag == "meta":
            name = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
            content = el.get("content")
            if name and content and name not in md.meta:
                md.meta[name] = collapse(content)
        elif tag == "script":
            _read_jsonld(el, md)
        elif tag == "link":
            if md.canonical is None and (el.get("rel") or "").lower() == "canonical" and el.get("href"):
                md.canonical = el.get("href", "").strip()
        elif tag == "title":
            # The first <title> with text: a template may leave an empty one before the real one,
            # and inline SVG icons carry their own (<symbol><title>icon</title>).
            if not md.html_title and not el.xpath("ancestor::svg"):
                md.html_title = collapse("".join(el.itertext()))
        else:  # <time>
            value = el.get("datetime") or ""
            if value.strip():
                md.time_tags.append(value.strip())
                md.time_texts.append(collapse("".join(el.itertext())))
    # A NewsArticle beats a WebPage when a page carries both, in one script or in two.
    md.jsonld.sort(key=lambda o: str(o.get("@type")).lower() == "webpage")
    html_el = root if root.tag == "html" else root.find(".//html")
    if html_el is not None:
        md.html_lang = html_el.get("lang") or html_el.get("xml:lang")
    return md


def _read_jsonld(script: etree._Element, md: PageMetadata) -> None:
    if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
        return
    try:
        text = script.text
        data = json.loads(_CDATA.sub("", text) if "CDATA[" in text or "]]>" in text else text)
    except ValueError:
        return
    md.jsonld.extend(_iter_jsonld(data))


def jsonld_name(value: Any) -> str | None:
    """The display name of a JSON-LD author/publisher value (string, object or list)."""
    if isinstance(value, str):
        return collapse(value) or None
    if isinstance(value, dict):
        name = value.get("name")
        return collapse(name) if isinstance(name, str) and name.strip() else None
    if isinstance(value, list):
        names = [n for n in (jsonld_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None
