"""Access to the fixture sites and their hand-written expected values."""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from crawler.extract.encoding import decode_html

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "fixtures" / "sites"
EXPECTED = ROOT / "fixtures" / "expected"
FIELDS = ("title", "outlet", "published_at", "published_at_raw", "body", "language", "category",
          "author", "editor")  # fmt: skip


@dataclass(frozen=True)
class ExpectedArticle:
    site: str
    path: str
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.site}:{self.path}"


def site_names() -> list[str]:
    return sorted(p.name for p in EXPECTED.iterdir() if (p / "_site.json").exists())


@cache
def site_info(site: str, name: str = "_site.json") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXPECTED / site / name).read_text(encoding="utf-8"))
    return data


def expected_articles(site: str | None = None) -> list[ExpectedArticle]:
    out = []
    for name in [site] if site else site_names():
        for file in sorted((EXPECTED / name).rglob("*.json")):
            if file.name.startswith("_"):
                continue
            data = json.loads(file.read_text(encoding="utf-8"))
            out.append(ExpectedArticle(name, data["url"], data))
    return out


def content_type(site: str, path: str) -> str | None:
    config = SITES / site / "_site.yaml"
    if not config.exists():
        return None
    headers = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("headers") or {}
    ctype = None
    for pattern, values in headers.items():
        if fnmatch.fnmatch(path, pattern):
            ctype = values.get("Content-Type", ctype)
    return ctype


def page_text(site: str, path: str) -> str:
    """The page decoded as a crawl would decode it (HTTP charset, then meta, then a guess)."""
    body = (SITES / site / path.lstrip("/")).read_bytes()
    text, _ = decode_html(body, content_type(site, path))
    return text


def scrapy_stats(log: str) -> dict[str, int]:
    """The integer stats of a crawl, from the dict Scrapy dumps at the end of its log."""
    dump = log.rpartition("Dumping Scrapy stats:")[2]
    return {k: int(v) for k, v in re.findall(r"'([\w/]+)': (\d+)[,}]", dump)}
