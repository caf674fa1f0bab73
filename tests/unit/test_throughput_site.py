"""The generated site of ``benchmarks.throughput``: every article is reachable from listing page 1
through next links, and the real extraction reads each page as an article (else the benchmark
would time something else than a full crawl)."""

from __future__ import annotations

import re

from parsel import Selector

from benchmarks.throughput import PER_PAGE, article_page, listing_path, page_for
from crawler.extract import parse_article


def test_every_article_is_reachable_through_the_listings() -> None:
    total = 47
    seen: list[str] = []
    path: str | None = listing_path(0)
    while path is not None:
        page = page_for(path, total)
        assert page is not None, path
        html = page.decode("utf-8")
        seen += re.findall(r'<li><a href="([^"]+)" target="_blank">', html)
        nxt = re.search(r'<a href="([^"]+)">下一页</a>', html)
        path = nxt.group(1) if nxt else None
    assert len(seen) == len(set(seen)) == total
    assert all(page_for(p, total) is not None for p in seen)
    assert page_for(listing_path((total + PER_PAGE - 1) // PER_PAGE), total) is None
    assert page_for("/xwfb/202401/t20240101_99999.html", total) is None


def test_generated_pages_are_articles_with_outlet_and_time() -> None:
    for i in (0, 1, 2999):
        html = article_page(i, 3000).decode("utf-8")
        assert 2000 <= len(html.encode("utf-8")) <= 7000
        fields = parse_article(Selector(text=html), f"http://127.0.0.1:8080/xwfb/a{i}.html")
        assert fields.is_article, fields.reason
        assert fields.outlet and fields.published_at is not None and fields.title and str(i + 1) in fields.title
