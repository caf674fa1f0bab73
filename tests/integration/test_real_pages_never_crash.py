"""No page of the real corpora and the public benchmark crashes extraction (about 530 pages, ~20-50 s)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from parsel import Selector

from crawler.extract import parse_article
from crawler.extract.encoding import decode_html
from crawler.extract.listing import parse_listing

SHARED = Path(__file__).resolve().parents[3] / "shared"


def _real_files() -> list[tuple[Path, str]]:
    files: list[tuple[Path, str]] = []
    real = SHARED / "real-pages"
    for manifest in sorted(real.glob("*/truth.jsonl")):
        for line in manifest.read_text(encoding="utf-8").splitlines():
            page = json.loads(line)
            files.append((manifest.parent / page["file"], page.get("url") or "http://real.example/a.html"))
    bench = SHARED / "benchmarks" / "article-extraction"
    truth = bench / "ground-truth.json"
    if truth.exists():
        for key, item in json.loads(truth.read_text(encoding="utf-8")).items():
            files.append((bench / "html" / f"{key}.html.gz", item.get("url") or "http://bench.example/a"))
    return files


def test_zero_crashes_on_every_real_page() -> None:
    files = _real_files()
    if not files:
        pytest.skip(f"no real pages under {SHARED} (../shared/real-pages and benchmarks)")
    assert len(files) >= 500
    crashes = []
    for path, url in files:
        with gzip.open(path) as fh:
            text, _ = decode_html(fh.read())
        try:
            selector = Selector(text=text)
            parse_article(selector, url)
            if "real-pages" in path.parts:  # listings too, on the real corpora
                parse_listing(selector, url)
        except Exception as err:  # the figure this test exists for
            crashes.append(f"{path.name}: {err!r}")
    assert crashes == []
