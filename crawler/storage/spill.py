"""Spill files: articles accepted while the store was down, imported first by the next run."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from crawler.items import Article
from crawler.storage.base import Store, mask_url

logger = logging.getLogger(__name__)


def spill_path(directory: Path, store_url: str) -> Path:
    """One spill file per store, named by a hash of its (masked) URL."""
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


def import_spill(path: Path, store: Store) -> int:
    """Add every spilled article to ``store``, commit, then remove the file."""
    if not path.exists():
        return 0
    count = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                store.add(Article.from_dict(json.loads(line)))
            except ValueError:
                logger.warning("skipped a corrupt line in spill file %s", path)
                continue
            count += 1
    store.flush()
    path.unlink()
    logger.info("imported %d spilled articles from %s", count, path)
    return count
