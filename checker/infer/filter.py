"""Elaborate candidates in the spec's scope and keep those true in every sampled state.

Candidates are source text: they are written into a lemma side file (write.py) and compiled
with the spec (`compile_spec(..., lemmas=...)`), so what is checked is what `prove --lemmas`
reads.  A candidate the front end rejects (a type error the grammar did not foresee) is
dropped with its diagnostic's message; the rest are compiled once and evaluated state by
state, each candidate leaving the pool at its first false state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from numaspec.checker.infer.write import LEMMA_FILE, candidate_name, render
from numaspec.model.machine import Model, State
from numaspec.spec.diagnostics import SpecError
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.errors import EvalError
from numaspec.spec.pipeline import compile_spec


@dataclass
class Compiled:
    spec: ir.Spec
    kept: list[str]  # the candidates that elaborate
    rejected: dict[str, str] = field(default_factory=dict)  # candidate -> diagnostic


def compile_with(path: str, defines: tuple[str, ...], texts: list[str],
                 topology: ir.Topology | None = None) -> Compiled:
    """The spec with `texts` as lemmas c0, c1, ...; ill-typed candidates are left out."""
    rejected: dict[str, str] = {}
    texts = list(texts)
    defines = _last_nodes(defines)
    while True:
        try:
            compiled = compile_spec(path, defines, topology, lemmas=((LEMMA_FILE, render(texts)),))
            return Compiled(compiled.spec, texts, rejected)
        except SpecError as err:
            bad = _bad_lines(err)
            if not bad:
                raise
            for line in sorted(bad, reverse=True):
                rejected[texts[line]] = err.diagnostics[0].message
                del texts[line]


def _last_nodes(defines: tuple[str, ...]) -> tuple[str, ...]:
    """The defines with only the last `NODES=` (a size chosen here overrides the user's)."""
    nodes = [d for d in defines if d.replace(" ", "").startswith("NODES=")]
    return tuple(d for d in defines if d not in nodes[:-1])


def _bad_lines(err: SpecError) -> set[int]:
    """Candidate positions (render writes candidate i on line i + 2) with an error."""
    return {d.span.line - 2 for d in err.diagnostics
            if d.span is not None and d.span.file == LEMMA_FILE and d.span.line >= 2}


def holding(spec: ir.Spec, texts: list[str], states: list[State]) -> tuple[list[str], dict[
        str, int]]:
    """The candidates true in every state, and for the others the first false state."""
    model = Model(spec)
    by_name = {p.name: p for p in spec.invariants}
    pool = [(text, _compiled(model, by_name[candidate_name(i)]))
            for i, text in enumerate(texts)]
    false_at: dict[str, int] = {}
    for number, state in enumerate(states):
        if not pool:
            break
        still = []
        for text, test in pool:
            if test(state):
                still.append((text, test))
            else:
                false_at[text] = number
        pool = still
    return [text for text, _ in pool], false_at


def _compiled(model: Model, prop: ir.Property) -> Callable[[State], bool]:
    """The candidate as a test on states (compiled once; an evaluation error is false)."""
    fn, slots = model.exprs.compile(prop.expr), max(prop.locals_count, 1)

    def test(state: State) -> bool:
        try:
            return bool(fn(state, [None] * slots))
        except EvalError:
            return False
    return test
