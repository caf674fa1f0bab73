"""Decoding page bytes as the bytes say, then as the page declares.

Browsers (and Scrapy's ``TextResponse``) trust the BOM, then the HTTP ``Content-Type`` charset,
then the ``<meta>`` declaration. Real pages get that wrong in two common ways, both seen on the
real-page corpora: a page saved or re-served as UTF-8 keeps its old ``<meta charset=gb2312>``
(decoding by the declaration gives mojibake: ``DeepMind鏂扮數鑴…``), and old Chinese pages declare
nothing at all while their bytes are GBK (Scrapy's guess, UTF-8 then cp1252, gives ``��ʾ``).
So, after the BOM:

1. bytes that are valid UTF-8 and hold multi-byte sequences are UTF-8, whatever is declared:
   GBK, Big5 or Shift_JIS text is practically never valid UTF-8;
2. else the declaration (header, then meta), with GB2312/GBK read as their superset GB18030,
   unless it says UTF-8 and the bytes are mostly not;
3. else charset-normalizer's guess over the bytes.

What still decodes to replacement characters, or is UTF-8 read as GBK or cp1252, is mojibake
and is reported, never stored.
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

# Share of characters that may be U+FFFD before a page counts as wrongly decoded.
MOJIBAKE_THRESHOLD = 0.005
# Non-ASCII characters examined when looking for UTF-8 read through a legacy code page.
_SAMPLE = 400
_MIN_SUSPECT = 6


def _is_utf8(body: bytes) -> bool:
    """Valid UTF-8 with at least one multi-byte sequence; a sequence cut at the very end (a
    truncated download) does not count against it."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.reason == "unexpected end of data" and err.start >= len(body) - 3
    return True


def _mostly_utf8(body: bytes) -> bool:
    text = body.decode("utf-8", errors="replace")
    return text.count("\ufffd") <= MOJIBAKE_THRESHOLD * max(len(text), 1)


def _reads_as_chinese(body: bytes) -> bool:
    """Undeclared GBK: nearly every byte sequence is valid GB18030 and most characters are Han.

    charset-normalizer alone reads such a page with a few stray bytes as a Cyrillic code page
    (seen on a 2005 forum page of the immortal-autumn corpus); this check goes first.
    """
    text = body.decode("gb18030", errors="replace")
    others = [ch for ch in text if not ch.isascii()]
    if not others:
        return False
    han = sum(
        1
        for ch in others
        if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
    )
    return others.count("\ufffd") <= 0.01 * len(others) and han >= 0.6 * len(others)


def _guess(body: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    encoding = best.encoding if best is not None else "utf-8"
    return resolve_encoding(encoding) or encoding


def _canonical(encoding: str) -> str:
    """GB2312 and GBK as their superset GB18030, Big5 as Big5-HKSCS: what browsers decode."""
    name = resolve_encoding(encoding) or encoding
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return name
    return {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}.get(name, name)


def detect_encoding(body: bytes, content_type: str | None = None) -> str:
    """The encoding to read ``body`` with (see the module docstring for the order)."""
    bom, _ = read_bom(body)
    if bom:
        return _canonical(bom)
    if _is_utf8(body):
        return "utf-8"
    declared = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
    if declared:
        declared = _canonical(declared)
        if declared != "utf-8" or _mostly_utf8(body):
            return declared
    if body.isascii():
        return declared or "utf-8"
    if _reads_as_chinese(body):
        return "gb18030"
    return _canonical(_guess(body))


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """The page text and the name of the encoding it was decoded with."""
    encoding = detect_encoding(body, content_type)
    _, text = html_to_unicode(f"text/html; charset={encoding}", body)
    return text, encoding


_BAD = re.compile("[\ufffd\x80-\x9f]")
# Runs of the sample's characters: not ASCII, not U+FFFD.
_SUSPECT = re.compile("[^\x00-\x7f\ufffd]+")


def mojibake_ratio(text: str) -> float:
    """Share of replacement characters (and C1 controls) in ``text``."""
    if not text:
        return 0.0
    return len(_BAD.findall(text)) / len(text)


def _suspect_sample(text: str) -> str:
    """The first ``_SAMPLE`` characters of ``text`` that are neither ASCII nor U+FFFD, read no
    further than needed (a Chinese page has thousands)."""
    runs: list[str] = []
    size = 0
    for match in _SUSPECT.finditer(text):
        runs.append(match.group())
        size += len(runs[-1])
        if size >= _SAMPLE:
            break
    return "".join(runs)[:_SAMPLE]


def is_double_decoded(text: str) -> bool:
    """UTF-8 bytes read through GBK or cp1252: the characters, encoded back, read as UTF-8.

    Real Chinese or Latin text re-encoded in its own code page is practically never valid UTF-8
    (nearly every sequence breaks), while UTF-8 read through GBK re-encodes to its original bytes,
    apart from the few sequences the wrong decoding had already replaced with U+FFFD.
    """
    sample = _suspect_sample(text)
    if len(sample) < _MIN_SUSPECT:
        return False
    for legacy in ("gb18030", "cp1252"):
        try:
            raw = sample.encode(legacy)
        except UnicodeEncodeError:
            continue
        back = raw.decode("utf-8", errors="replace")
        if back.count("\ufffd") <= 0.2 * len(back):
            return True
    return False


def is_mojibake(text: str) -> bool:
    return mojibake_ratio(text) > MOJIBAKE_THRESHOLD or is_double_decoded(text)
