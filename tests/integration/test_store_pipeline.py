"""The store pipeline decides articles that arrive close together with one set of lookups."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import Article
from crawler.pipelines.store import StorePipeline
from crawler.storage.base import Outcome, StoreUnavailable
from crawler.storage.shared import store_for
from crawler.storage.spill import article_from_line, spill_path


def _item(n: int, title: str | None = None) -> dict[str, Any]:
    return {"url": f"http://example.cn/a/{n}.html", "title": title or f"Title {n}",
            "body": f"Body of article {n}, with words of its own: {n * 7919}. " * 4, "site": "example",
            "published_at": "2024-05-01T10:00:00+08:00"}  # fmt: skip


def _pipeline(tmp_path: Path, batch: int, wait: float) -> tuple[StorePipeline, list[int]]:
    crawler = get_crawler(Spider, {"STORE_URL": f"sqlite:///{tmp_path}/s.sqlite3",
                                   "STORE_SPILL_DIR": str(tmp_path / "spill"),
                                   "STORE_LOOKUP_BATCH": batch, "STORE_LOOKUP_WAIT": wait})  # fmt: skip
    crawler.stats.open_spider()
    pipeline = StorePipeline.from_crawler(crawler)
    sizes: list[int] = []
    add_many = pipeline.store.add_many

    def counted(articles: Sequence[Article]) -> list[Outcome]:
        sizes.append(len(articles))
        return add_many(articles)

    pipeline.store.add_many = counted  # type: ignore[method-assign]
    return pipeline, sizes


async def _feed(pipeline: StorePipeline, items: list[dict[str, Any]], gap: float = 0.0) -> list[str]:
    async def one(item: dict[str, Any], delay: float) -> str:
        await asyncio.sleep(delay)
        try:
            await pipeline.process_item(item)
        except DropItem as drop:
            return str(drop).split(":")[0]
        return "kept"

    return list(await asyncio.gather(*(one(item, i * gap) for i, item in enumerate(items))))


def test_items_arriving_together_are_decided_in_batches(tmp_path: Path) -> None:
    pipeline, sizes = _pipeline(tmp_path, batch=3, wait=0.05)
    items = [_item(1), _item(2), _item(1), _item(3), _item(2, title="Title 2, corrected")]
    results = asyncio.run(_feed(pipeline, items))
    assert sizes == [3, 2]  # a full batch at once, the rest when the wait ran out
    assert results == ["kept", "kept", "unchanged", "kept", "kept"]
    stats = pipeline.crawler.stats
    assert stats.get_value("article/stored") == 3
    assert stats.get_value("article/updated") == 1
    assert stats.get_value("article/dropped/unchanged") == 1
    pipeline.close_spider()
    store = store_for(pipeline.crawler)
    assert store.count() == 3


def test_batch_of_one_decides_each_item_at_once(tmp_path: Path) -> None:
    pipeline, sizes = _pipeline(tmp_path, batch=1, wait=10.0)
    results = asyncio.run(_feed(pipeline, [_item(1), _item(1)]))
    assert sizes == [1, 1] and results == ["kept", "unchanged"]
    pipeline.close_spider()


def test_a_store_that_goes_down_spills_the_whole_batch(tmp_path: Path) -> None:
    pipeline, _ = _pipeline(tmp_path, batch=4, wait=0.05)

    def down(articles: Sequence[Article]) -> list[Outcome]:
        raise StoreUnavailable("store gone")

    pipeline.store.add_many = down  # type: ignore[method-assign]
    results = asyncio.run(_feed(pipeline, [_item(1), _item(2), _item(3)]))
    assert results == ["store_unavailable (spilled)"] * 3
    # An item after the store went down is spilled at once.
    assert asyncio.run(_feed(pipeline, [_item(4)])) == ["store_unavailable (spilled)"]
    lines = spill_path(tmp_path / "spill", pipeline.store.url).read_text(encoding="utf-8").splitlines()
    assert sorted(article_from_line(line).url for line in lines) == [f"http://example.cn/a/{n}.html" for n in (1, 2, 3, 4)]
    assert pipeline.crawler.stats.get_value("article/spilled") == 4


@pytest.mark.parametrize("gap", [0.0, 0.02])
def test_outcomes_do_not_depend_on_the_batching(tmp_path: Path, gap: float) -> None:
    items = [_item(n % 7, title=f"T{n % 7}" if n < 14 else f"T{n % 7} again") for n in range(21)]
    runs = []
    for batch in (1, 5):
        pipeline, _ = _pipeline(tmp_path / str(batch), batch=batch, wait=0.01)
        runs.append(asyncio.run(_feed(pipeline, [dict(i) for i in items], gap)))
        pipeline.close_spider()
    assert runs[0] == runs[1]
    assert runs[0].count("kept") == 14 and runs[0].count("unchanged") == 7


def test_a_store_that_fails_mid_batch_spills_each_uncommitted_article_once(tmp_path: Path) -> None:
    """The store commits every 2 writes; its second commit fails in the middle of a batch of 5
    lookups: the 2 committed articles stay stored, the 2 pending ones and the one never looked
    at are spilled, each once, and the next run's import stores every article once."""
    crawler = get_crawler(Spider, {"STORE_URL": f"sqlite:///{tmp_path}/s.sqlite3",
                                   "STORE_SPILL_DIR": str(tmp_path / "spill"), "STORE_BATCH_SIZE": 2,
                                   "STORE_LOOKUP_BATCH": 5, "STORE_LOOKUP_WAIT": 10.0})  # fmt: skip
    crawler.stats.open_spider()
    pipeline = StorePipeline.from_crawler(crawler)
    store: Any = pipeline.store
    write, writes = store._write, []

    def failing_second(ops: Any) -> Any:
        writes.append(len(ops))
        if len(writes) == 2:
            raise StoreUnavailable("store gone")
        return write(ops)

    store._write = failing_second
    results = asyncio.run(_feed(pipeline, [_item(n) for n in range(1, 6)]))
    assert writes == [2, 2]
    assert results == ["kept", "kept"] + ["store_unavailable (spilled)"] * 3
    lines = spill_path(tmp_path / "spill", store.url).read_text(encoding="utf-8").splitlines()
    assert [article_from_line(line).url for line in lines] == [f"http://example.cn/a/{n}.html" for n in (3, 4, 5)]
    assert crawler.stats.get_value("article/spilled") == 3
    assert crawler.stats.get_value("article/stored") == 2

    from crawler.storage import open_store
    from crawler.storage.spill import import_spill

    again = open_store(store.url)
    imported = import_spill(spill_path(tmp_path / "spill", store.url), again)
    assert imported.imported == 3
    assert again.count() == 5
