from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawler.devserver import FIXTURE_SITES, FixtureServers


@pytest.fixture(scope="session")
def fixture_sites() -> Iterator[dict[str, str]]:
    """Every fixture site served on its own ephemeral loopback port: name -> base URL."""
    with FixtureServers(FIXTURE_SITES) as servers:
        yield servers.urls
