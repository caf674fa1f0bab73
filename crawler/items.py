"""The Article item: the one schema that extraction, pipelines, stores and exports share."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# Field order of exports (JSON Lines, CSV): what users read first comes first.
ARTICLE_FIELDS = (
    "url", "canonical_url", "site", "title", "outlet", "published_at", "published_at_raw",
    "body", "language", "category", "author", "editor", "crawled_at", "listing_url",
    "content_hash", "duplicate_of", "lead_image", "images", "attachments",
)  # fmt: skip
# Fields holding lists of media dicts: JSON in the stores, counts in CSV.
MEDIA_FIELDS = ("images", "attachments")


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
    # The first picture of the body, else the page's og:image.
    lead_image: str | None = None
    # Pictures of the body in page order: {url, caption, alt}; after a download also
    # {path, checksum, size} (DOWNLOAD_MEDIA).
    images: list[dict[str, Any]] = field(default_factory=list)
    # Files the article links to: {url, title, type}; after a download also {path, checksum, size}.
    attachments: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A plain dict; the media lists are copies (asdict copies nested lists and dicts)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """An article from a dict of any age: keys this version does not know are ignored, fields
        an older version did not write (spill files, JSON Lines) take their defaults, and media
        lists given as JSON text or None are read as lists."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        for name in MEDIA_FIELDS:
            if name in values:
                values[name] = media_list(values[name])
        return cls(**values)


def media_list(value: Any) -> list[dict[str, Any]]:
    """A list of media dicts from a list, JSON text, or None; anything else gives []."""
    if isinstance(value, str | bytes):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    if not isinstance(value, list):
        return []
    return [dict(v) for v in value if isinstance(v, dict)]
