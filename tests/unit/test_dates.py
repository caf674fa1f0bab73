from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extract.dates import find_dates, parse_date, plausible

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "raw", "iso"),
    [
        (
            "Release:Chongqing Daily Time:2019-07-19 17:30:36",
            "2019-07-19 17:30:36",
            "2019-07-19T17:30:36+08:00",
        ),
        ("2019年06月15日08:18  来源：人民网", "2019年06月15日08:18", "2019-06-15T08:18:00+08:00"),
        ("Updated: Aug 24,2019 04:32 PM    CGTN", "Aug 24,2019 04:32 PM", "2019-08-24T16:32:00+08:00"),
        ("10:22, August 18, 2021", "10:22, August 18, 2021", "2021-08-18T10:22:00+08:00"),
        ("Release time:Apr 16, 2024 16:59 PM", "Apr 16, 2024 16:59 PM", "2024-04-16T16:59:00+08:00"),
        ("China SCIOUpdated: August 24, 2018", "August 24, 2018", "2018-08-24T00:00:00+08:00"),
        ("2019-07-19-17:30:45", "2019-07-19-17:30:45", "2019-07-19T17:30:45+08:00"),
        ("日期：2019.07.19", "2019.07.19", "2019-07-19T00:00:00+08:00"),
        ("2019/7/19", "2019/7/19", "2019-07-19T00:00:00+08:00"),
        ("2023-05-10 09:00 (GMT+1)", "2023-05-10 09:00 (GMT+1)", "2023-05-10T09:00:00+01:00"),
        ("2016-11-22T09:53:00+08:00", "2016-11-22T09:53:00+08:00", "2016-11-22T09:53:00+08:00"),
        ("Aug 26,2019 12:05 AM", "Aug 26,2019 12:05 AM", "2019-08-26T00:05:00+08:00"),
        ("Aug 26,2019 12:40 PM", "Aug 26,2019 12:40 PM", "2019-08-26T12:40:00+08:00"),
        ("2020-09-17 17:50:35來源: 重慶晨報", "2020-09-17 17:50:35", "2020-09-17T17:50:35+08:00"),
        ("2019年7月19日 星期五 下午3:05", "2019年7月19日 星期五 下午3:05", "2019-07-19T15:05:00+08:00"),
        ("19 July 2019", "19 July 2019", "2019-07-19T00:00:00+08:00"),
        ("Jul 19, 2019 5:30 PM", "Jul 19, 2019 5:30 PM", "2019-07-19T17:30:00+08:00"),
        # A weekday between the day and the year (blog templates).
        ("Dec 28 Sat 2013 00:28", "Dec 28 Sat 2013 00:28", "2013-12-28T00:28:00+08:00"),
        ("Mar 5, Tuesday, 2024", "Mar 5, Tuesday, 2024", "2024-03-05T00:00:00+08:00"),
    ],
)
def test_parse_forms(text: str, raw: str, iso: str) -> None:
    found = parse_date(text, "Asia/Shanghai", NOW)
    assert found is not None
    assert (found.raw, found.value.isoformat()) == (raw, iso)


def test_profile_timezone_applies_when_page_names_none() -> None:
    found = parse_date("2019-07-19 17:30", "Europe/Berlin", NOW)
    assert found is not None and found.value.isoformat() == "2019-07-19T17:30:00+02:00"


@pytest.mark.parametrize(
    "text", ["1988-01-02 10:00", "2027-06-01 10:00", "copyright 1998-2024", "2019-13-45"]
)
def test_implausible_or_invalid_dates_are_not_values(text: str) -> None:
    assert parse_date(text, None, NOW) is None


def test_relative_dates_go_to_dateparser() -> None:
    found = parse_date("3小时前", "Asia/Shanghai", NOW)
    assert found is not None
    assert found.value.astimezone(UTC) == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_find_dates_in_order() -> None:
    found = find_dates("发布时间：2020-01-02 10:00 相关：2019-12-31", None, NOW)
    assert [d.raw for d in found] == ["2020-01-02 10:00", "2019-12-31"]


def test_plausible_bounds() -> None:
    assert plausible(datetime(1990, 1, 2, tzinfo=UTC), NOW)
    assert not plausible(datetime(1989, 12, 31, tzinfo=UTC), NOW)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("March 5, 2024 09:00 AM Eastern Standard Time", "2024-03-05T09:00:00-05:00"),
        ("Published on 2024-03-05 14:00 CET", "2024-03-05T14:00:00+01:00"),
        ("2024年3月5日（星期二） 香港時间16時30分", "2024-03-05T16:30:00+08:00"),
        # The zone named before the clock, in Chinese (GMT on Chinese-language services).
        ("更新时间 2012年12月10日, 格林尼治标准时间10:41", "2012-12-10T10:41:00+00:00"),
        ("2024年3月5日 北京时间16:30", "2024-03-05T16:30:00+08:00"),
    ],
)
def test_zone_names_and_chinese_clock_words(text: str, iso: str) -> None:
    found = parse_date(text, "Asia/Shanghai", NOW)
    assert found is not None and found.value.isoformat() == iso


# ---------------------------------------------------------------------------------------------
# The publish date of a whole page (parse_article's date steps), one small page per rule.
# ---------------------------------------------------------------------------------------------

ARTICLE = "<p>" + "The council approved the new budget for schools and roads on Monday evening. " * 6 + "</p>"


def _page_date(head: str, body: str, url: str = "http://news.example/story.html") -> str | None:
    from parsel import Selector

    from crawler.extract import parse_article

    html = f"<html><head>{head}</head><body>{body}</body></html>"
    fields = parse_article(Selector(text=html), url, timezone="Asia/Shanghai", now=NOW)
    return fields.published_at.isoformat() if fields.published_at else None


def test_json_ld_wrapped_in_cdata_is_read() -> None:
    # XHTML-era templates wrap the script's JSON in CDATA; the date inside is still the page's.
    head = (
        '<script type="application/ld+json"><![CDATA[ {"@type": "NewsArticle",'
        ' "datePublished": "2018-04-05T06:00:00Z"} ]]></script>'
    )
    assert _page_date(head, f"<h1>Budget approved</h1>{ARTICLE}") == "2018-04-05T06:00:00+00:00"


@pytest.mark.parametrize(
    ("head", "line", "iso"),
    [
        # The meta tag holds a re-publication; JSON-LD the first one, which the page prints.
        (
            '<meta property="article:published_time" content="2015-12-11T14:28:34Z">'
            '<script type="application/ld+json">{"@type": "NewsArticle",'
            ' "datePublished": "2015-10-15T02:19:15Z"}</script>',
            '<div class="meta"><a href="/story">Oct 15, 2015</a> · 18 min read</div>',
            "2015-10-15T02:19:15+00:00",
        ),
        # The meta tag holds the edit: the page prints that instant after "Updated".
        (
            '<meta property="article:published_time" content="2024-12-07T12:43:39Z">'
            '<script type="application/ld+json">{"@type": "NewsArticle",'
            ' "datePublished": "2024-12-06T22:00:40Z"}</script>',
            "<div class=\"stamp\">Dec. 6, 2024, 10:00 PM UTC / Updated Dec. 7, 2024, 12:43 PM UTC</div>",
            "2024-12-06T22:00:00+00:00",
        ),
        # Tags that agree: the first in order of trust, as before.
        (
            '<meta property="article:published_time" content="2024-12-07T12:43:39Z">'
            '<script type="application/ld+json">{"@type": "NewsArticle",'
            ' "datePublished": "2024-12-07T12:43:00Z"}</script>',
            "",
            "2024-12-07T12:43:39+00:00",
        ),
    ],
)
def test_metadata_dates_that_disagree_yield_to_the_one_the_page_prints(head: str, line: str, iso: str) -> None:
    assert _page_date(head, f"<h1>Budget approved</h1>{ARTICLE}{line}") == iso


CN_BODY = "<p>" + "市政府今天召开会议，研究部署今年的重点工作，会议强调要抓好各项任务的落实。" * 4 + "</p>"


@pytest.mark.parametrize(
    ("body", "iso"),
    [
        # The header names the date of a recommended article first; this post's date follows.
        (
            "<h1>模型评估方法</h1><div class='up-time'>最新推荐文章于 2023-09-04 17:53:10 发布</div>"
            f"<div class='bar'>作者甲 <span>于 2023-03-12 13:08:03 发布</span> 阅读量 300</div>{CN_BODY}",
            "2023-03-12T13:08:03+08:00",
        ),
        # A forum post dated only by the line after it: posted by X at <date> in <board>.
        (
            f"<h1>关于亲子的演讲</h1>{CN_BODY * 16}<p>本贴由<b>大卫</b>于2005年8月12日16:12:21在〖心灵体操〗发表</p>",
            "2005-08-12T16:12:21+08:00",
        ),
    ],
)
def test_posted_at_lines_and_dates_of_other_articles(body: str, iso: str) -> None:
    assert _page_date("", body, "http://blog.example.cn/a/1.html") == iso


@pytest.mark.parametrize(
    ("url", "head", "line", "iso"),
    [
        # The page prints 7:18 pm; its metadata states the instant with +08:00: the page's own zone
        # beats the one its domain suggests (.gg, UTC+0).
        (
            "https://www.esports.gg/lol/final",
            '<meta property="article:published_time" content="2023-11-19T19:18:44+08:00">',
            "<div class='byline'>November 19, 2023 7:18 pm</div>",
            "2023-11-19T19:18:00+08:00",
        ),
        # A <time> states the instant in UTC and prints it on the newsroom's clock (UTC+1).
        (
            "http://news.example/a.html",
            '<meta property="article:published_time" content="2022-02-06T12:48:06+00:00">',
            "<p>发表时间： <time datetime='2022-02-06T12:48:06+00:00'>06/02/2022 - 13:48</time></p>",
            "2022-02-06T13:48:06+01:00",
        ),
        # A tag without a zone and JSON-LD with one agree on the clock: the zone is JSON-LD's.
        (
            "http://news.example/a.html",
            '<meta property="article:published_time" content="2018-12-21 12:55:00">'
            '<script type="application/ld+json">{"@type": "NewsArticle",'
            ' "datePublished": "2018-12-21T12:55:00Z"}</script>',
            "",
            "2018-12-21T12:55:00+00:00",
        ),
    ],
)
def test_the_page_shows_its_own_zone(url: str, head: str, line: str, iso: str) -> None:
    assert _page_date(head, f"<h1>Budget approved</h1>{line}{ARTICLE}", url) == iso


def test_an_instant_written_in_utc_keeps_the_day_the_page_prints() -> None:
    # 17:30Z is the next day in UTC+8, yet the tag writes the day the page prints: a local clock
    # with a stray Z, not another date. The page's line and country zone (.cn) stand.
    head = '<meta property="article:published_time" content="2019-07-19T17:30:00Z">'
    body = f"<h1>Budget approved</h1><p>2019-07-19 17:30 来源：市政府网站</p>{ARTICLE}"
    assert _page_date(head, body, "http://news.example.cn/a.html") == "2019-07-19T17:30:00+08:00"


def test_a_date_beside_links_dates_a_page_that_prints_no_other() -> None:
    # An e-paper header: the edition date next to a link to the old archive, above the headline.
    head_line = "<div class='edition'><strong>2022年02月12日</strong> <a href='/old/'>查看旧版(2007年11月18号以前)</a></div>"
    body = f"{head_line}<h1>她跟学生较着劲儿成长</h1>{CN_BODY * 3}"
    assert _page_date("", body, "http://epaper.example.cn/a/1.htm") == "2022-02-12T00:00:00+08:00"
    # A date that is a link's own text dates the linked page, not this one.
    linked = "<div class='edition'><a href='/2021/'>2021年03月01日</a> <a href='/old/'>查看旧版</a></div>"
    assert _page_date("", f"{linked}<h1>她跟学生较着劲儿成长</h1>{CN_BODY * 3}", "http://epaper.example.cn/a/1.htm") != (
        "2021-03-01T00:00:00+08:00"
    )


@pytest.mark.parametrize(
    ("head", "line", "iso"),
    [
        # A 12-hour clock: 8:02 PM is 20:02, the UTC clock itself, not 08:02 at UTC-12.
        (
            '<meta property="article:published_time" content="2015-04-16T20:02:00Z">',
            "<p>Posted <time datetime='2015-04-16T20:02:00Z'>4/16/2015, 8:02 PM</time></p>",
            "2015-04-16T20:02:00+00:00",
        ),
        # Metadata that states its own offset keeps it, whatever clock a <time> prints.
        (
            '<meta property="article:published_time" content="2024-05-07T16:02:43+08:00">',
            "<p><time datetime='2024-05-07T08:02:43Z'>May 7, 2024 4:02 AM</time></p>",
            "2024-05-07T16:02:43+08:00",
        ),
    ],
)
def test_the_clock_of_a_time_element(head: str, line: str, iso: str) -> None:
    # The <time> sits below the story, away from the headline: the metadata dates the page.
    assert _page_date(head, f"<h1>Budget approved</h1>{ARTICLE * 16}{line}") == iso


@pytest.mark.parametrize(
    ("head", "iso"),
    [
        # The line says when the story was updated; the metadata's earlier time is its publication.
        ('<meta name="dcterms.created" content="2012-12-10T09:24:01+00:00">', "2012-12-10T09:24:01+00:00"),
        # Metadata no earlier than the update line does not replace it.
        ('<meta name="dcterms.created" content="2012-12-10T10:41:00+00:00">', "2012-12-10T10:41:00+00:00"),
    ],
)
def test_an_update_line_yields_to_an_earlier_publish_time(head: str, iso: str) -> None:
    line = "<div class='datestamp'>更新时间：2012年12月10日, 格林尼治标准时间10:41</div>"
    assert _page_date(head, f"<h1>港特首就违建事件道歉</h1>{line}{CN_BODY}") == iso
