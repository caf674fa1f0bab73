"""Precision and recall of near-duplicate linking on the labelled set in fixtures/neardup.

Articles go into a fresh store in publication order, as crawls would bring them; two articles
are predicted copies when they end up in the same cluster (the first copy and everything linked
to it through ``duplicate_of`` or stored as its alias). Truth: same ``story``, neither a
distinct report.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from crawler.items import Article
from crawler.storage import open_store
from crawler.storage.base import Outcome
from crawler.urls import url_key

NEARDUP_SET = Path(__file__).resolve().parent.parent / "fixtures" / "neardup" / "articles.jsonl"


@dataclass(frozen=True)
class Score:
    threshold: float
    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load(path: Path = NEARDUP_SET) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(rows, key=lambda r: r["published_at"])


def evaluate(threshold: float, rows: list[dict[str, str]] | None = None) -> Score:
    rows = rows if rows is not None else load()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/neardup.sqlite3", batch_size=8, threshold=threshold)
        cluster: dict[str, str] = {}
        by_key: dict[str, str] = {}
        for row in rows:
            article = Article(url=row["url"], canonical_url=row["url"], site=row["site"], title=row["title"],
                              outlet=row["outlet"], body=row["body"], published_at=row["published_at"],
                              language=row["language"])  # fmt: skip
            outcome = store.add(article)
            by_key[url_key(row["url"])] = row["id"]
            if outcome is Outcome.NEW and article.duplicate_of:
                cluster[row["id"]] = cluster.get(
                    by_key[url_key(article.duplicate_of)], by_key[url_key(article.duplicate_of)]
                )
            else:
                cluster[row["id"]] = row["id"]
        store.close()
    truth = {
        frozenset((a["id"], b["id"]))
        for a, b in combinations(rows, 2)
        if a["story"] == b["story"] and a["kind"] != "distinct" and b["kind"] != "distinct"
    }
    predicted = {
        frozenset((a["id"], b["id"]))
        for a, b in combinations(rows, 2)
        if cluster[a["id"]] == cluster[b["id"]]
    }
    correct = len(truth & predicted)
    return Score(
        threshold=threshold,
        precision=correct / len(predicted) if predicted else 1.0,
        recall=correct / len(truth) if truth else 1.0,
        true_pairs=len(truth),
        predicted_pairs=len(predicted),
        correct_pairs=correct,
    )


def main() -> int:
    rows = load()
    print(f"near-duplicate set: {len(rows)} articles ({NEARDUP_SET})")
    print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6} {'pairs: true/predicted/correct':>30}")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        s = evaluate(threshold, rows)
        print(f"{threshold:>9.2f} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} "
              f"{s.true_pairs:>14}/{s.predicted_pairs}/{s.correct_pairs}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
