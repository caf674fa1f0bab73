"""Crawl throughput beside bare Scrapy, and memory at scale.

    python -m benchmarks.throughput [N] [--store postgresql://...] [--scale] [--profile FILE]
                                    [--processes N[,M...]] [--also SETTING=VALUE ...]

Generates an N-article site (default 3,000; TRS-like Chinese article pages of 2-6 KB with varied
titles, bodies, outlets and minutes, listings of 20 with next links), serves it with Twisted Web
on a loopback port (its own process), then runs, with the same settings (CONCURRENT_REQUESTS=32,
no AutoThrottle, no delay, no robots.txt):

1. a bare Scrapy spider following the same links and parsing only the ``h1`` of each article;
2. the real crawl, ``scrapy crawl mediacenter -a start_url=... -a max_pages=100000`` with every
   pipeline, into a fresh SQLite file (or a fresh schema of ``--store``'s PostgreSQL database,
   dropped afterwards);

and prints pages/s of each, their ratio, the peak RSS of each process and the articles stored.
``--scale`` crawls 5,000 and 50,000 articles instead (peak RSS of each, articles stored) and then
re-crawls the unchanged 50,000-article site (requests, listing and article pages fetched).
``--repeat K`` runs the pair K times in turn, each real crawl into a fresh store, and prints the
median of the K ratios: on a shared machine one pair moves by ±20 %.
``--profile FILE`` runs the real crawl under cProfile and writes the profile to FILE.
The real crawl runs with the default ``EXTRACTION_PROCESSES`` (``auto``: extraction moves to
worker processes after the first 100 article pages); ``--processes 0,2`` also runs it with 0
(all on the reactor thread) and 2 workers; ``--also STORE_LOOKUP_BATCH=1`` (repeatable) runs it
once more with any other setting changed. Peak RSS is the crawl process's; "workers MB" is the
number of workers times the largest worker's peak RSS. "CPU ms" is the CPU time (user + system)
of the crawl process and its worker processes per page, start-up included: steadier from run to
run than pages/s on a shared machine (the database server's own CPU is not in it).
The server is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PER_PAGE = 20
LISTING = "/xwfb/"
# Common characters, for text that reads as Chinese to the extractor (not to a person).
_HAN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
    "面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去"
    "把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但"
    "质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式"
    "活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回"
    "则任取据处府研质城市产业投资项目签约合作创新数字经济智能制造平台服务企业发展博览会开幕举办论坛"
)
_OUTLETS = ["新华社", "重庆日报", "人民网", "清江日报", "中国新闻网", "经济日报", "光明网", "市政府办公厅",
            "市商务委", "央视新闻", "华龙网", "科技日报"]  # fmt: skip
_EDITORS = ["王静", "李明", "张伟", "刘洋", "陈晨", "赵磊", "孙悦", "周杰"]
_START = datetime(2024, 6, 30, 18, 0)
_SETTINGS = {
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "ROBOTSTXT_OBEY": "False",
    "TELNETCONSOLE_ENABLED": "False",
    "PROGRESS_ENABLED": "False",
}


# --- the site ---------------------------------------------------------------------------------


def _published(i: int) -> datetime:
    """Article i (0 = newest) was published 1 h 37 min before article i - 1 (varied minutes)."""
    return _START - timedelta(minutes=97 * i)


def article_path(i: int) -> str:
    day = _published(i)
    return f"{LISTING}{day:%Y%m}/t{day:%Y%m%d}_{i + 1}.html"


def _words(rng: random.Random, n: int) -> str:
    return "".join(rng.choices(_HAN, k=n))


def _title(i: int) -> str:
    rng = random.Random(i * 7919)
    return f"{_words(rng, rng.randint(4, 8))}{i + 1}{_words(rng, rng.randint(6, 14))}"


def article_page(i: int, total: int) -> bytes:
    rng = random.Random(i)
    title = _title(i)
    day = _published(i)
    outlet = _OUTLETS[i % len(_OUTLETS)]
    paragraphs = "\n".join(
        f"<p>　　{_words(rng, rng.randint(60, 140))}，{_words(rng, rng.randint(30, 90))}。</p>"
        for _ in range(rng.randint(3, 10))
    )
    related = "\n".join(
        f'<li><a href="{article_path(j)}">{_title(j)}</a><span>{_published(j):%Y-%m-%d}</span></li>'
        for j in range(max(0, i - 3), min(total, i + 3))
        if j != i
    )
    html = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_新闻发布_清江市人民政府</title>
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{day:%Y-%m-%d %H:%M}">
<meta name="ContentSource" content="{outlet}"></head>
<body><div class="top"><a href="/">首页</a> | <a href="{LISTING}index.html">新闻发布</a></div>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="{LISTING}index.html">新闻发布</a></div>
<div class="article"><h1 class="title">{title}</h1>
<div class="info"><span>时间：{day:%Y-%m-%d %H:%M}</span><span>来源：{outlet}</span>
<span>【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span></div>
<div class="TRS_Editor">
{paragraphs}
</div>
<div class="editor">（责任编辑：{_EDITORS[i % len(_EDITORS)]}）</div></div>
<div class="related"><h3>相关新闻</h3><ul>{related}</ul></div>
<div class="footer">主办：清江市人民政府办公厅 版权所有</div></body></html>
"""
    return html.encode("utf-8")


def listing_path(page: int) -> str:
    return f"{LISTING}index.html" if page == 0 else f"{LISTING}index_{page}.html"


def listing_page(page: int, total: int) -> bytes:
    first = page * PER_PAGE
    entries = "\n".join(
        f'<li><a href="{article_path(i)}" target="_blank">{_title(i)}</a>'
        f"<span>{_published(i):%Y-%m-%d}</span></li>"
        for i in range(first, min(total, first + PER_PAGE))
    )
    pages = (total + PER_PAGE - 1) // PER_PAGE
    nxt = f'<a href="{listing_path(page + 1)}">下一页</a>' if page + 1 < pages else ""
    html = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>新闻发布_清江市人民政府</title></head>
<body><div class="top"><a href="/">首页</a> | <a href="{LISTING}index.html">新闻发布</a></div>
<div class="location">当前位置：<a href="/">首页</a> &gt; 新闻发布</div>
<ul class="list">
{entries}
</ul>
<div class="page">共{pages}页 {nxt}</div>
<div class="footer">主办：清江市人民政府办公厅 版权所有</div></body></html>
"""
    return html.encode("utf-8")


_ARTICLE = re.compile(rf"^{LISTING}\d{{6}}/t\d{{8}}_(\d+)\.html$")
_LISTING = re.compile(rf"^{LISTING}index(?:_(\d+))?\.html$")


def page_for(path: str, total: int) -> bytes | None:
    """The page at ``path`` of the N-article site, or None (404)."""
    if m := _ARTICLE.match(path):
        i = int(m.group(1)) - 1
        return article_page(i, total) if 0 <= i < total and article_path(i) == path else None
    if m := _LISTING.match(path):
        page = int(m.group(1) or 0)
        return listing_page(page, total) if page * PER_PAGE < total else None
    return None


def serve(total: int) -> None:
    """The server process: prints its port, serves until SIGTERM."""
    from twisted.internet import reactor as installed
    from twisted.web.resource import Resource
    from twisted.web.server import Site

    class Pages(Resource):
        isLeaf = True

        def render_GET(self, request: Any) -> bytes:
            body = page_for(request.path.decode("ascii", "replace"), total)
            if body is None:
                request.setResponseCode(404)
                return b"not found"
            request.setHeader(b"content-type", b"text/html; charset=utf-8")
            return body

    reactor: Any = installed
    make_site: Any = Site  # Twisted's web classes are untyped
    make_pages: Any = Pages
    port = reactor.listenTCP(0, make_site(make_pages()), interface="127.0.0.1")
    print(port.getHost().port, flush=True)
    reactor.run()


class Server:
    """The site served by a child process, stopped on exit."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.proc: subprocess.Popen[str] | None = None
        self.base = ""

    def __enter__(self) -> Server:
        cmd = [sys.executable, "-m", "benchmarks.throughput", "--serve", str(self.total)]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        port = self.proc.stdout.readline().strip()
        if not port.isdigit():
            self.__exit__()
            raise SystemExit("error: the benchmark server did not start")
        self.base = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --- the crawls -------------------------------------------------------------------------------


def bare_crawl(start_url: str) -> None:
    """The bare spider's process: follows the listings and articles, parses only ``h1``."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class Bare(scrapy.Spider):
        name = "bare"

        async def start(self) -> Any:
            yield scrapy.Request(start_url)

        def parse(self, response: Any, **kwargs: Any) -> Any:
            yield from response.follow_all(css="ul.list li a", callback=self.parse_article)
            yield from response.follow_all(xpath="//div[@class='page']/a", callback=self.parse)

        def parse_article(self, response: Any) -> Any:
            yield {"title": response.css("h1::text").get()}

    process = CrawlerProcess({**_SETTINGS, "LOG_LEVEL": "INFO"})
    process.crawl(Bare)
    process.start()


@dataclass
class Run:
    pages: int
    seconds: float
    rss_mb: float
    stats: dict[str, float]
    cpu_seconds: float = 0.0  # user + system, the process and its worker processes, start-up included

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / self.pages if self.pages else 0.0

    @property
    def per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def _stats(log: str) -> dict[str, float]:
    dump = log.rpartition("Dumping Scrapy stats:")[2]
    return {k: float(v) for k, v in re.findall(r"'([\w/]+)': (\d+(?:\.\d+)?)[,}]", dump)}


def _run(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> Run:
    """Run one crawl process; its pages and crawl time come from the stats Scrapy dumps at the
    end (start-up and imports are not counted), its peak RSS and CPU time from the kernel (wait4)."""
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode not in (0, 3):  # 3: a failed health check, still a finished crawl
        tail = "\n".join(text.splitlines()[-15:])
        raise SystemExit(f"error: crawl failed with status {proc.returncode}:\n{tail}")
    stats = _stats(text)
    return Run(int(stats.get("response_received_count", 0)), stats.get("elapsed_time_seconds", 0.0),
               usage.ru_maxrss / 1024, stats, usage.ru_utime + usage.ru_stime)  # fmt: skip


def run_bare(base: str, tmp: Path) -> Run:
    cmd = [sys.executable, "-m", "benchmarks.throughput", "--bare", f"{base}{listing_path(0)}"]
    return _run(cmd, tmp / "bare.log")


def run_real(base: str, store: str, tmp: Path, name: str, *extra: str, profile: str | None = None) -> Run:
    head = [sys.executable]
    if profile:
        head += ["-m", "cProfile", "-o", profile]
    else:
        head += ["-m"]
    cmd = [*head, "scrapy" if not profile else _scrapy_script(), "crawl", "mediacenter",
           "-a", f"start_url={base}{listing_path(0)}", "-a", "max_pages=100000",
           "-s", f"STORE_URL={store}", "-s", f"RUNS_DIR={tmp / 'runs'}",
           "-s", f"STORE_SPILL_DIR={tmp / 'spill'}", *extra]  # fmt: skip
    for key, value in _SETTINGS.items():
        cmd += ["-s", f"{key}={value}"]
    return _run(cmd, tmp / f"{name}.log")


def _scrapy_script() -> str:
    """cProfile runs a script, not a module: Scrapy's own entry point script."""
    return str(Path(sys.executable).with_name("scrapy"))


def stored(store: str) -> int:
    from crawler.storage import open_store

    db = open_store(store)
    try:
        return db.count()
    finally:
        db.close()


class StoreFactory:
    """Fresh stores: SQLite files in the temp dir, or schemas of a PostgreSQL database."""

    def __init__(self, url: str | None, tmp: Path) -> None:
        self.url = url
        self.tmp = tmp
        self.schemas: list[str] = []

    def new(self, name: str) -> str:
        if not self.url:
            return f"sqlite:///{self.tmp / name}.sqlite3"
        import psycopg

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        sep = "&" if "?" in self.url else "?"
        return f"{self.url}{sep}options=-csearch_path%3D{schema}"

    def drop(self) -> None:
        if not self.schemas:
            return
        import psycopg

        with psycopg.connect(str(self.url), autocommit=True) as conn:
            for schema in self.schemas:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _row(name: str, run: Run, articles: int | None = None) -> str:
    count = "-" if articles is None else str(articles)
    worker = run.stats.get("extraction/worker_max_rss_mb")
    workers = f"{int(run.stats.get('extraction/pool_processes', 0))} x {worker:.0f}" if worker else "-"
    return (f"{name:<42}{run.pages:>7}{run.seconds:>9.1f}{run.per_second:>9.0f}{run.cpu_ms_per_page:>8.2f}"
            f"{run.rss_mb:>9.0f}{workers:>12}{count:>10}")  # fmt: skip


HEADER = (f"{'run':<42}{'pages':>7}{'seconds':>9}{'pages/s':>9}{'CPU ms':>8}{'RSS MB':>9}{'workers MB':>12}"
          f"{'articles':>10}")  # fmt: skip


def compare(total: int, store_url: str | None, profile: str | None, variants: list[str],
            repeat: int = 1) -> int:  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp_dir, Server(total) as server:
        tmp = Path(tmp_dir)
        stores = StoreFactory(store_url, tmp)
        try:
            store = stores.new("compare")
            kind = "PostgreSQL" if store_url else "SQLite"
            pages = (total + PER_PAGE - 1) // PER_PAGE
            print(f"site: {total} articles, {pages} listing pages, {server.base}")
            print(HEADER)
            ratios = []
            for turn in range(repeat):
                if turn:
                    store = stores.new(f"compare{turn}")
                bare = run_bare(server.base, tmp)
                print(_row("bare Scrapy (h1 only)", bare))
                real = run_real(server.base, store, tmp, "real", profile=profile)
                print(_row(f"mediacenter, all pipelines, {kind}", real, stored(store)))
                ratios.append(real.per_second / bare.per_second)
                print(f"ratio (mediacenter / bare pages/s): {ratios[-1]:.2f}")
            if repeat > 1:
                listed = ", ".join(f"{r:.2f}" for r in ratios)
                print(f"median ratio of {repeat} pairs: {statistics.median(ratios):.2f} ({listed})")
            for n, setting in enumerate(variants):
                store = stores.new(f"variant{n}")
                variant = run_real(server.base, store, tmp, f"variant{n}", "-s", setting)
                print(_row(f"  the same, {setting}", variant, stored(store)))
                print(f"ratio ({setting} / bare pages/s): {variant.per_second / bare.per_second:.2f}")
            if profile:
                print(f"profile written to {profile} (the crawl ran under cProfile: slower than without)")
        finally:
            stores.drop()
    return 0


def scale(store_url: str | None) -> int:
    results: dict[str, Any] = {}
    print(HEADER)
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        stores = StoreFactory(store_url, tmp)
        try:
            for total in (5000, 50000):
                with Server(total) as server:
                    store = stores.new(f"scale{total}")
                    run = run_real(server.base, store, tmp, f"scale{total}")
                    count = stored(store)
                    print(_row(f"mediacenter, {total} articles", run, count), flush=True)
                    results[str(total)] = {"rss_mb": run.rss_mb, "stored": count}
                    if total == 50000:
                        again = run_real(server.base, store, tmp, "recrawl")
                        listings = int(again.stats.get("listing/pages", 0))
                        print(_row("re-crawl of the unchanged 50000", again, stored(store)))
                        print(f"re-crawl: {again.pages} responses, {listings} listing pages, "
                              f"{again.pages - listings} article pages")  # fmt: skip
                        results["recrawl"] = {"responses": again.pages, "listing_pages": listings,
                                              "article_pages": again.pages - listings}  # fmt: skip
        finally:
            stores.drop()
    small, large = results["5000"]["rss_mb"], results["50000"]["rss_mb"]
    print(f"peak RSS at 50000 / at 5000: {large / small:.2f}")
    print(json.dumps(results))
    return 0


def main(argv: list[str] | None = None) -> int:
    summary = (__doc__ or "").split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m benchmarks.throughput", description=summary)
    parser.add_argument("n", nargs="?", type=int, default=3000, help="articles of the site (default 3000)")
    parser.add_argument("--store", help="a PostgreSQL database URL (a fresh schema is used and dropped)")
    parser.add_argument("--scale", action="store_true", help="5,000 and 50,000 articles and a re-crawl")
    parser.add_argument("--profile", metavar="FILE", help="run the real crawl under cProfile, write FILE")
    parser.add_argument(
        "--processes", metavar="N[,M...]", default="",
        help="also crawl with EXTRACTION_PROCESSES=N (and M...): extraction in worker processes",
    )  # fmt: skip
    parser.add_argument(
        "--also", metavar="SETTING=VALUE", action="append", default=[],
        help="also crawl with this setting changed (repeatable), e.g. STORE_LOOKUP_BATCH=1",
    )  # fmt: skip
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="K",
        help="run the bare and the real crawl K times in turn and print the median of their ratios",
    )  # fmt: skip
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bare", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        serve(args.serve)
        return 0
    if args.bare is not None:
        bare_crawl(args.bare)
        return 0
    if args.n < 1:
        parser.error("N must be at least 1")
    if args.store and not args.store.startswith(("postgresql://", "postgres://")):
        parser.error("--store takes a postgresql:// URL (SQLite is the default)")
    try:
        processes = [int(p) for p in args.processes.split(",") if p.strip()]
    except ValueError:
        parser.error(f"--processes takes numbers separated by commas, not {args.processes!r}")
    if any(p < 0 for p in processes):
        parser.error("--processes takes numbers of 0 or more")
    for setting in args.also:
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*=.*", setting):
            parser.error(f"--also takes SETTING=VALUE with an upper-case setting name, not {setting!r}")
    if args.scale:
        return scale(args.store)
    if args.repeat < 1:
        parser.error("--repeat takes a number of 1 or more")
    variants = [f"EXTRACTION_PROCESSES={p}" for p in processes] + args.also
    return compare(args.n, args.store, args.profile, variants, args.repeat)


if __name__ == "__main__":
    raise SystemExit(main())
