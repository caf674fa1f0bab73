"""Spill files: articles accepted while the store was down, imported first by the next run.

A spill file is named by the store's identity, not its URL: the SQLite file's absolute path, or
the PostgreSQL database, user and search path, without host, port or password, so that a store
reached under another host name (or with a rotated password) still finds what was spilled for it.

Import is tolerant: a line that is not a JSON object with a ``url`` goes to ``<file>.rejected``
(kept for a person to look at, counted as ``article/spill_rejected``) and never blocks the good
lines or later crawls; unknown keys (a field a newer or older version wrote) are ignored and
missing optional fields take their defaults.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from crawler.items import Article
from crawler.storage.base import Store, mask_url

logger = logging.getLogger(__name__)

STAT_IMPORTED = "article/spill_imported"
STAT_REJECTED = "article/spill_rejected"


def store_identity(store_url: str) -> str:
    """What names a store whatever host, port or password reaches it."""
    if store_url.startswith("sqlite:///"):
        return "sqlite:" + os.path.abspath(store_url.removeprefix("sqlite:///"))
    try:
        parts = urlsplit(store_url)
        query = dict(parse_qsl(parts.query))
        user = unquote(parts.username or query.get("user", ""))
    except ValueError:
        return mask_url(store_url)
    database = unquote(parts.path.lstrip("/")) or query.get("dbname", "")
    return f"{parts.scheme}:{user}@{database}?{query.get('options', '')}"


def spill_path(directory: Path, store_url: str) -> Path:
    """One spill file per store identity (:func:`store_identity`)."""
    digest = hashlib.sha1(store_identity(store_url).encode()).hexdigest()[:12]
    return directory / f"spill-{digest}.jsonl"


def legacy_spill_path(directory: Path, store_url: str) -> Path:
    """Where versions before the identity key spilled (a hash of the masked URL)."""
    digest = hashlib.sha1(mask_url(store_url).encode()).hexdigest()[:12]
    return directory / f"spill-{digest}.jsonl"


def spill(path: Path, articles: Iterable[Article]) -> int:
    """Append ``articles`` to the spill file and fsync it; returns how many were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("a", encoding="utf-8") as fh:
        for article in articles:
            fh.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
            count += 1
        fh.flush()
        os.fsync(fh.fileno())
    return count


def article_from_line(line: str) -> Article:
    """The article of one spill line; ValueError when the line cannot be one."""
    data: Any = json.loads(line)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    url = data.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ValueError("no url")
    names = {f.name for f in fields(Article)}
    known = {k: v for k, v in data.items() if k in names}
    for key, value in known.items():
        if value is not None and not isinstance(value, str | int | float | list | dict):
            raise ValueError(f"field {key!r} has an unusable value")
    try:
        return Article.from_dict(known)
    except TypeError as err:
        raise ValueError(str(err)) from err


@dataclass
class SpillImport:
    imported: int = 0
    rejected: int = 0
    found: bool = False


def import_spill(path: Path, store: Store) -> SpillImport:
    """Add every good spilled article to ``store`` and commit; bad lines go to ``<path>.rejected``;
    then the spill file is removed."""
    result = SpillImport()
    if not path.exists():
        return result
    result.found = True
    rejected: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                article = article_from_line(line)
            except ValueError as err:
                logger.warning("spill file %s line %d rejected: %s", path, number, err)
                rejected.append(line)
                continue
            store.add(article)
            result.imported += 1
    store.flush()
    if rejected:
        aside = path.with_name(path.name + ".rejected")
        with aside.open("a", encoding="utf-8") as fh:
            fh.write("".join(f"{line}\n" for line in rejected))
        result.rejected = len(rejected)
        logger.warning("%d malformed lines of %s kept in %s", len(rejected), path, aside)
    path.unlink()
    logger.info("imported %d spilled articles from %s", result.imported, path)
    return result
