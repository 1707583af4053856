"""The evaluation's figures as SVG too: the crossings of sharing_cost are labelled lines, the
time limit of verification_time is a named line; the SVG is deterministic."""

from __future__ import annotations

from pathlib import Path

from numaspec.checker.evaluation import plots
from numaspec.checker.evaluation.tables import Table


def _sharing() -> Table:
    table = Table("sharing", "t", ["n", "design", "shared fraction", "cost"])
    for design, costs in (("per-node", (10, 30)), ("single", (20, 20))):
        for fraction, cost in zip((0.0, 1.0), costs, strict=True):
            table.add(2, design, fraction, cost)
    return table


def test_sharing_cost_draws_its_crossings_in_png_and_svg(tmp_path: Path) -> None:
    name = plots.sharing(_sharing(), ["per-node", "single"], "cost", "cost", "t",
                         "sharing_cost", tmp_path, {2: 0.5})
    assert name == "sharing_cost.png" and (tmp_path / name).read_bytes()[:4] == b"\x89PNG"
    svg = (tmp_path / "sharing_cost.svg").read_text()
    assert svg.startswith("<?xml") and "crossing, n = 2: 50% shared" in svg
    again = tmp_path / "again"
    again.mkdir()
    plots.sharing(_sharing(), ["per-node", "single"], "cost", "cost", "t", "sharing_cost",
                  again, {2: 0.5})
    assert (again / "sharing_cost.svg").read_text() == svg  # no date, fixed ids


def test_verification_time_names_the_time_limit(tmp_path: Path) -> None:
    table = Table("verification", "t", [
        "n", "distinct states (symmetry-reduced)", "safety verdict", "safety seconds",
        "liveness graph states", "verdict with liveness", "seconds with liveness",
        "k-induction seconds"])
    table.add(2, 10, "holds", 0.5, 20, "holds", 1.0, None)
    table.add(3, 100, "limit (timeout)", 60.0, None, "limit (timeout)", 60.0, None)
    names = plots.verification(table, tmp_path, 60.0)
    assert names == ["verification_states.png", "verification_time.png"]
    assert "time limit: 60 s per run" in (tmp_path / "verification_time.svg").read_text()
