"""Whitespace and text helpers shared by every extractor."""

from __future__ import annotations

import re
import unicodedata

# Every kind of blank a Chinese CMS writes: NBSP, full-width space, zero-width characters; and
# private-use characters, which carry no text (icon-font glyphs, GBK user-defined codes: "人民网\ue5c2").
_BLANKS = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff\ue000-\uf8ff]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\ufeff]")
# The blanks of _BLANKS that are not whitespace to ``str.split`` (``\s`` of a str pattern, NBSP
# and the full-width space are exactly ``str.isspace``).
_NOT_SPACE_BLANK = re.compile(r"[\u200b\u200c\u200d\ufeff\ue000-\uf8ff]")


def collapse(text: str | None) -> str:
    """Collapse every run of blanks to one space and strip the ends."""
    if not text:
        return ""
    # str.split() cuts at the same blanks when the text has none of the others, in half the
    # time of the substitution (this runs on every block and element of every page).
    if text.isascii() or not _NOT_SPACE_BLANK.search(text):
        return " ".join(text.split())
    return _BLANKS.sub(" ", text).strip()


# The characters re.IGNORECASE matches to an ASCII letter besides its two cases.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def squeezed(text: str) -> str:
    """``text`` without blanks and case folded: what a case-free pattern finds in a collapsed
    line (its spaces removed) is a substring of the squeezed text that holds the line."""
    return _BLANKS.sub("", text).translate(_FOLD).lower()


def clean_inline(text: str) -> str:
    """Normalize Unicode compatibility forms that change nothing a reader sees."""
    return _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text))


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# Counted without a step per character in Python: these run on every block of every page.
# ``str.split()`` cuts at exactly the characters of ``\s`` (``str.isspace``), and the CJK
# characters are counted by their runs (a list of runs, not of characters).
_CJK_RUN = re.compile("[\u4e00-\u9fff]+")
_ASCII_LETTER = re.compile("[A-Za-z]")  # str.isascii() and str.isalpha()


def _cjk_chars(text: str) -> int:
    return sum(map(len, _CJK_RUN.findall(text))) if not text.isascii() else 0


def cjk_ratio(text: str) -> float:
    letters = sum(map(len, text.split()))  # the characters that are not whitespace
    if not letters:
        return 0.0
    return _cjk_chars(text) / letters


def text_length(text: str) -> int:
    """Length that weighs a CJK character like a short word (about 2 Latin letters)."""
    return sum(map(len, text.split())) + _cjk_chars(text)


def guess_language(text: str) -> str | None:
    """`zh` or `en` for the article text, None when there is too little to tell."""
    sample = text[:2000]
    if len(sample.strip()) < 10:
        return None
    if cjk_ratio(sample) > 0.2:
        return "zh"
    latin = len(_ASCII_LETTER.findall(sample))
    return "en" if latin > len(sample) * 0.5 else None
