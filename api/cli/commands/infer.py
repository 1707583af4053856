"""`numaspec infer`: lemmas for `prove`, inferred from the reachable states of small
instances and made inductive by Houdini (checker/infer/)."""

from __future__ import annotations

import argparse
from collections import Counter

from numaspec.checker.symbolic.errors import Unsupported
from numaspec.cli.commands.smt import unsupported_error
from numaspec.cli.envelope import emit
from numaspec.cli.options import add_spec_options, load_spec, seconds
from numaspec.cli.outputs import check_file
from numaspec.model.outcome import Outcome
from numaspec.spec.diagnostics import fail


def add_infer(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "infer", help="infer inductive lemmas for `prove` (explicit samples + Houdini)",
        description="Candidates from the spec's vocabulary, kept if true in every reachable "
                    "state of the small instances, then the largest inductive subset "
                    "(Houdini), minimised. Exit 0: with the lemmas the spec's invariants "
                    "are inductive; 1: they are not (the lemmas found are still written); "
                    "3: --timeout ran out (the best partial set is written).")
    cmd.add_argument("spec", metavar="SPEC")
    cmd.add_argument("--nodes", default="2..3", metavar="LO..HI",
                     help="the machine sizes sampled (2..3); Houdini runs at the largest")
    cmd.add_argument("--out", metavar="LEMMAS.numa", help="write the lemmas there")
    cmd.add_argument("--timeout", type=seconds, metavar="S", help="seconds for the whole run")
    cmd.add_argument("--no-minimise", action="store_true", help="keep every inductive lemma")
    add_spec_options(cmd)
    cmd.set_defaults(run=infer_command)


def parse_nodes(text: str) -> tuple[int, ...]:
    """`2..4` or `3` -> the sizes (E631 if malformed)."""
    lo, _, hi = text.partition("..")
    try:
        first, last = int(lo), int(hi or lo)
    except ValueError:
        raise fail("E631", f"--nodes {text}: expected LO..HI, e.g. 2..3", None) from None
    if not 1 <= first <= last:
        raise fail("E631", f"--nodes {text}: expected 1 <= LO <= HI", None)
    return tuple(range(first, last + 1))


def infer_command(args: argparse.Namespace) -> Outcome:
    from numaspec.checker.infer import InferOptions, infer, lemma_file

    sizes = parse_nodes(args.nodes)
    if args.out:
        check_file(args.out, "--out")  # before the search: a bad path costs nothing
    compiled = load_spec(args.spec, args)
    options = InferOptions(sizes, args.timeout, minimise=not args.no_minimise)
    try:
        result = infer(args.spec, compiled.spec, compiled.sources[compiled.spec.path],
                       tuple(args.defines), options)
    except Unsupported as err:
        raise unsupported_error(err, compiled) from None
    if args.out:
        note = [f"{len(result.kept)} of {result.generated} candidates; "
                f"prove with: numaspec prove {args.spec} --lemmas {args.out}"]
        text = lemma_file(args.spec, result.kept, note)
        try:
            with open(args.out, "w", encoding="utf-8") as out:
                out.write(text)
        except OSError as err:  # checked above; the disk refused since (full, removed)
            raise fail("E005", f"--out {args.out}: cannot write: {err.strerror or err}",
                       None) from None
    if args.json:
        emit(args, {"generated": result.generated,
                    "kept": result.kept, "dropped": result.dropped,
                    "states": result.states, "proved": result.proved,
                    "complete": result.complete, "minimised": result.minimised,
                    "seconds": {k: round(v, 3) for k, v in result.seconds.items()}})
    else:
        print("\n".join(infer_text(args, result)))
    return result.outcome


def infer_text(args: argparse.Namespace, result: object) -> list[str]:
    from numaspec.checker.infer import InferResult

    assert isinstance(result, InferResult)
    states = ", ".join(f"{n} nodes: {s} states" for n, s in result.states.items())
    lines = [f"infer {args.spec}: {result.generated} candidates; sampled {states}"
             + ("" if result.complete_samples else " (sample cut by the state limit)")]
    why = Counter(reason.split(" (")[0] for reason in result.dropped.values())
    lines.append("dropped: " + ", ".join(f"{n} {reason}" for reason, n in why.most_common()))
    lines.append(f"kept {len(result.kept)}:")
    lines += [f"  {text}" for text in result.kept]
    if not result.complete:
        lines.append("incomplete: --timeout ran out; the lemmas above are the best partial "
                     "set (not known inductive)")
    elif result.proved:
        if not result.minimised:
            lines.append("(minimisation cut by --timeout: some lemmas may be redundant)")
        lines.append(f"with these lemmas the spec's invariants are inductive at "
                     f"{max(result.states)} nodes; run `numaspec prove {args.spec} --lemmas "
                     f"{args.out or 'FILE'}` for other sizes")
    else:
        lines.append("the spec's invariants are not inductive with these lemmas: the grammar "
                     "lacks a needed lemma (see docs/smt.md, 'proving a new spec')")
    total = result.seconds.get("total")
    if total is not None:
        lines.append(f"time: {total:.1f} s (sampling {result.seconds.get('sample', 0):.1f} s)")
    return lines
