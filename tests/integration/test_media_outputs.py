"""Images and attachments in the stores and the outputs: schema 3, JSON Feed, Atom 1.0, CSV,
JSON Lines, and the download on demand through Scrapy's media pipelines."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.devserver import FixtureServers
from crawler.exporters.atom import write_atom
from crawler.exporters.files import export_store
from crawler.exporters.jsonfeed import write_feed
from crawler.items import Article
from crawler.storage import open_store
from crawler.storage.base import MediaRecord
from crawler.storage.sql import SQLStore

from .. import atom_spec
from ..fixturedata import scrapy_stats
from ..jsonfeed_spec import problems as jsonfeed_problems

ROOT = Path(__file__).resolve().parents[2]
MEDIA = ROOT / "fixtures" / "media"


def _article(n: int = 1, **extra: object) -> Article:
    data: dict[str, object] = dict(
        url=f"http://gov.example/tzgg/{n}.html", site="gov", title=f"关于第{n}批项目的通知",
        body=f"正文第{n}篇，内容互不相同 {n * 17}。", published_at=f"2024-03-1{n}T09:30:00+08:00",
        published_at_raw=f"2024-03-1{n} 09:30", outlet="市科学技术局", language="zh",
        lead_image="http://gov.example/u/1.jpg",
        images=[{"url": "http://gov.example/u/1.jpg", "caption": "图为现场。", "alt": None}],
        attachments=[{"url": "http://gov.example/f/zn.pdf", "title": "申报指南", "type": "pdf", "size": 1234},
                     {"url": "http://gov.example/f/b.ofd", "title": "原文", "type": "ofd"}],
    )  # fmt: skip
    data.update(extra)
    return Article(**data)  # type: ignore[arg-type]


def test_store_keeps_images_and_attachments_and_media_records(store_url: str) -> None:
    store = open_store(store_url)
    assert isinstance(store, SQLStore) and store.schema_version() == 4
    store.add(_article(1))
    store.add(_article(2, images=[], attachments=[], lead_image=None))
    store.close()
    store = open_store(store_url)
    by_url = {a.url: a for a in store.iter_articles()}
    assert by_url["http://gov.example/tzgg/1.html"].to_dict() | {"crawled_at": None} == _article(1).to_dict() | {
        "canonical_url": by_url["http://gov.example/tzgg/1.html"].canonical_url,
        "content_hash": by_url["http://gov.example/tzgg/1.html"].content_hash,
        "crawled_at": None,
    }
    assert by_url["http://gov.example/tzgg/2.html"].images == []
    # An update carries the media lists too.
    changed = _article(1, body="改过的正文。", images=[], attachments=[{"url": "http://gov.example/f/x.zip",
                                                                   "title": "x", "type": "zip"}])  # fmt: skip
    store.add(changed)
    store.flush()
    [again] = [a for a in store.iter_articles() if a.url.endswith("/1.html")]
    assert again.images == [] and again.attachments[0]["type"] == "zip"
    record = MediaRecord("http://gov.example/f/zn.pdf", "attachment", "files/ab.pdf", "md5", 1234, "application/pdf")
    store.record_media([record])
    store.record_media([record])  # recording twice is fine
    assert store.media_records(["http://gov.example/f/zn.pdf", "http://gov.example/none.pdf"]) == {
        "http://gov.example/f/zn.pdf": record
    }
    assert store.table_count("media") == 1
    store.close()


def test_a_version_2_store_reads_old_rows_without_media(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    store = open_store(f"sqlite:///{path}")
    store.add(_article(1))
    store.close()
    # Make it a schema-2 store with a row written before the media columns existed.
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER signatures_scheme")  # migration 4
        conn.execute("ALTER TABLE signatures DROP COLUMN scheme")
        conn.execute("DROP TABLE media")
        for column in ("lead_image", "images", "attachments"):
            conn.execute(f"ALTER TABLE articles DROP COLUMN {column}")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    store = open_store(f"sqlite:///{path}")
    assert isinstance(store, SQLStore) and store.schema_version() == 4
    [old] = list(store.iter_articles())
    assert old.images == [] and old.attachments == [] and old.lead_image is None
    store.close()


def test_json_feed_items_carry_image_and_attachments() -> None:
    out = io.StringIO()
    write_feed([_article(1)], out)
    doc = json.loads(out.getvalue())
    assert jsonfeed_problems(doc) == []
    [item] = doc["items"]
    assert item["image"] == "http://gov.example/u/1.jpg"
    assert item["attachments"] == [
        {"url": "http://gov.example/f/zn.pdf", "mime_type": "application/pdf", "title": "申报指南",
         "size_in_bytes": 1234},
        {"url": "http://gov.example/f/b.ofd", "mime_type": "application/ofd", "title": "原文"},
    ]  # fmt: skip
    assert item["_crawler"]["images"][0]["caption"] == "图为现场。"


def test_atom_output_is_valid_rfc_4287() -> None:
    out = io.BytesIO()
    articles = [_article(1), _article(2, outlet=None, lead_image=None, attachments=[]),
                _article(3, published_at=None, crawled_at="2024-03-20T01:00:00+00:00", body="控制\x01字符。")]  # fmt: skip
    assert write_atom(articles, out) == 3
    document = out.getvalue()
    assert atom_spec.problems(document) == []
    from lxml import etree

    root = etree.fromstring(document)
    ns = {"a": atom_spec.NS}
    assert root.findtext("a:updated", namespaces=ns) == "2024-03-20T01:00:00+00:00"
    first = root.find("a:entry", ns)
    assert first is not None
    enclosures = first.findall("a:link[@rel='enclosure']", ns)
    assert [e.get("type") for e in enclosures] == ["image/jpeg", "application/pdf", "application/ofd"]
    assert enclosures[1].get("length") == "1234" and enclosures[1].get("title") == "申报指南"
    assert write_atom([], io.BytesIO()) == 0


def test_atom_checker_catches_broken_feeds() -> None:
    bad = (f'<feed xmlns="{atom_spec.NS}"><title type="bold">t</title><updated>2024-03-20 01:00</updated>'
           "<entry><id>not an iri</id><title>x</title></entry></feed>").encode()  # fmt: skip
    assert atom_spec.problems(bad) == [
        "feed must contain atom:id",
        "feed atom:title: type must be text, html or xhtml",
        "feed atom:updated is not an RFC 3339 date-time: '2024-03-20 01:00'",
        "entry[0] must contain atom:updated",
        "entry[0] atom:id must be an absolute IRI: 'not an iri'",
        "entry[0] has no atom:author and the feed has none",
        "entry[0] needs atom:content or an alternate atom:link",
    ]
    assert atom_spec.problems(b"<rss/>") == ["the root element must be atom:feed, not rss"]


def test_export_formats_carry_media(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/x.sqlite3"
    store = open_store(url)
    store.add(_article(1))
    store.add(_article(2, images=[], attachments=[]))
    store.close()
    store = open_store(url)
    lines = io.StringIO()
    export_store(store, lines, "jsonl")
    rows = [json.loads(x) for x in lines.getvalue().splitlines()]
    assert [len(r["attachments"]) for r in rows] == [0, 2] and rows[1]["images"][0]["caption"] == "图为现场。"
    table = io.StringIO()
    export_store(store, table, "csv")
    parsed = list(csv.DictReader(io.StringIO(table.getvalue())))
    assert [(r["image_count"], r["attachment_count"]) for r in parsed] == [("0", "0"), ("1", "2")]
    assert "images" not in parsed[0] and parsed[1]["lead_image"] == "http://gov.example/u/1.jpg"
    store.close()
    proc = subprocess.run([sys.executable, "-m", "crawler", "export", "--store", url, "--format", "atom"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert atom_spec.problems(proc.stdout.encode()) == []
    assert proc.stdout.count("<entry") == 2


# --- Download on demand ----------------------------------------------------------------------------


@pytest.fixture
def media_sites(tmp_path: Path) -> Iterator[dict[str, str]]:
    sites = tmp_path / "sites"
    for name in ("photo_news", "gov_notice"):
        shutil.copytree(MEDIA / "sites" / name, sites / name)
    with FixtureServers(sites) as servers:
        yield servers.urls


def test_download_media_stores_files_records_them_and_skips_them_next_time(
    media_sites: dict[str, str], tmp_path: Path
) -> None:
    starts = [media_sites["photo_news"] + "/photos/index.html", media_sites["gov_notice"] + "/zwgk/tzgg/index.html"]
    files = tmp_path / "media"
    store = tmp_path / "m.sqlite3"

    def crawl(n: int, *extra: str) -> tuple[dict[str, int], list[dict[str, object]]]:
        out = tmp_path / f"m{n}.jsonl"
        cmd = [sys.executable, "-m", "scrapy", "crawl", "mediacenter", "-a", f"start_urls={','.join(starts)}",
               "-s", "DOWNLOAD_MEDIA=1", "-s", f"FILES_STORE={files}", "-s", f"IMAGES_STORE={files}",
               "-s", f"STORE_URL=sqlite:///{store}", "-s", "LOG_LEVEL=INFO", "-O", str(out),
               "-O", f"{tmp_path}/m{n}.xml:atom", *extra]  # fmt: skip
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return scrapy_stats(proc.stderr), [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]

    stats, items = crawl(1)
    assert stats["article/stored"] == 7
    assert stats["media/image/downloaded"] == 8 and stats["media/attachment/downloaded"] == 12
    assert atom_spec.problems((tmp_path / "m1.xml").read_bytes()) == []
    for item in items:
        for media in [*item["images"], *item["attachments"]]:  # type: ignore[misc]
            stored = files / media["path"]
            assert stored.is_file() and media["size"] == stored.stat().st_size and len(media["checksum"]) == 32
    notice = next(i for i in items if urlsplit(str(i["url"])).path.endswith("t20240320_512399.html"))
    assert [a["path"].rsplit(".", 1)[1] for a in notice["attachments"]] == ["xlsx", "docx", "wps", "ofd", "pptx"]  # type: ignore[index]
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT kind, COUNT(*) FROM media GROUP BY kind ORDER BY kind").fetchall() == [
            ("attachment", 12), ("image", 8)
        ]

    # Again, all pages fetched anew: nothing downloaded twice, records copied into the items.
    stats, _ = crawl(2, "-a", "full=1")
    assert stats.get("media/image/downloaded", 0) == 0 and stats.get("media/attachment/downloaded", 0) == 0
    assert stats["media/image/known"] == 8 and stats["media/attachment/known"] == 12
    assert stats["downloader/request_count"] == 11  # 2 robots.txt, 2 listings, 7 articles
