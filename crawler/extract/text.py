"""Whitespace and text helpers shared by every extractor."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

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
_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")


class CaseFree:
    """A case-insensitive pattern searched as a case-sensitive one in the lowercased text, with
    the pattern's own answers and matches: re compares every character of an IGNORECASE pattern
    by its case folds and tries every branch of an alternation at every position, while a
    case-sensitive one skips to the characters that can start a match, 4-10 times faster.

    The pattern's letters must be ASCII or have no case (CJK): the lowercased text then matches
    where the text does, except for the characters re.IGNORECASE folds to an ASCII letter
    (``ſ``, ``K``, ``İ``, ``ı``) and those that lowercase to two (``İ``): text holding one of them
    takes the pattern itself."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        source = pattern.pattern
        if re.search(r"\\[A-Z]", source):
            raise ValueError(f"lowercasing would change an escape: {source}")
        if any(not ch.isascii() and ch.lower() != ch.upper() for ch in source):
            raise ValueError(f"a letter with case beyond ASCII: {source}")
        self.pattern = pattern
        # ``found`` with its answers kept (class and id names recur on every item of a list and
        # every page of a site).
        self.kept: Callable[[str], bool] = lru_cache(maxsize=4096)(self.found)
        lowered = re.sub(r"\(\?p([<=])", r"(?P\1", source.lower())  # the group syntax stays
        self._lower = re.compile(lowered, pattern.flags & ~re.IGNORECASE)

    @staticmethod
    def _lowered(text: str) -> str | None:
        low = text.lower()
        if text.isascii() or (len(low) == len(text) and not _FOLDS.search(text)):
            return low
        return None

    def found(self, text: str) -> bool:
        low = self._lowered(text)
        if low is None:
            return self.pattern.search(text) is not None
        return self._lower.search(low) is not None

    def finditer(self, text: str) -> list[re.Match[str]]:
        """``list(pattern.finditer(text))``: each match found in the lowercased text is the
        pattern's match at its start."""
        low = self._lowered(text)
        if low is None:
            return list(self.pattern.finditer(text))
        found = []
        for m in self._lower.finditer(low):
            match = self.pattern.match(text, m.start())
            if match is None:  # (never, for a pattern __init__ accepts: the slow way, to be sure)
                return list(self.pattern.finditer(text))
            found.append(match)
        return found


def alternation(words: Iterable[str]) -> str:
    """The regex source of ``"|".join`` of the escaped ``words``, longest first, written as a
    trie ("sha(?:re|ring)"): the branches of each step start with different characters, so re
    follows one instead of trying every word at every position. It matches what the plain
    alternation matches at each position, the longest word first."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if "" in node:  # a word ends here: the longer ones are tried first
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie)


def unspaced(text: str) -> str:
    """``text`` without its whitespace (``str.split`` cuts at exactly the characters of ``\\s``,
    the full-width space included)."""
    return "".join(text.split())


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
_ASCII_LETTERS = re.compile("[A-Za-z]+")  # str.isascii() and str.isalpha()


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
    latin = sum(map(len, _ASCII_LETTERS.findall(sample)))
    return "en" if latin > len(sample) * 0.5 else None
