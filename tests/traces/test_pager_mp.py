"""The multi-process P1 pager (examples/pager_mp): one OS process per node, its logs checked
under their causal order.  The correct system conforms in every run; each seeded bug is
found in most runs (the rates over 100 runs: bench/pager_mp_rates.py, or the slow test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from causal_logs import P1
from harness import run_cli

from examples.pager_mp import KNOWN_BUGS, run

pytestmark = pytest.mark.usefixtures("at_root")


def verdict(folder: Path, bug: str | None, seed: int, nodes: int = 3) -> str:
    paths = run(folder, nodes=nodes, steps=150, seed=seed, bugs=[bug] if bug else [])
    assert all(p.exists() for p in paths)
    result = run_cli(["trace", P1, str(folder), "--json"])
    assert result.status in (0, 1), result.err
    return str(json.loads(result.out)["verdict"])


def rates(tmp_path: Path, runs: int) -> dict[str | None, int]:
    found: dict[str | None, int] = {}
    for bug in (None, *sorted(KNOWN_BUGS)):
        found[bug] = 0
        for seed in range(runs):
            folder = tmp_path / f"{bug}-{seed}"
            folder.mkdir()
            found[bug] += verdict(folder, bug, seed, 3 + seed % 2) == "diverges"
    return found


def test_correct_system_conforms_and_bugs_are_found(tmp_path: Path) -> None:
    found = rates(tmp_path, 2)
    assert found[None] == 0  # the correct system conforms in every run
    assert sum(found[bug] for bug in KNOWN_BUGS) >= 3  # of 6 buggy runs
    assert found["fault_ignores_unmap"] >= 1 and found["skip_node"] >= 1


@pytest.mark.slow
def test_detection_rates_over_100_runs(tmp_path: Path) -> None:
    found = rates(tmp_path, 100)
    print({bug or "correct": f"{count}/100 diverge" for bug, count in found.items()})
    assert found[None] == 0
    assert all(found[bug] > 50 for bug in KNOWN_BUGS)


def test_unknown_bug_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown bugs"):
        run(tmp_path, bugs=["nope"])
