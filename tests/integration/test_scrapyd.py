"""The project deploys to a real Scrapyd with scrapyd-client, and the deployed egg crawls the seed site.

Scrapyd runs on a free loopback port with its eggs, logs, items and databases under ``tmp_path``;
``scrapyd-deploy`` runs in a copy of the project whose ``scrapy.cfg`` targets that port (so the working
tree gets no ``build/`` or egg-info); the egg Scrapyd stored must carry the site profiles; the crawl is
scheduled through ``schedule.json`` against the in-process fixture server and its SQLite store is read.
Only loopback, only ``urllib``; every wait is bounded and Scrapyd (with its crawl processes) is
stopped in a ``finally``.
"""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from crawler.devserver import FIXTURE_SITES, FixtureServers

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "mediacenter"
SPIDER = "mediacenter"
SITE = "smartchina_expo"
SEED_URL = "http://smartchina-expo.cn/English/syxwlb/2019/7/3/1164745.shtml"
SEED_OUTLET = "Chongqing Daily, Chongqing TV Station"
SEED_PUBLISHED_AT = "2019-07-19T17:30:36+08:00"
SEED_ARTICLES = 28

STARTUP_TIMEOUT = 30.0  # seconds for daemonstatus.json to answer
SECRET = "s3cretScrapydPw"  # a password that must appear in no artefact
DEPLOY_TIMEOUT = 90.0  # seconds for scrapyd-deploy (egg build + upload + Scrapyd listing the spiders)
JOB_TIMEOUT = 120.0  # seconds for the scheduled crawl to show up as finished
STOP_TIMEOUT = 10.0  # seconds between terminate and kill
# All bounds together stay under the suite's pytest-timeout (300 s in pyproject.toml).

# Files of the project root the egg build reads (besides crawler/ and scrapy.cfg).
BUILD_FILES = ("setup.py", "pyproject.toml", "README.md", "MANIFEST.in", "LICENSE")
# Inherited variables that would point Scrapy, Scrapyd or the store somewhere else than tmp_path.
ENV_DROP = {"PYTHONPATH", "SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT", "SCRAPYD_EGG_VERSION",
            "DATABASE_URL", "CRAWLER_STORE_URL", "XDG_CONFIG_HOME"}  # fmt: skip

# Loopback only: never through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _tool(name: str) -> str:
    """A console script of this interpreter's environment (else PATH), or skip the test."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (it is a dev dependency: pip install -e '.[dev]')")
    return found


def _require_setuptools() -> None:
    """scrapyd-deploy builds the egg with this environment's setuptools, and Scrapyd runs eggs with pkg_resources."""
    try:
        version = metadata.version("setuptools")
    except metadata.PackageNotFoundError:
        version = "(not installed)"
    major = version.split(".")[0]
    if not major.isdigit() or int(major) < 77 or importlib.util.find_spec("pkg_resources") is None:
        pytest.fail(
            f"setuptools {version} cannot deploy this project to Scrapyd: scrapyd-deploy runs `setup.py bdist_egg` "
            'with it, which needs >=77 to read pyproject.toml (`license = "MIT"`, PEP 639), and Scrapyd\'s '
            "runner imports pkg_resources, gone from setuptools 82; pip install 'setuptools>=77,<81'"
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_DROP and not k.lower().endswith("_proxy")}
    env["HOME"] = str(home)  # no ~/.scrapyd.conf, ~/.scrapy.cfg or ~/.netrc of the person running the tests
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


def _get_json(url: str, timeout: float = 10.0) -> Any:
    with _OPENER.open(url, timeout=timeout) as resp:
        return json.load(resp)


def _get_text(url: str, timeout: float = 10.0) -> str:
    with _OPENER.open(url, timeout=timeout) as resp:
        return bytes(resp.read()).decode("utf-8", "replace")


def _post_json(url: str, fields: list[tuple[str, str]], timeout: float = 10.0) -> Any:
    data = urllib.parse.urlencode(fields).encode("ascii")
    with _OPENER.open(urllib.request.Request(url, data=data), timeout=timeout) as resp:
        return json.load(resp)


def _tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except FileNotFoundError:
        return f"<no {path}>"


def _diagnostics(workdir: Path, log: Path) -> str:
    """The job's Scrapy log, and Scrapyd's output, where a crawl's stderr and exit status go."""
    return f"--- {log.name}:\n{_tail(log)}\n--- scrapyd output:\n{_tail(workdir / 'scrapyd.out')}"


def _write_conf(workdir: Path, port: int) -> None:
    dirs = {name: workdir / name for name in ("eggs", "logs", "dbs", "items")}
    for path in dirs.values():
        path.mkdir()
    (workdir / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {dirs['eggs']}\n"
        f"logs_dir = {dirs['logs']}\n"
        f"dbs_dir = {dirs['dbs']}\n"
        f"items_dir = {dirs['items']}\n"
        "max_proc = 2\n"
        # Scrapyd logs each job's command line: this launcher masks the passwords in it.
        "launcher = crawler.scrapyd_launcher.MaskingLauncher\n"
        "poll_interval = 0.5\n",
        encoding="utf-8",
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate Scrapyd and the crawls it spawned (its process group), kill them if they do not stop."""
    if proc.poll() is not None:
        return
    # Signalled while Scrapyd is not yet reaped, so the group id is still the one it leads.
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=STOP_TIMEOUT)


@contextmanager
def _scrapyd(workdir: Path, env: dict[str, str]) -> Iterator[str]:
    """Scrapyd reading ``workdir/scrapyd.conf`` (its working directory), until it answers: its base URL."""
    port = _free_port()
    _write_conf(workdir, port)
    base = f"http://127.0.0.1:{port}"
    out_path = workdir / "scrapyd.out"
    with out_path.open("wb") as out:
        proc = subprocess.Popen(
            [_tool("scrapyd")],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"scrapyd exited with {proc.returncode}:\n{_tail(out_path)}")
            try:
                if _get_json(f"{base}/daemonstatus.json", timeout=2).get("status") == "ok":
                    break
            except (OSError, ValueError):
                pass  # not listening yet
            if time.monotonic() > deadline:
                pytest.fail(f"scrapyd did not answer within {STARTUP_TIMEOUT:.0f}s:\n{_tail(out_path)}")
            time.sleep(0.2)
        yield base
    finally:
        _stop(proc)


def _project_copy(dest: Path, scrapyd_url: str) -> Path:
    """The project's buildable files, with a scrapy.cfg whose [deploy] url is the test's Scrapyd."""
    dest.mkdir()
    shutil.copytree(ROOT / "crawler", dest / "crawler", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in BUILD_FILES:
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, dest / name)
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "scrapy.cfg", encoding="utf-8")
    assert cfg.get("deploy", "project") == PROJECT
    cfg.set("deploy", "url", f"{scrapyd_url}/")
    with (dest / "scrapy.cfg").open("w", encoding="utf-8") as fh:
        cfg.write(fh)
    return dest


def _deploy(project_dir: Path, env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [_tool("scrapyd-deploy")],
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEPLOY_TIMEOUT,
    )
    assert proc.returncode == 0, f"scrapyd-deploy failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    response: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return response


def _wait_finished(scrapyd_url: str, job: str, diagnostics: Callable[[], str]) -> dict[str, Any]:
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        jobs = _get_json(f"{scrapyd_url}/listjobs.json?project={PROJECT}")
        finished = [j for j in jobs["finished"] if j["id"] == job]
        if finished:
            return finished[0]  # type: ignore[no-any-return]
        if time.monotonic() > deadline:
            pytest.fail(f"job {job} not finished within {JOB_TIMEOUT:.0f}s: {jobs}\n{diagnostics()}")
        time.sleep(0.5)


def test_deploy_to_scrapyd_and_crawl_the_seed_site(tmp_path: Path) -> None:
    _tool("scrapyd")
    _tool("scrapyd-deploy")
    _require_setuptools()
    workdir = tmp_path / "scrapyd"
    workdir.mkdir()
    (tmp_path / "home").mkdir()
    env = _env(tmp_path / "home")
    store = tmp_path / "news.sqlite3"

    with _scrapyd(workdir, env) as scrapyd_url, FixtureServers(FIXTURE_SITES / SITE) as fixtures:
        # Deploy: scrapyd-deploy builds the egg from the project copy and uploads it to addversion.json.
        project_dir = _project_copy(tmp_path / "project", scrapyd_url)
        deployed = _deploy(project_dir, env)
        assert deployed["status"] == "ok", deployed
        assert deployed["project"] == PROJECT
        assert deployed["spiders"] >= 1, deployed

        # The egg Scrapyd stored carries the site profiles and the settings entry point it runs by.
        eggs = sorted((workdir / "eggs" / PROJECT).glob("*.egg"))
        assert len(eggs) == 1, eggs
        with zipfile.ZipFile(eggs[0]) as egg:
            names = set(egg.namelist())
            entry_points = egg.read("EGG-INFO/entry_points.txt").decode("utf-8")
        profiles = {
            f"crawler/profiles/{p.name}" for p in (project_dir / "crawler" / "profiles").glob("*.yaml")
        }
        assert f"crawler/profiles/{SITE}.yaml" in profiles
        assert profiles <= names, f"site profiles missing from the egg: {sorted(profiles - names)}"
        assert "crawler/settings.py" in names
        assert "[scrapy]" in entry_points and "settings = crawler.settings" in entry_points, entry_points

        assert SPIDER in _get_json(f"{scrapyd_url}/listspiders.json?project={PROJECT}")["spiders"]

        # Schedule the seed site against the fixture server, with every output under tmp_path.
        scheduled = _post_json(
            f"{scrapyd_url}/schedule.json",
            [
                ("project", PROJECT),
                ("spider", SPIDER),
                ("site", SITE),
                ("base_url", fixtures.urls[SITE]),
                ("setting", f"STORE_URL=sqlite:///{store}"),
                ("setting", f"STORE_SPILL_DIR={tmp_path / 'spill'}"),
                ("setting", f"RUNS_DIR={tmp_path / 'runs'}"),
                # Not used by this crawl (DISTRIBUTED is off), but echoed in Scrapy's overridden
                # settings: its password must appear in no output of Scrapyd's.
                ("setting", f"REDIS_URL=redis://:{SECRET}@127.0.0.1:6379/0"),
            ],
        )
        assert scheduled["status"] == "ok", scheduled
        job = scheduled["jobid"]
        log = workdir / "logs" / PROJECT / SPIDER / f"{job}.log"
        finished = _wait_finished(scrapyd_url, job, lambda: _diagnostics(workdir, log))
        pages = {
            "listjobs.json": json.dumps(_get_json(f"{scrapyd_url}/listjobs.json?project={PROJECT}")),
            "jobs page": _get_text(f"{scrapyd_url}/jobs"),
            "log page": _get_text(f"{scrapyd_url}{finished['log_url']}"),
        }

    assert finished["log_url"] == f"/logs/{PROJECT}/{SPIDER}/{job}.log"
    # The password of a setting is in no page Scrapyd serves and no file it or the crawl wrote.
    leaks = [name for name, text in pages.items() if SECRET in text]
    for path in [*workdir.rglob("*"), *(tmp_path / "runs").rglob("*")]:
        if path.is_file() and SECRET.encode() in path.read_bytes():
            leaks.append(str(path.relative_to(tmp_path)))
    assert not leaks, f"the Redis password leaked into {leaks}"
    assert "Spider closed (finished)" in _tail(log), _diagnostics(workdir, log)
    assert store.is_file(), f"no store written:\n{_diagnostics(workdir, log)}"
    with closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True)) as conn:
        count = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        seed = conn.execute(
            "SELECT outlet, published_at FROM articles WHERE canonical_url = ?", (SEED_URL,)
        ).fetchall()
    assert count == SEED_ARTICLES, _diagnostics(workdir, log)
    assert seed == [(SEED_OUTLET, SEED_PUBLISHED_AT)]

    # Scrapyd's items_dir gets a JSON-lines feed of the job's items beside the store.
    items = workdir / "items" / PROJECT / SPIDER / f"{job}.jl"
    lines = items.read_text(encoding="utf-8").splitlines()
    assert len(lines) == SEED_ARTICLES
    assert SEED_URL in {json.loads(line)["canonical_url"] for line in lines}
