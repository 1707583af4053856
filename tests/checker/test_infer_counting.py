"""Counting and channel-position candidates of `numaspec infer` (checker/infer/counting.py),
and the per-depth cuts of bounded model checking (checker/smt/bmc.py): the inductive subset
of the invariants assumed, node-order symmetry breaking."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import ROOT, run_cli

from numaspec.checker.infer import InferOptions, infer
from numaspec.checker.infer.candidates import Grammar, candidates
from numaspec.checker.smt.bmc import BmcOptions, bmc
from numaspec.spec.pipeline import compile_spec
from numaspec.spec.syntax.parser import parse_module

COUNT = str(ROOT / "tests/corpus/infer/count.numa")
P1 = ROOT / "spec/examples/pernode.numa"
SMALL = Grammar(max_vars=2, conjunctions=False, implications=False)
CONSERVATION = ("asked implies done + size({ q0: (Node, 0 .. 1 - 1) where q0.1 < size("
                "question[q0.0]) }) + size({ q0: (Node, 0 .. NODES - 1) where q0.1 < size("
                "answer[q0.0]) }) == NODES - 1")


def p1_without_lemmas(folder: Path) -> Path:
    """P1 with its lemma section (and the helper funs of its lemmas) cut out."""
    text = P1.read_text()
    start = text.index("// " + "-" * 87 + "\n// Lemmas")
    end = text.index("// Every global unmap eventually")
    out = folder / "pernode_no_lemmas.numa"
    out.write_text(text[:start] + text[end:])
    return out


def _candidates(path: str) -> list[str]:
    compiled = compile_spec(path)
    source = compiled.sources[compiled.spec.path]
    return candidates(compiled.spec, parse_module(source, compiled.spec.path), Grammar(), source)


def _infer(path: str, grammar: Grammar):  # type: ignore[no-untyped-def]
    compiled = compile_spec(path)
    return infer(path, compiled.spec, compiled.sources[compiled.spec.path], (),
                 InferOptions((2, 3), grammar=grammar))


def test_the_grammar_has_p1s_counting_and_channel_shapes(tmp_path: Path) -> None:
    # the shapes P1's hand-written lemmas need, generated from P1's vocabulary alone
    found = set(_candidates(str(p1_without_lemmas(tmp_path))))
    assert ("forall k0: Node, i0, j0: 0 .. PAGES - 1 where i0 < j0 and j0 < size(req[k0]): "
            "req[k0][i0].0 != req[k0][j0].0") in found
    assert ("forall p1: Page: p1 in unmapping implies acks[p1] + size({ q0: (Node, 0 .. "
            "NODES * PAGES - 1) where q0.1 < size(ack[q0.0]) and ack[q0.0][q0.1] == p1 }) + "
            "size({ cn: Node where (exists yn: Node: (p1, yn) in req[cn]) }) == NODES - 1") \
        in found
    assert ("forall p1: Page, n: Node: p1 in unmapping and maps(n, p1) implies "
            "(exists yn: Node: (p1, yn) in req[n])") in found
    # the accounting per initiator, as P1's own `unmap_accounting` counts it
    in_flight = ("size({ i0: 0 .. NODES * PAGES - 1 where i0 < size(ack[n]) and ack[n][i0] "
                 "== p1 }) + size({ cn: Node where (p1, n) in req[cn] })")
    assert (f"forall n: Node, p1: Page: {in_flight} > 0 implies acks[p1] + {in_flight} == "
            "NODES - 1") in found


def test_infer_finds_a_conservation_law_and_prove_reads_it(tmp_path: Path) -> None:
    result, again = _infer(COUNT, SMALL), _infer(COUNT, SMALL)
    assert result.proved and result.kept == [CONSERVATION]
    # deterministic: the same candidates, refuted by the same states
    assert (again.generated, again.kept, again.states) == (result.generated, result.kept,
                                                            result.states)
    assert {k: v for k, v in again.dropped.items() if "reachable" in v} == {
        k: v for k, v in result.dropped.items() if "reachable" in v}
    lemmas = tmp_path / "count.lemmas.numa"
    lemmas.write_text(f"module count_lemmas\n@lemma invariant law: {CONSERVATION}\n")
    proved = run_cli(["prove", COUNT, "--lemmas", str(lemmas), "-D", "NODES=5"])
    assert proved.status == 0 and "proved: quiet, law" in proved.out


INFERRED_P1 = ROOT / "tests/corpus/infer/p1_inferred.lemmas.numa"


def test_inferred_lemmas_prove_p1_without_its_own(tmp_path: Path) -> None:
    """The 29 lemmas `infer --nodes 2..4` found (50 minutes, so stored): P1 without its
    hand-written lemmas proved at 4 nodes, where the set inferred at 2..3 nodes failed."""
    spec = p1_without_lemmas(tmp_path)
    proved = run_cli(["prove", str(spec), "--lemmas", str(INFERRED_P1), "-D", "NODES=4"])
    assert proved.status == 0, proved.out
    assert "consistent, unmap_complete, no_stale_frame" in proved.out
    assert "inferred_29, no action step fails" in proved.out


@pytest.mark.slow
def test_infer_proves_p1_without_its_lemmas(tmp_path: Path) -> None:
    """About 50 minutes on one core (docs/smt.md): sampled to 4 nodes, since lemmas
    sampled at 2 and 3 only hold there and not at 4."""
    spec = p1_without_lemmas(tmp_path)
    out = tmp_path / "p1.lemmas.numa"
    run = run_cli(["infer", str(spec), "--nodes", "2..4", "--out", str(out)])
    assert run.status == 0, run.out
    proved = run_cli(["prove", str(spec), "--lemmas", str(out), "-D", "NODES=5"])
    assert proved.status == 0 and "consistent, unmap_complete, no_stale_frame" in proved.out


BUGS = [("tests/corpus/specs/pernode_bug1_fault_ignores_unmap.numa", "2n1p1f"),
        pytest.param("tests/corpus/specs/pernode_bug2_early_free.numa", "3n1p1f",
                     marks=pytest.mark.slow),
        pytest.param("tests/corpus/specs/pernode_bug3_skip_node.numa", "3n1p1f",
                     marks=pytest.mark.slow)]


@pytest.mark.parametrize(("spec", "nodes"), BUGS)
def test_bmc_cuts_keep_the_corpus_verdicts(spec: str, nodes: str) -> None:
    # with the inductive subset assumed and node-order symmetry breaking, BMC finds the
    # same shortest counterexample (kind, property, length) as without either
    ir_spec = compile_spec(str(ROOT / spec), [f"NODES={nodes[0]}"]).spec
    plain = bmc(ir_spec, BmcOptions(depth=8, induction=False, assume=False, symmetry=False))
    cut = bmc(ir_spec, BmcOptions(depth=8, induction=False))
    assert plain.finding is not None and cut.finding is not None
    assert (cut.finding.kind, cut.finding.property) == (plain.finding.kind,
                                                          plain.finding.property)
    assert len(cut.finding.trace.steps) == len(plain.finding.trace.steps)
