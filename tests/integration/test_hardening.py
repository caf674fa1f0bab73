"""Defects of issue 9, each at its depth: spill import, store identity, secrets, Retry-After,
scope, health denominators, concurrent `new`, schedule and export validation."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from crawler.cron import parse_schedule
from crawler.errors import ConfigError
from crawler.extensions import counts_from_stats
from crawler.health import Limits, run_checks
from crawler.items import Article
from crawler.middlewares import OffsiteRequest, ScopeMiddleware, retry_after_seconds
from crawler.secrets import install_log_masking, mask_text, mask_url
from crawler.storage import open_store
from crawler.storage.shared import store_for
from crawler.storage.spill import (
    STAT_IMPORTED,
    STAT_REJECTED,
    import_spill,
    spill,
    spill_path,
    store_identity,
)
from crawler.urls import canonicalize

ROOT = Path(__file__).resolve().parents[2]


def _article(n: int, **extra: object) -> dict[str, object]:
    return {"url": f"http://example.cn/a/{n}.html", "title": f"Title {n}", "body": f"Body of article {n}. " * 5,
            "site": "example", "published_at": "2024-05-01T10:00:00+08:00", **extra}  # fmt: skip


# --- spill files ------------------------------------------------------------------------------


def test_spill_import_keeps_good_lines_and_sets_bad_ones_aside(tmp_path: Path) -> None:
    path = tmp_path / "spill-x.jsonl"
    spill(path, [Article.from_dict(_article(1))])
    with path.open("a", encoding="utf-8") as fh:
        fh.write('{"url": "http://example.cn/a/2.html", "title": \n')  # cut mid-line
        fh.write(json.dumps(_article(3, images=[{"src": "x.jpg"}], lead_image="x.jpg", attachments=[])) + "\n")
        fh.write(json.dumps({"url": "http://example.cn/a/4.html", "title": "Only a title", "body": "b" * 40}) + "\n")
        fh.write('["not", "an", "object"]\n{"title": "no url"}\n')
    store = open_store(f"sqlite:///{tmp_path}/s.sqlite3")
    result = import_spill(path, store)
    assert (result.imported, result.rejected, result.found) == (3, 3, True)
    assert store.count() == 3
    assert not path.exists()
    aside = path.with_name(path.name + ".rejected").read_text(encoding="utf-8").splitlines()
    assert len(aside) == 3 and aside[0].startswith('{"url": "http://example.cn/a/2.html"')
    store.close()


def test_store_for_reports_the_spill_under_fixed_stat_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/s.sqlite3"
    spill_dir = tmp_path / "spill"
    path = spill_path(spill_dir, url)
    spill(path, [Article.from_dict(_article(1)), Article.from_dict(_article(2))])
    with path.open("a", encoding="utf-8") as fh:
        fh.write("garbage\n")
    crawler = get_crawler(Spider, {"STORE_URL": url, "STORE_SPILL_DIR": str(spill_dir)})
    crawler.stats.open_spider()
    store_for(crawler)
    assert crawler.stats.get_value(STAT_IMPORTED) == 2
    assert crawler.stats.get_value(STAT_REJECTED) == 1
    assert (STAT_IMPORTED, STAT_REJECTED) == ("article/spill_imported", "article/spill_rejected")
    # A second start finds nothing to import, and a malformed file blocks nothing.
    crawler2 = get_crawler(Spider, {"STORE_URL": url, "STORE_SPILL_DIR": str(spill_dir)})
    crawler2.stats.open_spider()
    store_for(crawler2)
    assert crawler2.stats.get_value(STAT_IMPORTED) is None


def test_spill_is_keyed_on_the_store_not_its_host_or_password(tmp_path: Path) -> None:
    a = "postgresql://postgres:one@127.0.0.1:5432/test?options=-csearch_path%3Dx"
    b = "postgresql://postgres:two@db.internal:6543/test?options=-csearch_path%3Dx"
    assert spill_path(tmp_path, a) == spill_path(tmp_path, b)
    assert spill_path(tmp_path, a) != spill_path(tmp_path, a.replace("%3Dx", "%3Dy"))
    assert spill_path(tmp_path, a) != spill_path(tmp_path, a.replace("/test?", "/prod?"))
    assert "one" not in store_identity(a)
    rel = "sqlite:///data/x.sqlite3"
    assert store_identity(rel) == store_identity(f"sqlite:///{Path('data/x.sqlite3').resolve()}")


# --- secrets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://u:PW@host/db",
        "postgresql://:PW@host/db",
        "redis://:PW@127.0.0.1:6379/0",
        "postgresql://u@host/db?password=PW",
        "postgresql://u@host/db?sslmode=require&password=PW&x=1",
        "error: cannot open store postgresql://postgres:PW@127.0.0.1:1/test: refused",
        "-s STORE_URL=postgresql://postgres:PW@h:5432/test -s X=1",
        "host=h password=PW dbname=test",
    ],
)
def test_passwords_are_masked_in_every_form(text: str) -> None:
    masked = mask_text(text)
    assert "PW" not in masked and "***" in masked
    assert mask_url("sqlite:///data/news.sqlite3") == "sqlite:///data/news.sqlite3"


def test_log_records_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    install_log_masking()
    with caplog.at_level(logging.INFO):
        logging.getLogger("crawler.test").info("Overridden settings: %s", {"STORE_URL": "postgresql://u:PW@h/db"})
    assert "PW" not in caplog.text and "u:***@h" in caplog.text


class _Counted:
    """An argument that counts how often the message it belongs to is formatted."""

    def __init__(self) -> None:
        self.formatted = 0

    def __str__(self) -> str:
        self.formatted += 1
        return "postgresql://u:PW@h/db"


def test_debug_records_are_masked_when_printed_and_not_formatted_otherwise(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_log_masking()
    logger = logging.getLogger("crawler.test")
    quiet, loud = _Counted(), _Counted()
    with caplog.at_level(logging.INFO):
        record = logging.LogRecord("crawler.test", logging.DEBUG, __file__, 1, "store %s", (quiet,), None)
        made = logging.getLogRecordFactory()("crawler.test", logging.DEBUG, __file__, 1, "store %s", (quiet,), None)
    assert quiet.formatted == 0  # made (as Scrapy makes every page's record), not formatted
    assert made.getMessage() == "store postgresql://u:***@h/db" and record.getMessage().endswith("u:PW@h/db")
    with caplog.at_level(logging.DEBUG):
        logger.debug("store %s", loud)
    assert "PW" not in caplog.text and "u:***@h" in caplog.text and loud.formatted >= 1


# --- downloader middlewares -------------------------------------------------------------------


def test_retry_after_header_forms() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("9" * 40) == 999999999


def test_scope_middleware_blocks_other_hosts_and_counts_redirects() -> None:
    crawler = get_crawler(Spider)
    spider = Spider("x", allowed_domains=["example.cn", "127.0.0.1"])
    crawler.spider = spider
    crawler.stats.open_spider()
    mw = ScopeMiddleware.from_crawler(crawler)
    assert mw.process_request(Request("http://www.example.cn/a.html"), spider) is None
    assert mw.process_request(Request("http://127.0.0.1:8000/a.html"), spider) is None
    with pytest.raises(OffsiteRequest):
        mw.process_request(Request("http://127.0.0.2:8000/a.html", meta={"redirect_times": 1}), spider)
    with pytest.raises(OffsiteRequest):
        mw.process_request(Request("http://evil-example.cn/a.html"), spider)
    assert crawler.stats.get_value("offsite/redirect_blocked") == 1
    assert crawler.stats.get_value("offsite/blocked") == 1


# --- health and manifests ---------------------------------------------------------------------


def test_error_rate_counts_pages_not_retries_or_robots() -> None:
    # A dead start URL: 1 page, tried 3 times, and robots.txt tried 3 times.
    stats = {"downloader/request_count": 6, "retry/count": 4, "robotstxt/request_count": 1,
             "request/failed/ConnectionRefusedError": 1}  # fmt: skip
    counts = counts_from_stats(stats)
    assert counts["requests"] == 1 and counts["errors"] == 1
    [check] = [c for c in run_checks(counts, None, Limits()) if c.check == "error_rate"]
    assert not check.ok and "100.0% of 1" in check.detail


def test_page_exceptions_are_errors_in_the_manifest() -> None:
    counts = counts_from_stats({"downloader/request_count": 10, "page/exception": 2, "spider_exceptions/count": 1})
    assert counts["exceptions"] == 3 and counts["errors"] == 3


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://example.cn:99999/a.html", "http://[ccpa-preferences]/", "http://[::1/x"])
def test_canonicalize_keeps_a_key_for_unparsable_urls(url: str) -> None:
    assert canonicalize(url) == canonicalize(url.upper().lower())
    assert canonicalize(url)


# --- concurrent runs --------------------------------------------------------------------------


def test_an_insert_another_process_committed_first_is_not_counted_new(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/race.sqlite3"
    first, second = open_store(url), open_store(url)
    article = Article.from_dict(_article(1))
    first.add(Article.from_dict(_article(1)))
    second.add(article)
    first.flush()
    second.flush()
    assert first.lost_races == 0 and second.lost_races == 1
    assert first.count() == 1
    first.close()
    second.close()


# --- schedule and export ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "words"),
    [({"cron": "0 0 30 2 *"}, "never matches"), ({"every": "99999999999999999999d"}, "at most")],
)
def test_schedules_that_would_crash_later_are_refused(entry: dict[str, str], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        parse_schedule({"sites": [{"site": "smartchina_expo", **entry}]}, "s.yaml", {"smartchina_expo"})


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--since", "garbage"], "is not a date"),
        (["--since", "2019-13-45"], "is not a date"),
        (["--store", "sqlite:////nonexistent-dir-9/x.sqlite3"], "no store at"),
    ],
)
def test_export_refuses_bad_arguments(args: list[str], words: str, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "crawler", "export", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 2
    assert words in proc.stderr and "Traceback" not in proc.stderr
    assert not Path("/nonexistent-dir-9").exists()


# --- the fixture server serves nothing outside its directory; profiles load safely -----------


def _raw_get(base: str, path: str) -> int:
    import socket

    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
        head = sock.recv(200).decode("latin-1")
    return int(head.split()[1])


def test_fixture_server_path_traversal(tmp_path: Path) -> None:
    from crawler.devserver import FixtureServers

    site = tmp_path / "s"
    site.mkdir()
    (site / "a.html").write_text("<p>ok</p>")
    (site / "robots.txt").write_text("User-agent: *\n")
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "s2").mkdir()
    (tmp_path / "s2" / "x.html").write_text("sibling")
    (site / "link").symlink_to(tmp_path / "s2")  # resolves to /…/s2: shares the prefix "/…/s"
    (site / "up.html").symlink_to(tmp_path / "secret.txt")
    with FixtureServers(site) as servers:
        base = servers.urls["s"]
        assert _raw_get(base, "/a.html") == 200
        for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2E%2E%2Fsecret.txt",
                     "/link/x.html", "/up.html", "//etc/passwd", "/a.html/../../secret.txt"]:
            assert _raw_get(base, path) == 404, path


def test_profile_yaml_tags_are_refused(tmp_path: Path) -> None:
    from crawler.profiles import load_profiles

    (tmp_path / "evil.yaml").write_text(
        "name: evil\ndomains: [x.cn]\nstart_urls: [http://x.cn/]\n"
        "language: !!python/object/apply:os.system ['touch /tmp/wt9-pwned']\n"
    )
    with pytest.raises(ConfigError):
        load_profiles([tmp_path])
    assert not Path("/tmp/wt9-pwned").exists()


def test_extract_and_schedule_read_profile_dirs(tmp_path: Path) -> None:
    import os

    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "mysite.yaml").write_text("name: mysite\ndomains: [my.example]\nstart_urls: [http://my.example/news/]\n")
    page = tmp_path / "p.html"
    page.write_text("<html><head><title>T</title></head><body><h1>Headline here</h1></body></html>")
    env = {**os.environ, "CRAWLER_PROFILE_DIRS": str(profiles)}
    proc = subprocess.run([sys.executable, "-m", "crawler", "extract", str(page), "--profile", "mysite"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    schedule = tmp_path / "s.yaml"
    schedule.write_text('sites:\n  - {site: mysite, cron: "0 * 30 2 *"}\n')
    proc = subprocess.run([sys.executable, "-m", "crawler", "schedule", str(schedule), "--once"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, env=env)  # fmt: skip
    assert proc.returncode == 2
    assert "never matches" in proc.stderr and "unknown site" not in proc.stderr
