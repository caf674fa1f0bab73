from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from crawler.devserver import FixtureServers

ROOT = Path(__file__).resolve().parents[2]


def _get(url: str, data: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_each_site_on_its_own_port(fixture_sites: dict[str, str]) -> None:
    assert "smartchina_expo" in fixture_sites
    ports = {url.rsplit(":", 1)[1] for url in fixture_sites.values()}
    assert len(ports) == len(fixture_sites)
    assert all(url.startswith("http://127.0.0.1:") for url in fixture_sites.values())


def test_serves_files_indexes_and_404(fixture_sites: dict[str, str]) -> None:
    base = fixture_sites["smartchina_expo"]
    status, headers, body = _get(base + "/English/syxwlb/index.shtml")
    assert status == 200 and headers["Content-Type"] == "text/html" and b"news_list" in body
    status, _, body = _get(base + "/English/syxwlb/")
    assert status == 200 and b"news_list" in body
    assert _get(base + "/English/nope.shtml")[0] == 404
    assert _get(base + "/../pyproject.toml")[0] == 404


def test_routes_headers_and_hidden_files(tmp_path: Path) -> None:
    site = tmp_path / "s"
    (site / "_api").mkdir(parents=True)
    (site / "robots.txt").write_text("User-agent: *\n")
    (site / "a.html").write_bytes("<p>中文</p>".encode("gbk"))
    (site / "_api" / "list_2.json").write_text('{"x": 2}')
    records = "".join(f"<record><![CDATA[<li>{i}</li>]]></record>" for i in range(1, 21))
    (site / "_api" / "col.xml").write_text(f"<datastore><recordset>{records}</recordset></datastore>")
    (site / "_site.yaml").write_text(
        'headers:\n  "*.html": {"Content-Type": "text/html; charset=GBK"}\n'
        "redirects:\n  /old.html: /a.html\n"
        "routes:\n  - {path: /list.js, method: GET, kind: jsonp, file: '_api/list_{page}.json'}\n"
        "  - {path: /proxy.jsp, method: POST, kind: hanweb_dataproxy, file: _api/col.xml}\n"
    )
    with FixtureServers(site) as servers:
        base = servers.urls["s"]
        _, headers, _ = _get(base + "/a.html")
        assert headers["Content-Type"] == "text/html; charset=GBK"
        assert _get(base + "/_site.yaml")[0] == 404
        assert _get(base + "/old.html")[2] == "<p>中文</p>".encode("gbk")
        assert _get(base + "/list.js?page=2&callback=cb")[2] == b'cb({"x": 2});'
        assert _get(base + "/list.js?page=3")[0] == 404
        body = _get(base + "/proxy.jsp?startrecord=16&endrecord=30", data=b"perpage=15")[2].decode()
        assert body.count("<record>") == 5 and "<totalrecord>20</totalrecord>" in body


def test_serve_command_prints_base_url_first() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", str(ROOT / "fixtures" / "sites" / "smartchina_expo")],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        assert first.startswith("http://127.0.0.1:")
        assert _get(first + "/robots.txt")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_command_rejects_missing_directory() -> None:
    proc = subprocess.run([sys.executable, "-m", "crawler", "serve", "/no/such/dir"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: no such fixture directory")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("path", ["/robots.txt"])
def test_robots_present(fixture_sites: dict[str, str], path: str) -> None:
    for base in fixture_sites.values():
        assert _get(base + path)[0] == 200
