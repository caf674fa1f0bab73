from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extract.listing import next_pages, parse_listing
from crawler.families.hanweb import parse_hanweb_records
from crawler.families.jsonp import parse_jsonp_list
from crawler.families.numbered import index_n_next, page_param_next
from crawler.profiles import load_profiles

from ..fixturedata import EXPECTED, page_text, site_info, site_names

PROFILES = load_profiles()


def _crawl_listing(site: str, use_profile: bool, info_name: str = "_site.json") -> tuple[set[str], int]:
    """Walk a fixture site's listing pages from files, as the spider would over HTTP."""
    info = site_info(site, info_name)
    profile = PROFILES.get(site) if use_profile else None
    origin = "http://fixture.example"
    todo, seen, found = [origin + info["listing_start"]], set(), set()
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        listing = parse_listing(Selector(text=page_text(site, url.removeprefix(origin))), url, profile)
        found.update(e.url.removeprefix(origin) for e in listing.entries)
        todo.extend(u for u in listing.next_urls if u not in seen)
    return found, len(seen)


STATIC = [s for s in site_names() if not site_info(s).get("needs_profile")]
MIRRORS = [(p.parent.name, p.name) for p in EXPECTED.glob("*/_site_*.json")]


@pytest.mark.parametrize(("site", "info_name"), MIRRORS)
def test_generic_listing_of_mirrors(site: str, info_name: str) -> None:
    found, pages = _crawl_listing(site, use_profile=False, info_name=info_name)
    assert found == set(site_info(site, info_name)["articles"])
    assert pages == site_info(site, info_name)["pages"]


@pytest.mark.parametrize("site", STATIC)
def test_generic_listing_finds_every_article_and_page(site: str) -> None:
    found, pages = _crawl_listing(site, use_profile=False)
    assert found == set(site_info(site)["articles"])
    assert pages == site_info(site)["pages"]


@pytest.mark.parametrize("site", [s for s in STATIC if s in PROFILES])
def test_profile_listing_finds_every_article_and_page(site: str) -> None:
    found, pages = _crawl_listing(site, use_profile=True)
    assert found == set(site_info(site)["articles"])
    assert pages == site_info(site)["pages"]


def test_navigation_and_hot_lists_are_not_entries() -> None:
    html = """<html><body>
      <div class="nav"><ul><li><a href="/about/index.html">About the organizing committee</a></li>
        <li><a href="/contact/index.html">Contact the organizing committee</a></li></ul></div>
      <ul class="list">
        <li><a href="/news/2024/1.html">Expo signs forty projects worth billions</a><span>2024-01-02</span></li>
        <li><a href="/news/2024/2.html">Forum on digital economy opens in Chongqing</a><span>2024-01-01</span></li>
        <li><a href="/news/2024/3.html">Exhibitors from thirty countries confirmed</a><span>2023-12-30</span></li>
      </ul>
      <div class="hot-news"><ul><li><a href="/news/2020/9.html">An old hot story that is popular</a></li>
        <li><a href="/news/2020/8.html">Another old hot story that is popular</a></li></ul></div>
      <div class="footer"><a href="/sitemap.html">Site map of the whole website</a></div>
    </body></html>"""
    listing = parse_listing(Selector(text=html), "http://expo.example/news/index.html")
    assert [e.url for e in listing.entries] == [
        "http://expo.example/news/2024/1.html",
        "http://expo.example/news/2024/2.html",
        "http://expo.example/news/2024/3.html",
    ]
    assert listing.entries[0].date is not None and listing.entries[0].date.day == 2


def test_offsite_links_are_not_entries() -> None:
    html = """<ul><li><a href="http://other.example/a/1.html">A story on another site entirely</a></li>
      <li><a href="/a/2.html">A story on this very site, long enough</a></li>
      <li><a href="/a/3.html">Another story on this very site, long enough</a></li></ul>"""
    listing = parse_listing(Selector(text=html), "http://expo.example/a/index.html")
    assert [e.url for e in listing.entries] == [
        "http://expo.example/a/2.html",
        "http://expo.example/a/3.html",
    ]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="list_2.html">下一页</a>', ["http://s.example/news/list_2.html"]),
        ('<a href="?page=3">Next</a>', ["http://s.example/news/list_1.html?page=3"]),
        ('<a href="index_5.html">»</a>', ["http://s.example/news/index_5.html"]),
        ('<link rel="next" href="/news/p/2">', ["http://s.example/news/p/2"]),
        (
            '<a href="list_2.html">2</a><a href="list_3.html">3</a><a href="/about/4.html">4</a>',
            ["http://s.example/news/list_2.html", "http://s.example/news/list_3.html"],
        ),
        (
            '<script>createPageHTML(3, 0, "index", "html");</script>',
            ["http://s.example/news/index_1.html", "http://s.example/news/index_2.html"],
        ),
    ],
)
def test_next_pages(html: str, expected: list[str]) -> None:
    assert next_pages(Selector(text=html), "http://s.example/news/list_1.html") == expected


def test_series_helpers() -> None:
    assert index_n_next("http://s.example/a/index.html") == "http://s.example/a/index_1.html"
    assert index_n_next("http://s.example/a/index_4.html") == "http://s.example/a/index_5.html"
    assert page_param_next("http://s.example/a?page=2&c=1") == "http://s.example/a?page=3&c=1"


def test_hanweb_and_jsonp_lists() -> None:
    xml = """<datastore><recordset>
      <record><![CDATA[<li><a href="/art/2019/7/19/art_1_1.html" title="T1">T1</a><span>2019-07-19</span></li>]]></record>
      <record><![CDATA[<li><a href="/art/2019/7/18/art_1_2.html" title="T2">T2</a><span>2019-07-18</span></li>]]></record>
    </recordset><totalrecord>20</totalrecord></datastore>"""
    entries, total = parse_hanweb_records(xml, "http://h.example/module/web/jpage/dataproxy.jsp")
    assert [e.url for e in entries] == [
        "http://h.example/art/2019/7/19/art_1_1.html",
        "http://h.example/art/2019/7/18/art_1_2.html",
    ]
    assert total == 20
    js = 'cb({"data":{"list":[{"Title":"A","LinkUrl":"/p/2019-07/19/c_1.htm","PubTime":"2019-07-19 17:30:36"}]}});'
    [entry] = parse_jsonp_list(js, "http://x.example/ds/list.js")
    assert (entry.url, entry.title) == ("http://x.example/p/2019-07/19/c_1.htm", "A")
    assert entry.date is not None and entry.date.hour == 17
