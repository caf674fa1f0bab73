"""Secrets and scope through real runs: no password in any artefact; a hostile href costs one link.

Issue 9, defect 1: one footer link ``http://[ccpa-preferences]/`` on the seed site's second
listing page lost the whole page (18 of 28 stored, exit 0). Defect 8: passwords in the run
manifest, in error lines and in Scrapy's "Overridden settings" line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..fixturedata import scrapy_stats
from ..stores import require_postgres, with_schema

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zz9SecretPw"
HOSTILE = ('<a href="http://[ccpa-preferences]/">Cookie preferences</a> <a href="http://smartchina-expo.cn:99999/x">'
           'Port</a> <a href="javascript:void(0)">Share</a> <a href="data:text/html,x">Data</a>')  # fmt: skip


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", "crawl", "mediacenter", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})  # fmt: skip


def test_no_password_in_any_artefact_and_a_hostile_href_costs_nothing(
    site_copy: tuple[Path, str], tmp_path: Path, pg_schema: str
) -> None:
    require_postgres()
    site, base = site_copy
    index2 = site / "English" / "syxwlb" / "index_2.shtml"
    html = index2.read_bytes()
    index2.write_bytes(html.replace(b"</body>", HOSTILE.encode() + b"</body>", 1))
    store = with_schema(f"postgresql://postgres:{SECRET}@127.0.0.1:5432/test", pg_schema)
    runs, spill = tmp_path / "runs", tmp_path / "spill"
    proc = _run(
        ["-a", "site=smartchina_expo", "-a", f"base_url={base}", "-s", f"STORE_URL={store}",
         "-s", f"RUNS_DIR={runs}", "-s", f"STORE_SPILL_DIR={spill}", "-s", "LOG_LEVEL=DEBUG"],
        env={"DATABASE_URL": store, "REDIS_URL": f"redis://:{SECRET}@127.0.0.1:6379/15", "CRAWLER_RUNS_DIR": str(runs)},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = scrapy_stats(proc.stderr)
    assert stats["article/stored"] == 28  # the hostile links cost one link each, not the page
    assert "Overridden settings" in proc.stderr and "postgres:***@" in proc.stderr
    artefacts = {"stdout": proc.stdout, "stderr": proc.stderr}
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix in {".json", ".jsonl", ".log", ".rejected", ".txt"}:
            artefacts[str(path)] = path.read_text(encoding="utf-8", errors="replace")
    assert any(name.endswith(".json") for name in artefacts)  # the run manifest was read
    leaks = [name for name, text in artefacts.items() if SECRET in text]
    assert not leaks


@pytest.mark.parametrize(
    "store",
    [
        f"postgresql://u:{SECRET}@127.0.0.1:1/test",
        f"postgresql://:{SECRET}@127.0.0.1:1/test",
        f"postgresql://u@127.0.0.1:1/test?password={SECRET}",
    ],
)
def test_a_store_error_names_the_store_without_its_password(store: str) -> None:
    proc = _run(["-a", "site=smartchina_expo", "-s", f"STORE_URL={store}"])
    assert proc.returncode == 2
    assert "cannot open store" in proc.stderr and "***" in proc.stderr
    assert SECRET not in proc.stderr + proc.stdout


def test_a_redis_error_names_redis_without_its_password(tmp_path: Path) -> None:
    proc = _run(["-a", "site=smartchina_expo", "-s", f"STORE_URL=sqlite:///{tmp_path}/x.sqlite3",
                 "-s", "DISTRIBUTED=1", "-s", f"REDIS_URL=redis://:{SECRET}@127.0.0.1:1/0"])  # fmt: skip
    assert proc.returncode == 2
    assert "cannot reach Redis" in proc.stderr and SECRET not in proc.stderr + proc.stdout
