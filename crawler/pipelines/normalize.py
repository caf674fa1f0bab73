"""Normalize: whitespace and Unicode of text fields, the content fingerprint, crawl time."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

from itemadapter import ItemAdapter

from crawler.dedup import content_hash
from crawler.extract.text import collapse

_TEXT_FIELDS = ("title", "outlet", "category", "author", "editor", "published_at_raw")


def normalize_body(body: str) -> str:
    """Paragraphs with collapsed whitespace, separated by exactly one blank line."""
    paragraphs = (collapse(p) for p in re.split(r"\n\s*\n", unicodedata.normalize("NFC", body)))
    return "\n\n".join(p for p in paragraphs if p)


class NormalizePipeline:
    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        for name in _TEXT_FIELDS:
            value = adapter.get(name)
            if isinstance(value, str):
                adapter[name] = collapse(unicodedata.normalize("NFC", value)) or None
        if isinstance(adapter.get("body"), str):
            adapter["body"] = normalize_body(adapter["body"]) or None
        if not adapter.get("crawled_at"):
            adapter["crawled_at"] = datetime.now(UTC).replace(microsecond=0).isoformat()
        adapter["content_hash"] = content_hash(adapter.get("title"), adapter.get("body"))
        return item
