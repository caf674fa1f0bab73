"""Site profiles: a site described as data (YAML), validated on load.

A profile names a site, its domains and start URLs, its language and timezone, how its listings
paginate, which URLs are articles, and optionally per-field selectors and cleanup rules that
override generic extraction. ``extends:`` inherits from a base profile of a CMS family (TRS,
Hanweb, gov.cn); base profiles are marked ``abstract: true`` and are never crawled themselves.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from cssselect import SelectorError
from lxml import etree
from parsel import Selector

from crawler import settings as defaults
from crawler.errors import ConfigError
from crawler.families.registry import FAMILIES
from crawler.saferegex import UserRegex, check_pattern

# The bundled profiles as a package resource: a directory in a checkout or an install, a folder of the
# zip when the package runs from an egg (Scrapyd), where globbing Path(__file__).parent finds nothing.
PROFILE_DIR: Traversable = files(__name__)

FIELD_NAMES = ("title", "outlet", "published_at", "body", "category", "author", "editor", "meta")
RENDER_MODES = ("html", "browser")  # listing.render / detail.render: as fetched, or in Chromium
PAGINATION_KINDS = tuple(FAMILIES)  # a kind is a list family (crawler.families.registry)


@dataclass(frozen=True)
class Pagination:
    """How a listing reaches its next pages.

    kind ``links``: follow next/numbered links (generic detection, or ``next`` selector);
    ``index_n``: ``index.html``, ``index_1.html``...; ``page_param``: ``?page=N``;
    ``script_count``: page count written by a script (TRS ``createPageHTML``);
    ``hanweb``: POST to the Hanweb dataproxy API; ``jsonp``: a JSONP list API.
    Each kind is a module of ``crawler.families``.
    """

    kind: str = "links"
    next: str | None = None
    param: str = "page"
    first: int = 1
    per_page: int = 15
    api: str | None = None
    entry_url_key: str = "LinkUrl"
    max_pages: int | None = None


@dataclass(frozen=True)
class Profile:
    name: str
    domains: tuple[str, ...]
    start_urls: tuple[str, ...]
    language: str | None = None
    timezone: str = defaults.DEFAULT_TIMEZONE
    listing_entries: str | None = None
    pagination: Pagination = field(default_factory=Pagination)
    detail_url_pattern: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    drop_paragraphs: tuple[str, ...] = ()
    drop_selectors: tuple[str, ...] = ()
    noise_params: tuple[str, ...] = ()
    source: str = "<memory>"
    abstract: bool = False
    render_listing: bool = False  # listing.render: browser -- listing pages rendered in Chromium
    render_detail: bool = False  # detail.render: browser -- article pages rendered in Chromium
    # Entry points besides the listings: sitemaps (index, urlset, news; gzipped) and RSS/Atom feeds.
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()

    @property
    def origin(self) -> str:
        """Scheme and host of the first start URL (or sitemap, or feed): what ``base_url`` replaces."""
        parts = urlsplit((self.start_urls or self.sitemaps or self.feeds)[0])
        return f"{parts.scheme}://{parts.netloc}"

    def is_detail_url(self, url: str) -> bool | None:
        """True/False when the profile has a detail pattern, None when it does not say."""
        if not self.detail_url_pattern:
            return None
        return _user_regex(self.detail_url_pattern, self.source).search(url) is not None

    def compiled_drop_paragraphs(self) -> list[UserRegex]:
        """The profile's paragraph regexes, bounded in time (crawler.saferegex)."""
        return [_user_regex(p, self.source) for p in self.drop_paragraphs]


@functools.lru_cache(maxsize=512)
def _user_regex(pattern: str, source: str) -> UserRegex:
    # One compiled object per pattern, so that a pattern switched off after a timeout stays off.
    return UserRegex(pattern, source)


_TOP_KEYS = {
    "name", "extends", "abstract", "domains", "start_urls", "language", "timezone", "listing",
    "detail", "fields", "cleanup", "url", "sitemaps", "feeds",
}  # fmt: skip
_LISTING_KEYS = {"entries", "pagination", "render"}
_PAGINATION_KEYS = {"kind", "next", "param", "first", "per_page", "api", "entry_url_key",
                    "max_pages"}  # fmt: skip
_DETAIL_KEYS = {"url_pattern", "render"}
_CLEANUP_KEYS = {"drop_paragraphs", "drop_selectors"}
_URL_KEYS = {"noise_params"}


def check_selector(expr: str, source: str, key: str) -> None:
    """Raise ConfigError when ``expr`` is not a valid CSS selector or XPath (``/``, ``(``)."""
    sel = Selector(text="<html></html>")
    try:
        if is_xpath(expr):
            sel.xpath(expr)
        else:
            sel.css(expr)
    except (SelectorError, etree.XPathError, ValueError) as err:
        raise ConfigError(source, key, f"invalid selector {expr!r}: {err}") from err


def is_xpath(expr: str) -> bool:
    return expr.startswith(("/", "(", "./"))


def select(sel: Selector, expr: str) -> Any:
    return sel.xpath(expr) if is_xpath(expr) else sel.css(expr)


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _check_keys(data: Mapping[str, Any], allowed: set[str], source: str, prefix: str) -> None:
    for key in data:
        if key not in allowed:
            name = f"{prefix}.{key}" if prefix else str(key)
            raise ConfigError(source, name, f"unknown key (allowed: {', '.join(sorted(allowed))})")


def _mapping(data: Any, source: str, key: str) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(source, key, "must be a mapping")
    return data


def _str_list(data: Any, source: str, key: str) -> tuple[str, ...]:
    if data is None:
        return ()
    if isinstance(data, str):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(x, str) for x in data):
        raise ConfigError(source, key, "must be a list of strings")
    return tuple(data)


def build_profile(data: Mapping[str, Any], source: str) -> Profile:
    """Validate raw (already merged) profile data and build a Profile."""
    _check_keys(data, _TOP_KEYS, source, "")
    abstract = bool(data.get("abstract", False))
    name = data.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]+", name):
        raise ConfigError(source, "name", "required, lowercase letters, digits and _")
    domains = _str_list(data.get("domains"), source, "domains")
    start_urls = _str_list(data.get("start_urls"), source, "start_urls")
    sitemaps = _str_list(data.get("sitemaps"), source, "sitemaps")
    feeds = _str_list(data.get("feeds"), source, "feeds")
    if not abstract:
        if not domains:
            raise ConfigError(source, "domains", "required: the hosts the crawl stays on")
        if not (start_urls or sitemaps or feeds):
            raise ConfigError(source, "start_urls", "required: at least one listing URL (or sitemaps/feeds)")
    for key, urls in (("start_urls", start_urls), ("sitemaps", sitemaps), ("feeds", feeds)):
        for i, url in enumerate(urls):
            if urlsplit(url).scheme not in {"http", "https"}:
                raise ConfigError(source, f"{key}[{i}]", f"not an http(s) URL: {url!r}")
    tz = data.get("timezone", defaults.DEFAULT_TIMEZONE)
    try:
        ZoneInfo(str(tz) or defaults.DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ConfigError(source, "timezone", f"unknown timezone {tz!r}") from err
    language = data.get("language")
    if language is not None and not isinstance(language, str):
        raise ConfigError(source, "language", "must be a language code such as en or zh")

    listing = _mapping(data.get("listing"), source, "listing")
    _check_keys(listing, _LISTING_KEYS, source, "listing")
    entries = listing.get("entries")
    if entries is not None:
        check_selector(str(entries), source, "listing.entries")
    pag_data = _mapping(listing.get("pagination"), source, "listing.pagination")
    _check_keys(pag_data, _PAGINATION_KEYS, source, "listing.pagination")
    kind = pag_data.get("kind", "links")
    if kind not in FAMILIES:  # the table itself, so that a family registered at run time is known
        raise ConfigError(
            source, "listing.pagination.kind", f"{kind!r} is not one of {', '.join(FAMILIES)}"
        )
    if pag_data.get("next"):
        check_selector(str(pag_data["next"]), source, "listing.pagination.next")
    for key in FAMILIES[kind].requires:
        if not pag_data.get(key):
            raise ConfigError(source, f"listing.pagination.{key}", f"required for kind {kind}")
    try:
        pagination = Pagination(**pag_data)
    except TypeError as err:
        raise ConfigError(source, "listing.pagination", str(err)) from err

    detail = _mapping(data.get("detail"), source, "detail")
    _check_keys(detail, _DETAIL_KEYS, source, "detail")
    pattern = detail.get("url_pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise ConfigError(source, "detail.url_pattern", "must be a string")
        problem = check_pattern(pattern)
        if problem:
            raise ConfigError(source, "detail.url_pattern", f"invalid regex: {problem}")

    fields = _mapping(data.get("fields"), source, "fields")
    _check_keys(fields, set(FIELD_NAMES), source, "fields")
    for key, expr in fields.items():
        if not isinstance(expr, str):
            raise ConfigError(source, f"fields.{key}", "must be a selector string")
        check_selector(expr, source, f"fields.{key}")

    cleanup = _mapping(data.get("cleanup"), source, "cleanup")
    _check_keys(cleanup, _CLEANUP_KEYS, source, "cleanup")
    drop_paragraphs = _str_list(cleanup.get("drop_paragraphs"), source, "cleanup.drop_paragraphs")
    for i, p in enumerate(drop_paragraphs):
        problem = check_pattern(p)
        if problem:
            raise ConfigError(source, f"cleanup.drop_paragraphs[{i}]", f"invalid regex: {problem}")
    drop_selectors = _str_list(cleanup.get("drop_selectors"), source, "cleanup.drop_selectors")
    for i, expr in enumerate(drop_selectors):
        check_selector(expr, source, f"cleanup.drop_selectors[{i}]")
    url_rules = _mapping(data.get("url"), source, "url")
    _check_keys(url_rules, _URL_KEYS, source, "url")
    for section, values in (("listing", listing), ("detail", detail)):
        if values.get("render", "html") not in RENDER_MODES:
            raise ConfigError(source, f"{section}.render",
                               f"{values['render']!r} is not one of {', '.join(RENDER_MODES)}")  # fmt: skip

    return Profile(
        name=name,
        domains=domains,
        start_urls=start_urls,
        language=language,
        timezone=str(tz),
        listing_entries=entries,
        pagination=pagination,
        detail_url_pattern=pattern,
        fields=dict(fields),
        drop_paragraphs=drop_paragraphs,
        drop_selectors=drop_selectors,
        noise_params=_str_list(url_rules.get("noise_params"), source, "url.noise_params"),
        source=source,
        abstract=abstract,
        render_listing=listing.get("render") == "browser",
        render_detail=detail.get("render") == "browser",
        sitemaps=sitemaps,
        feeds=feeds,
    )


def _read(path: Path | Traversable) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ConfigError(str(path), "<file>", f"not valid YAML: {err}") from err
    if not isinstance(data, dict):
        raise ConfigError(str(path), "<file>", "must be a mapping of keys")
    return data


def _resolve(
    name: str, raw: Mapping[str, tuple[Path | Traversable, dict[str, Any]]], seen: tuple[str, ...]
) -> dict[str, Any]:
    path, data = raw[name]
    parent = data.get("extends")
    if parent is None:
        return dict(data)
    if parent not in raw:
        raise ConfigError(str(path), "extends", f"no profile named {parent!r}")
    if parent in seen:
        raise ConfigError(str(path), "extends", f"circular extends: {' -> '.join((*seen, parent))}")
    base = _resolve(parent, raw, (*seen, parent))
    base.pop("abstract", None)
    merged = _merge(base, data)
    merged.pop("extends", None)
    return merged


def _yaml_files(directory: Path | Traversable | str) -> list[Path | Traversable]:
    folder = Path(directory) if isinstance(directory, str) else directory
    if not folder.is_dir():
        return []  # as Path.glob: a missing directory holds no profiles
    found = [p for p in folder.iterdir() if p.name.endswith(".yaml") and p.is_file()]
    return sorted(found, key=lambda p: p.name)


def load_profiles(directories: Iterable[Path | Traversable | str] = (PROFILE_DIR,)) -> dict[str, Profile]:
    """Every profile in ``directories`` (``*.yaml``), validated, keyed by name."""
    raw: dict[str, tuple[Path | Traversable, dict[str, Any]]] = {}
    for directory in directories:
        for path in _yaml_files(directory):
            data = _read(path)
            name = data.get("name")
            if not isinstance(name, str):
                raise ConfigError(str(path), "name", "required")
            if name in raw:
                raise ConfigError(str(path), "name", f"{name!r} is also defined in {raw[name][0]}")
            stem = path.name.removesuffix(".yaml")
            if stem != name:
                raise ConfigError(str(path), "name", f"{name!r} must match the file name {stem!r}")
            raw[name] = (path, data)
    return {name: build_profile(_resolve(name, raw, (name,)), str(raw[name][0])) for name in raw}


def profile_for_url(url: str, profiles: Mapping[str, Profile]) -> Profile | None:
    """The concrete profile whose domains contain the URL's host."""
    host = (urlsplit(url).hostname or "").lower()
    for profile in profiles.values():
        if profile.abstract:
            continue
        for domain in profile.domains:
            if host == domain or host.endswith("." + domain):
                return profile
    return None
