"""Regexes from site profiles, which must never hang a crawl.

Python's ``re`` backtracks without bound: ``^(a|a)+$`` over a 41-character paragraph runs for
hours and holds the GIL, so neither ``CLOSESPIDER_TIMEOUT`` nor SIGTERM gets a turn. User
patterns are compiled with the ``regex`` module instead (same syntax as ``re``, version 0), whose
matching takes a timeout. A pattern that runs out of time counts as no match, is logged once and
is then switched off for the rest of the process, so a hostile pattern costs at most one timeout.

google-re2 (linear time) was measured as the alternative: it rejects ``\\u4e00`` escapes,
look-behind and back-references that real profiles use, and writes to stderr on every rejected
pattern; see docs/faults.md.
"""

from __future__ import annotations

import logging
import threading

import regex

logger = logging.getLogger(__name__)

TIMEOUT_S = 0.05  # per search; the regex module checks the clock every few thousand steps


class UserRegex:
    """A profile regex with ``search`` bounded in time. ``timeouts`` counts the searches cut."""

    def __init__(self, pattern: str, source: str = "<profile>", timeout: float = TIMEOUT_S) -> None:
        self.pattern = pattern
        self.source = source
        self.timeout = timeout
        self.compiled = regex.compile(pattern, flags=regex.VERSION0)
        self.disabled = False
        self.timeouts = 0
        self._lock = threading.Lock()

    def search(self, text: str) -> regex.Match[str] | None:
        if self.disabled:
            return None
        try:
            return self.compiled.search(text, timeout=self.timeout)
        except TimeoutError:
            with self._lock:
                self.timeouts += 1
                if not self.disabled:
                    self.disabled = True
                    logger.warning("regex %r of %s ran past %.2fs on a %d-character text: switched off",
                                   self.pattern, self.source, self.timeout, len(text))  # fmt: skip
            return None

    def __repr__(self) -> str:
        return f"UserRegex({self.pattern!r})"


def check_pattern(pattern: str) -> str | None:
    """None when ``pattern`` compiles, else the reason."""
    try:
        regex.compile(pattern, flags=regex.VERSION0)
    except regex.error as err:
        return str(err)
    return None
