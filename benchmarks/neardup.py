"""Precision and recall of near-duplicate linking on the labelled set in fixtures/neardup.

Articles go into a fresh store in publication order, as crawls would bring them; two articles
are predicted copies when they end up in the same cluster (the first copy and everything linked
to it through ``duplicate_of`` or stored as its alias). Truth: same ``story``, neither a
distinct report.

``--signature`` times the signatures instead: CPU milliseconds per article (``time.process_time``
over a few thousand calls) on the title and body of the throughput benchmark site's articles,
as the extractor reads them (``benchmarks.throughput``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from crawler import dedup
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


def throughput_texts(n: int = 300) -> list[str]:
    """Title and body of the first ``n`` articles of the throughput benchmark's site."""
    from scrapy import Selector

    from benchmarks.throughput import article_page, article_path
    from crawler.extract.article import parse_article

    texts = []
    for i in range(n):
        page = Selector(text=article_page(i, n).decode("utf-8"))
        fields = parse_article(page, f"http://www.example.gov.cn{article_path(i)}")
        texts.append(f"{fields.title}\n{fields.body}")
    return texts


def time_signatures(texts: list[str], rounds: int = 10, runs: int = 3) -> list[float]:
    """CPU milliseconds per signature, one figure per run of ``rounds`` passes over ``texts``."""
    dedup.signature(texts[0])  # first-call costs (numpy's) are not the articles'
    figures = []
    for _ in range(runs):
        started = time.process_time()
        for _ in range(rounds):
            for text in texts:
                dedup.signature(text)
        figures.append((time.process_time() - started) * 1000 / (rounds * len(texts)))
    return figures


def signature_main() -> int:
    texts = throughput_texts()
    chars = statistics.mean(len(t) for t in texts)
    grams = statistics.mean(len(dedup.shingles(t)) for t in texts)
    print(f"signatures ({dedup.NUM_PERM} permutations): {len(texts)} articles of the throughput site,"
          f" {chars:,.0f} characters and {grams:,.0f} shingles on average")  # fmt: skip
    rounds = 10
    figures = time_signatures(texts, rounds)
    print(f"CPU ms per article, 3 runs of {rounds * len(texts):,} signatures: "
          + ", ".join(f"{f:.3f}" for f in figures))  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    summary = (__doc__ or "").split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m benchmarks.neardup", description=summary)
    parser.add_argument("--signature", action="store_true", help="time the signatures (CPU ms per article)")
    if parser.parse_args(argv).signature:
        return signature_main()
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
