"""The interface of a list family, and what it hands the spider.

A family answers three questions for a listing of its kind:

- ``first_call``: does a column page lead to a list API, and with which call? (None: the page
  itself is the list, read by ``crawler.extract.listing``);
- ``page_after``: for an HTML list, the URL of the next page as the family numbers it;
- ``read``: the entries of one list API answer and the next call, if any.

The spider asks ``family_for(profile.pagination.kind)`` and holds no per-family branch.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scrapy.http import TextResponse
from scrapy.utils.misc import load_object

from crawler.families.registry import FAMILIES
from crawler.profiles import Pagination


@dataclass(frozen=True)
class Entry:
    """One article of a list: its URL, its title and the date printed beside it."""

    url: str
    title: str
    date: datetime | None = None


@dataclass(frozen=True)
class ApiCall:
    """One request to a list API: GET ``url``, or POST ``formdata`` to it; ``state`` (plain data:
    it travels in the request's meta, which JOBDIR and Redis queues serialize) comes back to
    ``Family.read`` with the answer (the page number, the first record, the column's keys)."""

    url: str
    formdata: Mapping[str, str] | None = None
    state: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ApiPage:
    """One list API answer: its entries and the call for the next page (None at the end)."""

    entries: list[Entry]
    next: ApiCall | None = None


@dataclass(frozen=True)
class Limits:
    """What the crawl allows a family: the listing pages to read, the zone of dates without one."""

    max_pages: int
    timezone: str | None = None


class Family:
    """A list family. The defaults are those of a plain HTML list: no API, no computed pages."""

    def first_call(self, page: TextResponse, pagination: Pagination) -> ApiCall | None:
        """The list API's first call made from the column page; None when the page is the list."""
        return None

    def page_after(self, url: str, pagination: Pagination) -> str | None:
        """The next page of an HTML list as this family numbers it, besides the page's links."""
        return None

    def read(self, answer: TextResponse, column_url: str, state: Mapping[str, Any], pagination: Pagination,
             limits: Limits) -> ApiPage:  # fmt: skip
        """The entries of one answer of the list API, and the next call."""
        raise NotImplementedError(f"{type(self).__name__} has no list API")


@functools.lru_cache(maxsize=64)
def _load(path: str) -> Family:
    family = load_object(path)()
    if not isinstance(family, Family):
        raise TypeError(f"{path} is not a crawler.families.base.Family")
    return family


def family_for(kind: str) -> Family:
    """The family registered for a pagination kind (``registry.FAMILIES``)."""
    return _load(FAMILIES[kind].path)
