from __future__ import annotations

import pytest

from crawler.extract.fields import AUTHOR, EDITOR, OUTLET, TIME, parse_meta_line


@pytest.mark.parametrize(
    ("text", "expected", "lead"),
    [
        (
            "Release:Chongqing Daily, Chongqing TV Station Time:2019-07-19 17:30:36",
            {OUTLET: "Chongqing Daily, Chongqing TV Station", TIME: "2019-07-19 17:30:36"},
            "",
        ),
        (
            "时间：2020-09-17 17:50:35 | 记者：王静 | 编辑：李明",
            {TIME: "2020-09-17 17:50:35", AUTHOR: "王静", EDITOR: "李明"},
            "",
        ),
        (
            "2020-09-17 17:50:35來源: 重慶晨報編輯: 李明",
            {OUTLET: "重慶晨報", EDITOR: "李明"},
            "2020-09-17 17:50:35",
        ),
        (
            "发布日期：2016-11-22 09:53\u3000\u3000信息来源：浙江日报\u3000\u3000浏览次数：",
            {TIME: "2016-11-22 09:53", OUTLET: "浙江日报"},
            "",
        ),
        (
            "<i>来源：</i>\n      省发展改革委\n    ".replace("<i>", "").replace("</i>", ""),
            {OUTLET: "省发展改革委"},
            "",
        ),
        ("来源：新华社 人民日报", {OUTLET: "新华社 人民日报"}, ""),
        ("China SCIOUpdated: August 24, 2018", {TIME: "August 24, 2018"}, "China SCIO"),
        (
            "时间：2022-01-05 09:30　来源：新华社　作者：张伟　编辑：李娜",
            {TIME: "2022-01-05 09:30", OUTLET: "新华社", AUTHOR: "张伟", EDITOR: "李娜"},
            "",
        ),
        ("来源：新华社   【字体：大 中 小】 打印", {OUTLET: "新华社"}, ""),
        ("Release time:Apr 16, 2024 16:59 PM", {TIME: "Apr 16, 2024 16:59 PM"}, ""),
    ],
)
def test_meta_lines(text: str, expected: dict[str, str], lead: str) -> None:
    line = parse_meta_line(text)
    assert line.values == expected
    assert line.lead == lead


def test_empty_label_gives_no_value() -> None:
    line = parse_meta_line("Release: Time:2019-10-15 16:44:28")
    assert OUTLET not in line.values
    assert line.values[TIME] == "2019-10-15 16:44:28"


def test_event_times_are_not_the_page_time() -> None:
    line = parse_meta_line("展会时间：2024年6月6日至10日 开放时间：9:00")
    assert TIME not in line.values


def test_publication_time_outranks_an_update_printed_first() -> None:
    line = parse_meta_line("更新时间：2023-07-19 14:32 发布时间：2023-07-18 09:00")
    assert line.values[TIME] == "2023-07-18 09:00"


def test_outlet_ends_at_a_counter_or_a_middot() -> None:
    assert parse_meta_line("来源：高新区管委会 浏览").values[OUTLET] == "高新区管委会"
    assert parse_meta_line("来源：集团品牌部 · 阅读 1024").values[OUTLET] == "集团品牌部"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发表于2005年09月07日 11:57 AM", "2005年09月07日 11:57 AM"),
        ("ggjjzhzz 发表于 2005-9-15 11:46:00", "2005-9-15 11:46:00"),
        ("Posted on 2019-07-19 by admin", "2019-07-19 by admin"),
    ],
)
def test_time_labels_without_a_colon_when_a_date_follows(text: str, expected: str) -> None:
    assert parse_meta_line(text).values.get(TIME) == expected


@pytest.mark.parametrize("text", ["By 2020 the plan was done", "开放时间 2019-01-01", "来源 2019-01-01"])
def test_other_labels_still_need_their_colon(text: str) -> None:
    assert parse_meta_line(text).values == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("来源：[ 人民网 ]", "人民网"),  # brackets around the name
        ("来源：《理财周刊》 2005-03-21", "理财周刊"),
        ("来源：第一财经日报 网友评论 0 条", "第一财经日报"),  # widgets printed after the value
        ("来源：证券市场红周刊 举报", "证券市场红周刊"),
        ("来源：长江网 调整字体", "长江网"),
        ("发布: 2021-1-29 13:18|点击: 313|来自: 互联网", "互联网"),  # 来自 is an outlet label
        ("摘自：上海社会科学院学术季刊", "上海社会科学院学术季刊"),
        ("转自《北京科技报》", "北京科技报"),  # a "copied from" label before a title in 《》, no colon
        ("（摘自《新华文摘》2000年第9期）", "新华文摘"),  # ... the issue after it is not the name
    ],
)
def test_outlet_values_as_printed(text: str, expected: str) -> None:
    assert parse_meta_line(text).values.get(OUTLET) == expected


@pytest.mark.parametrize("text", ["本文摘自《新华文摘》一书", "作者《草原》", "转自《北京科技报"])
def test_a_title_in_quotes_is_an_outlet_only_after_a_copied_from_label_opening_the_line(text: str) -> None:
    assert OUTLET not in parse_meta_line(text).values


@pytest.mark.parametrize("text", ['来源： size="20"', "来源：楼主", "来源：--", "Source: , 10:41"])
def test_outlet_values_that_name_nothing_are_dropped(text: str) -> None:
    assert OUTLET not in parse_meta_line(text).values
