"""The fault suite: one crawl against the hostile server (benchmarks.faultserver), every probe checked.

The same probes run at the issue's sizes (50 MB page, 750 MiB gzip bomb, 100,000 links) in
``python -m benchmarks.faults``, which writes the table of docs/faults.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.faults import SMALL, ProbeRun, good_stored, run_probes
from benchmarks.faultserver import FAULTS, RECOVERABLE


@pytest.fixture(scope="module")
def probes(tmp_path_factory: pytest.TempPathFactory) -> ProbeRun:
    return run_probes(SMALL, Path(tmp_path_factory.mktemp("faults")), max_links=100)


def test_the_crawl_finishes_and_its_exit_status_is_the_manifests(probes: ProbeRun) -> None:
    assert probes.manifest["finish_reason"] == "finished", probes.log[-3000:]
    assert probes.returncode == probes.manifest["exit_status"]
    assert probes.manifest["counts"]["exceptions"] == 0
    assert "Traceback" not in probes.log


def test_every_good_article_is_stored_once(probes: ProbeRun) -> None:
    assert good_stored(probes) == set(range(1, SMALL.good + 1))
    urls = [u for u, _ in probes.stored]
    assert len(urls) == len(set(urls))
    titles = [t for _, t in probes.stored]
    assert len(titles) == len(set(titles))
    for path in RECOVERABLE:
        assert probes.outcomes[path] == "stored", (path, probes.outcomes[path])


def test_every_fault_leaves_a_trace_and_fails_nothing_else(probes: ProbeRun) -> None:
    for path in FAULTS:
        assert probes.outcomes[path] != "no trace", path
    failed = {f["url"].rsplit("/", 1)[1] for f in probes.manifest["failed_urls"]}
    assert {"reset.html", "truncated.html", "slow.html", "big.html", "bomb.html"} <= failed
    good = {f"{n}.html" for n in range(1, SMALL.good + 1)}
    assert not failed & good  # only the off-site target (106.html) of the article names
    assert {f["reason"] for f in probes.manifest["failed_urls"] if f["url"].endswith("/106.html")} == {"OffsiteRequest"}


def test_redirects_never_leave_the_domains(probes: ProbeRun) -> None:
    assert probes.stats["offsite/redirect_blocked"] == 1
    assert probes.hits.get("/news/a/106.html", 0) == 0  # the other host was never asked
    assert not any("127.0.0.2" in u for u, _ in probes.stored)


def test_retry_after_is_honoured(probes: ProbeRun) -> None:
    first, second = probes.times["/faults/429.html"][:2]
    assert second - first >= 0.95
    assert probes.stats["retry/retry_after"] >= 1
    five = probes.times["/faults/5xx.html"]
    assert len(five) == 3  # two 503s, then the article


def test_size_limits_hold_memory(probes: ProbeRun) -> None:
    # A 64 MiB gzip bomb and a 9 MiB page against DOWNLOAD_MAXSIZE (8 MiB): both cut.
    assert "bomb.html" in {f["url"].rsplit("/", 1)[1] for f in probes.manifest["failed_urls"]}
    assert probes.peak_rss_mb < 400, probes.peak_rss_mb


def test_listings_are_bounded(probes: ProbeRun) -> None:
    assert probes.stats["listing/links_truncated"] == SMALL.big_links - 100
    assert sum(1 for k in probes.hits if k.startswith("/big/a/")) == 100
    assert sum(v for k, v in probes.hits.items() if k.startswith("/endless/")) == 10  # max_pages
    assert probes.hits["/news/index.html"] == 1  # the cycle back to page 1 is not followed


def test_an_article_under_10000_nested_divs_is_stored(probes: ProbeRun) -> None:
    # libxml2 stops building the tree about 2,048 deep; TagRunMiddleware reads the run as one tag.
    assert probes.outcomes["/faults/deep.html"] == "stored"
    assert probes.stats["html/tag_runs_collapsed"] >= 1
