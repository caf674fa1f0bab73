"""The quality gate: no extraction figure falls below benchmarks/baseline.json by more than its
tolerance, and the README's quality table is the one rendered from that file."""

from __future__ import annotations

import pytest

from benchmarks import gate


def test_no_figure_falls_below_its_baseline() -> None:
    figures, missing = gate.measure()
    skip = frozenset(s for s in gate.SETS if s not in figures)
    found = gate.falls(figures, gate.load_baseline(), skip)
    assert not found, "figures fell below the baseline:\n" + "\n".join(map(str, found))
    if missing:
        pytest.skip(f"measured without {missing}")


def test_a_fall_beyond_the_tolerance_is_caught() -> None:
    baseline = {"tolerance": 0.005, "figures": {"unseen": {"title": 0.9, "body_f1": 0.95}}}
    assert not gate.falls({"unseen": {"title": 0.896, "body_f1": 0.99}}, baseline)
    found = gate.falls({"unseen": {"title": 0.894, "body_f1": 0.99}}, baseline)
    assert [(f.set, f.figure) for f in found] == [("unseen", "title")]
    missing = gate.falls({"unseen": {"title": 0.9}}, baseline)
    assert [(f.figure, f.now) for f in missing] == [("body_f1", None)]  # a figure gone is a fall


def test_the_readme_table_is_rendered_from_the_baseline() -> None:
    assert gate.readme_table() == gate.render_table(gate.load_baseline())
