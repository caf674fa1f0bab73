"""Kind ``jsonp``: a JSONP (or JSON) list API paged by a parameter (Xinhua's ``/ds/list.js?page=N``).

The column page is a shell filled by a script; the API is called from it with ``param=first``,
``first + 1`` ... until an answer holds no entries, the API answers 404 or ``max_pages`` is read.
Entries are the objects holding the profile's ``entry_url_key``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from scrapy.http import TextResponse

from crawler.extract.dates import find_dates
from crawler.extract.listing import absolute_url
from crawler.extract.text import collapse
from crawler.families.base import ApiCall, ApiPage, Entry, Family, Limits
from crawler.profiles import Pagination


def parse_jsonp_list(text: str, url: str, url_key: str = "LinkUrl", tz: str | None = None) -> list[Entry]:
    """Entries of a JSONP (or JSON) list API: every object holding ``url_key``."""
    body = text.strip()
    m = re.match(r"^[\w.$]*\s*\((.*)\)\s*;?\s*$", body, re.S)
    if m:
        body = m.group(1)
    try:
        data = json.loads(body)
    except ValueError:
        return []
    entries: list[Entry] = []

    def walk(obj: object) -> None:
        if isinstance(obj, dict):
            link = obj.get(url_key)
            if isinstance(link, str):
                target = absolute_url(link, url)
                if target:
                    title = next(
                        (collapse(str(obj[k])) for k in ("Title", "title", "name") if obj.get(k)), ""
                    )
                    when = next(
                        (str(obj[k]) for k in ("PubTime", "pubtime", "date", "time") if obj.get(k)), ""
                    )
                    dates = find_dates(when, tz)
                    entries.append(Entry(target, title, dates[0].value if dates else None))
                return
            for value in obj.values():
                walk(value)
        elif isinstance(obj, list):
            for value in obj:
                walk(value)

    walk(data)
    return entries


def _call(response: TextResponse, page: int, pagination: Pagination) -> ApiCall:
    """The API's ``page``, resolved against the page that asks (the column, then the API itself)."""
    url = response.urljoin(pagination.api or "")
    url += ("&" if "?" in url else "?") + urlencode({pagination.param: page, "callback": "callback"})
    return ApiCall(url, state={"page": page})


class Jsonp(Family):
    def first_call(self, page: TextResponse, pagination: Pagination) -> ApiCall | None:
        return _call(page, pagination.first, pagination)

    def read(self, answer: TextResponse, column_url: str, state: Mapping[str, Any], pagination: Pagination,
             limits: Limits) -> ApiPage:  # fmt: skip
        entries = parse_jsonp_list(answer.text, column_url, pagination.entry_url_key, limits.timezone)
        page = state["page"]
        if entries and page - pagination.first + 1 < limits.max_pages:
            return ApiPage(entries, _call(answer, page + 1, pagination))
        return ApiPage(entries)
