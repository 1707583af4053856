"""Invariant inference (`numaspec infer`): candidates from the spec's vocabulary, filtered on
the reachable states of small instances, made inductive by Houdini, minimised.

The pipeline: candidates.py (the grammar) → filter.py (elaborated with the spec, evaluated on
the states of sample.py for each size) → houdini.py (drop what fails induction at the
largest size, repeat) → minimise.py → write.py (a side file for `prove --lemmas`).  Engines
never print: `infer` returns an `InferResult` that says what was kept and why the rest was
dropped.  Deterministic: the candidates and the states are enumerated in a fixed order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from numaspec.checker.infer.candidates import Grammar, candidates
from numaspec.checker.infer.filter import compile_with, holding
from numaspec.checker.infer.minimise import minimise
from numaspec.checker.infer.sample import Sampler
from numaspec.checker.infer.write import candidate_name, lemma_file
from numaspec.checker.smt.houdini import Houdini
from numaspec.model.machine import Model
from numaspec.model.outcome import Outcome
from numaspec.spec.ir import nodes as ir
from numaspec.spec.syntax.parser import parse_module

__all__ = ["InferOptions", "InferResult", "infer", "lemma_file"]


@dataclass(frozen=True)
class InferOptions:
    nodes: tuple[int, ...] = (2, 3)  # the sizes sampled; Houdini runs at the largest
    timeout: float | None = None  # seconds for the whole run
    max_states: int = 100_000  # per size
    grammar: Grammar = field(default_factory=Grammar)
    minimise: bool = True


@dataclass
class InferResult:
    generated: int = 0
    kept: list[str] = field(default_factory=list)  # candidate texts, inductive together
    dropped: dict[str, str] = field(default_factory=dict)  # candidate -> why
    states: dict[int, int] = field(default_factory=dict)  # size -> states sampled
    complete_samples: bool = True
    proved: bool = False  # the spec's invariants are inductive with `kept`
    minimised: bool = True  # False: the deadline cut minimisation (`kept` still inductive)
    complete: bool = True  # False: the deadline cut the run; `kept` is the best so far
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def outcome(self) -> Outcome:
        if not self.complete:
            return Outcome.LIMIT
        return Outcome.OK if self.proved else Outcome.VIOLATION


def infer(path: str, spec: ir.Spec, source: str, defines: tuple[str, ...],
          options: InferOptions) -> InferResult:
    """Infer lemmas for the spec at `path` (compiled as `spec`, its root text `source`)."""
    start = time.monotonic()
    deadline = None if options.timeout is None else start + options.timeout
    result = InferResult()
    pool = candidates(spec, parse_module(source, spec.path), options.grammar, source)
    result.generated = len(pool)
    for size in options.nodes:
        if deadline is not None and time.monotonic() > deadline:
            result.complete, result.kept = False, pool  # not refuted yet: the best so far
            return result
        pool = _filter(path, defines, size, pool, deadline, result)
    result.seconds["sample"] = time.monotonic() - start
    _houdini(path, defines, max(options.nodes), pool, deadline, options, result)
    result.seconds["total"] = time.monotonic() - start
    return result


def _filter(path: str, defines: tuple[str, ...], size: int, pool: list[str],
            deadline: float | None, result: InferResult) -> list[str]:
    compiled = compile_with(path, (*defines, f"NODES={size}"), pool)
    for text, why in compiled.rejected.items():
        result.dropped[text] = f"not a valid invariant: {why}"
    sample = Sampler(Model(compiled.spec), deadline=deadline).run()
    result.states[size] = len(sample.states)
    result.complete_samples &= sample.complete
    kept, false_at = holding(compiled.spec, compiled.kept, sample.states)
    for text in false_at:
        result.dropped[text] = f"false in a reachable state at {size} nodes"
    return kept


def _houdini(path: str, defines: tuple[str, ...], size: int, pool: list[str],
             deadline: float | None, options: InferOptions, result: InferResult) -> None:
    compiled = compile_with(path, (*defines, f"NODES={size}"), pool)
    names = [candidate_name(i) for i in range(len(compiled.kept))]
    text_of = dict(zip(names, compiled.kept, strict=True))
    houdini = Houdini(compiled.spec, names, deadline)
    found = houdini.run()
    for name, round_number in found.dropped.items():
        result.dropped[text_of[name]] = (f"not inductive at {size} nodes (Houdini round "
                                         f"{round_number})")
    kept = found.kept
    result.complete = found.complete
    if found.complete:
        proved = houdini.suffices(kept)
        result.proved, result.complete = bool(proved), proved is not None
        if result.proved and options.minimise:
            kept, result.minimised = minimise(houdini, kept)
            for name in set(found.kept) - set(kept):
                result.dropped[text_of[name]] = "redundant (minimisation)"
    result.kept = [text_of[n] for n in kept]
