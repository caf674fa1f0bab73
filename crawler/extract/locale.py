"""The page's country and the zone it makes unambiguous, for dates printed without a zone.

Evidence, strongest first: the country-code top-level domain of the URL, ``og:locale``
(``pt_BR``), the ``<html lang>`` or ``Content-Language`` region (``en-AU``), and a language spoken
in one stretch of time zones only (``ja``, ``ko``, ``de``). A country counts only when every zone
of it has the same UTC offsets (in January and in July): Japan and Germany do, Brazil, the United
States and Australia do not, and their pages fall back to the profile's or the default zone.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytz

# Languages whose speakers live in one band of time zones (all Chinese regions are UTC+8).
_LANGUAGE_COUNTRIES = {
    "zh": ("cn", "tw", "hk", "mo", "sg"), "ja": ("jp",), "ko": ("kr",), "th": ("th",),
    "vi": ("vn",), "tr": ("tr",), "pl": ("pl",), "cs": ("cz",), "sk": ("sk",), "hu": ("hu",),
    "ro": ("ro",), "bg": ("bg",), "uk": ("ua",), "el": ("gr",), "he": ("il",), "fa": ("ir",),
    "it": ("it",), "de": ("de", "at", "ch"), "nl": ("nl", "be"), "da": ("dk",), "sv": ("se",),
    "fi": ("fi",), "nb": ("no",), "no": ("no",), "lv": ("lv",), "lt": ("lt",), "et": ("ee",),
    "hr": ("hr",), "sr": ("rs",), "sl": ("si",), "hi": ("in",), "bn": ("bd",), "my": ("mm",),
    "km": ("kh",), "ur": ("pk",),
}  # fmt: skip
# Generic and second-level labels that name no country.
_NOT_COUNTRIES = {"eu", "io", "ai", "co", "tv", "me", "fm", "ly", "to", "cc", "ws", "uk"}
# China keeps one legal time; the tz database adds Asia/Urumqi for Xinjiang's informal local time.
_LEGAL_ZONE = {"cn": "Asia/Shanghai"}
_JAN = datetime(2024, 1, 15, 12)
_JUL = datetime(2024, 7, 15, 12)


@lru_cache(maxsize=512)
def country_zone(country: str) -> str | None:
    """The zone of ``country`` (ISO 3166 alpha-2) when all its zones keep the same offsets."""
    country = "gb" if country.lower() == "uk" else country.lower()
    if country in _LEGAL_ZONE:
        return _LEGAL_ZONE[country]
    zones = pytz.country_timezones.get(country)
    if not zones:
        return None
    offsets = {(ZoneInfo(z).utcoffset(_JAN), ZoneInfo(z).utcoffset(_JUL)) for z in zones}
    return zones[0] if len(offsets) == 1 else None


def _zone_of(countries: tuple[str, ...]) -> str | None:
    zones = [country_zone(c) for c in countries]
    if not zones or any(z is None for z in zones):
        return None
    offsets = {(ZoneInfo(z).utcoffset(_JAN), ZoneInfo(z).utcoffset(_JUL)) for z in zones if z}
    return zones[0] if len(offsets) == 1 else None


def _region(tag: str | None) -> str | None:
    """``en-AU`` / ``pt_BR`` -> ``au`` / ``br``; None without a two-letter region."""
    if not tag:
        return None
    parts = tag.replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            return part.lower()
    return None


def page_zone(url: str, *, locale: str | None = None, lang: str | None = None) -> str | None:
    """The zone the page's country makes unambiguous, or None."""
    host = (urlsplit(url).hostname or "").lower()
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    if len(tld) == 2 and tld.isalpha() and tld not in _NOT_COUNTRIES:
        zone = country_zone(tld)
        if zone or pytz.country_timezones.get(tld):
            return zone  # the domain names the country: a zone, or ambiguity that a tag can't lift
    for tag in (locale, lang):
        region = _region(tag)
        if region:
            return country_zone(region)
    for tag in (locale, lang):
        if tag:
            countries = _LANGUAGE_COUNTRIES.get(tag.replace("_", "-").split("-")[0].lower())
            if countries:
                return _zone_of(countries)
    return None
