"""Generic mode end to end: no profile, only a listing URL, every article right."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ..fixturedata import EXPECTED, FIELDS, expected_articles, scrapy_stats, site_info, site_names

ROOT = Path(__file__).resolve().parents[2]
STATIC = [s for s in site_names() if not site_info(s).get("needs_profile")]


@pytest.mark.parametrize("site", STATIC)
def test_generic_crawl_from_listing_url(site: str, fixture_sites: dict[str, str], tmp_path: Path) -> None:
    base = fixture_sites[site]
    starts = [base + site_info(site)["listing_start"]]
    starts += [
        base + site_info(site, p.name)["listing_start"] for p in (EXPECTED / site).glob("_site_*.json")
    ]
    out = tmp_path / "items.jsonl"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", f"start_urls={','.join(starts)}",
           "-s", f"STORE_URL=sqlite:///{tmp_path}/g.sqlite3", "-s", "LOG_LEVEL=INFO", "-O", str(out)]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    got = {urlsplit(i["url"]).path: i for i in items}
    expected = {a.path: a.data for a in expected_articles(site)}
    assert set(got) == set(expected)
    for path, want in expected.items():
        for name in FIELDS:
            assert got[path].get(name) == want.get(name), (path, name)
        assert got[path]["site"] == "127.0.0.1"
    assert "Offsite" not in proc.stderr or "article/dropped" not in proc.stderr
    # An ordinary listing is never taken for one built by scripts.
    assert "article/skipped/needs_browser" not in scrapy_stats(proc.stderr)


def test_hanweb_api_pages_through_several_posts(fixture_sites: dict[str, str], tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "hanweb_small.yaml").write_text(
        "name: hanweb_small\nextends: hanweb_base\ndomains: [qingxi.gov.cn]\n"
        "start_urls: [http://www.qingxi.gov.cn/col/col1621004/index.html]\n"
        "listing:\n  pagination:\n    per_page: 4\n",
        encoding="utf-8",
    )
    out = tmp_path / "items.jsonl"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", "site=hanweb_small",
           "-a", f"base_url={fixture_sites['hanweb']}", "-s", f"PROFILE_DIRS={profiles}",
           "-s", f"STORE_URL=sqlite:///{tmp_path}/h.sqlite3", "-s", "LOG_LEVEL=INFO", "-O", str(out)]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    stats = scrapy_stats(proc.stderr)
    assert stats["listing/api_pages"] == 2  # records 1-12, then 13-24 of 20
    assert stats["article/stored"] == 20
    assert len(out.read_text(encoding="utf-8").splitlines()) == 20
