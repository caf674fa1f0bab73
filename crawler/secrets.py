"""Passwords never leave the process: masking of store/Redis URLs in messages and log records.

A password can sit in a URL's user part (``postgresql://u:X@host``, ``redis://:X@host`` with an
empty user) or in its query (``?password=X``, libpq's spelling). Every log record passes through
:func:`mask_text` (installed once by :func:`install_log_masking`), so a setting echoed by Scrapy
("Overridden settings"), the scheduler's command header or a driver's error text is masked too.
"""

from __future__ import annotations

import logging
import re
from typing import Any

MASK = "***"
# scheme://[user]:password@  (the user may be empty)
_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s\"'<>]*:)(?P<secret>[^@\s\"'<>/]+)@")
# password=... / pass=... / secret=... in a query string or a libpq keyword string
_PARAM = re.compile(
    r"(?P<head>(?<![A-Za-z0-9_])(?:password|passwd|pass|pwd|secret|token)=)(?P<secret>[^&\s\"'<>]+)",
    re.IGNORECASE,
)


def mask_text(text: str) -> str:
    """``text`` with every URL password and ``password=`` value replaced by ``***``."""
    if "@" not in text and "=" not in text:
        return text
    text = _USERINFO.sub(lambda m: f"{m['head']}{MASK}@", text)
    return _PARAM.sub(lambda m: f"{m['head']}{MASK}", text)


def mask_url(url: str) -> str:
    """``postgresql://user:secret@host/db`` -> ``postgresql://user:***@host/db``."""
    return mask_text(url)


_installed = False


class _MaskedOnFormat(logging.LogRecord):
    """A debug record: masked when a handler formats it, not when it is made. Scrapy makes one
    for every page and item ("Scraped from ...", the whole item) even when nothing prints it."""

    def getMessage(self) -> str:
        return mask_text(super().getMessage())


def install_log_masking() -> None:
    """Mask secrets in every log record of this process, whichever logger or handler writes it:
    records of INFO and above at once (their message and arguments replaced), debug records
    when formatted."""
    global _installed
    if _installed:
        return
    _installed = True
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.levelno < logging.INFO and type(record) is logging.LogRecord:
            record.__class__ = _MaskedOnFormat
            return record
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's to report, not ours
            return record
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return record

    logging.setLogRecordFactory(factory)
