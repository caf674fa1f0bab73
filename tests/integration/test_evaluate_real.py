"""The real-page scoring of ``benchmarks.real_pages`` and a run over the real corpora when present."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from benchmarks import real_pages as er

CST = timezone(timedelta(hours=8))


def test_token_f1_counts_cjk_characters_and_words() -> None:
    assert er.token_f1("中国经济稳中向好", "中国经济稳中向好") == 1.0
    # Half of the characters: precision 1, recall 0.5.
    assert er.token_f1("中国经济稳中向好", "中国经济") == pytest.approx(2 / 3)
    assert er.token_f1("The quick brown fox", "the QUICK brown") == pytest.approx(2 * 0.75 / 1.75)
    assert er.token_f1("text", None) == 0.0
    assert er.token_f1(None, None) == 1.0


def test_title_affix_only_where_the_truth_keeps_the_site_name() -> None:
    truth = "宇航员在太空中喝酒会怎么样？后果很严重 _探索者 _光明网"
    assert er.title_matches(truth, "宇航员在太空中喝酒会怎么样？后果很严重 _探索者", affix_ok=True)
    assert er.title_matches("Some headline - The Site", "Some headline", affix_ok=True)
    assert not er.title_matches("Some headline - The Site", "Some headline", affix_ok=False)
    # A prefix that does not end at a separator is a different (cut) title.
    assert not er.title_matches("多地项目连环爆雷 狂奔的龙湖集团\"暗伤\"曝露？", "多地项目连环爆雷 狂奔的龙湖集团", affix_ok=True)


def test_anchors_ignore_whitespace_and_need_both_ends() -> None:
    body = "本报讯 （记者 张三）13岁，正是花季的年龄。\n\n……格外重要。"
    assert er.anchors_match(body, "本报讯（记者张三）13岁", "格外重要。")
    assert not er.anchors_match(body, "本报讯（记者张三）13岁", "花季的年龄。")
    assert not er.anchors_match(None, "a", "b")


@pytest.mark.parametrize(
    ("raw", "precision", "value"),
    [
        ("2005-5-7 21:23:57", "minute", datetime(2005, 5, 7, 21, 23)),
        ("2004-12-10", "day", datetime(2004, 12, 10)),
        ("1998-3", "month", datetime(1998, 3, 1)),
        ("2018", "year", datetime(2018, 1, 1)),
        ("2023-11-17T00:00:00", "day", datetime(2023, 11, 17)),  # newspaper4k's date-only midnight
        ("2017-11-03 03:01:00.000000", "minute", datetime(2017, 11, 3, 3, 1)),
        ("2018-12-21T12:55:00Z", "minute", datetime(2018, 12, 21, 12, 55, tzinfo=UTC)),
        ("2021-11-01T10:52:50+0100", "minute", datetime(2021, 11, 1, 10, 52, tzinfo=timezone(timedelta(hours=1)))),
    ],
)
def test_truth_times_as_the_corpora_write_them(raw: str, precision: str, value: datetime) -> None:
    parsed = er.parse_truth_time(raw)
    assert parsed is not None
    assert (parsed.precision, parsed.value) == (precision, value)


def test_unreadable_truth_times_are_none() -> None:
    assert er.parse_truth_time("刘涛") is None
    assert er.parse_truth_time(None) is None


def test_time_matches_by_what_the_truth_knows() -> None:
    wall = er.parse_truth_time("2005-07-31 12:30")
    assert er.time_matches(wall, datetime(2005, 7, 31, 12, 30, 59, tzinfo=CST)) == (True, True)
    assert er.time_matches(wall, datetime(2005, 7, 31, 12, 31, tzinfo=CST)) == (False, True)
    assert er.time_matches(wall, date(2005, 7, 31)) == (False, True)
    assert er.time_matches(wall, None) == (False, False)
    day_only = er.parse_truth_time("2004-12-10")
    assert er.time_matches(day_only, datetime(2004, 12, 10, 9, 0, tzinfo=CST)) == (None, True)
    # A UTC instant: the page's own day (08:30 in Beijing is the previous day in UTC) matches.
    utc = er.parse_truth_time("2018-12-20T23:55:00Z")
    assert er.time_matches(utc, datetime(2018, 12, 21, 7, 55, tzinfo=CST)) == (True, True)
    assert er.time_matches(er.parse_truth_time("1998-3"), None) == (None, None)


REAL = Path(__file__).resolve().parents[3] / "shared" / "real-pages"


def test_real_corpora_load_with_labels() -> None:
    if not (REAL / "README.md").exists():
        pytest.skip(f"the real-page corpora are not at {REAL}")
    pages = er.real_pages(REAL)
    assert len(pages) == 346
    labelled = [p for p in pages if p.label is not None]
    assert len(labelled) == 89, "every Chinese page has a hand label"
    assert all(p.lang_group == "zh" for p in labelled)
    assert all(p.label and p.label.get("body_start") and p.label.get("body_end") for p in labelled)
