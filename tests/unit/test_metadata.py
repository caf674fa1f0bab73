"""crawler.extract.metadata: the machine-readable tags of a page, each case a class of real page."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import html as lxml_html

from crawler.extract.metadata import DATE_META, PageMetadata, jsonld_name, read_metadata


def _md(head: str, body: str = "<p>text</p>", html_attrs: str = "") -> PageMetadata:
    return read_metadata(lxml_html.fromstring(f"<html {html_attrs}><head>{head}</head><body>{body}</body></html>"))


def test_meta_names_from_name_property_or_itemprop_lowercased_first_one_wins() -> None:
    md = _md(
        '<meta name="PubDate" content="2024-05-01 10:00">'
        '<meta property="og:title" content="  A  headline ">'
        '<meta itemprop="datePublished" content="2024-05-02">'
        '<meta name="pubdate" content="2030-01-01">'  # a template's second, later tag
    )
    assert md.meta["pubdate"] == "2024-05-01 10:00"
    assert md.meta["og:title"] == "A headline"
    assert md.meta["datepublished"] == "2024-05-02"


def test_first_follows_the_order_of_trust() -> None:
    md = _md('<meta name="date" content="2024-01-02"><meta name="publishdate" content="2024-01-01">')
    assert md.first(DATE_META) == ("publishdate", "2024-01-01")
    assert md.first(("nothing",)) is None


@pytest.mark.parametrize(
    ("script", "expected_type"),
    [
        # XHTML-era pages wrap the script's text for their parsers.
        ('//<![CDATA[\n{"@type": "NewsArticle", "headline": "H"}\n//]]>', "NewsArticle"),
        ('<![CDATA[ {"@type": "NewsArticle", "headline": "H"} ]]>', "NewsArticle"),
        # Yoast-style graphs: the article sits beside the site, the page and the breadcrumb.
        ('{"@graph": [{"@type": "WebSite"}, {"@type": "BreadcrumbList"}, {"@type": "Article", "headline": "H"}]}',
         "Article"),
        ('[{"@type": "Organization"}, {"@type": ["ReportageNewsArticle", "Thing"], "headline": "H"}]',
         ["ReportageNewsArticle", "Thing"]),
    ],
)
def test_jsonld_article_objects_are_found_wherever_they_sit(script: str, expected_type: Any) -> None:
    md = _md(f'<script type="application/ld+json">{script}</script>')
    assert [o.get("@type") for o in md.jsonld] == [expected_type]
    assert md.jsonld_value("headline") == "H"


def test_an_article_outranks_a_webpage_and_broken_json_is_skipped() -> None:
    md = _md(
        '<script type="application/ld+json">{"@type": "WebPage", "datePublished": "2020-01-01"}</script>'
        '<script type="application/ld+json">{"@type": "NewsArticle", broken</script>'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-05-01"}</script>'
        '<script type="text/javascript">{"@type": "NewsArticle", "datePublished": "1999-01-01"}</script>'
    )
    assert [o["@type"] for o in md.jsonld] == ["NewsArticle", "WebPage"]
    assert md.jsonld_value("datePublished") == "2024-05-01"


def test_the_first_title_with_text_not_an_icons() -> None:
    md = _md(
        "<title></title><title>  Real   title - Site </title>",
        body='<svg><symbol><title>icon</title></symbol></svg><p>x</p>',
    )
    assert md.html_title == "Real title - Site"
    only_icon = _md("", body="<svg><title>icon</title></svg><p>x</p>")
    assert only_icon.html_title == ""


def test_language_canonical_and_time_tags() -> None:
    md = _md(
        '<link rel="Canonical" href=" https://example.com/a.html "><link rel="canonical" href="https://x/b">',
        body='<time datetime="2024-05-01T10:00:00+02:00">1. Mai 2024</time><time>no attribute</time>',
        html_attrs='lang="de-AT"',
    )
    assert md.html_lang == "de-AT"
    assert md.canonical == "https://example.com/a.html"
    assert md.time_tags == ["2024-05-01T10:00:00+02:00"] and md.time_texts == ["1. Mai 2024"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Jane   Doe ", "Jane Doe"),
        ({"@type": "Person", "name": "Jane Doe"}, "Jane Doe"),
        ({"@type": "Person", "name": "  "}, None),
        ({"@type": "Organization"}, None),
        ([{"name": "Jane Doe"}, {"name": "张三"}, "Ann Lee", {"url": "x"}], "Jane Doe, 张三, Ann Lee"),
        (42, None),
        ([], None),
    ],
)
def test_jsonld_name_of_authors_and_publishers(value: Any, expected: str | None) -> None:
    assert jsonld_name(value) == expected
