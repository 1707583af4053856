"""What the encoders cannot translate is checked by the interpreter: the result says why, and
agrees with the interpreted run; the command reports it."""

from __future__ import annotations

import json

from harness import run_cli
from vector_helpers import CONSTRUCTS, P1, UNSUPPORTED, compiled, run


def test_unsupported_spec_is_checked_by_the_interpreter() -> None:
    spec = compiled(UNSUPPORTED)
    fallback = run(spec, True)
    assert fallback.stats.evaluation == "interpreted"
    assert fallback.stats.not_vectorised is not None
    assert "0..9999" in fallback.stats.not_vectorised
    reference = run(spec, False)
    assert reference.stats.not_vectorised is None  # asked for, not a fallback
    assert (fallback.verdict, fallback.stats.distinct_states, fallback.stats.transitions) == \
        (reference.verdict, reference.stats.distinct_states, reference.stats.transitions) == \
        ("holds", 4, 8)
    dfs = run(spec, True, engine="dfs")  # only bfs is vectorised: no reason to give
    assert dfs.stats.evaluation == "interpreted" and dfs.stats.not_vectorised is None


def test_fallback_names_the_construct_and_agrees() -> None:
    """constructs.numa's `{1, 2} <= {1, 2, 3}`: a set of `int`, with its place."""
    spec = compiled(CONSTRUCTS)
    fallback, reference = run(spec, True, symmetry=False), run(spec, False, symmetry=False)
    reason = fallback.stats.not_vectorised
    assert reason is not None and "int" in reason and "constructs.numa:" in reason
    assert fallback.finding is not None and reference.finding is not None
    assert fallback.finding.trace == reference.finding.trace
    assert fallback.stats.distinct_states == reference.stats.distinct_states


def test_cli_reports_the_fallback() -> None:
    cli = run_cli(["check", UNSUPPORTED])
    assert cli.status == 0
    out = cli.out
    assert "not vectorised: " in out and "a set or map over `0..9999`" in out
    cli = run_cli(["check", UNSUPPORTED, "--no-vectorise"])
    assert cli.status == 0
    assert "not vectorised" not in cli.out
    cli = run_cli(["check", UNSUPPORTED, "--json"])
    assert cli.status == 0
    assert json.loads(cli.out)["stats"]["evaluation"] == "interpreted"
    cli = run_cli(["check", P1, "-D", "NODES=2", "-D", "PAGES=1", "--json"])
    assert cli.status == 0
    stats = json.loads(cli.out)["stats"]
    assert stats["evaluation"] == "vectorised" and stats["distinct_states"] == 11
