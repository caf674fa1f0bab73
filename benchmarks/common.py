"""What the extraction and real-page evaluations share: the checkout's root, the benchmark's
tokens, text normalization, page decoding and the extractor interface."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from crawler.extract.encoding import decode_html

ROOT = Path(__file__).resolve().parent.parent  # the checkout: fixtures/ and ../shared/ sit here

# The benchmark's tokenizer: runs of word characters (re.UNICODE; IGNORECASE etc. change nothing).
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# Secondary tokenizer: one token per CJK character, otherwise as the benchmark's.
_CJK_TOKEN_RE = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+", re.UNICODE)
_BLANKS = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff]+")


def tokenize(text: str | None, *, cjk_chars: bool = False) -> list[str]:
    """The benchmark's tokens (``\\w+`` runs); with ``cjk_chars`` every CJK character is one token."""
    return (_CJK_TOKEN_RE if cjk_chars else _TOKEN_RE).findall(text or "")


def normalize_text(text: str | None) -> str | None:
    """Whitespace collapsed and stripped; None for no text."""
    if text is None:
        return None
    out = _BLANKS.sub(" ", text).strip()
    return out or None


def decode_page(body: bytes, content_type: str | None) -> tuple[str, str]:
    return decode_html(body, content_type)


@dataclass(frozen=True)
class Prediction:
    title: str | None = None
    outlet: str | None = None
    published: datetime | date | None = None
    body: str | None = None
    outlet_candidates: tuple[str | None, ...] = ()  # trafilatura: sitename, author
    verdict: str | None = None  # ours: why the page is not an article; trafilatura: "no result"
    continuation_urls: tuple[str, ...] = ()  # ours: further pages of a story split over pages


Extractor = Callable[[str, str], Prediction]  # (html text, url) -> prediction
