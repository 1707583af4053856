"""The SMT engine: encoding coverage, bounded model checking against the corpus, k-induction,
lint, and its error paths.

Cross-engine agreement: on every corpus spec BMC's shortest counterexample has the length BFS
finds (tests/checker/test_corpus.py pins them), names the same invariant, and on the
configurations BFS proves safe BMC finds nothing up to `CORPUS_DEPTH` (deadlocks included).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import typing
from collections.abc import Callable

import pytest
from harness import EXPECTED, ROOT, run_cli

from numaspec.checker.explicit import check
from numaspec.checker.results import CheckOptions
from numaspec.checker.smt.bmc import BmcOptions, bmc
from numaspec.checker.smt.induction import ProveOptions, prove
from numaspec.checker.smt.lint import lint
from numaspec.checker.symbolic.encode import builtins as encode_builtins
from numaspec.checker.symbolic.encode import expr as encode_expr
from numaspec.checker.symbolic.encode import stmt as encode_stmt
from numaspec.spec.elaborate.symbols import BUILTIN_FUNCTIONS
from numaspec.spec.ir import nodes as ir
from numaspec.spec.pipeline import compile_spec

CASES = [(spec, config) for spec, entry in EXPECTED["specs"].items()
         for config in entry["verdicts"]]
CORPUS_DEPTH = 8  # one more than the longest shortest counterexample of the corpus (7)
FAST = {("spec/examples/pernode.numa", "2n1p1f"), ("spec/examples/pernode.numa", "3n1p1f"),
        ("tests/corpus/specs/pernode_bug1_fault_ignores_unmap.numa", "2n1p1f"),
        ("tests/corpus/specs/pernode_bug2_early_free.numa", "3n1p1f"),
        ("tests/corpus/specs/pernode_bug3_skip_node.numa", "2n1p1f"),
        ("tests/corpus/specs/pernode_bug3_skip_node.numa", "3n1p1f")}
SMT = ROOT / "tests" / "corpus" / "smt"


def compiled(spec: str, config: str) -> ir.Spec:
    return compile_spec(str(ROOT / spec), EXPECTED["configurations"][config]["defines"]).spec


# ------------------------------------------------------------------ coverage
def matched_ir_classes(dispatch: Callable[..., object]) -> set[type]:
    """The IR classes that the `match` statements of `dispatch` have a `case ir.X(...)` for
    (read from its syntax tree, resolved to the classes of numaspec.spec.ir.nodes)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(dispatch)))
    return {getattr(ir, pattern.cls.attr) for pattern in ast.walk(tree)
            if isinstance(pattern, ast.MatchClass) and isinstance(pattern.cls, ast.Attribute)
            and isinstance(pattern.cls.value, ast.Name) and pattern.cls.value.id == "ir"}


def test_every_ir_node_type_has_an_encoding() -> None:
    """A new IR node type without an SMT handler fails here, not silently in a proof."""
    expr_cases = matched_ir_classes(encode_expr.ExprEncoder._expr)
    for cls in typing.get_args(ir.Expr):
        assert cls in expr_cases, cls.__name__
    stmt_cases = matched_ir_classes(encode_stmt.StmtEncoder._stmt)
    for cls in typing.get_args(ir.Stmt):
        assert cls in stmt_cases, cls.__name__
    assert set(BUILTIN_FUNCTIONS) <= set(encode_builtins._HANDLERS)


# ----------------------------------------------------------- corpus agreement
@pytest.mark.parametrize(("spec", "config"), [
    (s, c) if (s, c) in FAST else pytest.param(s, c, marks=pytest.mark.slow) for s, c in CASES])
def test_bmc_agrees_with_bfs(spec: str, config: str) -> None:
    ir_spec = compiled(spec, config)
    explicit = check(ir_spec, CheckOptions(symmetry=False, liveness=False))
    for induction in (True, False):
        result = bmc(ir_spec, BmcOptions(depth=CORPUS_DEPTH, induction=induction))
        want, got = explicit.finding, result.finding
        assert (got is None) == (want is None), f"induction={induction}"
        if want is not None and got is not None:
            assert (got.kind, got.property) == (want.kind, want.property)
            assert len(got.trace.steps) == len(want.trace.steps)
        if induction is False and "pernode.numa" in spec:
            break  # without the shortcut P1 to depth 8 is minutes (the shortcut proves it)
        if result.proved_by is None:
            break


def test_bmc_reports_a_deadlock_before_the_last_depth() -> None:
    spec = compiled("tests/corpus/specs/pernode_bug3_skip_node.numa", "2n1p1f")
    result = bmc(spec, BmcOptions(depth=6))
    assert result.finding is not None and result.finding.kind == "deadlock"
    assert len(result.finding.trace.steps) == 2


# ------------------------------------------------------------------- prove
def p1(nodes: int) -> ir.Spec:
    return compile_spec(str(ROOT / "spec" / "examples" / "pernode.numa"),
                        [f"NODES={nodes}"]).spec


def test_prove_p1_for_two_nodes() -> None:
    result = prove(p1(2), ProveOptions())
    assert result.verdict == "proved"
    assert {"consistent", "unmap_complete", "no_stale_frame"} <= set(result.proved)


def test_prove_without_lemmas_gives_a_confirmed_counterexample_to_induction() -> None:
    result = prove(p1(2), ProveOptions(lemmas=False))
    assert result.verdict == "cti" and result.cti is not None
    assert len(result.cti.states()) == 2  # k + 1 states for k = 1


def test_prove_finds_a_real_violation_in_the_base_case() -> None:
    spec = compiled("tests/corpus/specs/pernode_bug2_early_free.numa", "3n1p1f")
    result = prove(spec, ProveOptions(k=5))
    assert result.verdict == "violated" and result.finding is not None
    assert result.finding.property == "no_stale_frame"


# --------------------------------------------------------------------- lint
def test_lint_flags_dead_action_tautology_redundant_require_and_dead_branch() -> None:
    spec = compile_spec(str(SMT / "lint_target.numa"), []).spec
    found, undecided, _ = lint(spec)
    codes = sorted((d.code, d.span.line) for d in found if d.span is not None)
    assert codes == [("W610", 15), ("W611", 25), ("W613", 11), ("W614", 22)]
    assert undecided == 0


def test_lint_is_quiet_on_p1() -> None:
    found, _, _ = lint(p1(2))
    assert [d for d in found if d.code in ("W610", "W612")] == []


# ---------------------------------------------------------------------- CLI
def test_cli_bmc_p1_depth_12_holds() -> None:
    run = run_cli(["check", str(ROOT / "spec/examples/pernode.numa"), "--engine", "bmc",
                   "--depth", "12"])
    status, out = run.status, run.out
    assert status == 0 and "no violation up to depth 12" in out


def test_cli_prove_and_lint_exit_codes() -> None:
    pernode = str(ROOT / "spec/examples/pernode.numa")
    proved = run_cli(["prove", pernode, "-D", "NODES=2"])
    assert proved.status == 0
    cti = run_cli(["prove", pernode, "-D", "NODES=2", "--no-lemmas"])
    assert cti.status == 1
    assert "counterexample to induction" in proved.out + cti.out
    assert run_cli(["lint", str(SMT / "lint_target.numa")]).status == 1


def test_cli_unsupported_construct_is_bad_input() -> None:
    run = run_cli(["prove", str(SMT / "unsupported.numa")])
    status, err = run.status, run.err
    assert status == 2
    assert "unsupported.numa:4:1: error[E600]: not supported by the SMT engine" in err
    assert "Traceback" not in err


def test_cli_unknown_invariant_and_bad_k() -> None:
    pernode = str(ROOT / "spec/examples/pernode.numa")
    run = run_cli(["prove", pernode, "--invariant", "nope"])
    assert run.status == 2
    assert "error[E601]: no invariant named `nope`" in run.err
    assert run_cli(["prove", pernode, "--k", "0"]).status == 2


def test_cli_solver_timeout_is_a_resource_limit() -> None:
    pernode = str(ROOT / "spec/examples/pernode.numa")
    run = run_cli(["prove", pernode, "--timeout", "0.001"])
    status, out = run.status, run.out
    assert status == 3 and "unknown: the solver gave up" in out
