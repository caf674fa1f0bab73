"""``benchmarks.extraction``: the benchmark's shingle scoring, field comparison, and a tiny fixture run."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from benchmarks import extraction as ev

from ..fixturedata import expected_articles, page_text

# --- shingles and F1 -------------------------------------------------------------------------


def test_tokenize_like_the_benchmark() -> None:
    assert ev.tokenize("Hello, world! It's 2019.") == ["Hello", "world", "It", "s", "2019"]
    # \w+ keeps a run of Chinese characters together: one token per clause.
    assert ev.tokenize("中国经济，稳中向好。") == ["中国经济", "稳中向好"]
    assert ev.tokenize("中国经济 GDP", cjk_chars=True) == ["中", "国", "经", "济", "GDP"]
    assert ev.tokenize(None) == []


def test_shingles_of_four_words() -> None:
    assert ev.shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    # Fewer than four tokens: the whole text is one shorter shingle; no token: no shingle.
    assert ev.shingles("a b") == {("a", "b"): 1}
    assert ev.shingles("  ...  ") == {}
    # A multiset: a repeated passage counts twice.
    assert ev.shingles("a b c d a b c d")[("a", "b", "c", "d")] == 2


def test_identical_texts_score_one() -> None:
    text = "The quick brown fox jumps over the lazy dog."
    assert ev.shingle_matching(text, text) == (1.0, 0.0, 0.0)
    assert ev.body_f1(text, text) == 1.0
    # Punctuation and whitespace are not tokens: still a perfect match.
    assert ev.body_f1(text, "The quick brown fox\n\njumps over the lazy dog") == 1.0


def test_disjoint_texts_score_zero() -> None:
    assert ev.body_f1("one two three four five", "six seven eight nine ten") == 0.0
    assert ev.body_f1("one two three four five", "") == 0.0
    assert ev.body_f1("", "one two three four five") == 0.0


def test_both_empty_is_a_perfect_page() -> None:
    # The benchmark's precision_score/recall_score: FP == FN == 0 -> 1.
    assert ev.shingle_matching("", None) == (0.0, 0.0, 0.0)
    assert ev.body_f1("", None) == 1.0


def test_partial_overlap_by_hand() -> None:
    # true: a b c d e f -> shingles abcd, bcde, cdef (3)
    # pred: a b c d e x y -> shingles abcd, bcde, cdex, dexy (4)
    # TP = 2 (abcd, bcde), FP = 2 (cdex, dexy), FN = 1 (cdef); normalized by 5.
    tp, fp, fn = ev.shingle_matching("a b c d e f", "a b c d e x y")
    assert (tp, fp, fn) == pytest.approx((2 / 5, 2 / 5, 1 / 5))
    # P = 2/4 = 0.5, R = 2/3, F1 = 2 * 0.5 * 2/3 / (0.5 + 2/3) = 4/7.
    assert ev.precision_score(tp, fp, fn) == pytest.approx(0.5)
    assert ev.recall_score(tp, fp, fn) == pytest.approx(2 / 3)
    assert ev.body_f1("a b c d e f", "a b c d e x y") == pytest.approx(4 / 7)


def test_benchmark_f1_is_from_mean_precision_and_recall() -> None:
    perfect = ev.shingle_matching("a b c d e f", "a b c d e f")  # P = R = 1
    partial = ev.shingle_matching("a b c d e f", "a b c d e x y")  # P = 1/2, R = 2/3
    empty_pred = ev.shingle_matching("a b c d e f", "")  # no prediction: left out of precision, R = 0
    m = ev.benchmark_metrics([perfect, partial, empty_pred], [True, False, False])
    precision = (1 + 0.5) / 2
    recall = (1 + 2 / 3 + 0) / 3
    assert m.n == 3
    assert m.precision == pytest.approx(precision)
    assert m.recall == pytest.approx(recall)
    assert m.f1 == pytest.approx(2 * precision * recall / (precision + recall))
    assert m.accuracy == pytest.approx(1 / 3)
    # Not the same as the mean of per-page F1 (1, 4/7, 0).
    assert m.mean_page_f1 == pytest.approx((1 + 4 / 7 + 0) / 3)
    assert m.f1 != pytest.approx(m.mean_page_f1)


def test_benchmark_metrics_without_any_prediction() -> None:
    m = ev.benchmark_metrics([ev.shingle_matching("a b c d", "")])
    assert m.precision is None and m.f1 is None
    assert m.recall == 0.0


def test_token_accuracy() -> None:
    assert ev.token_accuracy("Hello, world.", "Hello world")
    assert not ev.token_accuracy("Hello, world.", "Hello world again")


# --- field comparison ------------------------------------------------------------------------

SHANGHAI = timezone(timedelta(hours=8))


def test_time_exact_minute_and_day() -> None:
    expected = "2019-07-19T17:30:36+08:00"
    same = ev.compare_time(expected, datetime(2019, 7, 19, 17, 30, 36, tzinfo=SHANGHAI))
    assert same == ev.TimeMatch(exact=True, minute=True, day=True)
    # Seconds dropped: right to the minute, not exact.
    no_seconds = ev.compare_time(expected, datetime(2019, 7, 19, 17, 30, tzinfo=SHANGHAI))
    assert no_seconds == ev.TimeMatch(exact=False, minute=True, day=True)
    # The same instant in another offset: right to the minute, not the printed string.
    utc = ev.compare_time(expected, datetime(2019, 7, 19, 9, 30, 36, tzinfo=UTC))
    assert utc.minute and not utc.exact
    # A different minute on the right day.
    later = ev.compare_time(expected, datetime(2019, 7, 19, 17, 31, tzinfo=SHANGHAI))
    assert later == ev.TimeMatch(exact=False, minute=False, day=True)
    # Wrong zone: 17:30 read as UTC is another instant, though the printed date is right.
    wrong_zone = ev.compare_time(expected, datetime(2019, 7, 19, 17, 30, 36, tzinfo=UTC))
    assert wrong_zone == ev.TimeMatch(exact=False, minute=False, day=True)
    assert ev.compare_time(expected, None) == ev.TimeMatch(False, False, False)


def test_time_date_only_prediction() -> None:
    # A date only (trafilatura/htmldate) is right to the day; to the minute only at midnight.
    assert ev.compare_time("2019-07-19T17:30:36+08:00", date(2019, 7, 19)) == ev.TimeMatch(False, False, True)
    assert ev.compare_time("2019-07-19T00:00:00+08:00", date(2019, 7, 19)) == ev.TimeMatch(False, True, True)
    assert ev.compare_time("2019-07-19T00:00:00+08:00", date(2019, 7, 20)) == ev.TimeMatch(
        False, False, False
    )


def test_text_and_body_comparison() -> None:
    assert ev.same_text("Chen Min’er  met\u3000leaders ", "Chen Min’er met leaders")
    assert not ev.same_text("Title", "Title - Site name")
    assert ev.same_text(None, None) and ev.same_text(None, "  ")
    assert ev.same_body("p1 line\n\np2", "p1  line\np2\n")
    assert not ev.same_body("p1\n\np2", "p1 p2")


def test_trafilatura_outlet_only_when_it_matches() -> None:
    assert ev.trafilatura_outlet("Xinhua", "www.news.cn", "Xinhua") == "Xinhua"
    assert ev.trafilatura_outlet("Xinhua", "www.news.cn", None) is None
    assert ev.trafilatura_outlet(None, "www.news.cn", "Someone") is None


# --- loaders and a tiny run ------------------------------------------------------------------


def test_fixture_loader_matches_the_golden_tests() -> None:
    pages = ev.fixture_pages()
    articles = expected_articles()
    assert [p.id for p in pages] == [a.id for a in articles]
    # A page whose charset comes from _site.yaml headers decodes as the golden tests decode it.
    sites = {p.group for p in pages}
    for site in sorted(sites & {"hanweb", "people", "xinhua"})[:2]:
        page = next(p for p in pages if p.group == site)
        text, _ = page.load()
        assert text == page_text(site, page.id.split(":", 1)[1])


def test_fixture_run_with_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "eval.json"
    assert ev.main(["--only", "fixtures", "--limit", "3", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "1. Fixture sites: 3 pages" in printed
    assert "ours generic" in printed and "trafilatura" in printed
    assert "Run time:" in printed
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["parts"] == ["fixtures"]
    assert "benchmark" not in report and "unseen" not in report
    overall = report["fixtures"]["overall"]
    ours = overall["ours_generic"]
    assert ours["n"] == 3
    for key in ("title", "outlet", "time_exact", "time_minute", "time_day", "body_exact", "body_f1"):
        assert 0.0 <= ours[key] <= 1.0, key
    assert ours["ms_mean"] > 0
    assert overall["trafilatura"]["n"] == 3
    assert overall["trafilatura"]["time_exact"] is None  # date only: no exact figure
    assert len(report["fixtures"]["page_results"]) >= 6
    assert report["timing"]["fixtures"]["ours_generic"]["n"] == 3


def test_run_page_joins_continuation_pages_like_the_spider() -> None:
    pages = {"http://s.example/a.html": "one two three four", "http://s.example/a_2.html": "five six seven"}

    def extract(html: str, url: str) -> ev.Prediction:
        more = ("http://s.example/a_2.html", "http://s.example/a_3.html") if url.endswith("a.html") else ()
        return ev.Prediction(title="T", body=html, continuation_urls=more)

    page = ev.Page(
        part="fixtures",
        id="s:/a.html",
        group="s",
        url="http://s.example/a.html",
        load=lambda: (pages["http://s.example/a.html"], "utf-8"),
        expected=ev.Expected(title="T", body="one two three four\n\nfive six seven"),
        load_url=lambda url: (pages[url], "utf-8") if url in pages else None,
    )
    result = ev.run_page(page, pages[page.url], ev.OURS_GENERIC, extract)
    assert result.error is None
    assert result.pages_joined == 2
    assert result.missing_pages == ["http://s.example/a_3.html"]
    assert result.body_exact and result.body_f1 == 1.0 and result.title


def test_run_page_counts_a_crash_as_an_empty_result() -> None:
    def crash(html: str, url: str) -> ev.Prediction:
        raise ValueError("boom")

    page = ev.Page(
        part="unseen",
        id="x",
        group="unseen",
        url="http://x.example/",
        load=lambda: ("", "utf-8"),
        expected=ev.Expected(title="T", body="some words of body text"),
    )
    result = ev.run_page(page, "<html></html>", ev.OURS_GENERIC, crash)
    assert result.error == "ValueError: boom"
    assert result.title is False and result.body_f1 == 0.0
