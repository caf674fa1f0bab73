"""Decoding page bytes the way a browser (and Scrapy's TextResponse) does.

w3lib's ``html_to_unicode`` takes the BOM first, then the HTTP ``Content-Type`` charset, then the
``<meta>`` declaration, then a guess; GB2312 and GBK are read as their superset GB18030. What
still decodes to replacement characters is mojibake and is reported, never stored.
"""

from __future__ import annotations

from w3lib.encoding import html_to_unicode

# Share of characters that may be U+FFFD before a page counts as wrongly decoded.
MOJIBAKE_THRESHOLD = 0.005


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """The page text and the name of the encoding it was decoded with."""
    encoding, text = html_to_unicode(content_type, body)
    return text, encoding


def mojibake_ratio(text: str) -> float:
    """Share of replacement characters (and C1 controls) in ``text``."""
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ch == "\ufffd" or "\x80" <= ch <= "\x9f")
    return bad / len(text)


def is_mojibake(text: str) -> bool:
    return mojibake_ratio(text) > MOJIBAKE_THRESHOLD
