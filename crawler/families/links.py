"""Kinds ``links`` and ``none``: an HTML list whose next pages are the links it prints (next,
numbered, ``rel=next``, or the profile's ``next`` selector), read by ``crawler.extract.listing``."""

from __future__ import annotations

from crawler.families.base import Family


class Links(Family):
    """Everything is read from the page: the family adds nothing to the generic reading."""
