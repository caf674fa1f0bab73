"""``parse_listing``: the article entries of a listing page and the URLs of its next pages.

Generic mode finds the main list by structure: links are grouped by the container of their
list items, groups are scored by how much title-like anchor text they hold (navigation and
footers hold short labels, related/hot boxes are removed as noise), and groups with the same
structure as the best one are merged (lists printed as several ``<ul>`` of five). Pagination is
read from next links in English and Chinese, numbered links of the same series, ``rel=next``
and the TRS ``createPageHTML(N, cur, "index", "html")`` script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from lxml import etree
from parsel import Selector

from crawler.extract.dates import find_dates
from crawler.extract.dom import cleaned_tree, element_text, tokens
from crawler.extract.text import collapse, text_length
from crawler.families.base import Entry as Entry  # re-exported: what a listing yields
from crawler.families.base import family_for
from crawler.families.numbered import SERIES as _SERIES
from crawler.families.trs import script_pages
from crawler.profiles import Profile, select
from crawler.urls import join_url

_NEXT_TEXT = re.compile(
    r"^(?:下一页|下页|后一页|下一頁|下頁|next(?:\s*page)?|next\s*›|next\s*»|older(?:\s+posts)?|"
    r">|»|›|>>|＞|〉|→)$",
    re.I,
)
_ITEM_TAGS = ("li", "tr", "dd", "dt", "p", "div", "h1", "h2", "h3", "h4", "h5", "article", "section")
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#")
# Attachments in a list are downloads, not article pages.
_DOCUMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|wps|zip|rar|7z|jpe?g|png|gif|mp4|mp3|txt|csv)$", re.I)


@dataclass
class Listing:
    entries: list[Entry] = field(default_factory=list)
    next_urls: list[str] = field(default_factory=list)


def _same_site(url: str, base: str) -> bool:
    return (urlsplit(url).hostname or "") == (urlsplit(base).hostname or "")


def absolute_url(href: str | None, base: str) -> str | None:
    """``href`` made absolute against ``base``, without its fragment; None for a non-link."""
    if not href:
        return None
    href = href.strip()
    if not href or href.lower().startswith(_SKIP_SCHEMES):
        return None
    url = join_url(base, href)
    return url.split("#")[0] if url else None


def parse_listing(
    selector: Selector, url: str, profile: Profile | None = None, *, timezone: str | None = None
) -> Listing:
    """Entries and next-page URLs of one listing page. Pure: reads only the page and its URL."""
    if not isinstance(selector.root, etree._Element):
        return Listing()  # a JSON or text response: no links to read
    tz = profile.timezone if profile else timezone
    listing = Listing()
    if profile and profile.listing_entries:
        listing.entries = _profile_entries(selector, url, profile, tz)
    else:
        listing.entries = _generic_entries(selector.root, url, profile, tz)
    listing.next_urls = next_pages(selector, url, profile)
    return listing


def entry_for(a: etree._Element, url: str, tz: str | None) -> Entry | None:
    """The entry an anchor names: its target on the page's host, its title, its item's date."""
    target = absolute_url(a.get("href"), url)
    if target is None or not _same_site(target, url):
        return None
    title = collapse(a.get("title")) or element_text(a)
    item = _item_of(a)
    dates = find_dates(element_text(item) if item is not None else "", tz)
    return Entry(target, title, dates[0].value if dates else None)


def _profile_entries(selector: Selector, url: str, profile: Profile, tz: str | None) -> list[Entry]:
    entries: list[Entry] = []
    seen: set[str] = set()
    assert profile.listing_entries is not None
    for node in select(selector, profile.listing_entries):
        el = node.root
        if not isinstance(el, etree._Element):
            continue
        anchor = el if el.tag == "a" else el.find(".//a[@href]")
        if anchor is None:
            continue
        entry = entry_for(anchor, url, tz)
        if entry and entry.url not in seen and profile.is_detail_url(entry.url) is not False:
            seen.add(entry.url)
            entries.append(entry)
    return entries


def _item_of(a: etree._Element) -> etree._Element | None:
    node = a.getparent()
    depth = 0
    while node is not None and depth < 4:
        if node.tag in _ITEM_TAGS:
            return node
        node = node.getparent()
        depth += 1
    return a.getparent()


def _signature(el: etree._Element | None) -> str:
    if el is None:
        return ""
    return f"{el.tag}.{(el.get('class') or '').strip()}"


def _generic_entries(root: etree._Element, url: str, profile: Profile | None, tz: str | None) -> list[Entry]:
    clean = cleaned_tree(root)
    links: list[etree._Element] = []
    for a in clean.iter("a"):
        target = absolute_url(a.get("href"), url)
        if target is None or not _same_site(target, url) or target.rstrip("/") == url.rstrip("/"):
            continue
        if _DOCUMENT.search(urlsplit(target).path):
            continue
        if profile is not None and profile.is_detail_url(target) is False:
            continue
        text = collapse(a.get("title")) or element_text(a)
        if text_length(text) < 8 or _NEXT_TEXT.match(text) or text.isdigit():
            continue
        links.append(a)
    # The item of a link is its highest ancestor holding no other title link (li > h4 > a,
    # tr > td > a, div.item > div.title > a); the items' parent is the list.
    per_element: dict[int, int] = {}
    # lxml hands out proxy objects: keep them alive so that their id() stays theirs.
    alive: list[etree._Element] = []
    for a in links:
        node = a.getparent()
        while node is not None:
            alive.append(node)
            per_element[id(node)] = per_element.get(id(node), 0) + 1
            node = node.getparent()
    groups: dict[int, list[tuple[etree._Element, etree._Element]]] = {}
    containers: dict[int, etree._Element] = {}
    for a in links:
        item = a
        depth = 0
        while depth < 5:
            parent = item.getparent()
            if parent is None or per_element.get(id(parent), 0) > 1:
                break
            item = parent
            depth += 1
        container = item.getparent() if item.getparent() is not None else item
        containers[id(container)] = container
        groups.setdefault(id(container), []).append((a, item))
    if not groups:
        return []

    def score(key: int) -> float:
        """Title text, plus some for summaries and dates: main lists carry both, while
        sidebars of headlines carry neither."""
        members = groups[key]
        if len(members) < 2:
            return 0.0
        titles = sum(min(text_length(element_text(a)), 80) for a, _ in members)
        extra = sum(
            min(max(text_length(element_text(item)) - text_length(element_text(a)), 0), 150)
            for a, item in members
        )
        dated = sum(1 for _, item in members if find_dates(element_text(item), tz))
        return (titles + 0.3 * extra) * (1 + 0.3 * dated / len(members))

    # Scored once each: a score reads the dates of every item of its group.
    scores = {key: score(key) for key in groups}
    best = max(scores, key=scores.__getitem__)
    if scores[best] == 0:
        best = max(groups, key=lambda k: sum(text_length(element_text(a)) for a, _ in groups[k]))
    best_sig = (_signature(containers[best]), _signature(groups[best][0][1]))
    chosen = [
        key
        for key in groups
        if key == best
        or ((_signature(containers[key]), _signature(groups[key][0][1])) == best_sig and scores[key] > 0)
    ]
    entries: list[Entry] = []
    seen: set[str] = set()
    for key in sorted(chosen, key=lambda k: _document_order(clean, containers[k])):
        for a, _item in groups[key]:
            entry = entry_for(a, url, tz)
            if entry and entry.url not in seen:
                seen.add(entry.url)
                entries.append(entry)
    return entries


def _document_order(root: etree._Element, el: etree._Element) -> int:
    for i, node in enumerate(root.iter()):
        if node is el:
            return i
    return 0


def next_pages(selector: Selector, url: str, profile: Profile | None = None) -> list[str]:
    """URLs of further listing pages, in order, without the page itself."""
    root = selector.root
    found: list[str] = []
    pagination = profile.pagination if profile else None
    if pagination and pagination.next:
        for node in select(selector, pagination.next):
            el = node.root
            href = el if isinstance(el, str) else el.get("href")
            target = absolute_url(href, url)
            if target:
                found.append(target)
    if pagination:
        after = family_for(pagination.kind).page_after(url, pagination)
        if after:
            found.append(after)
    found.extend(script_pages(root, url))
    if not (pagination and pagination.next):
        found.extend(_link_pages(root, url))
    out: list[str] = []
    for target in found:
        if target != url and target not in out and _same_site(target, url):
            out.append(target)
    return out


# Pager words other than "next": first, last and previous pages of the same list.
_PAGER_TEXT = re.compile(
    r"^(?:首页|尾页|末页|最后一页|上一页|上页|前一页|首頁|尾頁|末頁|上一頁|(?:go to )?first(?:\s*page)?|"
    r"(?:go to )?last(?:\s*page)?|(?:go to )?prev(?:ious)?(?:\s*page)?|newer(?:\s+posts)?|)$",
    re.I,
)
_ARROWS = " «»‹›<>←→|"


def _link_pages(root: etree._Element, url: str) -> list[str]:
    """Pager links: the next page first (the one an incremental crawl follows), then the other
    pages of the same list (numbered, first, last, previous)."""
    nexts: list[str] = []
    others: list[str] = []
    for el in root.iter("a", "link"):
        rel = (el.get("rel") or "").lower().split()
        target = absolute_url(el.get("href"), url)
        if target is None:
            continue
        if "next" in rel:
            nexts.append(target)
            continue
        if el.tag != "a":
            if "prev" in rel and _same_series(target, url):
                others.append(target)
            continue
        if _marks_current(el):
            continue  # the page itself, however its link is written (?page=0, ./)
        text = element_text(el) or collapse(el.get("title"))
        if (
            _NEXT_TEXT.match(text)
            or re.fullmatch(r"(?:下一页|下一頁|Next)\s*[>»›]*", text, re.I)
            or "next" in tokens(el).lower().split()
        ):
            nexts.append(target)
        elif (text.isdigit() or _PAGER_TEXT.match(text.strip(_ARROWS))) and _same_series(target, url):
            others.append(target)
    return nexts + others


def _marks_current(el: etree._Element) -> bool:
    classes = {c.lower() for c in (el.get("class") or "").split()}
    return (
        el.get("aria-current") is not None
        or "current" in (el.get("title") or "").lower()
        or bool(classes & {"current", "active", "cur", "on", "selected", "is-active"})
    )


def _series_key(url: str) -> tuple[str, str]:
    """What the pages of one list share: ``index.html``, ``index_2.html``, ``list_3.html``,
    ``?page=4``, ``/page/5/``, ``xxyw.htm`` and ``xxyw/25.htm`` (VSB) all map to one key."""
    parts = urlsplit(url)
    path = re.sub(r"/page/\d+/?$", "/", parts.path)
    m = _SERIES.match(path)
    if m:
        path = m.group("stem") + m.group("ext")
    folder, _, name = path.rpartition("/")
    stem = re.sub(r"\.[a-z]+$", "", name, flags=re.I)
    if stem.isdigit() or not stem:
        key = folder
    else:
        key = folder + "/" + re.sub(r"(?<=[a-z])\d+$", "", stem, flags=re.I)
    key = re.sub(r"/(?:index|default)$", "", key)
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not v.isdigit()))
    return key, query


def _same_series(target: str, page: str) -> bool:
    """Whether ``target`` is a page of the list ``page`` belongs to. A static first page
    (``tzgg.htm``) may lead to dynamic ones (``tzgg.jsp?a2p=2&...``): its empty query matches."""
    (path_a, query_a), (path_b, query_b) = _series_key(target), _series_key(page)
    return path_a == path_b and (query_a == query_b or not urlsplit(page).query)
