"""Health checks for unattended crawls: signs that a site broke or changed its layout."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Limits:
    max_error_rate: float = 0.2  # failed requests / requests
    min_outlet_share: float = 0.5  # items with an outlet / items, when the previous run met it
    min_published_share: float = 0.8  # items with a parsed publish time / items with a date field
    min_items: int = 5  # fewer items than this say nothing about shares
    min_requests: int = 5


@dataclass(frozen=True)
class Check:
    check: str
    ok: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def run_checks(
    counts: dict[str, Any], previous: dict[str, Any] | None, limits: Limits, distributed: bool = False
) -> list[Check]:
    """``counts`` of this run (see crawler.extensions.counts_from_stats); ``previous``: the counts
    of the site's previous run, or None. A worker of a distributed crawl may read no listing page
    at all (another worker took them), so its yield is not judged."""
    checks: list[Check] = []
    entries = int(counts.get("entries", 0))
    before = int(previous.get("entries", 0)) if previous else 0
    checks.append(Check(
        "yield",
        distributed or not (entries == 0 and before > 0),
        f"{entries} listing entries found (previous run: {before if previous else 'none'})"
        + ("; one worker of a distributed crawl: not judged" if distributed else ""),
    ))  # fmt: skip
    requests, errors = int(counts.get("requests", 0)), int(counts.get("errors", 0))
    rate = _share(errors, requests) if requests else 0.0
    # Few requests say little about a rate, but all of them failing (a dead start URL) is a failure.
    checks.append(Check(
        "error_rate",
        (requests < limits.min_requests and errors < max(requests, 1)) or rate <= limits.max_error_rate,
        f"{rate:.1%} of {requests} requests failed (limit {limits.max_error_rate:.0%})",
    ))  # fmt: skip
    items = int(counts.get("items", 0))
    with_outlet = int(counts.get("with_outlet", 0))
    share = _share(with_outlet, items)
    prev_share = (
        _share(int(previous.get("with_outlet", 0)), int(previous.get("items", 0))) if previous else None
    )
    outlet_ok = (
        items < limits.min_items
        or share >= limits.min_outlet_share
        or prev_share is None
        or prev_share < limits.min_outlet_share
        or int(previous.get("items", 0) if previous else 0) < limits.min_items
    )
    checks.append(Check(
        "outlet_share",
        outlet_ok,
        f"{share:.0%} of {items} items name an outlet (limit {limits.min_outlet_share:.0%}"
        + (f", previous run {prev_share:.0%})" if prev_share is not None else ")"),
    ))  # fmt: skip
    undated = int(counts.get("undated", 0))
    dated_share = _share(items, items + undated)
    checks.append(Check(
        "published_share",
        items + undated < limits.min_items or dated_share >= limits.min_published_share,
        f"{dated_share:.0%} of {items + undated} articles have a parsed publish time "
        f"(limit {limits.min_published_share:.0%})",
    ))  # fmt: skip
    return checks
