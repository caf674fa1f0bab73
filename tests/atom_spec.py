"""A checker of Atom 1.0 documents, written from the text of RFC 4287 (sections 4.1-4.2, 3.3)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

NS = "http://www.w3.org/2005/Atom"
A = f"{{{NS}}}"
# RFC 3339 date-time as section 3.3 requires it: "T", seconds, and a zone ("Z" or an offset).
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
TEXT_TYPES = {"text", "html", "xhtml"}


def _iri(value: str | None) -> bool:
    """An absolute IRI (section 4.2.6: atom:id is an IRI, and it must be absolute)."""
    return bool(value) and bool(urlsplit(value or "").scheme) and " " not in (value or "")


def _one(parent: etree._Element, name: str, where: str, out: list[str], required: bool = True) -> etree._Element | None:
    found = parent.findall(A + name)
    if len(found) > 1:
        out.append(f"{where} has {len(found)} atom:{name} (at most one)")
    if required and not found:
        out.append(f"{where} must contain atom:{name}")
    return found[0] if found else None


def _text_construct(el: etree._Element | None, where: str, out: list[str]) -> None:
    if el is not None and el.get("type", "text") not in TEXT_TYPES:
        out.append(f"{where}: type must be text, html or xhtml")


def _date(el: etree._Element | None, where: str, out: list[str]) -> None:
    if el is not None and not DATE.match((el.text or "").strip()):
        out.append(f"{where} is not an RFC 3339 date-time: {el.text!r}")


def _person(el: etree._Element, where: str, out: list[str]) -> None:
    name = el.find(A + "name")
    if name is None or not (name.text or "").strip():
        out.append(f"{where} must contain atom:name")


def _links(parent: etree._Element, where: str, out: list[str]) -> list[etree._Element]:
    links = parent.findall(A + "link")
    seen: set[tuple[str, str | None, str | None]] = set()
    for link in links:
        if not link.get("href"):
            out.append(f"{where}: atom:link must have href")
        rel = link.get("rel", "alternate")
        if rel == "alternate":
            key = (rel, link.get("type"), link.get("hreflang"))
            if key in seen:
                out.append(f"{where}: two alternate links with the same type and hreflang")
            seen.add(key)
        if link.get("length") is not None and not (link.get("length") or "").isdigit():
            out.append(f"{where}: link length must be a number of octets")
    return links


def problems(document: bytes) -> list[str]:
    """Every way ``document`` breaks RFC 4287 (an empty list for a valid feed)."""
    out: list[str] = []
    try:
        root = etree.fromstring(document)
    except etree.XMLSyntaxError as err:
        return [f"not well-formed XML: {err}"]
    if root.tag != A + "feed":
        return [f"the root element must be atom:feed, not {root.tag}"]
    for name in ("id", "title", "updated"):
        _one(root, name, "feed", out)
    for name in ("subtitle", "rights", "icon", "logo", "generator"):
        _one(root, name, "feed", out, required=False)
    feed_id = root.find(A + "id")
    if feed_id is not None and not _iri(feed_id.text):
        out.append(f"feed atom:id must be an absolute IRI: {feed_id.text!r}")
    _text_construct(root.find(A + "title"), "feed atom:title", out)
    _date(root.find(A + "updated"), "feed atom:updated", out)
    feed_authors = root.findall(A + "author")
    for author in feed_authors:
        _person(author, "feed atom:author", out)
    _links(root, "feed", out)
    ids: set[str] = set()
    for i, entry in enumerate(root.findall(A + "entry")):
        where = f"entry[{i}]"
        for name in ("id", "title", "updated"):
            _one(entry, name, where, out)
        for name in ("published", "content", "summary", "rights", "source"):
            _one(entry, name, where, out, required=False)
        entry_id = entry.find(A + "id")
        if entry_id is not None:
            if not _iri(entry_id.text):
                out.append(f"{where} atom:id must be an absolute IRI: {entry_id.text!r}")
            elif entry_id.text in ids:
                out.append(f"{where} atom:id repeats {entry_id.text}")
            ids.add(entry_id.text or "")
        _text_construct(entry.find(A + "title"), f"{where} atom:title", out)
        _date(entry.find(A + "updated"), f"{where} atom:updated", out)
        _date(entry.find(A + "published"), f"{where} atom:published", out)
        authors = entry.findall(A + "author")
        for author in authors:
            _person(author, f"{where} atom:author", out)
        # 4.1.1: a feed needs an author unless every entry has one.
        if not authors and not feed_authors and entry.find(A + "source") is None:
            out.append(f"{where} has no atom:author and the feed has none")
        links = _links(entry, where, out)
        content = entry.find(A + "content")
        # 4.1.2: without atom:content an entry needs an alternate link.
        if content is None and not any(link.get("rel", "alternate") == "alternate" for link in links):
            out.append(f"{where} needs atom:content or an alternate atom:link")
        if content is not None and content.get("src") is None:
            _text_construct(content, f"{where} atom:content", out)
    return out
