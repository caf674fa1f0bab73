"""A checker of JSON Feed 1.1 documents, written from the specification's text."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

TOP_KEYS = {"version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url",
            "icon", "favicon", "authors", "language", "expired", "hubs", "items"}  # fmt: skip
ITEM_KEYS = {"id", "url", "external_url", "title", "content_html", "content_text", "summary", "image",
             "banner_image", "date_published", "date_modified", "authors", "tags", "language",
             "attachments"}  # fmt: skip
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _url(value: Any) -> bool:
    return (
        isinstance(value, str)
        and urlsplit(value).scheme in {"http", "https"}
        and bool(urlsplit(value).netloc)
    )


def problems(feed: Any) -> list[str]:
    """Every way ``feed`` breaks the specification (an empty list for a valid feed)."""
    out: list[str] = []
    if not isinstance(feed, dict):
        return ["the feed is not an object"]
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        out.append("version must be https://jsonfeed.org/version/1.1")
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        out.append("title is required")
    for key in ("home_page_url", "feed_url"):
        if key in feed and not _url(feed[key]):
            out.append(f"{key} must be a URL")
    for key in feed:
        if key not in TOP_KEYS and not key.startswith("_"):
            out.append(f"unknown top-level key {key!r}")
    items = feed.get("items")
    if not isinstance(items, list):
        return [*out, "items must be an array"]
    ids: set[str] = set()
    for i, item in enumerate(items):
        where = f"items[{i}]"
        if not isinstance(item.get("id"), str) or not item["id"]:
            out.append(f"{where}.id must be a non-empty string")
        elif item["id"] in ids:
            out.append(f"{where}.id repeats {item['id']}")
        else:
            ids.add(item["id"])
        if "content_text" not in item and "content_html" not in item:
            out.append(f"{where} needs content_text or content_html")
        for key in ("url", "external_url"):
            if key in item and not _url(item[key]):
                out.append(f"{where}.{key} must be a URL")
        for key in ("date_published", "date_modified"):
            if key in item and not RFC3339.match(str(item[key])):
                out.append(f"{where}.{key} is not RFC 3339: {item[key]!r}")
        authors = item.get("authors", [])
        if not isinstance(authors, list) or not all(isinstance(a, dict) and a.get("name") for a in authors):
            out.append(f"{where}.authors must be objects with a name")
        if "tags" in item and not all(isinstance(t, str) for t in item["tags"]):
            out.append(f"{where}.tags must be strings")
        for key in item:
            if key not in ITEM_KEYS and not key.startswith("_"):
                out.append(f"{where}: unknown key {key!r}")
    return out
