"""The grammar of candidate invariants, over the vocabulary of vocabulary.py.

Shapes, each universally closed over at most `max_vars` variables (at most two per sort):

    A          not A          A implies B          A implies not B
    A and V implies B         A implies exists y: B        A and B implies x == y

where A and B are atoms (state memberships, `fun` predicates, variable equalities), V a
value atom (`f(x) == y`, `x in M and M[x] == y`) that names the value y, and the exists
binds the variables of B that A lacks.  Variables are introduced in order (a restricted
growth assignment), so a candidate is generated once up to renaming.  Closed candidates
(vocabulary.whole_state_candidates) are added as they are.  The order is deterministic.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from numaspec.checker.infer.counting import (
    channels,
    count_terms,
    distinct_candidates,
    owner_sum_candidates,
    sum_candidates,
)
from numaspec.checker.infer.vocabulary import (
    Atom,
    fun_atoms,
    sorts_of,
    state_atoms,
    whole_state_candidates,
)
from numaspec.spec.ir import nodes as ir
from numaspec.spec.syntax import nodes

_NAMES = {"Node": ("n", "m", "p"), "Frame": ("f", "g", "h")}


@dataclass(frozen=True)
class Grammar:
    max_vars: int = 3
    implications: bool = True
    conjunctions: bool = True  # `G and A implies B`, G a one-slot state membership
    max_terms: int = 3  # count terms per sum (0: no counting candidates)


@dataclass
class Vocabulary:
    predicates: list[Atom]  # antecedents and consequents
    equalities: list[Atom]  # consequents only
    values: list[Atom]
    closed: list[str]
    guards: list[Atom]  # one-slot memberships in state sets and maps: modes of a value
    terms: list[Atom]  # count terms (counting.py)


def vocabulary(spec: ir.Spec, module: nodes.Module, source: str = "") -> Vocabulary:
    sorts = sorts_of(spec)
    preds, values = fun_atoms(module, sorts)
    state = state_atoms(spec, sorts)
    preds = state + preds
    equalities = [Atom(f"{{0}} {op} {{1}}", (s, s)) for s in sorts for op in ("==", "!=")]
    values += [a for a in preds if " == {1}" in a.text]
    preds = [a for a in preds if " == {1}" not in a.text]
    guards = [a for a in state if (len(a.slots) == 1 and a.text.startswith("{0} in "))
              or not a.slots]
    chans = channels(spec, module, source, sorts) if source else []
    closed = whole_state_candidates(spec, sorts) + distinct_candidates(chans)
    terms = count_terms(spec, sorts, chans, preds)
    return Vocabulary(preds, equalities, values, closed, guards, terms)


def candidates(spec: ir.Spec, module: nodes.Module, grammar: Grammar,
               source: str = "") -> list[str]:
    """Candidate invariants (source text of expressions), deduplicated, in a fixed order.
    `source` is the root module's text (channel capacities are copied from it); without it
    there are no channel-position candidates."""
    vocab = vocabulary(spec, module, source)
    seen: set[str] = set()
    out: list[str] = []
    var_of = {s: _var(s, 0) for a in vocab.terms for s in a.slots}
    # per-owner laws before the laws over every channel: minimisation tries to drop the
    # later ones first, and the per-owner form is the one the solver scales with
    owner_sums = owner_sum_candidates(vocab.terms, grammar.max_terms, var_of)
    sums = sum_candidates(vocab.terms, vocab.guards, grammar.max_terms, var_of)
    for text in itertools.chain(vocab.closed, _quantified(vocab, grammar), owner_sums, sums):
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def _quantified(vocab: Vocabulary, grammar: Grammar) -> Iterator[str]:
    atoms = vocab.predicates
    for a in atoms:
        for text, bound in _instances([a], grammar):
            yield _close(bound, text[0])
            yield _close(bound, f"not ({text[0]})")
    if not grammar.implications:
        return
    for a, b in itertools.product(atoms, atoms + vocab.equalities + vocab.values):
        if a == b:
            continue
        for (ta, tb), bound in _instances([a, b], grammar):
            yield _close(bound, f"{ta} implies {tb}")
            if b not in vocab.equalities:
                yield _close(bound, f"{ta} implies not ({tb})")
            if b not in vocab.equalities:
                yield from _exists(bound, ta, tb)
    for a, b, e in itertools.product(atoms, atoms, vocab.equalities):
        for (ta, tb, te), bound in _instances([a, b, e], grammar):
            if ta < tb and "==" in te:  # the conjunction commutes: one order suffices
                yield _close(bound, f"{ta} and {tb} implies {te}")
    for a, v, b in itertools.product(atoms, vocab.values, atoms + vocab.values):
        for (ta, tv, tb), bound in _instances([a, v, b], grammar):
            yield _close(bound, f"{ta} and {tv} implies {tb}")
    if grammar.conjunctions:
        yield from _conjunctions(vocab, grammar)


def _conjunctions(vocab: Vocabulary, grammar: Grammar) -> Iterator[str]:
    """`G and A implies B`: G a one-slot membership sharing A's variable, B mentioning no
    variable that G and A do not (else it would say more than the antecedent allows)."""
    atoms = vocab.predicates
    for g, a, b in itertools.product(vocab.guards, atoms, atoms):
        if len({g, a, b}) < 3 or len(a.slots) < 2:
            continue
        for (tg, ta, tb), bound in _instances([g, a, b], grammar):
            names = [v for v, _ in bound]
            if tg in ta or tg in tb or not _mentions(ta, names[0]) or any(
                    _mentions(tb, v) and not _mentions(tg + " " + ta, v) for v in names):
                continue
            yield _close(bound, f"{tg} and {ta} implies {tb}")


def _exists(bound: list[tuple[str, str]], ta: str, tb: str) -> Iterator[str]:
    """`A implies exists y: B` for the variables of B that A does not mention."""
    outer = [(v, s) for v, s in bound if _mentions(ta, v)]
    inner = [(v, s) for v, s in bound if not _mentions(ta, v)]
    if inner and outer:
        yield _close(outer, f"{ta} implies {_quantify('exists', inner, tb)}")


def _mentions(text: str, var: str) -> bool:
    return re.search(rf"\b{var}\b", text) is not None


def _instances(atoms: list[Atom], grammar: Grammar) -> Iterator[tuple[list[str], list[
        tuple[str, str]]]]:
    """Every renaming of the atoms' slots to variables, introduced in order, at most two
    per sort and `grammar.max_vars` in all; trivial ones (`x != x`) are skipped."""
    slots = [s for a in atoms for s in a.slots]
    for assignment in _growth(slots, grammar.max_vars):
        names = [_var(sort, index) for sort, index in zip(slots, assignment, strict=True)]
        texts, at = [], 0
        for atom in atoms:
            texts.append(atom.text.format(*names[at: at + len(atom.slots)]))
            at += len(atom.slots)
        if any(_trivial(x) for x in texts) or len(set(texts)) < len(texts):
            continue
        bound = list(dict.fromkeys(zip(names, slots, strict=True)))
        yield texts, bound


def _growth(slots: list[str], max_vars: int) -> Iterator[tuple[int, ...]]:
    def extend(prefix: tuple[int, ...], used: dict[str, int]) -> Iterator[tuple[int, ...]]:
        if len(prefix) == len(slots):
            yield prefix
            return
        sort = slots[len(prefix)]
        count = used.get(sort, 0)
        for index in range(min(count + 1, 2)):
            if index == count and sum(used.values()) >= max_vars:
                continue
            grown = {**used, sort: max(count, index + 1)}
            yield from extend((*prefix, index), grown)
    return extend((), {})


def _var(sort: str, index: int) -> str:
    names = _NAMES.get(sort)
    if names is None:
        base = sort[0].lower()
        names = (f"{base}1", f"{base}2", f"{base}3") if base in "nmpfgh" else \
            (base, base * 2, base * 3)
    return names[index]


def _trivial(text: str) -> bool:
    parts = text.split(" != ")
    eq = text.split(" == ")
    return (len(parts) == 2 and parts[0] == parts[1]) or (len(eq) == 2 and eq[0] == eq[1])


def _close(bound: list[tuple[str, str]], body: str) -> str:
    return _quantify("forall", bound, body)


def _quantify(kind: str, bound: list[tuple[str, str]], body: str) -> str:
    if not bound:
        return body
    binders = ", ".join(f"{v}: {s}" for v, s in bound)
    return f"{kind} {binders}: {body}"
