"""A hostile web server on loopback, for the fault suite and the fault and soak benchmarks.

It serves a small news site (``/news/index.html``, two more listing pages, then a cycle back to
the first; ``good`` article pages) whose first listing page also links to one page per fault:
5xx then success, 429 with ``Retry-After``, a connection reset mid-body, a truncated body, a
response slower than the crawl's timeout, a redirect loop, a redirect to another host, a page
larger than ``DOWNLOAD_MAXSIZE``, a gzip bomb, binary bytes under ``text/html``, an empty 200, a
GBK article declared UTF-8, a 10,000-deep nesting, and hostile hrefs (``http://[x]/``,
``javascript:``, ``data:``, a 2,000-character URL, a port out of range). Other roots: an endless
pagination (``/endless/1.html``) and a listing of ``big_links`` links (``/big/index.html``).

Every loop is bounded: each request is answered once and the slow page sleeps a fixed time.
The server counts the requests of each path (``hits``) and when each came (``times``).
"""

from __future__ import annotations

import contextlib
import gzip
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

GOOD_PAGES = 20  # good articles on the three listing pages
_DAY = "2024-05-{:02d} {:02d}:{:02d}:00"


@dataclass
class FaultConfig:
    good: int = GOOD_PAGES
    big_bytes: int = 9 * 1024 * 1024  # the oversized page (50 MB in the benchmark)
    bomb_bytes: int = 64 * 1024 * 1024  # the gzip bomb, inflated (750 MiB in the benchmark)
    big_links: int = 2000  # links on /big/index.html (100,000 in the benchmark)
    slow_seconds: float = 4.0  # longer than the crawl's DOWNLOAD_TIMEOUT
    nesting: int = 10_000
    fail_share: float = 0.0  # soak: share of good article fetches answered 503 once
    soak_per_page: int = 50  # soak: entries per listing page
    seed: int = 9


@dataclass
class FaultState:
    config: FaultConfig
    hits: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)
    bomb: bytes = b""
    offsite_origin: str = ""

    def hit(self, path: str) -> int:
        with self.lock:
            self.hits[path] += 1
            self.times[path].append(time.monotonic())
            return self.hits[path]


def article_title(n: int) -> str:
    return f"Fault Expo opens hall {n} to exhibitors from forty countries"


def article_html(n: int, charset: str = "utf-8", title: str | None = None) -> str:
    title = title or article_title(n)
    day, hour, minute = 1 + n % 28, 8 + n % 10, n % 60
    paragraphs = "".join(
        f"<p>Hall {n} paragraph {i}: the organisers of the fault expo said on the opening day that "
        f"exhibitors from {n + i} cities would show their products to buyers, and that the hall "
        f"would stay open until the end of the month for visitors and the press.</p>"
        for i in range(1, 6)
    )
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head><body>'
        f'<div class="nav"><a href="/">Home</a> &gt; <a href="/news/index.html">News</a></div>'
        f'<div class="article"><h1>{title}</h1>'
        f'<div class="info">Release: Fault Daily Time: {_DAY.format(day, hour, minute)}</div>'
        f'<div id="content">{paragraphs}</div></div><div class="footer">Copyright Fault Expo</div>'
        f"</body></html>"
    )


def _listing(entries: list[tuple[str, str]], next_url: str | None) -> str:
    items = "".join(f'<li><a href="{href}">{text}</a><span>2024-05-01</span></li>' for href, text in entries)
    pager = f'<div class="pages"><a href="{next_url}">下一页</a></div>' if next_url else ""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>News - Fault Expo</title></head>'
        f'<body><div class="nav"><a href="/">Home</a></div><h2>News</h2>'
        f'<ul class="news_list">{items}</ul>{pager}</body></html>'
    )


# Fault pages linked from the first listing page: path -> what the server does.
FAULTS = {
    "/faults/5xx.html": "503 twice, then the article",
    "/faults/429.html": "429 with Retry-After: 1, then the article",
    "/faults/reset.html": "connection reset mid-body",
    "/faults/truncated.html": "body shorter than its Content-Length",
    "/faults/slow.html": "answers after the crawl's timeout",
    "/faults/loop1.html": "redirect loop (loop1 -> loop2 -> loop1)",
    "/faults/offsite.html": "302 to another host (127.0.0.2) serving an article",
    "/faults/big.html": "page larger than DOWNLOAD_MAXSIZE, no Content-Length",
    "/faults/bomb.html": "gzip bomb (Content-Encoding: gzip)",
    "/faults/binary.html": "random bytes under text/html",
    "/faults/empty.html": "empty 200",
    "/faults/gbk.html": "a GBK article declared charset=utf-8",
    "/faults/deep.html": "an article inside 10,000 nested <div>",
}
# Faults whose article must be stored in the end.
RECOVERABLE = {"/faults/5xx.html", "/faults/429.html", "/faults/gbk.html"}
HOSTILE_HREFS = [
    "http://[ccpa-preferences]/",
    "http://[x]/",
    "javascript:alert(1)",
    "data:text/html,<h1>x</h1>",
    "/news/" + "x" * 2000 + ".html",
    "http://127.0.0.1:99999/a.html",
]


def listing_entries(page: int, config: FaultConfig) -> list[tuple[str, str]]:
    per = -(-config.good // 3)
    numbers = range(1 + (page - 1) * per, min(config.good, page * per) + 1)
    entries = [(f"/news/a/{n}.html", article_title(n)) for n in numbers]
    if page == 1:
        entries += [
            (path, f"Fault page {path.rsplit('/', 1)[1]} with a long enough title") for path in FAULTS
        ]
        entries += [(href, "Hostile link to a page that cannot exist at all") for href in HOSTILE_HREFS]
    return entries


class FaultHandler(BaseHTTPRequestHandler):
    server_version = "FaultServer/1.0"
    state: FaultState

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        with contextlib.suppress(OSError):  # the crawler hung up on a fault page: that is the point
            super().handle()

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _html(self, text: str, status: int = 200) -> None:
        self._send(status, text.encode("utf-8"))

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        state = self.state
        config = state.config
        path = urlsplit(self.path).path
        count = state.hit(path)
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if path in {"/news/index.html", "/news/index_2.html", "/news/index_3.html"}:
            page = 1 if path == "/news/index.html" else int(path[-6])
            nxt = {1: "/news/index_2.html", 2: "/news/index_3.html", 3: "/news/index.html"}[page]  # a cycle
            return self._html(_listing(listing_entries(page, config), nxt))
        if path.startswith("/news/a/") and path.endswith(".html"):
            try:
                n = int(path[len("/news/a/") : -5])
            except ValueError:
                return self._send(404, b"not found")
            if not 1 <= n <= config.good:
                return self._send(404, b"not found")
            rng = random.Random(f"{config.seed}:{n}")
            if config.fail_share and count == 1 and rng.random() < config.fail_share:
                return self._send(503, b"busy")
            return self._html(article_html(n))
        if path.startswith("/soak/index"):
            # The soak's listing: ``soak_per_page`` good articles a page, then the next page.
            stem = path.removeprefix("/soak/index").removesuffix(".html").lstrip("_")
            page = int(stem) if stem.isdigit() else 1
            per = config.soak_per_page
            numbers = range(1 + (page - 1) * per, min(config.good, page * per) + 1)
            more = page * per < config.good
            return self._html(_listing([(f"/news/a/{n}.html", article_title(n)) for n in numbers],
                                       f"/soak/index_{page + 1}.html" if more else None))  # fmt: skip
        if path.startswith("/endless/"):
            stem = path.removeprefix("/endless/").removesuffix(".html")
            n = int(stem) if stem.isdigit() else 1
            target = 1 + n % config.good
            entry = (f"/news/a/{target}.html", article_title(target))
            return self._html(_listing([entry], f"/endless/{n + 1}.html"))
        if path == "/big/index.html":
            # Compact entries, so that 100,000 of them (5.6 MB) fit under DOWNLOAD_MAXSIZE.
            items = "".join(f'<li><a href="/big/a/{i}.html">Big entry {i} of the expo</a></li>'
                            for i in range(config.big_links))  # fmt: skip
            return self._html(f'<html><body><h2>News</h2><ul class="news_list">{items}</ul></body></html>')
        if path.startswith("/big/a/"):
            return self._html("<html><body><p>entry</p></body></html>")
        return self._fault(path, count)

    def _fault(self, path: str, count: int) -> None:
        state, config = self.state, self.state.config
        if path == "/faults/5xx.html":
            return self._html(article_html(101)) if count > 2 else self._send(503, b"unavailable")
        if path == "/faults/429.html":
            if count > 1:
                return self._html(article_html(102))
            return self._send(429, b"slow down", headers={"Retry-After": "1"})
        if path == "/faults/reset.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(article_html(103).encode()[:500])
            self.wfile.flush()
            self.connection.setsockopt(__import__("socket").SOL_SOCKET, __import__("socket").SO_LINGER,
                                       b"\x01\x00\x00\x00\x00\x00\x00\x00")  # fmt: skip
            self.close_connection = True
            self.connection.close()
            return None
        if path == "/faults/truncated.html":
            body = article_html(104).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body) + 5000))
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
            return None
        if path == "/faults/slow.html":
            time.sleep(config.slow_seconds)
            return self._html(article_html(105))
        if path == "/faults/loop1.html":
            return self._send(302, b"", headers={"Location": "/faults/loop2.html"})
        if path == "/faults/loop2.html":
            return self._send(302, b"", headers={"Location": "/faults/loop1.html"})
        if path == "/faults/offsite.html":
            return self._send(302, b"", headers={"Location": f"{state.offsite_origin}/news/a/106.html"})
        if path == "/faults/big.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"big page text " * 4000 + b"</p>\n"
            sent = 0
            try:
                self.wfile.write(b"<html><body><h1>Big</h1>")
                while sent < config.big_bytes:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except OSError:
                pass  # the crawler hung up at its size limit
            self.close_connection = True
            return None
        if path == "/faults/bomb.html":
            return self._send(200, state.bomb, headers={"Content-Encoding": "gzip"})
        if path == "/faults/binary.html":
            return self._send(200, random.Random(7).randbytes(20000))
        if path == "/faults/empty.html":
            return self._send(200, b"")
        if path == "/faults/gbk.html":
            text = article_html(107, title="会展中心迎来四十个国家的参展商和采购商代表团")
            return self._send(200, text.replace('charset="utf-8"', 'charset="utf-8"').encode("gbk"),
                              "text/html; charset=utf-8")  # fmt: skip
        if path == "/faults/deep.html":
            depth = config.nesting
            page = article_html(108)
            start, end = page.index('<div class="article">'), page.index('<div class="footer">')
            nested = "<div>" * depth + page[start:end] + "</div>" * depth
            return self._html(page[:start] + nested + page[end:])
        return self._send(404, b"not found")


class FaultServer:
    """The hostile site on 127.0.0.1 (and 127.0.0.2, the off-site target), on ephemeral ports."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self.state = FaultState(config or FaultConfig())
        self.state.bomb = gzip.compress(b"\0" * self.state.config.bomb_bytes, compresslevel=9)
        handler = type("BoundFaultHandler", (FaultHandler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.offsite = ThreadingHTTPServer(("127.0.0.2", 0), handler)
        self.offsite.daemon_threads = True
        self.state.offsite_origin = f"http://127.0.0.2:{self.offsite.server_address[1]}"
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._threads = [
            threading.Thread(target=s.serve_forever, daemon=True) for s in (self.httpd, self.offsite)
        ]

    def __enter__(self) -> FaultServer:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for server in (self.httpd, self.offsite):
            server.shutdown()
            server.server_close()
