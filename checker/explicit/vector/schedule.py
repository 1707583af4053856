"""The order in which a Program computes its terms, with lazily computed branches.

NumPy evaluates both sides of every `if`: a traced `ite(c, a, b)` needs `a` and `b` computed
on the whole batch.  Much of an encoding is a branch no state of a batch takes (an overmap
that flushes an MDB subtree, a fault on a page that is already mapped), so terms needed only
on one side of a condition are put in a *block* run only if some state of the batch goes that
way: `if c.any(): ...` (or `if not c.all(): ...`).

Which terms a block holds: a term is *needed under* (c, side) when every use of it is the
`side` operand of an `ite` on `c`, or is by a term needed under (c, side).  Blocks are not
nested: a block whose condition is itself needed under a block is dissolved (its terms are
needed where their users are), as are blocks of fewer than MIN_BLOCK terms and blocks that
would depend on each other in a cycle; this is repeated until every block is kept.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

from numaspec.checker.symbolic.terms import Term

MIN_BLOCK = 6
Literal = tuple[int, bool]  # (id(condition), side)


@dataclass
class Block:
    """Terms computed only if `cond` is `side` for some state; otherwise the terms in
    `skipped` (those used outside the block) get a dummy value."""

    cond: Term
    side: bool
    terms: list[Term] = field(default_factory=list)
    skipped: list[Term] = field(default_factory=list)


def schedule(outputs: list[Any]) -> list[Term | Block]:
    """Every term reachable from `outputs` (operands first), some grouped into blocks."""
    order = _post_order([x for x in outputs if isinstance(x, Term)])
    users: dict[int, list[Term]] = {}
    for term in order:
        for a in _operands(term):
            users.setdefault(id(a), []).append(term)
    outputs_ids = {id(x) for x in outputs if isinstance(x, Term)}
    dissolved: set[Literal] = set()
    while True:
        needs = _needs(order, users, outputs_ids, dissolved)
        bad = _bad_blocks(order, needs)
        if not bad:
            break
        dissolved |= bad
    blocks = _blocks(order, needs, users)
    if not blocks:
        return list(order)
    return _emission_order(order, needs, blocks)


def _operands(term: Term) -> list[Term]:
    return [a for a in term.args if isinstance(a, Term)]


def _post_order(outputs: list[Term]) -> list[Term]:
    order: list[Term] = []
    done: set[int] = set()
    stack: list[tuple[Term, int]] = []
    for out in outputs:
        if id(out) in done:
            continue
        done.add(id(out))
        stack.append((out, 0))
        while stack:
            term, i = stack.pop()
            operands = _operands(term)
            if i == len(operands):
                order.append(term)
                continue
            stack.append((term, i + 1))
            if id(operands[i]) not in done:
                done.add(id(operands[i]))
                stack.append((operands[i], 0))
    return order


def _needs(order: list[Term], users: dict[int, list[Term]], outputs: set[int],
           dissolved: set[Literal]) -> dict[int, Literal | None]:
    """For each term, the block literal it is needed under (None: always)."""
    needs: dict[int, Literal | None] = {}
    for term in reversed(order):  # users before operands
        if id(term) in outputs:
            needs[id(term)] = None
            continue
        found: set[Literal | None] = set()
        for user in users[id(term)]:
            found.add(_edge(user, term, needs, dissolved))
            if len(found) > 1:
                break
        needs[id(term)] = found.pop() if len(found) == 1 else None
    return needs


def _edge(user: Term, term: Term, needs: dict[int, Literal | None],
          dissolved: set[Literal]) -> Literal | None:
    """What `user` needs `term` under."""
    if user.op == "ite":
        c, a, b = user.args
        if term is not c and (term is a) != (term is b):
            literal = (id(c), term is a)
            if literal not in dissolved:
                return literal
    return needs[id(user)]


def _bad_blocks(order: list[Term], needs: dict[int, Literal | None]) -> set[Literal]:
    """Blocks to dissolve: nested in another, too small, or in a dependency cycle."""
    members: dict[Literal, int] = {}
    for term in order:
        literal = needs[id(term)]
        if literal is not None:
            members[literal] = members.get(literal, 0) + 1
    bad = {lit for lit, count in members.items()
           if count < MIN_BLOCK or needs[lit[0]] is not None}
    if bad or not members:
        return bad
    return _cyclic_blocks(order, needs)


def _cyclic_blocks(order: list[Term], needs: dict[int, Literal | None]) -> set[Literal]:
    """Blocks on a cycle of the graph of units (a block, or a term needed always)."""
    edges: dict[Any, set[Any]] = {}
    for term in order:
        unit = needs[id(term)] or id(term)
        deps = edges.setdefault(unit, set())
        if isinstance(unit, tuple):
            deps.add(unit[0])  # a block needs its condition
        for a in _operands(term):
            other = needs[id(a)] or id(a)
            if other != unit:
                deps.add(other)
    state: dict[Any, int] = {}
    for start in edges:
        if start in state:
            continue
        stack = [(start, iter(edges[start]))]
        state[start] = 1
        while stack:
            unit, pending = stack[-1]
            nxt = next(pending, None)
            if nxt is None:
                state[unit] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return {u for u, _ in stack if isinstance(u, tuple)} | (
                    {nxt} if isinstance(nxt, tuple) else set())
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(edges.get(nxt, ()))))
    return set()


def _blocks(order: list[Term], needs: dict[int, Literal | None],
            users: dict[int, list[Term]]) -> dict[Literal, Block]:
    conds = {id(t.args[0]): t.args[0] for t in order if t.op == "ite"}
    blocks: dict[Literal, Block] = {}
    for term in order:
        literal = needs[id(term)]
        if literal is None:
            continue
        block = blocks.get(literal)
        if block is None:
            block = blocks[literal] = Block(conds[literal[0]], literal[1])
        block.terms.append(term)
        if any(needs[id(u)] != literal for u in users.get(id(term), [])):
            block.skipped.append(term)
    return blocks


def _emission_order(order: list[Term], needs: dict[int, Literal | None],
                    blocks: dict[Literal, Block]) -> list[Term | Block]:
    """Terms needed always and whole blocks, each after the terms it uses (Kahn's
    algorithm; among the units that are ready, the earliest in `order` first)."""
    position = {id(t): i for i, t in enumerate(order)}
    units: dict[Any, Term | Block] = {id(t): t for t in order if needs[id(t)] is None}
    units.update(blocks)
    unit_of = {id(t): needs[id(t)] or id(t) for t in order}
    deps: dict[Any, set[Any]] = {}
    at: dict[Any, int] = {}  # a unit's place in `order` (a block: its first term's)
    for key, unit in units.items():
        if isinstance(unit, Block):
            used = {unit_of[i] for i in _outside(unit, needs)} | {unit_of[id(unit.cond)]}
            at[key] = min(position[id(t)] for t in unit.terms)
        else:
            used = {unit_of[id(a)] for a in _operands(unit)}
            at[key] = position[key]
        deps[key] = used - {key}
    dependents: dict[Any, list[Any]] = {}
    for key, used in deps.items():
        for dep in used:
            dependents.setdefault(dep, []).append(key)
    ready = [(at[k], i, k) for i, k in enumerate(units) if not deps[k]]
    heapq.heapify(ready)
    out: list[Term | Block] = []
    tie = len(units)
    while ready:
        _, _, key = heapq.heappop(ready)
        out.append(units[key])
        for user in dependents.get(key, []):
            deps[user].discard(key)
            if not deps[user]:
                tie += 1
                heapq.heappush(ready, (at[user], tie, user))
    assert len(out) == len(units), "the units depend on each other in a cycle"
    return out


def _outside(block: Block, needs: dict[int, Literal | None]) -> set[int]:
    literal = (id(block.cond), block.side)
    return {id(a) for t in block.terms for a in _operands(t) if needs[id(a)] != literal}
