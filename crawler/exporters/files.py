"""Streaming exports from the store: JSON Lines, CSV, JSON Feed and Atom, newest first."""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from crawler.exporters.atom import write_atom
from crawler.exporters.jsonfeed import write_feed
from crawler.items import ARTICLE_FIELDS, MEDIA_FIELDS
from crawler.storage.base import Store

# CSV is one line per article: the media lists become counts (image_count, attachment_count).
CSV_FIELDS = [f for f in ARTICLE_FIELDS if f not in MEDIA_FIELDS] + ["image_count", "attachment_count"]


def csv_row(data: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in data.items() if k not in MEDIA_FIELDS}
    row["image_count"] = len(data.get("images") or [])
    row["attachment_count"] = len(data.get("attachments") or [])
    return row


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
        return write_feed(articles, out)
    if fmt == "atom":
        return write_atom(articles, out)
    count = 0
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
        writer.writeheader()
    elif fmt != "jsonl":
        raise ValueError(f"unknown export format {fmt!r}")
    for article in articles:
        data = article.to_dict()
        if writer is not None:
            writer.writerow(csv_row(data))
        else:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        count += 1
    return count
