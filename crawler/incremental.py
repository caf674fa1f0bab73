"""What a re-crawl fetches: new entries, recent entries to recheck, nothing else.

A re-crawl always reads listing page 1; it fetches entries whose URL is not stored, re-fetches
stored ones published within the recheck window (so corrections become new versions), skips
entries older than the site's watermark (the newest stored publish time minus a margin), and
stops paginating after a number of consecutive listing pages that held nothing new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from crawler.extract.listing import Entry


@dataclass(frozen=True)
class Policy:
    incremental: bool  # False on a first crawl, with -a full=1, or after a run that did not finish
    stop_pages: int = 2  # consecutive listing pages with nothing new before pagination stops
    recheck: timedelta = timedelta(hours=48)  # stored articles this recent are fetched again
    watermark: datetime | None = None  # entries dated before this are not followed
    now: datetime | None = None


@dataclass
class Decision:
    fetch: list[Entry] = field(default_factory=list)  # not stored yet
    recheck: list[Entry] = field(default_factory=list)  # stored, recent: fetched again for changes
    known: int = 0  # stored and not rechecked
    old: int = 0  # older than the watermark

    @property
    def has_new(self) -> bool:
        return bool(self.fetch)


def decide(
    entries: Sequence[Entry],
    known: set[str],
    published: dict[str, str],
    policy: Policy,
    public: Callable[[str], str] = lambda u: u,
) -> Decision:
    """Sort one listing page's entries. ``known`` and ``published`` are keyed by public URL."""
    decision = Decision()
    now = policy.now
    for entry in entries:
        url = public(entry.url)
        if url in known:
            stored = published.get(url)
            when = datetime.fromisoformat(stored) if stored else entry.date
            if now is not None and when is not None and when >= now - policy.recheck:
                decision.recheck.append(entry)
            else:
                decision.known += 1
            continue
        if policy.incremental and policy.watermark and entry.date and entry.date < policy.watermark:
            decision.old += 1
            continue
        decision.fetch.append(entry)
    return decision
