"""Invariant inference (`numaspec infer`), `prove --lemmas`, the CTI classification of
`prove`, and BMC's whole-run time limit (checker/infer/, checker/smt/bmc.py)."""

from __future__ import annotations

from pathlib import Path

from harness import ROOT, run_cli

from numaspec.checker.infer import InferOptions, infer
from numaspec.checker.infer.candidates import Grammar, candidates
from numaspec.spec.pipeline import compile_spec
from numaspec.spec.syntax.parser import parse_module

LOCK = str(ROOT / "tests/corpus/infer/lock.numa")
LOCK_BUG = str(ROOT / "tests/corpus/infer/lock_bug.numa")


def _infer(path: str, sizes: tuple[int, ...] = (2, 3)):  # type: ignore[no-untyped-def]
    compiled = compile_spec(path)
    return infer(path, compiled.spec, compiled.sources[compiled.spec.path], (),
                 InferOptions(sizes))


def test_candidates_are_deterministic_and_deduplicated() -> None:
    compiled = compile_spec(LOCK)
    module = parse_module(compiled.sources[compiled.spec.path], compiled.spec.path)
    first = candidates(compiled.spec, module, Grammar())
    assert first == candidates(compiled.spec, module, Grammar())
    assert len(first) == len(set(first)) > 50
    assert "forall n: Node: n in holding implies locked" in first


def test_infer_finds_an_inductive_set_and_prove_reads_it(tmp_path: Path) -> None:
    out = tmp_path / "lock.lemmas.numa"
    run = run_cli(["infer", LOCK, "--out", str(out)])
    assert run.status == 0, run.out
    assert "kept 3:" in run.out and "inductive at 3 nodes" in run.out
    text = out.read_text()
    assert text.count("@lemma invariant") == 3
    # the lemmas prove the invariant for a size never sampled; without them, a CTI
    proved = run_cli(["prove", LOCK, "--lemmas", str(out), "-D", "NODES=6"])
    assert proved.status == 0 and "proved: exclusive" in proved.out
    assert run_cli(["prove", LOCK, "-D", "NODES=6", "--classify", "0"]).status == 1


def test_infer_reports_why_candidates_were_dropped() -> None:
    result = _infer(LOCK)
    assert result.proved and result.complete
    reasons = set(result.dropped.values())
    assert "false in a reachable state at 2 nodes" in reasons
    assert "redundant (minimisation)" in reasons
    assert result.dropped["locked"] == "false in a reachable state at 2 nodes"


def test_prove_says_a_cti_of_a_correct_spec_is_unreachable() -> None:
    run = run_cli(["prove", LOCK])
    assert run.status == 1
    assert "an unreachable state" in run.out and "try `numaspec infer`" in run.out
    assert ("a candidate lemma (true in every reachable state) that excludes it: forall n: "
            "Node: holds(n) implies locked") in run.out


def test_prove_reports_the_real_violation_of_a_buggy_spec() -> None:
    run = run_cli(["prove", LOCK_BUG])
    assert run.status == 1
    assert "a real violation" in run.out and "here is the trace" in run.out
    assert "take(n=1) on node 1" in run.out and "invariant exclusive is false" in run.out


def test_lemma_file_errors_are_located_in_the_side_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.numa"
    bad.write_text("module bad\n@lemma invariant x: forall n: Node: nonsense(n)\n")
    run = run_cli(["prove", LOCK, "--lemmas", str(bad)])
    assert run.status == 2 and f"{bad}:2:" in run.err
    other = tmp_path / "other.numa"
    other.write_text("module other\naction sneak() { }\n")
    run = run_cli(["prove", LOCK, "--lemmas", str(other)])
    assert run.status == 2 and "error[E630]" in run.err and f"{other}:2:1" in run.err


def test_infer_rejects_bad_sizes() -> None:
    run = run_cli(["infer", LOCK, "--nodes", "3..2"])
    assert run.status == 2 and "error[E631]" in run.err


def test_bmc_time_limit_stops_the_run_with_the_depth_reached() -> None:
    # a time limit already spent stops before the first query; the depth lines and the
    # summary say how far the run got
    run = run_cli(["check", LOCK_BUG, "--engine", "bmc", "--depth", "3",
                   "--time-limit", "0.000001"])
    assert run.status == 3 and "stopped by the time limit" in run.out
    done = run_cli(["check", LOCK, "--engine", "bmc", "--depth", "3", "--time-limit", "60"])
    assert done.status == 0
    assert "bmc: depth 0 clean" in done.err or "proved by 1-induction" in done.out
