"""Kinds ``index_n`` and ``page_param``: HTML lists whose next page's URL is computed from the
page's own (``index.html`` -> ``index_1.html``; ``?page=2`` -> ``?page=3``)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.families.base import Family
from crawler.profiles import Pagination

SERIES = re.compile(r"(?P<stem>.*?)(?P<sep>[_-])(?P<n>\d{1,4})(?P<ext>\.s?html?)$")


def index_n_next(url: str, first: int = 1) -> str:
    """``index.html`` -> ``index_1.html`` (TRS numbers page 2 as 1), ``index_3`` -> ``index_4``."""
    parts = urlsplit(url)
    path = parts.path
    m = SERIES.match(path)
    if m:
        path = f"{m.group('stem')}{m.group('sep')}{int(m.group('n')) + 1}{m.group('ext')}"
    else:
        if path.endswith("/"):
            path += "index.html"
        stem, dot, ext = path.rpartition(".")
        path = f"{stem}_{first}.{ext}" if dot else f"{path}_{first}"
    return urlunsplit(parts._replace(path=path))


def page_param_next(url: str, param: str = "page", first: int = 1) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    current = int(query.get(param, first)) if str(query.get(param, first)).isdigit() else first
    query[param] = str(current + 1)
    return urlunsplit(parts._replace(query=urlencode(query)))


class IndexN(Family):
    def page_after(self, url: str, pagination: Pagination) -> str | None:
        return index_n_next(url, pagination.first)


class PageParam(Family):
    def page_after(self, url: str, pagination: Pagination) -> str | None:
        return page_param_next(url, pagination.param, pagination.first)
