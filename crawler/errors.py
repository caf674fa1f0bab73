"""The errors the package raises across layers. This module imports nothing from ``crawler``, so any
module can import it without making an import cycle."""

from __future__ import annotations

import sys
from collections.abc import Callable


class UserError(Exception):
    """A mistake of the user's: printed as one line, exit status 2, no traceback."""


class ConfigError(ValueError):
    """A configuration file (site profile, schedule) that cannot be used, with the file and the key
    at fault: ``str(err)`` is ``"<file>: <key>: <message>"``."""

    def __init__(self, source: str, key: str, message: str) -> None:
        super().__init__(f"{source}: {key}: {message}")
        self.source = source
        self.key = key


class StoreError(RuntimeError):
    """The store cannot be opened or written; the message names it with the password masked."""


class StoreUnavailable(StoreError):
    """The store went away mid-crawl and did not come back within the retries.

    Raised by ``add_many``, it carries the outcomes of the articles it decided before the
    failure (``decided``, in order: each one either committed or among the store's pending
    writes); the articles after them were not looked at."""

    decided: tuple[object, ...] = ()


def exit_status(command: Callable[[], int]) -> int:
    """Run a command-line command: its exit status, or 2 with one ``error:`` line for a UserError
    (no traceback), 130 on Ctrl-C. The one error path of every ``main``."""
    try:
        return command()
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
