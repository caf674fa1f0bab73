"""The table of list families, by the profile's ``listing.pagination.kind``.

Classes are named by dotted path (as Scrapy names its handlers and middlewares), so that profile
validation reads the kinds without importing the families, which import the profiles.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Registration:
    path: str  # "package.module.Class" of a base.Family
    requires: tuple[str, ...] = ()  # keys of listing.pagination that a profile of the kind must set


FAMILIES: dict[str, Registration] = {
    "links": Registration("crawler.families.links.Links"),
    "none": Registration("crawler.families.links.Links"),
    "index_n": Registration("crawler.families.numbered.IndexN"),
    "page_param": Registration("crawler.families.numbered.PageParam"),
    "script_count": Registration("crawler.families.trs.ScriptPager"),
    "hanweb": Registration("crawler.families.hanweb.Hanweb", requires=("api",)),
    "jsonp": Registration("crawler.families.jsonp.Jsonp", requires=("api",)),
}


def kinds() -> tuple[str, ...]:
    """Every kind a profile may name, in the order of the table."""
    return tuple(FAMILIES)
