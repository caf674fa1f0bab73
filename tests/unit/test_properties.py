"""Property tests (hypothesis): bad input never crashes URL handling, canonicalisation, date
parsing, encoding detection or profile validation, and never hangs a profile regex."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.errors import ConfigError
from crawler.extract.dates import find_dates, parse_date
from crawler.extract.encoding import decode_html, detect_encoding
from crawler.profiles import Profile, build_profile
from crawler.saferegex import UserRegex
from crawler.urls import canonicalize, host_allowed, join_url, url_key

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BASE = "http://www.example.gov.cn/xwfb/index.html"

hostile_urls = st.one_of(
    st.text(max_size=80),
    st.builds(lambda h, p: f"http://{h}:{p}/a.html", st.text(max_size=20), st.integers(-10, 10**7)),
    st.builds(lambda h: f"http://[{h}]/", st.text(max_size=20)),
    st.sampled_from(["javascript:alert(1)", "data:text/html,x", "http://[::1", "http://:0/", "//", "http://%zz/",
                     "http://127.0.0.1:99999/a", "mailto:a@b", "http://a b/"]),
)


@FAST
@given(hostile_urls)
def test_join_url_never_raises_and_gives_http_urls(href: str) -> None:
    url = join_url(BASE, href)
    assert url is None or url.startswith(("http://", "https://"))


@FAST
@given(hostile_urls)
def test_canonicalize_never_raises_and_is_idempotent_on_good_urls(url: str) -> None:
    canonical = canonicalize(url)
    assert isinstance(canonical, str)
    assert isinstance(url_key(url), str)
    joined = join_url(BASE, url)
    if joined is not None:
        once = canonicalize(joined)
        assert canonicalize(once) == once


@FAST
@given(hostile_urls, st.lists(st.sampled_from(["example.gov.cn", "127.0.0.1", ""]), max_size=3))
def test_host_allowed_never_raises(url: str, domains: list[str]) -> None:
    assert host_allowed(url, domains) in (True, False)


def test_host_allowed_takes_subdomains_only() -> None:
    assert host_allowed("http://www.example.gov.cn/a", ["example.gov.cn"])
    assert not host_allowed("http://badexample.gov.cn/a", ["example.gov.cn"])
    assert not host_allowed("http://127.0.0.2:8000/a", ["127.0.0.1"])
    assert not host_allowed("http://[x]/", ["x"])


@FAST
@given(st.text(max_size=120), st.sampled_from([None, "Asia/Shanghai", "UTC", "Europe/London"]))
def test_date_parsing_never_raises_and_dates_are_aware(text: str, tz: str | None) -> None:
    now = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    for match in find_dates(text, tz, now=now):
        assert match.value.tzinfo is not None
    found = parse_date(text, tz, now=now)
    assert found is None or found.value.tzinfo is not None


@FAST
@given(st.integers(1991, 2030), st.integers(1, 12), st.integers(1, 28), st.integers(0, 23), st.integers(0, 59))
def test_written_dates_read_back_exactly(year: int, month: int, day: int, hour: int, minute: int) -> None:
    now = datetime(2031, 1, 1, tzinfo=UTC)
    for text in (f"{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}", f"{year}年{month:02d}月{day:02d}日 {hour:02d}:{minute:02d}"):
        found = parse_date(text, "Asia/Shanghai", now=now)
        assert found is not None, text
        assert (found.value.year, found.value.month, found.value.day, found.value.hour, found.value.minute) == (
            year, month, day, hour, minute)  # fmt: skip


@FAST
@given(st.binary(max_size=400), st.one_of(st.none(), st.text(max_size=40),
                                           st.sampled_from(["text/html; charset=utf-8", "text/html; charset=gb2312",
                                                            "text/html; charset=x-unknown", "text/html; charset="])))  # fmt: skip
def test_encoding_detection_never_raises(body: bytes, content_type: str | None) -> None:
    encoding = detect_encoding(body, content_type)
    text, used = decode_html(body, content_type)
    assert isinstance(encoding, str) and isinstance(text, str) and isinstance(used, str)


COMMON = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"


@FAST
@given(st.lists(st.sampled_from(COMMON), min_size=20, max_size=60).map("".join))
def test_chinese_text_is_read_back_under_a_wrong_declaration(text: str) -> None:
    body = f"<html><head><meta charset=\"utf-8\"></head><body><p>{text}</p></body></html>".encode("gb18030")
    decoded, _ = decode_html(body, "text/html; charset=utf-8")
    assert text in decoded


profile_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)),
    max_leaves=8,
)


@FAST
@given(st.dictionaries(st.sampled_from(["name", "domains", "start_urls", "timezone", "listing", "detail", "fields",
                                        "cleanup", "url", "language", "bogus"]), profile_values, max_size=8))  # fmt: skip
def test_profile_validation_gives_a_profile_or_a_profile_error(data: dict[str, object]) -> None:
    try:
        profile = build_profile(data, "fuzz.yaml")
    except ConfigError:
        return
    assert isinstance(profile, Profile)


def _profile(**cleanup: object) -> dict[str, object]:
    return {"name": "x", "domains": ["example.com"], "start_urls": ["http://example.com/"], "cleanup": cleanup}


def test_a_catastrophic_profile_regex_is_cut_not_hung() -> None:
    profile = build_profile(_profile(drop_paragraphs=["^(a|a)+$"]), "evil.yaml")
    [pattern] = profile.compiled_drop_paragraphs()
    started = time.monotonic()
    for _ in range(50):
        assert pattern.search("a" * 41 + "!") is None
    assert time.monotonic() - started < 5  # one timeout, then the pattern is off
    assert pattern.timeouts == 1 and pattern.disabled


def test_profile_regexes_keep_python_syntax() -> None:
    assert UserRegex(r"^[\u4e00-\u9fff]{2}来源[:：]").search("中文来源：x")
    assert UserRegex(r"(?<=Source)\s*:").search("Source :")
    with pytest.raises(ConfigError, match="invalid regex"):
        build_profile(_profile(drop_paragraphs=["(unclosed"]), "bad.yaml")
