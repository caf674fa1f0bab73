"""Kind ``hanweb``: the Hanweb (大汉) column, whose list is POSTed from ``dataproxy.jsp``.

The column page carries the API's parameters in a ``<nextgroup>`` link (else the column id is in
its URL, ``/col/col123/``); each call asks for three pages of records (``startrecord`` ..
``endrecord``) and the answer holds the records in CDATA and the ``totalrecord`` count.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin

from parsel import Selector
from scrapy.http import TextResponse

from crawler.extract.listing import entry_for
from crawler.families.base import ApiCall, ApiPage, Entry, Family, Limits
from crawler.profiles import Pagination

PAGES_PER_CALL = 3


def hanweb_params(page_html: str, column_url: str) -> dict[str, str]:
    """The column parameters of a Hanweb list page (from its ``<nextgroup>`` link, else the URL)."""
    params: dict[str, str] = {}
    m = re.search(r"dataproxy\.jsp\?([^\"'<>\]]+)", page_html)
    if m:
        for key, value in parse_qsl(m.group(1).replace("&amp;", "&")):
            if key not in {"page", "startrecord", "endrecord", "perpage"}:
                params[key] = value
    if "columnid" not in params:
        col = re.search(r"/col/col(\d+)/", column_url)
        if col:
            params["columnid"] = col.group(1)
    return params


def parse_hanweb_records(text: str, url: str, tz: str | None = None) -> tuple[list[Entry], int | None]:
    """Entries of a Hanweb ``dataproxy.jsp`` answer (records wrapped in CDATA) and the total."""
    entries: list[Entry] = []
    for record in re.findall(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", text, re.S):
        fragment = Selector(text=f"<ul>{record}</ul>")
        for a in fragment.root.iter("a"):
            entry = entry_for(a, url, tz)
            if entry:
                entries.append(entry)
                break
    total = re.search(r"<totalrecord>\s*(\d+)\s*</totalrecord>", text)
    return entries, int(total.group(1)) if total else None


def _call(column_url: str, params: dict[str, str], start: int, pagination: Pagination) -> ApiCall:
    """POST for the records start..start + 3 pages - 1 of a Hanweb column."""
    per_page = pagination.per_page
    form = {**params, "startrecord": str(start), "endrecord": str(start + PAGES_PER_CALL * per_page - 1),
            "perpage": str(per_page)}  # fmt: skip
    api = urljoin(column_url, pagination.api or "")
    return ApiCall(f"{api}?{urlencode(form)}", formdata=form, state={"params": params, "start": start})


class Hanweb(Family):
    def first_call(self, page: TextResponse, pagination: Pagination) -> ApiCall | None:
        return _call(page.url, hanweb_params(page.text, page.url), 1, pagination)

    def read(self, answer: TextResponse, column_url: str, state: Mapping[str, Any], pagination: Pagination,
             limits: Limits) -> ApiPage:  # fmt: skip
        entries, total = parse_hanweb_records(answer.text, column_url, limits.timezone)
        per_page = pagination.per_page
        start = state["start"] + PAGES_PER_CALL * per_page
        if entries and total is not None and start <= total and start <= limits.max_pages * per_page:
            return ApiPage(entries, _call(column_url, state["params"], start, pagination))
        return ApiPage(entries)
