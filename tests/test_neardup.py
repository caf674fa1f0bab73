from __future__ import annotations

from benchmarks.neardup import evaluate, load
from crawler import dedup


def test_labelled_set_precision_and_recall_at_the_default_threshold() -> None:
    rows = load()
    assert len(rows) >= 60
    score = evaluate(dedup.DEFAULT_THRESHOLD, rows)
    assert score.true_pairs >= 60
    # Stated in docs/quality.md: precision 1.000 and recall 1.000 on this set at 0.5.
    assert score.precision == 1.0
    assert score.recall == 1.0


def test_a_strict_threshold_loses_recall_first() -> None:
    rows = load()
    strict = evaluate(0.7, rows)
    assert strict.precision == 1.0
    assert strict.recall < 0.9


def test_similarity_of_signatures() -> None:
    text = "重庆市举行智能产业博览会，签约项目一百三十二个，总投资两千四百八十亿元。" * 3
    assert dedup.similarity(dedup.signature(text), dedup.signature(text)) == 1.0
    other = "The organisers of the Lisbon food fair said all exhibition space had been booked by March."
    assert dedup.similarity(dedup.signature(text), dedup.signature(other)) < 0.1
    assert dedup.tokens("Smart China Expo 2019，智博会") == [
        "smart",
        "china",
        "expo",
        "2019",
        "智",
        "博",
        "会",
    ]
