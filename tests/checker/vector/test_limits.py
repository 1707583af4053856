"""Limits (states, time, memory, an interrupt) stop the vectorised search, in the search and in
the liveness graph, with exit status 3 from the command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from harness import run_cli, run_cli_process
from vector_helpers import P1, ROOT, compiled, run

from numaspec.checker.explicit import check
from numaspec.checker.explicit.search import SafetySearch
from numaspec.checker.results import CheckOptions
from numaspec.spec.pipeline import compile_spec


@pytest.mark.parametrize("symmetry", [False, True])
@pytest.mark.parametrize(("limit", "reason"), [
    ({"max_states": 100}, "--max-states 100"),
    ({"timeout": 0.0001}, "--timeout 0.0001 s"),
    ({"max_memory_mb": 10}, "--max-memory 10 MB"),
])
def test_limits_stop_the_vectorised_search(limit: dict[str, Any], reason: str,
                                           symmetry: bool) -> None:
    full = {False: 12496, True: 2102}[symmetry]  # P1's states and orbits, 3 nodes, 2 pages
    for liveness in (False, True):
        result = check(compiled(P1), CheckOptions(symmetry=symmetry, liveness=liveness,
                                                  **limit))
        assert result.stats.evaluation == "vectorised"
        assert (result.verdict, result.stopped_by, result.finding) == ("limit", reason, None)
        assert 0 < result.stats.distinct_states < full
        if "max_states" in limit:
            assert result.stats.distinct_states >= 100
        assert result.stats.seconds > 0 and result.stats.store_bytes_per_state > 0


def test_limit_in_the_liveness_graph(tmp_path: Path) -> None:
    """2,102 orbits fit under --max-states 5000, and so does the quotient graph liveness is
    decided on (it has one node per orbit).  A `leads_to` bound to a node is decided on the
    full graph: rotate's 3 orbits fit under --max-states 5, its full graph of 7 states
    does not."""
    by_node = tmp_path / "by_node.numa"
    by_node.write_text((ROOT / "tests" / "corpus" / "quotient" / "rotate.numa").read_text()
                       .replace("token != {} leads_to", "forall n: Node: n in token leads_to"))
    for vectorise in (True, False):
        result = check(compiled(P1), CheckOptions(vectorise=vectorise, max_states=5000))
        assert (result.verdict, result.stats.liveness_states) == ("holds", 2102)
        assert result.stats.evaluation == ("vectorised" if vectorise else "interpreted")
        result = check(compile_spec(str(by_node), []).spec,
                       CheckOptions(vectorise=vectorise, max_states=5))
        assert (result.verdict, result.stopped_by) == ("limit", "--max-states 5")
        assert result.stats.distinct_states == 3 and result.finding is None


def test_cli_limits_end_with_exit_3() -> None:
    run = run_cli(["check", P1, "--max-states", "100"])
    assert run.status == 3
    out = run.out
    assert "stopped by --max-states 100" in out and "distinct states" in out
    assert "not vectorised" not in out
    run = run_cli(["check", P1, "--no-symmetry", "--timeout", "0.0001", "--json"])
    assert run.status == 3
    result = json.loads(run.out)
    assert (result["verdict"], result["stopped_by"]) == ("limit", "--timeout 0.0001 s")
    stats = result["stats"]
    # On a loaded machine the limit may fall while the spec is compiled, before any state:
    # then nothing is explored; else the search that stopped is the vectorised one.
    if stats["distinct_states"] == 0:
        assert (stats["transitions"], stats["depth"]) == (0, 0)
    else:
        assert stats["evaluation"] == "vectorised"


def test_cli_limit_in_a_process_has_no_traceback() -> None:
    done = run_cli_process(["check", P1, "--timeout", "0.0001"], timeout=120)
    assert done.status == 3, done.err
    assert "Traceback" not in done.err + done.out
    assert "stopped by --timeout 0.0001 s" in done.out


def test_interrupt_stops_the_vectorised_search(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(self: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(SafetySearch, "check_limits", interrupt)
    result = run(compiled(P1), True)
    assert (result.verdict, result.stopped_by) == ("limit", "interrupted")
    assert result.stats.evaluation == "vectorised" and result.stats.distinct_states > 0
    cli = run_cli(["check", P1])
    assert cli.status == 3
    assert "stopped by interrupted" in cli.out
