"""``crawler.urls``: joining hrefs from real pages never raises; canonical keys are stable."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.urls import join_url

BASE = "http://www.example.gov.cn/xwfb/index.html"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/art/2019/7/19/art_1_2.html", "http://www.example.gov.cn/art/2019/7/19/art_1_2.html"),
        ("./t20190719_1.html", "http://www.example.gov.cn/xwfb/t20190719_1.html"),
        ("  ../a.html\n", "http://www.example.gov.cn/a.html"),
        ("https://other.example/x", "https://other.example/x"),
        # Seen on real pages: an invalid IPv6 literal in a consent-banner link.
        ("http://[ccpa-preferences]/", None),
        ("http://example.com:99999/", None),  # port out of range
        ("javascript:void(0)", None),
        ("data:text/html,<p>x</p>", None),
        ("mailto:press@example.com", None),
        ("#top", None),
        ("", None),
    ],
)
def test_join_url_cases(href: str, expected: str | None) -> None:
    assert join_url(BASE, href) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_join_url_never_raises_and_gives_web_urls(href: str) -> None:
    joined = join_url(BASE, href)
    assert joined is None or joined.startswith(("http://", "https://"))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["http://", "https://", "//", ""]), st.text(max_size=30), st.text(max_size=30))
def test_join_url_never_raises_on_hostile_authorities(scheme: str, host: str, rest: str) -> None:
    joined = join_url(BASE, f"{scheme}[{host}]:{rest}/x")
    assert joined is None or joined.startswith(("http://", "https://"))
