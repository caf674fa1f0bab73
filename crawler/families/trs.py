"""Kind ``script_count``: the TRS script pager, a page count written by a script,
``createPageHTML(count, current, "index", "html")``, naming ``index_1.html`` ... ``index_{count-1}``.

The pager is read on every HTML list whatever its kind (``crawler.extract.listing.next_pages``
calls ``script_pages``), as TRS columns are often profiled as plain ``links``."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from crawler.families.base import Family

_SCRIPT_PAGER = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)


def script_pages(root: etree._Element, url: str) -> list[str]:
    """All pages of a TRS listing from ``createPageHTML(count, current, "index", "html")``."""
    for script in root.iter("script"):
        m = _SCRIPT_PAGER.search(script.text or "")
        if not m:
            continue
        count, name, ext = int(m.group(1)), m.group(3), m.group(4)
        base = urljoin(url, "./")
        return [urljoin(base, f"{name}_{n}.{ext}") for n in range(1, count)]
    return []


class ScriptPager(Family):
    """The pages come from ``script_pages``, which the generic reading of every list applies."""
