from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.devserver import FIXTURE_SITES, FixtureServers

from .stores import PG_URL, require_postgres, with_schema


@pytest.fixture(scope="session", autouse=True)
def _runs_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Crawls started by tests write their run manifests to a temporary directory (the
    subprocesses inherit the variable), never into the checkout's runs/."""
    previous = os.environ.get("CRAWLER_RUNS_DIR")
    os.environ["CRAWLER_RUNS_DIR"] = str(tmp_path_factory.mktemp("runs"))
    yield
    if previous is None:
        os.environ.pop("CRAWLER_RUNS_DIR", None)
    else:
        os.environ["CRAWLER_RUNS_DIR"] = previous


@pytest.fixture
def site_copy(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A copy of the seed site that a test may change, served on its own port."""
    site = tmp_path / "smartchina_expo"
    shutil.copytree(FIXTURE_SITES / "smartchina_expo", site)
    with FixtureServers(site) as servers:
        yield site, servers.urls["smartchina_expo"]


@pytest.fixture(scope="session")
def fixture_sites() -> Iterator[dict[str, str]]:
    """Every fixture site served on its own ephemeral loopback port: name -> base URL."""
    with FixtureServers(FIXTURE_SITES) as servers:
        yield servers.urls


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh schema in the test database, dropped afterwards."""
    require_postgres()
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute("SET lock_timeout = '5s'")
            try:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
            except psycopg.errors.LockNotAvailable:
                # A failed test's store (kept alive by its traceback) sits idle in a transaction
                # holding locks in the schema: end it, so the failure is reported, not a hang.
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
                )
                conn.execute("SET lock_timeout = 0")
                conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.sqlite3"
    schema = request.getfixturevalue("pg_schema")
    return with_schema(PG_URL, schema)
