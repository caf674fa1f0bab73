"""Finding and parsing publish dates in the forms media centers print them.

Dates are located with regular expressions (the forms of ``LAYOUTS.md``: ``2019-07-19 17:30:36``,
``2019年06月15日08:18``, ``Aug 24,2019 04:32 PM``, ``10:22, August 18, 2021``, ``16:59 PM``...)
and built directly from the matched parts, which is exact and fast. Whatever the patterns do
not know (relative dates such as ``3小时前``, odd spellings) goes to dateparser.

Every value returned is timezone-aware: the zone printed in the string wins, then the zone the
caller passes (the profile's, else the ``DEFAULT_TIMEZONE`` setting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler import settings as defaults

DEFAULT_TIMEZONE = defaults.DEFAULT_TIMEZONE
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# Clocks of small sites drift; a date a little ahead of "now" is still believable.
FUTURE_SKEW = timedelta(days=1)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_TIME_RE = (
    r"(?P<H{n}>\d{{1,2}})\s*[:：时時]\s*(?P<M{n}>\d{{2}})(?:\s*[:：分]\s*(?P<S{n}>\d{{2}})(?:\.\d+)?)?"
    r"\s*[秒分]?(?:\s*(?P<ap{n}>[AaPp]\.?\s?[Mm]\.?)(?![A-Za-z]))?"
)
_TZ_RE = (
    r"(?:\s*(?P<tz{n}>(?<=\d)Z|[+-]\d{{2}}:?\d{{2}}(?!\d)"
    r"|\(?(?:GMT|UTC)\s*[+-]\s*\d{{1,2}}(?::?\d{{2}})?\)?"
    r"|(?:GMT|UTC|CST|BJT|北京时间|CET|CEST|EST|EDT|CDT|PST|PDT|JST|KST|SGT|HKT|AEST|AEDT)(?![A-Za-z])"
    r"|(?:Eastern|Central|Pacific|Mountain) (?:Standard|Daylight) Time|Central European (?:Summer )?Time))?"
)

# A zone named before the clock: "2012年12月10日, 格林尼治标准时间10:41" (GMT, Chinese services).
_ZONE_BEFORE_TIME = r"格林[尼威]治(?:标准)?[时時][间間]|世界标准[时時][间間]|协调世界时|北京[时時][间間]"
# Numeric forms: 2019-07-19 17:30:36, 2019/7/19, 2019.07.19, 2019年06月15日08:18,
# 2019-07-19-17:30:45 (gov.cn firstpublishedtime), 2019-07-19T17:30:36+08:00.
_NUMERIC = (
    r"(?<!\d)(?P<y1>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m1>\d{1,2})\s*(?:[-/.]|月)\s*"
    r"(?P<d1>\d{1,2})(?!\d)\s*日?(?:(?:\s*[（(]?(?:星期|周|禮拜|礼拜)[一二三四五六日天][）)]?)?[\sT,-]*"
    r"(?:(?P<tzp1>" + _ZONE_BEFORE_TIME + r")\s*|(?:北京|香港|澳门|澳門|台北)?[时時][间間]?\s*)?"
    r"(?P<cn1>上午|下午|晚上|凌晨)?\s*" + _TIME_RE.format(n=1) + r")?" + _TZ_RE.format(n=1)
)
# Month-name forms: Aug 24,2019 04:32 PM / July 19, 2019 / 19 July 2019 / 10:22, August 18, 2021.
_TIME_FIRST = (
    r"(?<!\d)" + _TIME_RE.format(n=2) + r"\s*,?\s*(?P<mon2>" + _MONTH_RE + r")\s+(?P<d2>\d{1,2})"
    r"(?:st|nd|rd|th)?\s*,?\s*(?P<y2>(?:19|20)\d{2})(?!\d)" + _TZ_RE.format(n=2)
)
# A weekday may stand between the day and the year: "Dec 28 Sat 2013 00:28" (blog templates).
_WEEKDAY_RE = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]{0,6}\.?,?\s+"
_MONTH_FIRST = (
    r"(?<![A-Za-z])(?P<mon3>" + _MONTH_RE + r")\s+(?P<d3>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*"
    r"(?:" + _WEEKDAY_RE + r")?(?P<y3>(?:19|20)\d{2})(?!\d)"
    r"(?:\s*,?\s*(?:at\s+)?" + _TIME_RE.format(n=3) + r")?" + _TZ_RE.format(n=3)
)
_DAY_FIRST = (
    r"(?<!\d)(?P<d4>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon4>" + _MONTH_RE + r"),?\s+"
    r"(?P<y4>(?:19|20)\d{2})(?!\d)(?:\s*,?\s*(?:at\s+)?" + _TIME_RE.format(n=4) + r")?" + _TZ_RE.format(n=4)
)
DATE_RE = re.compile(
    "|".join(f"(?:{p})" for p in (_NUMERIC, _TIME_FIRST, _MONTH_FIRST, _DAY_FIRST)),
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in text: the exact substring, where it was, and its aware value."""

    raw: str
    start: int
    end: int
    value: datetime
    has_time: bool
    zoned: bool = False  # the text states the zone (an offset, Z, GMT, EDT...)


@lru_cache(maxsize=64)
def get_timezone(name: str | None) -> tzinfo:
    """The zone named, or the default zone; raises ValueError for a name that is no zone."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ValueError(f"unknown timezone {name!r}") from err


def _offset(text: str, default: tzinfo) -> tzinfo:
    text = text.strip("() ").upper()
    if text in {"Z", "GMT", "UTC"} or text.startswith(("格林", "世界标准", "协调世界")):
        return UTC
    if text in {"CST", "BJT"} or text.startswith("北京"):
        # On a Chinese page CST is China Standard Time, not US Central.
        return timezone(timedelta(hours=8))
    if text in _NAMED_OFFSETS:
        return timezone(timedelta(hours=_NAMED_OFFSETS[text]))
    m = re.search(r"([+-])\s*(\d{1,2}):?(\d{2})?", text)
    if not m:
        return default
    sign = -1 if m.group(1) == "-" else 1
    return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0)))


# Zone names printed after a time, as fixed offsets (the name says whether it is summer time).
_NAMED_OFFSETS = {
    "CET": 1, "CEST": 2, "CENTRAL EUROPEAN TIME": 1, "CENTRAL EUROPEAN SUMMER TIME": 2,
    "EST": -5, "EDT": -4, "EASTERN STANDARD TIME": -5, "EASTERN DAYLIGHT TIME": -4,
    "CENTRAL STANDARD TIME": -6, "CDT": -5, "CENTRAL DAYLIGHT TIME": -5,
    "MOUNTAIN STANDARD TIME": -7, "MOUNTAIN DAYLIGHT TIME": -6,
    "PST": -8, "PDT": -7, "PACIFIC STANDARD TIME": -8, "PACIFIC DAYLIGHT TIME": -7,
    "JST": 9, "KST": 9, "SGT": 8, "HKT": 8, "AEST": 10, "AEDT": 11,
}  # fmt: skip


def _hour(hour: int, marker: str | None) -> int:
    if not marker:
        return hour
    marker = marker.lower().replace(".", "").replace(" ", "")
    if marker in {"pm", "下午", "晚上"} and hour < 12:
        return hour + 12
    if marker in {"am", "凌晨", "上午"} and hour == 12:
        return 0
    # "16:59 PM": a 24-hour clock with a stray marker; the hour already says it.
    return hour


def _build(m: re.Match[str], tz: tzinfo) -> tuple[datetime, bool, bool] | None:
    groups = m.groupdict()
    n = next(i for i in "1234" if groups.get(f"y{i}"))
    year = int(groups[f"y{n}"])
    month = int(groups["m1"]) if n == "1" else _MONTHS[groups[f"mon{n}"][:3].lower()]
    day = int(groups[f"d{n}"])
    has_time = groups.get(f"H{n}") is not None
    hour = minute = second = 0
    if has_time:
        marker = groups.get(f"ap{n}") or groups.get("cn1" if n == "1" else "")
        hour = _hour(int(groups[f"H{n}"]), marker)
        minute = int(groups[f"M{n}"])
        second = int(groups.get(f"S{n}") or 0)
    named = groups.get(f"tz{n}") or groups.get(f"tzp{n}")
    zoned = bool(named)
    zone = _offset(named, tz) if named else tz
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone), has_time, zoned
    except ValueError:
        return None


def plausible(value: datetime, now: datetime | None = None) -> bool:
    """A publish time is neither before 1990 nor in the future (beyond a small skew)."""
    now = now or datetime.now(UTC)
    return EARLIEST <= value <= now + FUTURE_SKEW


def find_dates(text: str, tz: str | tzinfo | None = None, now: datetime | None = None) -> list[DateMatch]:
    """Every plausible date in ``text``, in the order they appear."""
    zone = tz if isinstance(tz, tzinfo) else get_timezone(tz)
    found: list[DateMatch] = []
    for m in DATE_RE.finditer(text):
        built = _build(m, zone)
        if built is None or not plausible(built[0], now):
            continue
        raw = m.group(0).strip(" ,")
        if raw.endswith(")") and "(" not in raw:
            raw = raw[:-1].rstrip()
        found.append(DateMatch(raw, m.start(), m.end(), *built))
    return found


def parse_date(text: str, tz: str | tzinfo | None = None, now: datetime | None = None) -> DateMatch | None:
    """The first date in ``text``; dateparser reads what the patterns do not know."""
    found = find_dates(text, tz, now)
    if found:
        return found[0]
    return _dateparser_fallback(text, tz, now)


def _dateparser_fallback(text: str, tz: str | tzinfo | None, now: datetime | None) -> DateMatch | None:
    text = text.strip()
    if not text or len(text) > 40 or not re.search(r"\d", text):
        return None
    import dateparser  # imported lazily: it takes a second to load its language data

    zone = tz if isinstance(tz, tzinfo) else get_timezone(tz)
    zone_name = getattr(zone, "key", None) or DEFAULT_TIMEZONE
    settings: dict[str, object] = {
        "TIMEZONE": zone_name,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
        "STRICT_PARSING": False,
    }
    if now is not None:
        settings["RELATIVE_BASE"] = now.astimezone(zone).replace(tzinfo=None)
    value = dateparser.parse(text, languages=["zh", "en"], settings=settings)
    if value is None or value.tzinfo is None or not plausible(value, now):
        return None
    has_time = bool(re.search(r"\d[:：时]\d|小时|分钟|hour|minute", text))
    return DateMatch(text, 0, len(text), value, has_time)


def localized_date(
    text: str, language: str, tz: str | tzinfo | None = None, now: datetime | None = None
) -> DateMatch | None:
    """The first full date (day, month, year) written in ``language`` inside ``text``.

    dateparser knows the month names and the day/month order of some 200 languages; its search
    also finds numbers that are no dates, so only a match holding a four-digit year and a word
    (the month's name) counts.
    """
    from dateparser.search import search_dates

    zone = tz if isinstance(tz, tzinfo) else get_timezone(tz)
    settings: dict[str, object] = {
        "TIMEZONE": getattr(zone, "key", None) or DEFAULT_TIMEZONE,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    try:
        found = search_dates(text, languages=[language], settings=settings)
    except (ValueError, LookupError):  # a language dateparser does not know
        return None
    for raw, value in found or ():
        if not re.search(r"(?<!\d)(?:19|20)\d{2}(?!\d)", raw) or not re.search(r"[^\W\d_]{3,}", raw):
            continue
        if value.tzinfo is None or not plausible(value, now):
            continue
        start = text.find(raw)
        has_time = bool(re.search(r"\d[:h]\d{2}", raw))
        return DateMatch(raw, start, start + len(raw), value, has_time)
    return None


def isoformat(value: datetime) -> str:
    """ISO 8601 with the UTC offset and no microseconds: ``2019-07-19T17:30:36+08:00``."""
    return value.replace(microsecond=0).isoformat()
