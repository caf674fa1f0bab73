"""The configuration reference (docs/configuration.md) lists exactly the settings of settings.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_names() -> set[str]:
    tree = ast.parse((ROOT / "crawler" / "settings.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:  # module level only: the environment overrides at the end are ifs
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names.update(t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper())
    return names


def documented_names() -> set[str]:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", text, flags=re.M))


def test_the_configuration_reference_lists_exactly_the_settings() -> None:
    settings, documented = settings_names(), documented_names()
    assert len(settings) > 40
    assert not settings - documented, f"settings missing from docs/configuration.md: {sorted(settings - documented)}"
    assert not documented - settings, f"documented but not in settings.py: {sorted(documented - settings)}"
