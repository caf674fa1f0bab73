"""Every fixture article, field by field, against the expected JSON written by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from parsel import Selector

from crawler.extract import parse_article
from crawler.extract.article import join_pages
from crawler.profiles import load_profiles

from ..fixturedata import FIELDS, ExpectedArticle, expected_articles, page_text

PROFILES = load_profiles()
NOW = datetime(2026, 11, 25, tzinfo=UTC)
ARTICLES = expected_articles()


def _url(article: ExpectedArticle) -> str:
    profile = PROFILES.get(article.site)
    origin = profile.origin if profile else f"http://{article.site.replace('_', '-')}.example"
    return origin + article.path


def _check(article: ExpectedArticle, profile_name: str | None) -> None:
    profile = PROFILES[profile_name] if profile_name else None
    url = _url(article)
    fields = parse_article(Selector(text=page_text(article.site, article.path)), url, profile, now=NOW)
    assert fields.is_article, fields.reason
    # A story split over pages is one article: the spider joins the pages' bodies in order.
    origin = url.removesuffix(article.path)
    more = [
        parse_article(Selector(text=page_text(article.site, u.removeprefix(origin))), u, profile, now=NOW)
        for u in fields.continuation_urls
    ]
    join_pages(fields, more)
    got = fields.as_dict()
    expected = article.data
    mismatches = {
        name: (got.get(name), expected.get(name)) for name in FIELDS if got.get(name) != expected.get(name)
    }
    assert not mismatches, mismatches


@pytest.mark.parametrize("article", [a for a in ARTICLES if a.site in PROFILES], ids=lambda a: a.id)
def test_article_with_profile(article: ExpectedArticle) -> None:
    _check(article, article.site)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_article_generic(article: ExpectedArticle) -> None:
    _check(article, None)


def test_seed_article_exact() -> None:
    seed = next(a for a in ARTICLES if a.path == "/English/syxwlb/2019/7/3/1164745.shtml")
    fields = parse_article(
        Selector(text=page_text(seed.site, seed.path)), _url(seed), PROFILES["smartchina_expo"]
    )
    assert (
        fields.title
        == "Chen Min’er and Tang Liangzhi Met with Leaders from Some Big Data Intelligent Enterprises"
    )
    assert fields.outlet == "Chongqing Daily, Chongqing TV Station"
    assert fields.published_at is not None
    assert fields.published_at.isoformat() == "2019-07-19T17:30:36+08:00"
    assert fields.published_at_raw == "2019-07-19 17:30:36"
    assert fields.category == "Media Center"
    assert fields.body is not None
    paragraphs = fields.body.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("Recently, Chen Min’er, Secretary of")
    assert (
        paragraphs[-1]
        == "Heads from relevant enterprises and some district-level and municipal departments participated in the meetings."
    )
    assert "Source:" not in fields.body and "Release:" not in fields.body
