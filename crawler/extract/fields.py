"""Labelled meta lines: ``Release:Chongqing Daily Time:2019-07-19 17:30:36``,
``时间：2020-09-17 17:50:35 | 记者：王静 | 编辑：李明``, ``2020-09-17 17:50:35來源: 重慶晨報編輯: 李明``.

A line is cut at every known label followed by a colon (full-width or not); a label may be
glued to the word before it (``China SCIOUpdated: August 24, 2018``). Each value runs to the
next label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.extract.dates import DATE_RE
from crawler.extract.text import CaseFree, alternation, collapse
from crawler.extract.vocabulary import AUTHOR, EDITOR, LABELS, OUTLET, STOP, TIME, WIDGET_WORDS

__all__ = ["AUTHOR", "EDITOR", "LABELS", "OUTLET", "STOP", "TIME", "WIDGET_WORDS"]


_LABEL_ROLE = {label.lower(): role for role, labels in LABELS.items() for label in labels}
# A time label may go without its colon when a date follows at once: "发表于2005年09月07日",
# "发布时间 2005/05/17 22:11", "Posted on 2019-07-19" (blogs and forums print them so).
_DATE_AHEAD = r"(?=(?:19|20)\d{2}\s*[-/.年]|\d{1,2}/\d{1,2}/(?:19|20)\d{2})"
# An outlet label may also go without its colon before a title in 《》 at the start of a line:
# "转自《北京科技报》", "（摘自《新华文摘》2000年第9期）".
_LABEL_RE = re.compile(
    r"(?P<label>"
    + alternation(_LABEL_ROLE)  # the longest label first
    + r")(?:\s*[:：]|(?P<bare>\s*)"
    + _DATE_AHEAD
    + r"|(?P<quoted>)(?=《))",
    re.IGNORECASE,
)
# Every label match ends at a colon or before a year (_DATE_AHEAD): a line with neither holds
# no label, and most lines of a page have neither. The big alternation above is slow to try at
# every position of a line, so this check comes first.
_YEAR = re.compile(r"(?:19|20)\d\d")


def _may_hold_label(text: str) -> bool:
    """A colon, a year or title marks (a few substring checks in C, sooner than a pattern tried
    at every position of the line)."""
    return ":" in text or "：" in text or "《" in text or _YEAR.search(text) is not None


_LABEL_CF = CaseFree(_LABEL_RE)


def _label_matches(text: str) -> list[re.Match[str]]:
    if not _may_hold_label(text):
        return []
    return _LABEL_CF.finditer(text)


# Separators CMSs print between the fields of one line.
_SEPARATORS = " \t|｜丨/\\·•【】[]()（）<>《》,，;；"
_OUTLET_CUT = re.compile(
    r"\s{2,}|\u3000|\||｜|丨|【|\[|（|\(|\s[·•]\s|\s+(?=(?:"
    + "|".join(WIDGET_WORDS)
    + r")(?:次数|量|数|\s*\d+\s*条)?(?:\s|[:：]|$))"
)
# Values that fill the field without naming an outlet.
_NOT_A_NAME = re.compile(r"^(?:楼主|发布|阅读|点击|作者|编辑|来源|null|none|n/?a|unknown|-+)$", re.I)
# "转载文章": the page says only that it copied the text; a source named at its end is better.
PLACEHOLDER_OUTLET = re.compile(r"^(?:转载|转载文章|网络转载|网络|本站|互联网|佚名|原创)$")


@dataclass
class MetaLine:
    """The values one meta line states, by role, and the text before its first label."""

    lead: str = ""
    values: dict[str, str] = field(default_factory=dict)
    raw_values: dict[str, str] = field(default_factory=dict)
    time_rank: int = 1

    @property
    def labelled(self) -> bool:
        return bool(self.values)


_GENERIC_CJK_TIME = {"时间", "日期", "時間"}
# Publication labels outrank plain ones, which outrank update labels, when a line has several.
_TIME_RANK = re.compile(r"发布|發佈|發布|发表|發表|发稿|刊发|publish|release|posted", re.I)
_UPDATE_RANK = re.compile(r"更新|update", re.I)


def _is_label(text: str, m: re.Match[str]) -> bool:
    """False for a plain 时间/日期 glued to a word before it: 展会时间, 开放时间 and 截止日期 are
    the times of an event, not of the page; a label without a colon counts for times only."""
    if m.group("bare") is not None and _LABEL_ROLE[m.group("label").lower()] != TIME:
        return False
    if m.group("quoted") is not None:
        return _LABEL_ROLE[m.group("label").lower()] == OUTLET and not text[: m.start()].strip(" （(【[")
    glued = m.start() > 0 and "\u4e00" <= text[m.start() - 1] <= "\u9fff"
    return not (m.group("label") in _GENERIC_CJK_TIME and glued)


def time_rank(label: str) -> int:
    """0 for a publication label, 1 for a plain one, 2 for an update label."""
    if _TIME_RANK.search(label):
        return 0
    return 2 if _UPDATE_RANK.search(label) else 1


def parse_meta_line(text: str) -> MetaLine:
    """Split ``text`` at its labels; the first value of each role wins, except that a
    publication time outranks an update time printed before it."""
    line = MetaLine()
    matches = [m for m in _label_matches(text) if _is_label(text, m)]
    if not matches:
        line.lead = collapse(text)
        return line
    line.lead = collapse(text[: matches[0].start()])
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        role = _LABEL_ROLE[m.group("label").lower()]
        raw = text[m.end() : end]
        if m.group("quoted") is not None:
            raw = raw[: raw.find("》") + 1]  # the title in 《》, not the issue printed after it
        if role == TIME and role in line.values and time_rank(m.group("label")) < line.time_rank:
            del line.values[TIME]
        if role == STOP or role in line.values:
            continue
        if role == TIME:
            line.time_rank = time_rank(m.group("label"))
        value = clean_value(raw, role)
        if value:
            line.values[role] = value
            line.raw_values[role] = raw
    return line


def clean_value(raw: str, role: str) -> str:
    """The value as printed, without the separators and widgets around it."""
    raw = raw.replace("\u00a0", " ").strip(" \t\r\n\u3000")
    if role in (OUTLET, AUTHOR, EDITOR):
        # "来源：[ 人民网 ]", "《理财周刊》": the brackets around a name are not the field's end.
        raw = _unwrap(raw)
        # Several fields on one line are set apart by wide gaps or bars; the value ends there.
        raw = _OUTLET_CUT.split(raw, maxsplit=1)[0]
    if role == OUTLET:
        # "Southeast Business Daily 20 May 2022 14:30": the outlet ends where a date begins.
        date = DATE_RE.search(raw)
        if date:
            raw = raw[: date.start()]
    value = collapse(raw).strip(_SEPARATORS)
    if role in (OUTLET, AUTHOR, EDITOR) and (len(value) > 80 or not value):
        return ""
    if role == OUTLET and not _is_name(value):
        return ""
    return value


_WRAPPED = re.compile(r"^[\[【《〈「(（]\s*([^\]】》〉」)）]{1,60}?)\s*[\]】》〉」)）]")


def _unwrap(raw: str) -> str:
    m = _WRAPPED.match(raw)
    return m.group(1) + raw[m.end() :] if m else raw


def _is_name(value: str) -> bool:
    """A name (of a paper, an agency, a site), not template residue (``size="20"``), a widget
    word or punctuation."""
    if "=" in value or '"' in value or _NOT_A_NAME.match(value):
        return False
    if not ("\u4e00" <= value[0] <= "\u9fff" or value[0].isalnum()):
        return False
    return re.search(r"[^\W\d_]{2,}|[\u4e00-\u9fff]", value) is not None


def bare_label_role(text: str) -> str | None:
    """The role of a block that is only a label ("来源 Source:", "Date:", "成文日期", or "Source"
    in a <dt>), whose value is the next block; None for any other block."""
    text = text.strip()
    if 0 < len(text) <= 20 and not text.endswith((":", "：")):
        text += ":"
    # A match that ends the text ends at its colon: without one there is nothing to search for.
    if not text.endswith((":", "：")):
        return None
    m = _LABEL_RE.search(text)
    if not m or m.end() != len(text):
        return None
    head = text[: m.start()]
    if head and _LABEL_RE.fullmatch(head.strip() + ":") is None:
        return None
    return _LABEL_ROLE[m.group("label").lower()]


def is_bare_label(text: str) -> bool:
    """A label block that announces a value of the article (not a widget's, like "Views:")."""
    role = bare_label_role(text)
    return role is not None and role != STOP


def has_label(text: str, role: str) -> bool:
    return any(_LABEL_ROLE[m.group("label").lower()] == role for m in _label_matches(text))


def starts_with_label(text: str, roles: tuple[str, ...]) -> bool:
    text = text.strip(" \t\u3000(（【[")
    m = _LABEL_RE.match(text)
    return bool(m and _is_label(text, m) and _LABEL_ROLE[m.group("label").lower()] in roles)
