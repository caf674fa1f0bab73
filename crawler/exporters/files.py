"""Streaming exports from the store: JSON Lines and CSV, newest first."""

from __future__ import annotations

import csv
import json
from typing import TextIO

from crawler.items import ARTICLE_FIELDS
from crawler.storage.base import Store


def export_store(
    store: Store,
    out: TextIO,
    fmt: str = "jsonl",
    site: str | None = None,
    since: str | None = None,
    limit: int | None = None,
) -> int:
    """Write stored articles to ``out``; returns how many were written."""
    articles = store.iter_articles(site=site, since=since, limit=limit)
    if fmt == "jsonfeed":
        from crawler.exporters.jsonfeed import write_feed

        return write_feed(articles, out)
    count = 0
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(ARTICLE_FIELDS))
        writer.writeheader()
    elif fmt != "jsonl":
        raise ValueError(f"unknown export format {fmt!r}")
    for article in articles:
        data = article.to_dict()
        if writer is not None:
            writer.writerow(data)
        else:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        count += 1
    return count
