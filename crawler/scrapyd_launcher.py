"""A Scrapyd launcher that writes no password into Scrapyd's own log.

Scrapyd logs every job's command line ("Process started: … args=[…, '-s', 'STORE_URL=…']"), so a
password given as a setting to ``schedule.json`` lands in Scrapyd's log, whatever the crawl itself
masks. With this project installed in Scrapyd's environment, ``scrapyd.conf`` says::

    [scrapyd]
    launcher = crawler.scrapyd_launcher.MaskingLauncher

and those lines carry ``***`` instead. Better still, give passwords to Scrapyd's environment
(``DATABASE_URL``, ``REDIS_URL``) and not to ``schedule.json`` at all: then they are in no
command line either (``ps`` shows command lines to every user of the machine).
"""

from __future__ import annotations

from typing import Any

from scrapyd import launcher as scrapyd_launcher
from scrapyd.launcher import Launcher, ScrapyProcessProtocol

from crawler.secrets import mask_text


class MaskingProcessProtocol(ScrapyProcessProtocol):  # type: ignore[misc]
    """Scrapyd's process protocol, logging the command line with its passwords masked."""

    args: list[str]  # the job's command line, set by ScrapyProcessProtocol.__init__

    def log(self, level: str, action: str) -> None:
        args: list[str] = list(self.args)
        self.args = [mask_text(str(arg)) for arg in args]
        try:
            super().log(level, action)
        finally:
            self.args = args  # the process itself keeps its real arguments


class MaskingLauncher(Launcher):  # type: ignore[misc]
    """Scrapyd's launcher with :class:`MaskingProcessProtocol` for every job it starts."""

    def _spawn_process(self, message: Any, slot: int) -> None:
        # Launcher instantiates its module's protocol class by name: swapped for this one call
        # (the reactor runs one call at a time, so no other job sees the swap).
        original = scrapyd_launcher.ScrapyProcessProtocol
        scrapyd_launcher.ScrapyProcessProtocol = MaskingProcessProtocol
        try:
            super()._spawn_process(message, slot)
        finally:
            scrapyd_launcher.ScrapyProcessProtocol = original
