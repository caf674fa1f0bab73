"""Generic listing extraction on listing pages of layouts no profile describes.

    python -m benchmarks.listings [DIR]

Each page of ``fixtures/unseen_listings`` has the article entries of its main list and the URLs
of the other pages of the same list, written by hand. Prints per-page misses and the mean
precision and recall of entries and of pagination links.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from parsel import Selector

from crawler.extract.encoding import decode_html
from crawler.extract.listing import parse_listing
from crawler.urls import canonicalize

LISTINGS = Path(__file__).resolve().parent.parent / "fixtures" / "unseen_listings"


@dataclass
class ListingScore:
    pages: int = 0
    entries_precision: float = 0.0
    entries_recall: float = 0.0
    entries_exact: int = 0
    next_precision: float = 0.0
    next_recall: float = 0.0
    next_exact: int = 0
    misses: list[str] = field(default_factory=list)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def evaluate(directory: Path = LISTINGS) -> ListingScore:
    score = ListingScore()
    for expected_file in sorted((directory / "expected").glob("*.json")):
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        page = directory / "pages" / f"{expected_file.stem}.html"
        text, _ = decode_html(page.read_bytes())
        listing = parse_listing(Selector(text=text), expected["url"])
        here = canonicalize(expected["url"])
        got = {canonicalize(e.url) for e in listing.entries}
        want = {canonicalize(u) for u in expected["entries"]}
        got_next = {canonicalize(u) for u in listing.next_urls} - {here}
        want_next = {canonicalize(u) for u in expected["next_pages"]}
        score.pages += 1
        score.entries_precision += _ratio(len(got & want), len(got))
        score.entries_recall += _ratio(len(got & want), len(want))
        score.next_precision += _ratio(len(got_next & want_next), len(got_next))
        score.next_recall += _ratio(len(got_next & want_next), len(want_next))
        score.entries_exact += got == want
        score.next_exact += got_next == want_next
        if got != want or got_next != want_next:
            score.misses.append(
                f"{expected_file.stem}: entries +{len(got - want)} -{len(want - got)}, "
                f"pages +{len(got_next - want_next)} -{len(want_next - got_next)}"
            )
    if score.pages:
        for name in ("entries_precision", "entries_recall", "next_precision", "next_recall"):
            setattr(score, name, getattr(score, name) / score.pages)
    return score


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    s = evaluate(Path(args[0]) if args else LISTINGS)
    for miss in s.misses:
        print(miss)
    print(f"{s.pages} listing pages")
    rows = (
        ("entries", s.entries_precision, s.entries_recall, s.entries_exact),
        ("pagination", s.next_precision, s.next_recall, s.next_exact),
    )
    for name, precision, recall, exact in rows:
        print(f"{name + ':':<12}precision {precision:.3f}  recall {recall:.3f}  exact {exact}/{s.pages}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
