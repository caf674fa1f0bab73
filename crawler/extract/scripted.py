"""Listings built by scripts: what an empty listing page shows when its list comes from a script.

A page whose list is filled in the browser ships an empty list container, a framework's mount
point (``<div id="app">``) or a script that fetches a list API. ``script_built_list`` names the
signal it sees, or returns None. It is asked only about a listing page on which no entries were
found, and requires a script on the page besides: an ordinary page with a list is never asked,
and an empty page without scripts (an error page, an empty column) is not a script-built list.
"""

from __future__ import annotations

import re

from parsel import Selector

# Mount points of Vue, React, Next, Nuxt, Angular and of hand-written single-page apps.
_MOUNT_IDS = ("app", "root", "__next", "__nuxt", "main-app", "vue-app", "react-root", "spa")
_MOUNT_XPATH = (
    "//body//*["
    + " or ".join(f"@id='{i}'" for i in _MOUNT_IDS)
    + " or @data-reactroot or @ng-app or @data-v-app or @v-cloak]"
)
# A div named like a list of news (an empty ul, ol or tbody is a list container whatever its name).
_LIST_NAME = re.compile(r"list|news|article|items|posts|press|xwlb", re.I)
# A script that fetches something: fetch(), XMLHttpRequest, jQuery's ajax/get/getJSON/load, axios.
_XHR = re.compile(
    r"\bfetch\s*\(|XMLHttpRequest|\$\.(?:ajax|get|getJSON|post)\s*\(|\baxios\b|\.load\s*\(\s*['\"]"
)
# ... and a URL in it names a list (not a page-view counter: /api/pv, /api/hit/1, /count.jsp).
_LIST_API = re.compile(
    r"""['"`][^'"`\s]*(?:list|news|article|column|records|items|posts|press|xwlb|page)[^'"`\s]*['"`]""", re.I
)
_TRACKERS = re.compile(r"google-analytics|googletagmanager|hm\.baidu|cnzz|umeng|51\.la", re.I)


def _text(el: Selector) -> str:
    return " ".join(t.strip() for t in el.xpath(".//text()[not(ancestor::script)]").getall()).strip()


def _mount_point(sel: Selector) -> bool:
    """A mount point holding no links: what the framework fills in."""
    return any(not el.xpath(".//a[@href]") and len(_text(el)) < 200 for el in sel.xpath(_MOUNT_XPATH))


def _empty_list(sel: Selector) -> bool:
    """A ul/ol/tbody, or a div named like a list, with no item, no link and no text in it."""
    for el in sel.xpath("//body//ul | //body//ol | //body//tbody | //body//div[@id or @class]"):
        name = f"{el.attrib.get('id', '')} {el.attrib.get('class', '')}"
        if el.root.tag == "div" and not _LIST_NAME.search(name):
            continue
        if not el.xpath(".//a[@href] | .//li | .//tr") and not _text(el):
            return True
    return False


def _list_api(scripts: list[str]) -> bool:
    return any(
        _XHR.search(code) and _LIST_API.search(code) and not _TRACKERS.search(code) for code in scripts
    )


def script_built_list(sel: Selector) -> str | None:
    """Why an entry-less listing page looks built by a script, or None when it does not."""
    if sel.type != "html":
        return None
    inline = [s for s in sel.xpath("//script[not(@src)]/text()").getall() if s.strip()]
    external = [s for s in sel.xpath("//script/@src").getall() if not _TRACKERS.search(s)]
    if not inline and not external:
        return None
    if _list_api(inline):
        return "a script fetches a list API"
    if _mount_point(sel):
        return "an empty script mount point"
    if _empty_list(sel):
        return "an empty list container"
    return None
