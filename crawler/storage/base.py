"""The store interface and its outcomes; ``crawler.storage.open_store`` picks a backend from a URL."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from crawler.errors import StoreError as StoreError
from crawler.errors import StoreUnavailable as StoreUnavailable
from crawler.items import Article
from crawler.secrets import mask_url as mask_url


class Outcome(StrEnum):
    """What the store did with an article."""

    NEW = "new"  # a new article (possibly a near-duplicate, linked through duplicate_of)
    UPDATED = "updated"  # known URL, changed content: new version, old one kept in history
    UNCHANGED = "unchanged"  # known URL (or alias), same content: nothing written
    ALIAS = "alias"  # same content as a stored article under another URL: URL recorded as alias


@dataclass
class MediaRecord:
    """A downloaded image or attachment: where it is and its checksum (FILES_STORE relative)."""

    url: str
    kind: str  # image | attachment
    path: str
    checksum: str | None = None
    size_in_bytes: int | None = None
    mime_type: str | None = None



class Store(ABC):
    """Where articles live. Keys are canonical URLs; every method is safe to call repeatedly."""

    url: str

    @abstractmethod
    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """The subset of ``urls`` already stored (as canonical URL or alias)."""

    def has_url(self, url: str) -> bool:
        return bool(self.known_urls([url]))

    @abstractmethod
    def add(self, article: Article) -> Outcome:
        """Decide what ``article`` is (new, update, unchanged, alias) and queue the write."""

    def add_many(self, articles: Sequence[Article]) -> list[Outcome]:
        """``add`` of each article in order; a store may look them all up at once."""
        return [self.add(article) for article in articles]

    def replace(self, article: Article) -> Outcome:
        """A new version of the stored article at this URL even when its title and body are the
        same (re-extraction changed another field); ``add`` when the URL is not stored."""
        return self.add(article)

    @abstractmethod
    def flush(self) -> None:
        """Commit everything queued, in one transaction."""

    @abstractmethod
    def pending(self) -> list[Article]:
        """Articles accepted but not yet committed (what a spill file must keep)."""

    @abstractmethod
    def discard_pending(self) -> None:
        """Forget what is queued (after it was spilled elsewhere)."""

    @abstractmethod
    def count(self, site: str | None = None) -> int: ...

    @abstractmethod
    def iter_articles(
        self, site: str | None = None, since: str | None = None, limit: int | None = None
    ) -> Iterator[Article]:
        """Stored articles, newest published first."""

    @abstractmethod
    def published_times(self, urls: Iterable[str]) -> dict[str, str]:
        """url -> stored publish time (UTC, ISO 8601) for the stored ones among ``urls``."""

    @abstractmethod
    def newest_published(self, site: str) -> str | None:
        """The newest stored publish time (UTC, ISO 8601) of ``site``: the incremental watermark."""

    @abstractmethod
    def get_meta(self, key: str) -> str | None: ...

    @abstractmethod
    def set_meta(self, key: str, value: str | None) -> None:
        """Set (or, with None, delete) a small piece of crawl state, committed at once."""

    def media_records(self, urls: Iterable[str]) -> dict[str, MediaRecord]:
        """url -> record of the downloaded images and attachments among ``urls``."""
        return {}

    def record_media(self, records: Iterable[MediaRecord]) -> None:  # noqa: B027 - optional
        """Remember downloaded images and attachments (paths and checksums)."""

    @abstractmethod
    def close(self) -> None:
        """Commit what is queued and release the connection."""

