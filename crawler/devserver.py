"""The fixture server: each bundled site served at the root of its own loopback port.

Conventions are in ``fixtures/CONVENTIONS.md``: files by path, ``_``-prefixed names hidden,
``_site.yaml`` for headers, redirects and the dynamic list APIs (Hanweb dataproxy, JSONP).
"""

from __future__ import annotations

import fnmatch
import json
import logging
import re
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

logger = logging.getLogger(__name__)

FIXTURE_SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".shtml": "text/html", ".json": "application/json",
    ".js": "application/javascript", ".xml": "text/xml", ".txt": "text/plain", ".css": "text/css",
    ".jsp": "text/html", ".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif",
}  # fmt: skip
_INDEXES = ("index.html", "index.shtml", "index.htm")


@dataclass
class SiteConfig:
    root: Path
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    routes: list[dict[str, Any]] = field(default_factory=list)
    hits: int = 0  # requests served so far (tests wait on it)

    @classmethod
    def load(cls, root: Path) -> SiteConfig:
        path = root / "_site.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        data = data or {}
        return cls(root, data.get("headers") or {}, data.get("redirects") or {}, data.get("routes") or [])


class FixtureHandler(BaseHTTPRequestHandler):
    server_version = "FixtureServer/1.0"
    site: SiteConfig  # set on the per-site subclass

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._serve("GET", b"")

    def do_HEAD(self) -> None:
        self._serve("HEAD", b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._serve("POST", self.rfile.read(length) if length else b"")

    def _serve(self, method: str, body: bytes) -> None:
        self.site.hits += 1
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if body:
            params.update({k: v[-1] for k, v in parse_qs(body.decode("latin-1")).items()})
        if path in self.site.redirects:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", self.site.redirects[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        for route in self.site.routes:
            if route.get("path") == path and route.get("method", "GET").upper() == method.replace(
                "HEAD", "GET"
            ):
                self._route(route, params, method)
                return
        file = self._file_for(path)
        if file is None or method == "POST":
            self._send(HTTPStatus.NOT_FOUND, b"<html><body><h1>404 Not Found</h1></body></html>",
                       "text/html; charset=utf-8", path, method)  # fmt: skip
            return
        ctype = _TYPES.get(file.suffix.lower(), "application/octet-stream")
        self._send(HTTPStatus.OK, file.read_bytes(), ctype, path, method)

    def _file_for(self, path: str) -> Path | None:
        if any(part.startswith("_") or part == ".." for part in path.split("/")):
            return None
        target = (self.site.root / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.site.root.resolve()):  # a prefix test let /site2 through /site
            return None
        if target.is_dir():
            for name in _INDEXES:
                if (target / name).is_file():
                    return target / name
            return None
        return target if target.is_file() else None

    def _route(self, route: dict[str, Any], params: dict[str, str], method: str) -> None:
        kind = route.get("kind")
        page = params.get("page", "1")
        name = str(route["file"]).replace("{page}", page if page.isdigit() else "1")
        file = self.site.root / name
        if not file.is_file():
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain", route["path"], method)
            return
        data = file.read_bytes()
        if kind == "hanweb_dataproxy":
            data = _hanweb_slice(data.decode("utf-8"), params).encode("utf-8")
            self._send(HTTPStatus.OK, data, "text/xml; charset=utf-8", route["path"], method)
        elif kind == "jsonp":
            callback = re.sub(r"[^\w.$]", "", params.get("callback", "callback")) or "callback"
            payload = f"{callback}({data.decode('utf-8').strip()});".encode()
            self._send(HTTPStatus.OK, payload, "application/javascript; charset=utf-8", route["path"], method)
        else:
            self._send(HTTPStatus.OK, data, route.get("content_type", "text/plain"), route["path"], method)

    def _send(self, status: HTTPStatus, data: bytes, ctype: str, path: str, method: str) -> None:
        headers = {"Content-Type": ctype}
        for pattern, extra in self.site.headers.items():
            if fnmatch.fnmatch(path, pattern) and status == HTTPStatus.OK:
                headers.update(extra)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(data)


def _hanweb_slice(document: str, params: dict[str, str]) -> str:
    records = re.findall(r"<record>.*?</record>", document, re.S)
    start = max(int(params.get("startrecord", "1") or 1), 1)
    end = int(params.get("endrecord", str(len(records))) or len(records))
    chosen = "".join(records[start - 1 : end])
    head, _, rest = document.partition("<recordset>")
    _, _, tail = rest.partition("</recordset>")
    tail = re.sub(r"<totalrecord>\d*</totalrecord>", f"<totalrecord>{len(records)}</totalrecord>", tail)
    if "<totalrecord>" not in tail and "<totalrecord>" not in head:
        tail = f"<totalrecord>{len(records)}</totalrecord>" + tail
    return f"{head}<recordset>{chosen}</recordset>{tail}"


class SiteServer:
    """One site on one loopback port, served from a background thread."""

    def __init__(self, root: Path, port: int = 0, host: str = "127.0.0.1") -> None:
        self.config = SiteConfig.load(root)
        handler = type("Handler", (FixtureHandler,), {"site": self.config})
        self.name = root.name
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, name=f"fixture-{root.name}", daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SiteServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class FixtureServers:
    """Every site under a directory (or the one site a directory is), each on its own port."""

    def __init__(self, directory: Path = FIXTURE_SITES, port: int = 0) -> None:
        directory = Path(directory)
        if not directory.is_dir():
            raise FileNotFoundError(f"no such fixture directory: {directory}")
        if (directory / "robots.txt").exists() or (directory / "_site.yaml").exists():
            roots = [directory]
        else:
            roots = sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
        self.servers: dict[str, SiteServer] = {}
        for i, root in enumerate(roots):
            self.servers[root.name] = SiteServer(root, port if i == 0 else 0)

    def __enter__(self) -> FixtureServers:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> FixtureServers:
        for server in self.servers.values():
            server.start()
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()

    def hits(self, site: str) -> int:
        """Requests the site's server has answered so far."""
        return self.servers[site].config.hits

    @property
    def urls(self) -> dict[str, str]:
        return {name: server.base_url for name, server in self.servers.items()}

    def describe(self) -> str:
        return json.dumps(self.urls, indent=2)
