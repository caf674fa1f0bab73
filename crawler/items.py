"""The Article item: the one schema that extraction, pipelines, stores and exports share."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

# Field order of exports (JSON Lines, CSV): what users read first comes first.
ARTICLE_FIELDS = (
    "url", "canonical_url", "site", "title", "outlet", "published_at", "published_at_raw",
    "body", "language", "category", "author", "editor", "crawled_at", "listing_url",
    "content_hash", "duplicate_of",
)  # fmt: skip


@dataclass
class Article:
    """One article. Dates are ISO 8601 strings with a UTC offset (``2019-07-19T17:30:36+08:00``)."""

    url: str
    canonical_url: str | None = None
    site: str | None = None
    title: str | None = None
    outlet: str | None = None
    published_at: str | None = None
    published_at_raw: str | None = None
    body: str | None = None
    language: str | None = None
    category: str | None = None
    author: str | None = None
    editor: str | None = None
    crawled_at: str | None = None
    # Provenance: the listing page the article was found on, and the fingerprint of its text.
    listing_url: str | None = None
    content_hash: str | None = None
    # The canonical URL of the first stored copy when this article is a syndicated copy of it.
    duplicate_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})
