"""The commands of the SMT engine: `check --engine bmc` and `prove` (`lint` is lint.py).

The engine (and with it Z3, slow to import) is imported by the command that runs it, so
that the other commands start without it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from numaspec.checker.results import CheckResult
from numaspec.checker.symbolic.errors import Unsupported
from numaspec.cli.cluster import add_cluster_options, cluster_session, distributed
from numaspec.cli.envelope import emit
from numaspec.cli.html import add_html_option, check_html_option, write_finding_html, write_page
from numaspec.cli.options import add_spec_options, integer, load_spec, seconds, seconds_or_zero
from numaspec.cli.render import finding_json
from numaspec.model.machine import Model
from numaspec.model.outcome import Outcome
from numaspec.model.render import render_finding, render_trace
from numaspec.spec.diagnostics import Diagnostic, Note, SpecError, fail
from numaspec.spec.pipeline import CompiledSpec

if TYPE_CHECKING:
    from numaspec.checker.infer.classify import CtiClass
    from numaspec.checker.smt.induction import ProveOptions, ProveResult


def unsupported_error(err: Unsupported, compiled: CompiledSpec) -> SpecError:
    return SpecError([Diagnostic("E600", f"not supported by the SMT engine: {err.message}",
                                 err.span, "error",
                                 (Note("use the explicit engine (numaspec check) for this "
                                       "spec"),))], compiled.sources)


@contextmanager
def with_sources(compiled: CompiledSpec) -> Iterator[None]:
    """Give a `SpecError` an engine raises (E405: a false `symmetric Node`) the spec's source
    texts, so that it is shown with its line and caret."""
    try:
        yield
    except SpecError as err:
        err.sources = {**compiled.sources, **err.sources}
        raise


# ------------------------------------------------------------------------- bmc
def bmc_command(args: argparse.Namespace, compiled: CompiledSpec) -> tuple[CheckResult, Model]:
    """Run bounded model checking for `numaspec check --engine bmc` (raises SpecError),
    each depth's queries on a Dask cluster with `--workers`/`--cluster`."""
    from numaspec.checker.smt.bmc import BmcOptions, bmc

    options = BmcOptions(args.depth, not args.no_deadlock, args.timeout,
                         symmetry=not args.no_symmetry,
                         time_limit=getattr(args, "time_limit", None))
    progress = None if getattr(args, "json", False) else depth_line
    try:
        with with_sources(compiled):
            if not distributed(args):
                result = bmc(compiled.spec, options, progress)
            else:
                with cluster_session(args) as session:  # E060 before Dask is imported
                    from numaspec.checker.distributed.bmc import bmc_distributed

                    result = bmc_distributed(compiled.spec, options, session, progress)
    except Unsupported as err:
        raise unsupported_error(err, compiled) from None
    return result, Model(compiled.spec)


def depth_line(report: Any) -> None:
    """One line on stderr per depth found clean, as it completes (flushed, also into a
    pipe or a file, so a long run shows how far it got)."""
    sys.stderr.write(f"bmc: depth {report.depth} clean ({report.seconds:.1f} s)\n")
    sys.stderr.flush()


def bmc_summary(result: CheckResult, depth: int) -> str:
    if result.proved_by:
        return (f"no violation up to depth {depth}: the invariants are proved by "
                f"{result.proved_by}, so no depth has one (every invariant, no assert or "
                "run-time error"
                + (", no deadlock" if result.verdict == "holds" else "") + ")")
    return (f"no violation up to depth {depth}: every behaviour of at most {depth} steps "
            "satisfies the invariants (bounded: longer behaviours are not checked; "
            "`numaspec prove` proves invariants for every depth)")


# The deepest unrolling `prove --k` and `check --engine bmc --depth` accept: every step is a
# copy of the transition relation in one formula, built before any solver timeout applies.
MAX_UNROLL = 1000


# ----------------------------------------------------------------------- prove
def add_prove(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "prove", help="prove the invariants for every depth by k-induction (Z3)",
        description="k-induction over all invariants (lemmas included) and 'no step fails'. "
                    "Exit 0: proved; 1: a counterexample, or a counterexample to induction "
                    "(not proved); 3: the solver gave up (timeout).")
    cmd.add_argument("spec", metavar="SPEC")
    cmd.add_argument("--k", type=integer(1), default=1, metavar="K", help="induction depth (1)")
    cmd.add_argument("--invariant", metavar="NAME", help="the invariant to report on first")
    cmd.add_argument("--no-lemmas", action="store_true",
                     help="drop the @lemma invariants (shows why they are needed)")
    cmd.add_argument("--timeout", type=seconds, metavar="S", help="seconds per solver query")
    cmd.add_argument("--no-symmetry", action="store_true",
                     help="ignore the spec's `symmetric Node` (no symmetry breaking)")
    cmd.add_argument("--classify", type=seconds_or_zero, default=60.0, metavar="S",
                     help="on a counterexample to induction, search this many seconds with "
                          "the explicit engine for whether it is reachable (60; 0: do not)")
    cmd.add_argument("--lemmas", action="append", metavar="FILE",
                     help="a side file of @lemma invariants (e.g. written by `numaspec "
                          "infer`), elaborated in the spec's scope; may be repeated")
    add_html_option(cmd)
    add_cluster_options(cmd, "answer the inductive step's queries")
    add_spec_options(cmd)
    cmd.set_defaults(run=prove_command)


def prove_command(args: argparse.Namespace) -> Outcome:
    check_html_option(args)
    compiled = load_spec(args.spec, args)
    if not 1 <= args.k <= MAX_UNROLL:
        raise fail("E004", f"--k must be between 1 and {MAX_UNROLL:,}, not {args.k:,}", None,
                   Note("each step of k-induction is unrolled into the solver's formula"))
    names = [p.name for p in compiled.spec.invariants]
    if args.invariant is not None and args.invariant not in names:
        raise fail("E601", f"no invariant named `{args.invariant}` (the spec has: "
                   f"{', '.join(names) or 'none'})", None)
    from numaspec.checker.smt.induction import ProveOptions

    options = ProveOptions(args.k, args.invariant, not args.no_lemmas, args.timeout,
                           symmetry=not args.no_symmetry)
    try:
        with with_sources(compiled):
            result = _prove(args, compiled, options)
    except Unsupported as err:
        raise unsupported_error(err, compiled) from None
    model = Model(compiled.spec)
    _prove_html(args, model, result)
    verdict = _classify(args, compiled, result)
    if args.json:
        emit(args, prove_json(model, result, verdict))
    else:
        print("\n".join(prove_text(args, compiled, model, result, verdict)))
    return result.outcome


def _prove(args: argparse.Namespace, compiled: CompiledSpec, options: ProveOptions) -> ProveResult:
    from numaspec.checker.smt.induction import prove

    if not distributed(args):
        return prove(compiled.spec, options)
    with cluster_session(args) as session:  # E060 before Dask is imported
        from numaspec.checker.distributed.prove import prove_distributed

        return prove_distributed(compiled.spec, options, session)


def _classify(args: argparse.Namespace, compiled: CompiledSpec,
              result: ProveResult) -> CtiClass | None:
    """Whether the CTI's first state is reachable (the explicit engine at its size)."""
    if result.verdict != "cti" or result.cti is None or args.classify <= 0:
        return None
    from numaspec.checker.infer.classify import classify_cti

    return classify_cti(args.spec, compiled.spec, compiled.sources[compiled.spec.path],
                        tuple(args.defines), result.cti, args.classify,
                        symmetry=not args.no_symmetry)


def prove_text(args: argparse.Namespace, compiled: CompiledSpec, model: Model,
               result: ProveResult, verdict: CtiClass | None = None) -> list[str]:
    topo = compiled.spec.topology
    lines = [f"prove {args.spec}: {topo.nodes} nodes, {topo.frames_per_node} frame(s) per "
             f"node, {result.k}-induction"]
    if result.verdict == "proved":
        lines.append(f"proved: {', '.join(result.proved)}")
    elif result.verdict == "violated":
        assert result.finding is not None
        lines += [f"violated within {result.k - 1} step(s) of an initial state "
                  "(a real counterexample):", render_finding(model, result.finding)]
    elif result.verdict == "cti":
        lines += _cti_text(model, result)
        lines += _classified_text(model, verdict)
    else:
        lines.append(f"unknown: the solver gave up on {result.failed} ({result.reason}); "
                     "raise --timeout")
    lines.append(f"time: {result.seconds:.2f} s (base case {result.base_seconds:.2f} s)")
    return lines


def _prove_html(args: argparse.Namespace, model: Model, result: ProveResult) -> None:
    from numaspec.checker.smt.induction import NO_FAILURE

    if not args.html or result.cti is None:
        write_finding_html(args, model, result.finding, f"prove {args.spec}")
        return
    from numaspec.report.induction import induction_page

    what = "some action step fails" if result.failed == NO_FAILURE else \
        f"{result.failed} is false"
    write_page(args.html, induction_page(model, result.cti, str(result.failed), what,
                                         f"prove {args.spec}"))


def _cti_text(model: Model, result: ProveResult) -> list[str]:
    from numaspec.checker.smt.induction import NO_FAILURE

    assert result.cti is not None
    what = "some action step fails" if result.failed == NO_FAILURE else \
        f"{result.failed} is false"
    lines = [f"not proved: counterexample to induction for {result.failed}",
             f"from a state that satisfies every invariant, {len(result.cti.steps)} step(s) "
             f"lead to a state where {what}.",
             "It need not be reachable: if it is not, add an invariant (@lemma) that rules "
             "out its first state."]
    body = render_trace(model, result.cti)
    body[0] = "  0  a state satisfying every invariant (values that are not the default):"
    if result.proved:
        lines.append(f"(the step holds for: {', '.join(result.proved)})")
    return lines + body


def _classified_text(model: Model, verdict: CtiClass | None) -> list[str]:
    if verdict is None:
        return []
    searched = f"the explicit engine searched {verdict.states:,} reachable states at this " \
               f"size ({verdict.seconds:.1f} s)"
    if verdict.kind == "reachable":
        assert verdict.finding is not None
        return [f"a real violation: {searched} and found it; here is the trace:",
                render_finding(model, verdict.finding)]
    if verdict.kind == "unreachable":
        lines = [f"an unreachable state: {searched}, none breaks an invariant, so the first "
                 "state above is not reachable: the invariant is too weak (try `numaspec "
                 "infer`)"]
        lines += [f"  a candidate lemma (true in every reachable state) that excludes it: "
                  f"{text}" for text in verdict.excluding]
        return lines
    return [f"reachability unknown: {searched} and stopped ({verdict.reason}); raise "
            "--classify"]


def prove_json(model: Model, result: ProveResult,
               verdict: CtiClass | None = None) -> dict[str, Any]:
    cti = None
    if result.cti is not None:
        from numaspec.model.findings import Finding

        cti = finding_json(model, Finding("invariant", result.failed, "", None, result.cti))
    return {"verdict": result.verdict, "k": result.k, "proved": result.proved,
            "failed": result.failed, "reason": result.reason,
            "counterexample": finding_json(model, result.finding) if result.finding else None,
            "counterexample_to_induction": cti, "seconds": round(result.seconds, 3),
            "cti_reachable": None if verdict is None else {
                "kind": verdict.kind, "states": verdict.states, "excluding": verdict.excluding,
                "violation": finding_json(model, verdict.finding) if verdict.finding else None}}
