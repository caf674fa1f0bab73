"""List families (crawler.families): the registry and profile validation agree, every registered
family loads, and a family registered by a test alone is crawled through the spider."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

from crawler.errors import ConfigError
from crawler.families.base import ApiCall, ApiPage, Entry, Family, Limits, family_for
from crawler.families.registry import FAMILIES, Registration
from crawler.profiles import PAGINATION_KINDS, Pagination, load_profiles
from crawler.spiders.mediacenter import MediaCenterSpider

PROFILE = """
name: {name}
domains: [toy.example]
start_urls: [http://toy.example/news/index.html]
listing:
  pagination:
    kind: {kind}
{extra}"""


def _load(tmp_path: Path, kind: str, extra: str = "") -> Pagination:
    (tmp_path / "p.yaml").write_text(PROFILE.format(name="p", kind=kind, extra=extra), encoding="utf-8")
    return load_profiles([tmp_path])["p"].pagination


def test_profile_kinds_are_the_registry() -> None:
    assert tuple(FAMILIES) == PAGINATION_KINDS
    assert {p.pagination.kind for p in load_profiles().values()} <= set(FAMILIES)
    for kind in FAMILIES:
        assert isinstance(family_for(kind), Family)


@pytest.mark.parametrize("kind", sorted(FAMILIES))
def test_profile_validation_follows_the_registry(tmp_path: Path, kind: str) -> None:
    required = FAMILIES[kind].requires
    for missing in required:
        others = "".join(f"    {key}: /x\n" for key in required if key != missing)
        with pytest.raises(ConfigError) as err:
            _load(tmp_path, kind, others)
        assert err.value.key == f"listing.pagination.{missing}"
    assert _load(tmp_path, kind, "".join(f"    {key}: /x\n" for key in required)).kind == kind


def test_an_unregistered_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, "toy")
    assert err.value.key == "listing.pagination.kind"


class Toy(Family):
    """A list API of tab-separated lines, ``url<TAB>title``, paged by ``?n=N`` until empty."""

    def first_call(self, page: TextResponse, pagination: Pagination) -> ApiCall | None:
        return ApiCall(page.urljoin(f"{pagination.api}?n={pagination.first}"), state={"n": pagination.first})

    def read(self, answer: TextResponse, column_url: str, state: Mapping[str, Any], pagination: Pagination,
             limits: Limits) -> ApiPage:  # fmt: skip
        lines = [line.split("\t") for line in answer.text.splitlines() if "\t" in line]
        entries = [Entry(answer.urljoin(url), title) for url, title in lines]
        n = state["n"] + 1
        if entries and n - pagination.first < limits.max_pages:
            return ApiPage(entries, ApiCall(answer.urljoin(f"?n={n}"), state={"n": n}))
        return ApiPage(entries)


class TogglePages(Family):
    """An HTML list whose next page is computed: ``?p=2`` after any page without ``p``."""

    def page_after(self, url: str, pagination: Pagination) -> str | None:
        return None if "?p=" in url else f"{url}?p=2"


def _spider(tmp_path: Path, kind: str, extra: str = "") -> MediaCenterSpider:
    (tmp_path / "toy.yaml").write_text(PROFILE.format(name="toy", kind=kind, extra=extra), encoding="utf-8")
    settings = {"STORE_URL": f"sqlite:///{tmp_path}/s.sqlite3", "STORE_SPILL_DIR": str(tmp_path / "spill"),
                "PROFILE_DIRS": [str(tmp_path)]}  # fmt: skip
    crawler = get_crawler(MediaCenterSpider, settings)
    spider = MediaCenterSpider.from_crawler(crawler, site="toy", max_pages=3)
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def _answer(request: Request, body: str) -> TextResponse:
    return TextResponse(request.url, body=body.encode(), encoding="utf-8", request=request)


def _requests(results: Iterator[Any]) -> list[Request]:
    out = list(results)
    assert all(isinstance(r, Request) for r in out)
    return out


def test_a_registered_family_is_crawled_through_the_spider(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(FAMILIES, "toy", Registration(f"{__name__}.Toy", requires=("api",)))
    spider = _spider(tmp_path, "toy", "    api: feed.txt\n")
    column = "http://toy.example/news/index.html"
    page = HtmlResponse(column, body=b"<html><body><div id=list></div></body></html>", encoding="utf-8",
                        request=Request(column, meta={"listing_root": column}))  # fmt: skip
    [call] = _requests(spider.parse_listing(page))
    assert (call.url, call.callback) == ("http://toy.example/news/feed.txt?n=1", spider.parse_list_api)
    answers = {1: "a/1.html\tOne\na/2.html\tTwo\n", 2: "a/3.html\tThree\n", 3: "a/4.html\tFour\n"}
    articles: list[str] = []
    n = 1
    while True:
        out = _requests(spider.parse_list_api(_answer(call, answers[n])))
        articles += [r.url for r in out if r.callback == spider.parse_article]
        assert all(r.meta["listing_url"] == column for r in out if r.callback == spider.parse_article)
        calls = [r for r in out if r.callback == spider.parse_list_api]
        if not calls:
            break
        [call] = calls
        n += 1
    assert n == 3  # max_pages=3: the third answer is the last one read
    assert articles == [f"http://toy.example/news/a/{i}.html" for i in (1, 2, 3, 4)]
    assert spider.crawler.stats.get_value("listing/api_pages") == 3


def test_a_registered_html_family_numbers_the_next_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(FAMILIES, "toggle", Registration(f"{__name__}.TogglePages"))
    spider = _spider(tmp_path, "toggle")
    column = "http://toy.example/news/index.html"
    body = '<ul><li><a href="a/1.html">The first article of the list</a></li><li><a href="a/2.html">The second article of the list</a></li></ul>'
    page = HtmlResponse(column, body=body.encode(), encoding="utf-8",
                        request=Request(column, meta={"listing_root": column}))  # fmt: skip
    out = _requests(spider.parse_listing(page))
    assert [r.url for r in out if r.callback == spider.parse_listing] == [f"{column}?p=2"]
    assert len([r for r in out if r.callback == spider.parse_article]) == 2
