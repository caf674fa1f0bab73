from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = (
    ROOT
    / "fixtures"
    / "sites"
    / "smartchina_expo"
    / "English"
    / "syxwlb"
    / "2019"
    / "7"
    / "3"
    / "1164745.shtml"
)
PEOPLE = ROOT / "fixtures" / "sites" / "people" / "n1" / "2019" / "0611" / "c1013-31129740.html"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_extract_prints_one_json_line_per_file() -> None:
    proc = _cli(
        "extract",
        str(SEED),
        str(PEOPLE),
        "--url",
        "http://smartchina-expo.cn/English/syxwlb/2019/7/3/1164745.shtml",
    )
    assert proc.returncode == 0, proc.stderr
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["file"] == str(SEED)
    assert first["outlet"] == "Chongqing Daily, Chongqing TV Station"
    assert first["published_at"] == "2019-07-19T17:30:36+08:00"
    # The GB2312-declared page decodes as GB18030 (its names hold characters outside GB2312).
    assert second["encoding"] == "gb18030"
    assert second["author"] == "郑喆"


def test_extract_missing_file_is_a_short_error() -> None:
    proc = _cli("extract", "/no/such/page.html")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: no such file: /no/such/page.html"


def test_extract_unknown_profile() -> None:
    proc = _cli("extract", str(SEED), "--profile", "nope")
    assert proc.returncode == 2 and "unknown profile 'nope'" in proc.stderr and "Traceback" not in proc.stderr


def test_profiles_lists_and_validates(tmp_path: Path) -> None:
    proc = _cli("profiles")
    assert proc.returncode == 0
    names = [line.split()[0] for line in proc.stdout.splitlines()[:-1]]
    assert {"smartchina_expo", "trs_base", "hanweb", "xinhua"} <= set(names)
    (tmp_path / "broken.yaml").write_text(
        "name: broken\ndomains: [a.example]\nstart_urls: [http://a.example/]\ntimezone: Nowhere/Land\n"
    )
    bad = _cli("profiles", "--dir", str(tmp_path))
    assert bad.returncode == 2
    assert "broken.yaml: timezone: unknown timezone 'Nowhere/Land'" in bad.stderr
    assert "Traceback" not in bad.stderr
