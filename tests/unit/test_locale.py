"""``crawler.extract.locale`` and the zone of dates printed without one."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extract import parse_article
from crawler.extract.locale import country_zone, page_zone


@pytest.mark.parametrize(
    ("url", "locale", "lang", "zone"),
    [
        ("https://www.yna.co.kr/view/1", None, "en", "Asia/Seoul"),  # the domain names the country
        ("http://news.example/a", None, "ja", "Asia/Tokyo"),  # a language of one zone
        ("http://news.example/a", None, "de", "Europe/Berlin"),  # DE, AT, CH share their offsets
        ("http://news.example/a", "zh_TW", None, "Asia/Taipei"),
        ("http://www.news.cn/a", None, None, "Asia/Shanghai"),  # one legal time, two tz zones
        ("https://www1.folha.uol.com.br/a", None, "pt-BR", None),  # Brazil has several offsets
        ("http://news.example/a", "en_AU", None, None),
        ("http://news.example/a", None, "en", None),  # English names no country
        ("http://127.0.0.1:8080/a", None, None, None),
    ],
)
def test_page_zone(url: str, locale: str | None, lang: str | None, zone: str | None) -> None:
    assert page_zone(url, locale=locale, lang=lang) == zone


def test_country_zone_only_when_unambiguous() -> None:
    assert country_zone("jp") == "Asia/Tokyo"
    assert country_zone("us") is None
    assert country_zone("zz") is None


def _published(html: str, url: str) -> str | None:
    fields = parse_article(Selector(text=html), url, timezone="Asia/Shanghai")
    return fields.published_at.isoformat() if fields.published_at else None


BODY = "<p>" + "본문 기사 내용입니다. 정부는 오늘 새로운 정책을 발표했다. " * 8 + "</p>"


def test_a_korean_page_is_read_in_korean_time_not_the_default() -> None:
    html = f"<html lang='ko'><body><h1>제목</h1><p>2019-08-20 09:31</p>{BODY}</body></html>"
    assert _published(html, "https://www.yna.co.kr/view/AKR1") == "2019-08-20T09:31:00+09:00"


def test_a_page_of_no_known_country_keeps_the_default_zone() -> None:
    html = f"<html lang='en'><body><h1>Title</h1><p>2019-08-20 09:31</p>{BODY}</body></html>"
    assert _published(html, "http://news.example/a") == "2019-08-20T09:31:00+08:00"


SPANISH = "<p>" + "El gobierno anunció hoy una nueva política económica para el país. " * 10 + "</p>"


@pytest.mark.parametrize(
    ("lang", "line", "day"),
    [
        ("es", "Publicado el 12 de marzo de 2021", "2021-03-12"),
        ("de", "Veröffentlicht am 3. März 2021", "2021-03-03"),
        ("fr", "Publié le 12 mars 2021", "2021-03-12"),
        ("pt", "Publicado em 5 de abril de 2022", "2022-04-05"),
    ],
)
def test_month_names_in_the_page_language(lang: str, line: str, day: str) -> None:
    html = f"<html lang='{lang}'><body><h1>Noticia del día</h1><div class='byline'>{line}</div>{SPANISH}</body></html>"
    fields = parse_article(Selector(text=html), "http://diario.example/noticia", timezone="UTC")
    assert fields.published_at is not None and fields.sources["published_at"] == "localized"
    assert fields.published_at.date().isoformat() == day


def test_htmldate_is_the_last_resort_for_a_date_no_rule_finds() -> None:
    # No date on the page at all; htmldate reads the one in the URL.
    html = f"<html lang='es'><body><h1>Noticia del día</h1>{SPANISH}</body></html>"
    fields = parse_article(Selector(text=html), "http://diario.example/2021/03/12/noticia.html", timezone="UTC")
    assert fields.published_at is not None and fields.sources["published_at"] == "htmldate"
    assert fields.published_at.date().isoformat() == "2021-03-12"
