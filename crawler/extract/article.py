"""``parse_article``: title, outlet, publish time, body and the rest from one detail page.

Sources are combined in order of trust: profile selectors, the government metadata tags
(ArticleTitle, PubDate, ContentSource), JSON-LD, OpenGraph, labelled meta lines next to the title,
visible dates next to the title, and a body found by text density with the noise of the page
removed. Decoys are avoided by construction: scripts, comments and ``alt`` attributes are never
read as text, related lists and sidebars are removed before the body and meta lines are looked
for, and the URL's date is never used when the page states one.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import timezone as fixed_offset
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html
from parsel import Selector

from crawler.extract.body import BREADCRUMB_LEAD, NOISE_LINE, body_blocks, densest_containers, is_site_footer
from crawler.extract.dates import DateMatch, find_dates, isoformat, localized_date, parse_date
from crawler.extract.dom import (
    Block,
    cleaned_tree,
    drop_post_lists,
    element_text,
    is_ancestor,
    iter_blocks,
    visible_text,
)
from crawler.extract.fields import (
    AUTHOR,
    EDITOR,
    LABELS,
    OUTLET,
    PLACEHOLDER_OUTLET,
    STOP,
    TIME,
    bare_label_role,
    clean_value,
    parse_meta_line,
)
from crawler.extract.locale import page_zone
from crawler.extract.media import find_media, without_media_lines
from crawler.extract.metadata import (
    AUTHOR_META,
    DATE_META,
    OUTLET_META,
    PageMetadata,
    jsonld_name,
    read_metadata,
)
from crawler.extract.text import CaseFree, collapse, guess_language, squeezed, text_length
from crawler.extract.thresholds import LIMITS
from crawler.extract.title import (
    clean_title,
    find_title,
    first_entry,
    headline_before,
    links_to,
    removed_heading,
    shares_words,
    title_block_index,
)
from crawler.profiles import Profile, select
from crawler.urls import join_url

logger = logging.getLogger(__name__)

_BREADCRUMB = re.compile(r"crumb|location|position|weizhi|dqwz|nav-?path|you-?are-?here|where", re.I)
_BREADCRUMB_CF = CaseFree(_BREADCRUMB)
# Title sources that a headline printed right above the body outranks.
_UNCONFIRMED_TITLE = {"heading-weak", "html-title", "visible-html-title", "none"}
_CRUMB_SPLIT = re.compile(r"\s*(?:>|»|›|＞|→|/|》|>>|-{1,2}>)\s*")


@dataclass
class ArticleFields:
    """What one detail page states. ``reason`` says why it is not an article, when it is not."""

    url: str
    title: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    published_at_raw: str | None = None
    body: str | None = None
    language: str | None = None
    category: str | None = None
    author: str | None = None
    editor: str | None = None
    canonical_url: str | None = None
    continuation_urls: list[str] = field(default_factory=list)
    images: list[dict[str, str | None]] = field(default_factory=list)
    attachments: list[dict[str, str]] = field(default_factory=list)
    lead_image: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    reason: str | None = None

    @property
    def is_article(self) -> bool:
        return self.reason is None

    def item_values(self, public_url: Callable[[str], str] = str) -> dict[str, Any]:
        """The extracted values an Article item carries, media URLs through ``public_url`` (a
        crawl of a local mirror stores the real site's addresses)."""
        return {
            "title": self.title,
            "outlet": self.outlet,
            "published_at": isoformat(self.published_at) if self.published_at else None,
            "published_at_raw": self.published_at_raw,
            "body": self.body,
            "language": self.language,
            "category": self.category,
            "author": self.author,
            "editor": self.editor,
            "lead_image": public_url(self.lead_image) if self.lead_image else None,
            "images": [{**i, "url": public_url(str(i["url"]))} for i in self.images],
            "attachments": [{**a, "url": public_url(str(a["url"]))} for a in self.attachments],
        }

    def as_dict(self) -> dict[str, Any]:
        """The page's URLs and the values its item would carry (``crawler extract`` prints them)."""
        return {"url": self.url, "canonical_url": self.canonical_url, **self.item_values()}


def parse_article(
    selector: Selector,
    url: str,
    profile: Profile | None = None,
    *,
    timezone: str | None = None,
    now: datetime | None = None,
) -> ArticleFields:
    """Extract an article from a detail page. Pure: the page and its URL are all it reads.

    The steps run in order, each filling what it can of ``out`` from ``page`` and what earlier
    steps found: the title, the body's container, the meta lines, the publish time, images and
    attachments, the body, outlet and people, the late date fallbacks, and the verdict."""
    if not isinstance(selector.root, etree._Element):
        return ArticleFields(url=url, reason="not_html")  # a JSON or text response
    page = _read_page(selector, url, profile, timezone, now)
    out = ArticleFields(url=url, canonical_url=_canonical(page.md, url))
    for step in _STEPS:
        step(page, out)
    return out


@dataclass
class _Page:
    """One detail page being read, and what the steps learn of its layout on the way."""

    selector: Selector
    url: str
    profile: Profile | None
    root: etree._Element
    md: PageMetadata
    tz: str | None
    now: datetime | None
    clean: etree._Element  # the cleaned copy: noise, scripts and the profile's drops removed
    blocks: list[Block]
    overrides: dict[str, str]  # the profile's field selectors
    zone_known: bool = False  # the zone is the profile's or the page's country's, not the default
    containers: list[etree._Element] = field(default_factory=list)
    title_el: etree._Element | None = None
    title_idx: int = -1
    used: set[int] = field(default_factory=set)  # ids of elements read as meta lines
    visible_text: str | None = None  # the page's visible text, from cleaned_tree

    @property
    def container(self) -> etree._Element | None:
        return self.containers[0] if self.containers else None

    def selected(self, key: str) -> str:
        """The text the profile's selector for ``key`` picks, or ""."""
        return _selected_text(self.selector, self.overrides[key]) if key in self.overrides else ""


def _read_page(
    selector: Selector, url: str, profile: Profile | None, timezone: str | None, now: datetime | None
) -> _Page:
    root = selector.root
    md = read_metadata(root)
    visible: list[str] = []
    clean = cleaned_tree(root, visible=visible)
    drop_post_lists(clean)
    # Profile cleanup works on the cleaned copy: the caller's selector is never changed.
    for expr in profile.drop_selectors if profile else ():
        for node in select(Selector(root=clean, type="html"), expr):
            el = node.root
            if isinstance(el, etree._Element) and el.getparent() is not None:
                el.getparent().remove(el)
    return _Page(
        selector=selector,
        url=url,
        profile=profile,
        root=root,
        md=md,
        tz=profile.timezone if profile else (_page_zone(md, url) or timezone),
        zone_known=profile is not None or _page_zone(md, url) is not None,
        now=now,
        clean=clean,
        blocks=list(iter_blocks(clean)),
        overrides=dict(profile.fields) if profile else {},
        visible_text=visible[0] if visible else None,
    )


def _title_step(page: _Page, out: ArticleFields) -> None:
    out.title = page.selected("title")
    if out.title:
        out.sources["title"] = "profile"
    else:
        out.title, page.title_el, out.sources["title"] = find_title(page.clean, page.md, page.blocks)


def _container_step(page: _Page, out: ArticleFields) -> None:
    if "body" in page.overrides:
        selected = _selected_element(page.clean, page.overrides["body"])
        if selected is not None:
            page.containers = [selected]
            out.sources["body"] = "profile"
    if not page.containers:
        page.containers = densest_containers(page.blocks)
        out.sources["body"] = "density"


def _headline_step(page: _Page, out: ArticleFields) -> None:
    """The <title> names only the site, or a heading nothing confirms ("导航" of a sidebar): the
    emphasised line right above the body is the headline. On a blog's page of several entries,
    each under a heading of one kind (``<td class="post-title">``), the body may be a longer
    entry further down; the page's entry is the first, whose heading was found first."""
    if page.container is not None and (out.sources["title"] in _UNCONFIRMED_TITLE or _banner(page, out)):
        # The <title> is only the site's name when the page prints it as a link (home, the
        # breadcrumb's root): a plain line above the body may then be the headline too.
        plain = out.sources["title"] in {"visible-html-title", "none"} or (
            out.sources["title"] == "html-title" and out.title is not None and links_to(page.clean, out.title)
        )
        above = headline_before(page.blocks, page.container, plain=plain)
        # A <title> that shares the line's words is the headline itself, not the site's name.
        if (
            above is not None
            and not (out.title and above.text in out.title)
            and not (
                out.sources["title"] in {"html-title", "visible-html-title", "visible-title"}
                and out.title
                and shares_words(out.title, above.text)
            )
            and not (
                out.sources["title"] == "heading-weak" and first_entry(page.blocks, page.title_el, above)
            )
        ):
            out.title, page.title_el = clean_title(above.text), above.element
            out.sources["title"] = "above-body"
    if not out.title:
        out.title = removed_heading(page.root)
        if out.title:
            out.sources["title"] = "removed-heading"
    page.title_idx = title_block_index(page.blocks, out.title, page.title_el)


def _banner(page: _Page, out: ArticleFields) -> bool:
    """A part of the <title> printed far above the body is the blog's or the site's banner
    ("China-Pub blog--洞庭一叶": the platform and the blog, no post), not the post's headline."""
    if out.sources["title"] != "visible-title" or page.container is None:
        return False
    index = title_block_index(page.blocks, out.title, page.title_el)
    start = next((i for i, b in enumerate(page.blocks) if is_ancestor(page.container, b.element)), None)
    return index >= 0 and start is not None and start - index > LIMITS.banner_above_body


def _meta_step(page: _Page, out: ArticleFields) -> None:
    """Meta lines near the title, or a profile's meta selector; then the publish time."""
    text = page.selected("meta")
    meta_blocks: tuple[list[Block], list[Block]]
    if text:
        meta_blocks = ([Block(text, page.clean, "meta", 0)], [])
    else:
        meta_blocks = _meta_candidates(page.blocks, page.title_idx, page.container)
    _read_meta_lines(out, meta_blocks, page.tz, page.now, page.used)

    raw = page.selected("published_at")
    found = parse_date(raw, page.tz, page.now) if raw else None
    if found:
        out.published_at, out.published_at_raw = found.value, found.raw
        out.sources["published_at"] = "profile"
    _prefer_metadata_date(out, page.md, page.tz, page.now, page.blocks)
    if out.published_at is None:
        _date_anywhere(out, page.blocks, page.md, page.tz, page.now, page.used)
    _own_zone(out, page)


def _body_step(page: _Page, out: ArticleFields) -> None:
    """Images and attachments (crawler.extract.media), then the paragraphs without their caption
    lines, and the outlet or editor a closing line names."""
    media = find_media(page.clean, page.containers, page.url, page.md.meta)
    out.images = [i.as_dict() for i in media.images]
    out.attachments = [a.as_dict() for a in media.attachments]
    out.lead_image = media.lead_image
    if not page.containers:
        return
    drops = page.profile.compiled_drop_paragraphs() if page.profile else []
    paragraphs, closing = body_blocks(
        without_media_lines(page.blocks, media), page.containers, out.title, page.used, drops
    )
    if (out.outlet is None or PLACEHOLDER_OUTLET.match(out.outlet)) and OUTLET in closing:
        out.outlet = closing[OUTLET]
        out.sources["outlet"] = "closing-line"
    if out.editor is None and EDITOR in closing:
        out.editor = closing[EDITOR]
    if (out.outlet is None or PLACEHOLDER_OUTLET.match(out.outlet)) and paragraphs:
        credited = _outlet_after_text(page.blocks, paragraphs[-1])
        if credited:
            out.outlet = credited
            out.sources["outlet"] = "credit-row"
    out.body = "\n\n".join(b.text for b in paragraphs) or None


def _outlet_after_text(blocks: list[Block], last: Block) -> str | None:
    """The outlet of a credit row printed right after the text, outside its container: old
    portals end an article with a table of its own, ``编辑：金金 | 来源：21世纪经济报道 | 作者：…``."""
    start = next((i + 1 for i, block in enumerate(blocks) if block is last), len(blocks))
    for block in blocks[start : start + LIMITS.credit_row_blocks]:
        # A long line, or the site's rights footer ("Copyright © 2004 … Source from: <its
        # software>"): the credit row, when there is one, came before.
        if len(block.text) > LIMITS.people_line_chars or is_site_footer(block.text):
            break
        value = parse_meta_line(block.text).values.get(OUTLET)
        if value and not PLACEHOLDER_OUTLET.match(value):
            return value
    return None


def _people_step(page: _Page, out: ArticleFields) -> None:
    """Outlet fallbacks (the metadata tag), the profile's selectors, category, editor, author."""
    md = page.md
    if out.outlet is None:
        _outlet_fallback(out, md)
    for key in ("outlet", "author", "editor", "category"):
        value = page.selected(key)
        if value:
            setattr(out, key, clean_value(value, key if key != "category" else OUTLET) or value)
            out.sources[key] = "profile"
    if out.category is None:
        out.category = _category(page.root, out.title)
    if out.editor is None or out.author is None:
        _people(out, page.root, page.visible_text)
    if out.author is None:
        found_author = md.first(AUTHOR_META)
        jsonld_author = jsonld_name(md.jsonld_value("author"))
        out.author = jsonld_author or (found_author[1] if found_author else None) or None
        # gov.cn-style pages put the outlet or the site name in <meta name="author">.
        not_a_person = {out.outlet, md.meta.get("sitename"), md.meta.get("og:site_name")}
        if out.author and (
            len(out.author) > LIMITS.author_chars
            or out.author.startswith("http")
            or out.author in not_a_person
        ):
            out.author = None


def _late_date_step(page: _Page, out: ArticleFields) -> None:
    """No date yet: month names in the page's language, then htmldate; a date without its time
    takes the one time printed for that day."""
    if out.published_at is None and out.published_at_raw is None:
        _localized_date(out, page.blocks, page.title_idx, page.md, page.tz, page.now)
    if out.published_at is None and out.published_at_raw is None:
        _date_beside_links(out, page)
    if out.published_at is None and out.published_at_raw is None:
        _htmldate(out, page.root, page.url, page.tz)
    _time_of_day(out, page.blocks, page.tz, page.now)


def _verdict_step(page: _Page, out: ArticleFields) -> None:
    """Language, the next pages of a split article, and whether this is an article at all."""
    profile = page.profile
    out.language = (profile.language if profile and profile.language else None) or guess_language(
        out.body or (out.title or "")
    )
    out.continuation_urls = _continuations(page.root, page.url)
    out.reason = _not_article_reason(out, profile)


_STEPS = (
    _title_step,
    _container_step,
    _headline_step,
    _meta_step,
    _body_step,
    _people_step,
    _late_date_step,
    _verdict_step,
)


def _canonical(md: PageMetadata, url: str) -> str:
    for candidate in (md.canonical, md.meta.get("og:url")):
        if candidate and not candidate.startswith("#"):
            absolute = join_url(url, candidate)
            if absolute:
                return absolute
    return url


def _selected_text(selector: Selector, expr: str) -> str:
    nodes = select(selector, expr)
    if not nodes:
        return ""
    first = nodes[0]
    if isinstance(first.root, str):
        return collapse(first.root)
    return element_text(first.root)


def _selected_element(clean: etree._Element, expr: str) -> etree._Element | None:
    """The first element ``expr`` selects in the cleaned tree."""
    for node in select(Selector(root=clean, type="html"), expr):
        if isinstance(node.root, etree._Element):
            return node.root
    return None


def _meta_candidates(
    blocks: list[Block], title_idx: int, container: etree._Element | None
) -> tuple[list[Block], list[Block]]:
    """Short blocks just after the title and just before it, each in document order: where meta
    lines are printed. Those after the title are read first."""
    if title_idx < 0:
        # No title found: the lines before the body container.
        start = 0
        if container is not None:
            for i, b in enumerate(blocks):
                if b.element is container or is_ancestor(container, b.element):
                    start = max(0, i - 6)
                    break
        after, before = blocks[start : start + LIMITS.meta_without_title], []
    else:
        # Government disclosure pages print a table of 8-10 fields above or below the title.
        after = blocks[title_idx + 1 : title_idx + 1 + LIMITS.meta_after_title]
        before = blocks[max(0, title_idx - LIMITS.meta_before_title) : title_idx]
    limit = LIMITS.meta_block_chars
    return [b for b in after if len(b.text) <= limit], [b for b in before if len(b.text) <= limit]


def _read_meta_lines(
    out: ArticleFields,
    meta_blocks: tuple[list[Block], list[Block]],
    tz: str | None,
    now: datetime | None,
    used: set[int],
) -> None:
    unlabelled_date: tuple[DateMatch, Block] | None = None
    trailing_outlet: str | None = None
    best_rank = 3  # of the time label read so far: publication 0, plain 1, update 2
    after, before = (_join_meta_blocks(part, used) for part in meta_blocks)
    # After the title first, nearest first; then before it, nearest first.
    for block in [*after, *reversed(before)]:
        if is_site_footer(block.text):
            continue
        line = parse_meta_line(block.text)
        touched = False
        if OUTLET in line.values and out.outlet is None:
            out.outlet = line.values[OUTLET]
            out.sources["outlet"] = "meta-line"
            touched = True
        if AUTHOR in line.values and out.author is None:
            out.author = line.values[AUTHOR]
            touched = True
        if EDITOR in line.values and out.editor is None:
            out.editor = line.values[EDITOR]
            touched = True
        if TIME in line.values and (out.published_at is None or line.time_rank < best_rank):
            best_rank = line.time_rank
            out.published_at = None
            value = line.raw_values[TIME]
            found = find_dates(value, tz, now)
            if found:
                out.published_at, out.published_at_raw = found[0].value, found[0].raw
                out.sources["published_at"] = "meta-line" if line.time_rank < 2 else _UPDATED_LINE
                trailing_outlet = _trailing_outlet(collapse(value[found[0].end :]))
            else:
                out.published_at_raw = collapse(value) or out.published_at_raw
                fallback = parse_date(collapse(value), tz, now)
                if fallback:
                    out.published_at, out.published_at_raw = fallback.value, fallback.raw
                    out.sources["published_at"] = "meta-line"
            touched = True
        # A date inside a list entry (a link with its date) dates the entry, not this page.
        if (
            not line.values.get(TIME)
            and unlabelled_date is None
            and len(block.text) <= LIMITS.unlabelled_date_chars
            and block.link_density <= LIMITS.unlabelled_date_link_density
            and not _is_sentence(block.text)
        ):
            # A date printed with no label ("2019年06月15日08:18  来源：…"): the lead text,
            # or the whole line when the line is short.
            where = block.text
            found = [d for d in find_dates(where, tz, now) if not _OTHER_ARTICLE.search(where[: d.start])]
            if found:
                unlabelled_date = (found[0], block)
                if not line.labelled:
                    trailing_outlet = trailing_outlet or _trailing_outlet(collapse(where[found[0].end :]))
        if touched:
            used.add(id(block.element))
    if out.published_at is None and unlabelled_date is not None:
        date, where_block = unlabelled_date
        out.published_at, out.published_at_raw = date.value, date.raw
        out.sources["published_at"] = "near-title"
        used.add(id(where_block.element))
    if out.outlet is None and trailing_outlet:
        out.outlet = trailing_outlet
        out.sources["outlet"] = "after-time"


# "最新推荐文章于 2023-09-04 17:53:10 发布", "Next article: …": the date of another article.
_OTHER_ARTICLE = re.compile(
    r"推荐|相关|上一篇|下一篇|上篇|下篇|热门|\b(?:related|recommended|next|previous)\b", re.I
)
# "本贴由大卫于2005年8月12日16:12:21在〖…〗发表", "于 2023-03-12 13:08:03 发布": posted at a date.
_POSTED_BEFORE = re.compile(r"于\s*$")
_POSTED_AFTER = re.compile(r"^[^。！？]{0,40}?(?:发布|发表|發佈|發表|发帖|張貼|张贴)")


def _posted_date(text: str, tz: str | None, now: datetime | None) -> DateMatch | None:
    """The date of a "posted by … at <date> … 发表" line, a label written around its date."""
    if "于" not in text:
        return None
    for found in find_dates(text, tz, now):
        if (
            _POSTED_BEFORE.search(text[: found.start])
            and _POSTED_AFTER.match(text[found.end :])
            and not _OTHER_ARTICLE.search(text[: found.start])
        ):
            return found
    return None


_TIME_ONLY = re.compile(r"^\D{0,8}\d{1,2}\s*[:：时時]\s*\d{2}")


def _is_sentence(text: str) -> bool:
    """A sentence of the article ("本措施自2024年2月1日起施行。"), not a line of meta fields."""
    return len(text) > LIMITS.sentence_chars and text.rstrip().endswith(
        ("。", ".", "！", "？", "!", "?", "；")
    )


def _join_meta_blocks(blocks: list[Block], used: set[int]) -> list[Block]:
    """Blocks in document order, with a label block and its value block made one line:
    ``<dt>来源 Source:</dt><dd>PRIEF Press Center</dd>``, and a date with its time on the next
    line: ``2024年3月5日（星期二）<br>香港時间16時30分``."""
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        role = bare_label_role(previous.text) if previous else None
        if previous is not None and role is not None and bare_label_role(block.text) is None:
            label = previous.text.rstrip(" :：")
            joined[-1] = Block(f"{label}: {block.text}", previous.element, previous.tag, 0)
            if role != STOP:  # a widget's label ("Views:") may sit right above the first paragraph
                used.add(id(block.element))
        elif (
            previous is not None
            and len(block.text) <= LIMITS.time_on_next_line_chars
            and _TIME_ONLY.search(block.text)
            and (dates := find_dates(previous.text))
            and not dates[-1].has_time
        ):
            joined[-1] = Block(f"{previous.text} {block.text}", previous.element, previous.tag, 0)
        else:
            joined.append(block)
    return joined


def _trailing_outlet(text: str) -> str | None:
    """The outlet printed after the time with no label ("Aug 24,2019 04:32 PM    CGTN")."""
    text = re.split(r"\s[·•|｜]\s|\s{2,}", text.strip(" |｜丨/·"))[0].strip()
    text = clean_value(text, OUTLET)
    if not text or re.search(r"[，。；！？】」]", text):
        return None
    if re.match(r"(?i)by\s|作者|记者", text) or re.search(r"\d{1,2}[:：]\d{2}|时间|時間", text):
        return None  # a byline, or the rest of the time ("格林尼治标准时间10:41")
    if not (2 <= len(text) <= LIMITS.trailing_outlet_chars) or re.search(r"\d{3,}", text):
        return None
    if NOISE_LINE.match(text) or re.search(r"[【\[]|字体|打印|分享|浏览|Share|Print|Font|Views?", text, re.I):
        return None
    # An outlet is a name ("CGTN", "english.www.gov.cn", "新华社"), not a phrase ("in Exhibitor News").
    if re.match(r"(?:in|on|at|by|for|from|of|the|and|with|to|via|under)\s", text):
        return None
    return text if re.search(r"[A-Za-z\u4e00-\u9fff]", text) else None


def _metadata_date(
    md: PageMetadata, tz: str | None, now: datetime | None, blocks: list[Block]
) -> DateMatch | None:
    """The publish date the page's metadata states, in order of trust (``DATE_META``, JSON-LD,
    the first ``<time>``). When they disagree on the day (one tag carries a re-publication or an
    edit), the one the page prints outranks the others: the same instant printed with its zone,
    else the same day printed."""
    candidates: list[str] = []
    found_meta = [md.meta[name] for name in DATE_META if md.meta.get(name)]
    candidates.extend(found_meta)
    published = md.jsonld_value("datePublished")
    if isinstance(published, str):
        candidates.append(published)
    candidates.extend(md.time_tags[:1])
    parsed = [found for found in (parse_date(value, tz, now) for value in candidates) if found]
    if not parsed:
        return None
    first = parsed[0]
    if all(found.value.date() == first.value.astimezone(found.value.tzinfo).date() for found in parsed):
        return first
    printed = _printed_dates(blocks, tz, now)
    return max(parsed, key=lambda found: _printed_score(found, printed))  # max keeps the first of a tie


# "Updated Dec. 7, 2024", "更新时间：…", "Last modified on …": the date after it is an edit's.
_UPDATE_BEFORE = re.compile(
    r"(?:更新|修改|修订|updated?|modified|edited)\s*(?:time|date|on|at|于)?\s*[:：]?\s*$", re.I
)


def _printed_dates(blocks: list[Block], tz: str | None, now: datetime | None) -> list[tuple[DateMatch, bool]]:
    """The dates short lines print, each with whether an update label stands before it."""
    return [
        (found, bool(_UPDATE_BEFORE.search(block.text[max(0, found.start - 24) : found.start])))
        for block in blocks
        if len(block.text) <= LIMITS.labelled_anywhere_chars and _YEAR.search(block.text)
        for found in find_dates(block.text, tz, now)
    ]


def _printed_score(meta: DateMatch, printed: list[tuple[DateMatch, bool]]) -> int:
    """2 when the page prints the same instant with its zone, 1 the same day, -1 when what the
    page prints at that instant is labelled as an update, else 0."""
    same_instant = {
        updated
        for found, updated in printed
        if found.zoned and found.has_time and abs(found.value - meta.value).total_seconds() < 60
    }
    if same_instant:
        return 2 if False in same_instant else -1
    same_day = any(
        not updated and found.value.date() == meta.value.astimezone(found.value.tzinfo).date()
        for found, updated in printed
    )
    return 1 if same_day else 0


_UPDATED_LINE = "meta-line-updated"  # the source of a date read after an update label


def _prefer_metadata_date(
    out: ArticleFields, md: PageMetadata, tz: str | None, now: datetime | None, blocks: list[Block]
) -> None:
    """Metadata dates outrank visible ones when they disagree on the day; when they agree, the
    visible string is kept (it is what the page prints) unless it lacks the time of day."""
    visible = out.published_at
    if visible is None:
        return
    meta = _metadata_date(md, tz, now, blocks)
    if meta is None:
        return
    # The day the metadata writes counts as well as its instant's day here: a local clock written
    # with a stray "Z" (2019-07-19T17:30:00Z beside 2019-07-19 17:30 printed) is the same day.
    same_day = visible.date() in (meta.value.astimezone(visible.tzinfo).date(), meta.value.date())
    # A line labelled as the update ("更新时间", "Updated") is the edit; an earlier publish time in
    # the metadata is the publication.
    edited = out.sources.get("published_at") == _UPDATED_LINE and meta.has_time and meta.value < visible
    if not same_day or edited or (not _has_time(out.published_at_raw) and meta.has_time):
        out.published_at, out.published_at_raw = meta.value, meta.raw
        out.sources["published_at"] = "metadata"


def _own_offset(wall: datetime, instant: datetime) -> fixed_offset | None:
    """The offset at which the clock ``wall`` (read without a zone) shows ``instant``: a page that
    prints 19:18 beside metadata of 2023-11-19T11:18:44Z keeps UTC+8. None when no offset of
    whole quarter hours within a minute does."""
    delta = wall.replace(tzinfo=None) - instant.astimezone(UTC).replace(tzinfo=None)
    seconds = delta.total_seconds()
    quarters = round(seconds / 900) * 900
    if abs(seconds - quarters) >= 60 or not -11 * 3600 <= quarters <= 14 * 3600:
        return None
    return fixed_offset(timedelta(seconds=quarters))


_CLOCK = re.compile(
    r"(?<!\d)([01]?\d|2[0-3])\s*[:：hH時时]\s*([0-5]\d)(?!\d)(?::\d{2})?(?:\s*([AaPp])\.?\s?[Mm]\.?(?![A-Za-z]))?"
)


def _own_zone(out: ArticleFields, page: _Page) -> None:
    """The page's own zone for its publish time, where the page shows it: a date it prints without
    a zone is the instant its metadata states with one (the printed clock and the metadata's
    offset, e.g. 19:18 and +08:00), or a ``<time datetime="…Z">`` prints the same instant on its
    local clock (``06/02/2022 - 13:48`` for 12:48Z). UTC itself counts only when neither a
    profile nor the page's country gave a zone (CMSs write local clocks with a stray ``Z``)."""
    if out.published_at is None or not _has_time(out.published_at_raw):
        return
    printed = parse_date(out.published_at_raw or "", page.tz, page.now)
    md = page.md
    candidates = [md.meta[name] for name in DATE_META if md.meta.get(name)]
    published = md.jsonld_value("datePublished")
    if isinstance(published, str):
        candidates.append(published)
    candidates.extend(md.time_tags)
    for value in candidates:
        meta = parse_date(value, page.tz, page.now)
        if meta is None or not meta.zoned or not meta.has_time:
            continue
        if printed is not None and not printed.zoned and printed.has_time:
            offset = _own_offset(printed.value, meta.value)
        elif (
            printed is not None
            and printed.zoned
            and out.sources.get("published_at") == "metadata"
            and printed.value.utcoffset() == timedelta(0)
            and abs((printed.value - meta.value).total_seconds()) < 60
        ):
            offset = _time_tag_offset(md, meta.value)
        else:
            continue
        if offset is None or (offset.utcoffset(None) == timedelta(0) and page.zone_known):
            continue
        if printed.zoned:
            out.published_at = out.published_at.astimezone(offset)
        else:
            out.published_at = printed.value.replace(tzinfo=offset)
        return


def _time_tag_offset(md: PageMetadata, instant: datetime) -> fixed_offset | None:
    """The offset of the local clock a ``<time>`` of ``instant`` prints, when it prints one."""
    for value, text in zip(md.time_tags, md.time_texts, strict=True):
        found = parse_date(value, None)
        clock = _CLOCK.search(text)
        if found is None or not found.zoned or clock is None:
            continue
        if abs((found.value - instant).total_seconds()) >= 60:
            continue
        hour, marker = int(clock.group(1)), (clock.group(3) or "").lower()
        if marker:  # a 12-hour clock: 12:05 AM is 00:05, 8:02 PM is 20:02
            hour = hour % 12 + (12 if marker == "p" else 0)
        wall = instant.astimezone(UTC).replace(hour=hour, minute=int(clock.group(2)))
        offset = _own_offset(wall, instant)
        if offset is None:
            continue
        # Only a clock on the instant's own UTC day, printed with that day's year and number: a
        # saved page whose script rendered the time in the reader's zone may print another day.
        local = instant.astimezone(offset)
        if str(local.year) in text and re.search(rf"(?<!\d)0?{local.day}(?!\d)", text):
            return offset
    return None


def _has_time(raw: str | None) -> bool:
    return bool(raw and re.search(r"\d\s*[:：时]\s*\d", raw))


def _date_anywhere(
    out: ArticleFields,
    blocks: list[Block],
    md: PageMetadata,
    tz: str | None,
    now: datetime | None,
    used: set[int],
) -> None:
    """No date next to the title: a labelled date elsewhere, then metadata."""
    for block in blocks:
        if len(block.text) > LIMITS.labelled_anywhere_chars:
            continue
        line = parse_meta_line(block.text)
        if TIME in line.values:
            found = find_dates(line.raw_values[TIME], tz, now)
            if found:
                out.published_at, out.published_at_raw = found[0].value, found[0].raw
                out.sources["published_at"] = "labelled"
                used.add(id(block.element))
                if out.outlet is None and OUTLET in line.values:
                    out.outlet = line.values[OUTLET]
                return
        posted = _posted_date(block.text, tz, now)
        if posted is not None:
            out.published_at, out.published_at_raw = posted.value, posted.raw
            out.sources["published_at"] = "labelled"
            used.add(id(block.element))
            return
    meta = _metadata_date(md, tz, now, blocks)
    if meta is not None:
        out.published_at, out.published_at_raw = meta.value, meta.raw
        out.sources["published_at"] = "metadata"


def _time_of_day(out: ArticleFields, blocks: list[Block], tz: str | None, now: datetime | None) -> None:
    """A publish date found without its time takes the time of a short line elsewhere on the
    page that prints the same day with a time (a header prints "2015-11-05", the footer
    "发布于：2015-11-05 11:34"); two different times on that day leave the date as it is."""
    if out.published_at is None or _has_time(out.published_at_raw):
        return
    day = out.published_at.date()
    times: dict[datetime, str] = {}
    for block in blocks:
        if len(block.text) > LIMITS.labelled_anywhere_chars or not _has_time(block.text):
            continue
        for found in find_dates(block.text, tz, now):
            if found.has_time and found.value.astimezone(out.published_at.tzinfo).date() == day:
                times.setdefault(found.value, found.raw)
    if len(times) == 1:
        out.published_at, out.published_at_raw = next(iter(times.items()))
        out.sources["published_at"] += "+time"


def _page_zone(md: PageMetadata, url: str) -> str | None:
    lang = md.html_lang or md.meta.get("content-language") or md.meta.get("language")
    return page_zone(url, locale=md.meta.get("og:locale"), lang=lang)


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_LETTERS = re.compile(r"[^\W\d_]{3,}")


def _localized_date(
    out: ArticleFields,
    blocks: list[Block],
    title_idx: int,
    md: PageMetadata,
    tz: str | None,
    now: datetime | None,
) -> None:
    """A date written with the month's name in the page's language ("12 de marzo de 2021",
    "3. März 2021", "12 mars 2021") on a short line near the headline, read by dateparser."""
    lang = (md.html_lang or md.meta.get("content-language") or "").replace("_", "-").split("-")[0].lower()
    if not lang or lang in {"zh", "en"}:
        return  # the patterns of dates.py read these
    start = max(0, title_idx - 4) if title_idx >= 0 else 0
    for block in blocks[start : start + LIMITS.localized_date_window]:
        if (
            len(block.text) > LIMITS.localized_date_chars
            or not _YEAR.search(block.text)
            or not _LETTERS.search(block.text)
        ):
            continue
        found = localized_date(block.text, lang, tz, now)
        if found is not None:
            out.published_at, out.published_at_raw = found.value, found.raw
            out.sources["published_at"] = "localized"
            return


def _date_beside_links(out: ArticleFields, page: _Page) -> None:
    """No date yet: a date next to the headline on a line that is mostly links ("2022年02月12日
    查看旧版" of an e-paper's header), when the date itself is no link's text. The meta-line rule
    passes such lines over (a list entry dates its link); a page with no other date has only it."""
    after, before = _meta_candidates(page.blocks, page.title_idx, page.container)
    for block in [*after, *reversed(before)]:
        if (
            len(block.text) > LIMITS.unlabelled_date_chars
            or block.link_density <= LIMITS.unlabelled_date_link_density
            or _is_sentence(block.text)
            or not _YEAR.search(block.text)
        ):
            continue
        links = [element_text(a) for a in block.element.iter("a")]
        for found in find_dates(block.text, page.tz, page.now):
            if not any(found.raw in text for text in links) and not _OTHER_ARTICLE.search(
                block.text[: found.start]
            ):
                out.published_at, out.published_at_raw = found.value, found.raw
                out.sources["published_at"] = "beside-links"
                return


def _htmldate(out: ArticleFields, root: etree._Element, url: str, tz: str | None) -> None:
    """Last resort: htmldate's reading of the page (its markup, its text, its URL), a day only.

    htmldate knows date forms in many languages and page structures these rules do not; it runs
    only when they found nothing, on a copy (it cleans the tree it is given).
    """
    from htmldate import find_date

    try:
        # htmldate reads lxml.html's elements: a tree of plain ones (html_selector) is parsed again.
        if isinstance(root, lxml_html.HtmlElement):
            tree = copy.deepcopy(root)
        else:
            tree = lxml_html.document_fromstring(etree.tostring(root, method="html", encoding="unicode"))
        found = find_date(tree, url=url, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate is a best-effort reader; its failure must not cost the page
        logger.debug("htmldate failed on %s", url, exc_info=True)
        return
    if not found:
        return
    value = parse_date(found, tz)
    if value is not None:
        out.published_at, out.published_at_raw = value.value, found
        out.sources["published_at"] = "htmldate"


def _outlet_fallback(out: ArticleFields, md: PageMetadata) -> None:
    found = md.first(OUTLET_META)
    if found and not found[1].startswith("http"):
        value = clean_value(found[1], OUTLET)
        if value:
            out.outlet = value
            out.sources["outlet"] = f"meta:{found[0]}"


def _is_crumb_trail(el: etree._Element) -> bool:
    """Two or more links with only separators (> >> » › / →) between them."""
    if len(el) < 2 or el[0].tag != "a":  # the first child tells most elements apart at once
        return False
    links = [child for child in el if child.tag == "a"]
    if len(links) < 2 or len(links) != len(el):
        return False
    between = "".join(collapse(a.tail or "") for a in links[:-1])
    return bool(between) and re.fullmatch(r"[>»›＞→/\\|\s-]+", between) is not None and "|" not in between


@lru_cache(maxsize=4096)
def _crumb_name(cls: str | None, ident: str | None) -> bool:
    """Whether an element's class or id names a breadcrumb (kept per pair: names recur)."""
    return _BREADCRUMB_CF.found(f"{cls or ''} {ident or ''}")


_NOT_SHOWN = frozenset({"script", "style", "head", "title"})
# What BREADCRUMB_LEAD can match at the start of a collapsed text: its first letter after blanks.
_MAY_LEAD = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff\ue000-\uf8ff]*[当您现所目YyLlCc]")


def _category(root: etree._Element, title: str | None) -> str | None:
    """The last column of the breadcrumb ("Home > Exhibition News > Media Center"), printed in the
    page's body (the head's tags print nothing: a tenth of a page's elements)."""
    body = root.find("body") if root.tag == "html" else None
    for el in (body if body is not None else root).iter(etree.Element):  # (no comments)
        if el.tag in _NOT_SHOWN:
            continue
        cls, ident = el.get("class"), el.get("id")
        crumb = ((cls or ident) and _crumb_name(cls, ident)) or (len(el) >= 2 and _is_crumb_trail(el))
        text = element_text(el) if crumb else ""
        if not text:
            own = el.text
            if not own or not _MAY_LEAD.match(own):
                continue
            own = collapse(own)
            if not own or not BREADCRUMB_LEAD.match(own):
                continue
            text = element_text(el)
        if len(text) > LIMITS.breadcrumb_chars:
            continue
        links = [element_text(a) for a in el.iter("a")]
        links = [x for x in links if x]
        items = links or [x for x in _CRUMB_SPLIT.split(BREADCRUMB_LEAD.sub("", text)) if x]
        items = [x for x in items if x and x != title and not BREADCRUMB_LEAD.fullmatch(x)]
        if items:
            last = BREADCRUMB_LEAD.sub("", items[-1]).strip(" >»›")
            if last and last != title and len(last) <= LIMITS.category_chars:
                return last
    return None


# "人民网记者　郑喆", "本报记者 刘玥": a byline without a colon.
_BYLINE = re.compile(
    r"^[\u4e00-\u9fff]{0,6}?记者[\s\u3000]+([\u4e00-\u9fff·]{2,4}(?:[\s\u3000、][\u4e00-\u9fff·]{2,4}){0,3})$"
)


# The labels of an author's and of an editor's line, squeezed (crawler.extract.text).
_PEOPLE_LABELS = {
    role: tuple(sorted({squeezed(label) for label in LABELS[role]})) for role in (AUTHOR, EDITOR)
}
_LONGEST_PEOPLE_LABEL = max(len(label) for labels in _PEOPLE_LABELS.values() for label in labels)
_COLON = re.compile("[:：]")


def _may_name_people(root: etree._Element, text: str | None = None) -> set[str]:
    """Which of author and editor a line of the page can name: a colon right after one of
    their labels (blanks between them aside), or "记者" for an author's byline. Most pages can
    name neither, and their text says so at once, without the walk of :func:`_people`; one
    that names only an editor need not be walked past its editor's line. ``text`` is the
    visible text of ``root`` when it is known."""
    if text is None:
        text = visible_text(root)
    roles = {AUTHOR} if "记者" in text else set()
    for colon in _COLON.finditer(text):
        end = start = colon.start()
        while True:  # the squeezed text before the colon, long enough for the longest label
            start = max(0, start - 4 * _LONGEST_PEOPLE_LABEL)
            before = squeezed(text[start:end])
            if len(before) >= _LONGEST_PEOPLE_LABEL or start == 0:
                break
        roles.update(role for role, labels in _PEOPLE_LABELS.items() if before.endswith(labels))
        if len(roles) == len(_PEOPLE_LABELS):
            break
    return roles


def _people(out: ArticleFields, root: etree._Element, text: str | None = None) -> None:
    """Editor and author lines printed anywhere visible (never inside comments or scripts).
    ``text`` is the visible text of ``root`` when it is known."""
    roles = _may_name_people(root, text)
    if not roles:
        return
    for block in iter_blocks(root):
        if len(block.text) > LIMITS.people_line_chars:
            continue
        # An editor's or author's label is always followed by its colon (only a time label may
        # go without one): a line without a colon can only be a byline.
        has_colon = ":" in block.text or "：" in block.text
        values = parse_meta_line(block.text).values if has_colon else {}
        if out.editor is None and EDITOR in values:
            out.editor = values[EDITOR]
        if out.author is None and AUTHOR in values:
            out.author = values[AUTHOR]
        if out.author is None and (m := _BYLINE.match(block.text)):
            out.author = m.group(1)
        editor_done = out.editor is not None or EDITOR not in roles
        if editor_done and (out.author is not None or AUTHOR not in roles):
            break  # nothing further can change either


def join_pages(first: ArticleFields, more: list[ArticleFields]) -> ArticleFields:
    """One article from a story split over several pages: the bodies joined in page order."""
    bodies = [first.body, *(page.body for page in more)]
    first.body = "\n\n".join(b for b in bodies if b) or None
    return first


def _continuations(root: etree._Element, url: str) -> list[str]:
    """Further pages of a split article: ``c1013-31139485-2.html``, ``art_1_2.html``."""
    parts = urlsplit(url)
    m = re.match(r"(.*/)([^/]+?)(\.[a-z]+)$", parts.path, re.I)
    if not m:
        return []
    folder, stem, ext = m.groups()
    pattern = re.compile(re.escape(folder + stem) + r"[-_](\d{1,2})" + re.escape(ext) + "$", re.I)
    # A continuation's last path segment is its href's, as written: an href without the stem
    # (case-folded as re.I folds an ASCII stem) cannot be one, and joining it is skipped.
    needle = stem.casefold() if stem.isascii() else ""
    pages: dict[int, str] = {}
    for a in root.iter("a"):
        href = a.get("href")
        if not href or needle not in href.casefold():
            continue
        absolute = join_url(url, href)
        if absolute is None:
            continue
        target = urlsplit(absolute)
        if target.netloc != parts.netloc:
            continue
        found = pattern.search(target.path)
        if found and int(found.group(1)) >= 2:
            pages[int(found.group(1))] = absolute.split("#")[0]
    return [pages[n] for n in sorted(pages)]


def _not_article_reason(out: ArticleFields, profile: Profile | None) -> str | None:
    if not out.title:
        return "no_title"
    if not out.body:
        return "no_body"
    body_len = text_length(out.body)
    if body_len < LIMITS.min_body_chars:
        return "body_too_short"
    if profile is not None and profile.is_detail_url(out.url):
        return None
    # A date only htmldate found (a copyright year, a date in the URL) or one beside links does
    # not show that a short page is an article: home, about and listing pages have such dates too.
    dated = out.published_at_raw is not None and out.sources.get("published_at") not in {
        "htmldate",
        "beside-links",
    }
    if not dated and body_len < LIMITS.undated_body_chars:
        return "no_date"
    return None
