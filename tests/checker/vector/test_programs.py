"""NumPy programs with lazily computed blocks (the scheduler's) against a plain recursive
evaluator, on random term DAGs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest

from numaspec.checker.explicit.vector.program import Program
from numaspec.checker.explicit.vector.schedule import Block, schedule
from numaspec.checker.symbolic.terms import Term, TermLogic

_TRACING: list[TermLogic] = []  # the recording backends of the open `tracing()` blocks


@contextmanager
def tracing() -> Iterator[None]:
    """Record the terms `make` builds inside the block with one `TermLogic` (shared)."""
    _TRACING.append(TermLogic())
    try:
        yield
    finally:
        _TRACING.pop()


def make(op: str, *args: Any) -> Term:
    """The term `op(args)`, recorded by the innermost `tracing()` block."""
    return _TRACING[-1].make(op, *args)


@pytest.fixture
def short_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    """Term's repr unfolds its DAG into a tree, exponential in the depth of a random DAG:
    pytest's failure report (which shows the arguments of every frame) would hang."""
    monkeypatch.setattr(Term, "__repr__", lambda self: f"<{self.op} term>")


LIMIT = 8000  # bound on the magnitude of generated integer terms: int16 never overflows


COLUMNS, CONDITIONS = 12, 4  # columns 0 .. CONDITIONS - 1 are the block conditions


class DagBuilder:
    """Random term DAGs (inside `tracing()`): integer terms with a bound on their magnitude,
    boolean terms, and many `ite`s on a few shared conditions, some with sub-DAGs used on one
    side only (what the scheduler puts in lazily computed blocks)."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.ints: list[tuple[Term | int, int]] = [(make("col", i), 9) for i in range(COLUMNS)]
        # the block conditions are used as conditions only (a condition computed inside a
        # block dissolves the blocks on it)
        self.conditions: list[Term] = [make("colb", i) for i in range(CONDITIONS - 1)]
        self.conditions += [make("not", c) for c in self.conditions[:2]]
        self.reserved = make("colb", CONDITIONS - 1)  # for the blocks `outputs` adds
        self.bools: list[Term | bool] = [make("colb", i) for i in range(CONDITIONS, COLUMNS)]

    def pick(self, items: list[Any]) -> Any:
        recent = items[-12:] if self.rng.random() < 0.6 else items
        return recent[int(self.rng.integers(len(recent)))]

    def integer(self) -> tuple[Term | int, int]:
        if self.rng.random() < 0.15:
            value = int(self.rng.integers(-5, 6))
            return value, abs(value)
        return self.pick(self.ints)

    def column(self) -> tuple[Term | int, int]:
        return self.ints[int(self.rng.integers(COLUMNS))]

    def boolean(self) -> Term | bool:
        if self.rng.random() < 0.05:
            return bool(self.rng.integers(2))
        return self.pick(self.bools)

    def term_boolean(self) -> Term:
        found = self.pick(self.bools)
        return found if isinstance(found, Term) else make("colb", COLUMNS - 1)

    def step(self) -> None:
        kind = self.rng.choice(["arith", "compare", "logic", "ite", "ite", "branch", "nested",
                                "divide", "closure"])
        getattr(self, f"_{kind}")()

    def _arith(self) -> None:
        (a, x), (b, y) = self.integer(), self.integer()
        op = str(self.rng.choice(["add", "sub", "mul"]))
        bound = x * y if op == "mul" else x + y
        if bound <= LIMIT and not (isinstance(a, int) and isinstance(b, int)):
            self.ints.append((make(op, a, b), bound))

    def _compare(self) -> None:
        (a, _), (b, _) = self.integer(), self.integer()
        if isinstance(a, int) and isinstance(b, int):
            return
        op = str(self.rng.choice(["eq", "lt", "le", "gt", "ge"]))
        self.bools.append(make(op, a, b))

    def _logic(self) -> None:
        op = str(self.rng.choice(["and", "or", "not", "eq"]))
        if op == "not":
            self.bools.append(make("not", self.term_boolean()))
        elif op == "eq":
            self.bools.append(make("eq", self.term_boolean(), self.term_boolean()))
        else:
            count = int(self.rng.integers(2, 5))
            self.bools.append(make(op, *(self.term_boolean() for _ in range(count))))

    def _ite(self) -> None:
        cond = self.pick(self.conditions) if self.rng.random() < 0.7 else self.term_boolean()
        if self.rng.random() < 0.5:
            (a, x), (b, y) = self.integer(), self.integer()
            if not (isinstance(a, int) and isinstance(b, int) and a == b):
                self.ints.append((make("ite", cond, a, b), max(x, y)))
        else:
            self.bools.append(make("ite", cond, self.boolean(), self.boolean()))

    def _branch(self) -> None:
        """A chain of fresh terms used only on one side of an ite: a block candidate."""
        cond = self.pick(self.conditions)
        value, bound = self.column()
        for _ in range(int(self.rng.integers(6, 14))):
            other, more = self.column() if self.rng.random() < 0.8 else self.integer()
            op = str(self.rng.choice(["add", "sub", "ite"]))
            if op == "ite" or bound + more > LIMIT:
                value = make("ite", self.term_boolean(), value, other)
                bound = max(bound, more)
            else:
                value, bound = make(op, value, other), bound + more
        other, more = self.integer()
        side = bool(self.rng.integers(2))
        pair = (value, other) if side else (other, value)
        self.ints.append((make("ite", cond, *pair), max(bound, more)))

    def _nested(self) -> None:
        """ite(c, ite(c, a, b), d) and ite(c, d, ite(c, a, b)): b and a are dead inside."""
        cond = self.pick(self.conditions)
        (a, x), (b, y), (d, z) = self.integer(), self.integer(), self.integer()
        inner = make("ite", cond, a, b)
        outer = make("ite", cond, inner, d) if self.rng.random() < 0.5 else \
            make("ite", cond, d, inner)
        self.ints += [(inner, max(x, y)), (outer, max(x, y, z))]

    def _divide(self) -> None:
        (a, x), (b, _) = self.integer(), self.integer()
        if isinstance(a, int):
            return
        if isinstance(b, int) or self.rng.random() < 0.4:
            divisor: Term | int = int(self.rng.choice([-3, -2, 2, 3, 7]))
        else:  # never zero: a guarded divisor, as the encoders guard them
            divisor = make("ite", make("eq", b, 0), 1, b)
        self.ints.append((make(str(self.rng.choice(["div", "mod"])), a, divisor), x))

    def _closure(self) -> None:
        n = int(self.rng.integers(2, 5))
        bits = [self.boolean() for _ in range(n + n * n)]
        closure = make("closure", bool(self.rng.integers(2)), n, *bits)
        self.bools += [make("item", closure, i) for i in range(n)]

    def fresh(self) -> Term:
        """A chain of 8 sums over columns only (used nowhere else; no ite inside, whose
        operands would be needed under another condition)."""
        value, _ = self.column()
        for _ in range(8):
            other, _ = self.column()
            value = make(str(self.rng.choice(["add", "sub"])), value, other)
        assert isinstance(value, Term)
        return value  # at most 9 * 9 in magnitude

    def outputs(self) -> list[Any]:
        """Some of the terms built, constants, and two blocks on the reserved condition r
        (which nothing else uses), one with nested ites: ite(r, ite(r, a, b), d) and
        ite(r, e, f) give the blocks (r, true): {a, e, the inner ite} and (r, false):
        {b, d, f}."""
        chosen = [*self.ints[-6:], *(self.pick(self.ints) for _ in range(10))]
        r = self.reserved
        a, b, d, e, f = (self.fresh() for _ in range(5))
        lazy = [make("ite", r, make("ite", r, a, b), d), make("ite", r, e, f)]
        return [t for t, _ in chosen] + self.bools[-6:] + [self.pick(self.bools)
                                                           for _ in range(6)] + [3, True] + lazy


def reference(term: Any, columns: np.ndarray, memo: dict[int, np.ndarray]) -> np.ndarray:
    """The value of `term` on every state, computed naively: every operand, no laziness,
    np.where for ite, int64 arithmetic."""
    states = columns.shape[1]
    if not isinstance(term, Term):
        return np.full(states, term, dtype=bool if isinstance(term, bool) else np.int64)
    if id(term) in memo:
        return memo[id(term)]
    op, args = term.op, term.args
    if op in ("col", "colb"):
        column = columns[args[0]].astype(np.int64)
        value = column != 0 if op == "colb" else column
    elif op == "closure":
        forward, n, bits = args[0], args[1], [reference(b, columns, memo) for b in args[2:]]
        reach = [bits[i].copy() for i in range(n)]
        for _ in range(n):
            for x in range(n):
                for y in range(n):
                    parent = bits[n + x * n + y]  # x's parent is y
                    if forward:
                        reach[x] |= parent & reach[y]
                    else:
                        reach[y] |= parent & reach[x]
        value = np.stack(reach)
    elif op == "item":
        value = reference(args[0], columns, memo)[args[1]]
    else:
        value = _apply(op, [reference(a, columns, memo) for a in args])
    memo[id(term)] = value
    return value


def _apply(op: str, v: list[np.ndarray]) -> np.ndarray:
    match op:
        case "and":
            return np.logical_and.reduce(v)
        case "or":
            return np.logical_or.reduce(v)
        case "not":
            return ~v[0]
        case "ite":
            return np.where(v[0], v[1], v[2])
        case "div" | "mod":
            quotient = np.array([int(a / b) for a, b in zip(v[0].tolist(), v[1].tolist(),
                                                             strict=True)], dtype=np.int64)
            return quotient if op == "div" else v[0] - v[1] * quotient
    functions: dict[str, Callable[[Any, Any], Any]] = {
        "eq": np.equal, "lt": np.less, "le": np.less_equal, "gt": np.greater,
        "ge": np.greater_equal, "add": np.add, "sub": np.subtract, "mul": np.multiply}
    return functions[op](v[0], v[1])


def batches(rng: np.random.Generator, states: int) -> Iterator[tuple[str, np.ndarray]]:
    """Random int16 column matrices, with the block conditions mixed, all false, all true."""
    for mode in ("mixed", "false", "true", "one", "single state"):
        count = 1 if mode == "single state" else states
        columns = rng.integers(-9, 10, size=(COLUMNS, count)).astype(np.int16)
        columns[:COLUMNS // 2][rng.random((COLUMNS // 2, count)) < 0.3] = 0
        if mode in ("false", "true"):
            columns[:CONDITIONS] = 0 if mode == "false" else 1
        if mode == "one":  # each condition true in exactly one state
            columns[:CONDITIONS] = 0
            columns[:CONDITIONS, rng.integers(count, size=CONDITIONS)] = 1
        yield mode, columns


def schedule_errors(outputs: list[Any], units: list[Term | Block]) -> list[str]:
    """What is wrong with a schedule: every term must come once, after its operands; a
    block's terms may be used outside it only as the block's side of an ite on its
    condition (and are then in its `skipped`); a block's condition and the outputs are
    computed outside blocks.  (Messages name ops only: a Term's repr unfolds its DAG.)"""
    errors: list[str] = []
    place: dict[int, Block | None] = {}
    for number, unit in enumerate(units):
        block = unit if isinstance(unit, Block) else None
        terms = unit.terms if isinstance(unit, Block) else [unit]
        if block is not None:
            if id(block.cond) not in place or place[id(block.cond)] is not None:
                errors.append(f"unit {number}: the block's condition is not computed before")
            if not block.terms or not {id(t) for t in block.skipped} <= {id(t) for t in terms}:
                errors.append(f"unit {number}: empty block, or skipped terms not in it")
        for term in terms:
            if id(term) in place:
                errors.append(f"unit {number}: a {term.op} is scheduled twice")
            for a in term.args:
                if not isinstance(a, Term):
                    continue
                if id(a) not in place:
                    errors.append(f"unit {number}: a {a.op} is used before it is computed")
                    continue
                home = place[id(a)]
                if home is None or home is block:
                    continue
                lazy = term.op == "ite" and term.args[0] is home.cond and \
                    term.args[1 if home.side else 2] is a and \
                    term.args[2 if home.side else 1] is not a
                if not lazy or not any(s is a for s in home.skipped):
                    errors.append(f"unit {number}: a {term.op} uses a {a.op} of another "
                                  "block, not as that block's side of an ite on its condition")
            place[id(term)] = block
    for out in outputs:
        if isinstance(out, Term) and place.get(id(out), 0) is not None:
            errors.append(f"an output {out.op} is not computed outside blocks")
    return errors


def check_schedule(outputs: list[Any], units: list[Term | Block]) -> int:
    """Asserts the schedule is sound; the number of blocks."""
    errors = schedule_errors(outputs, units)
    assert not errors, "\n".join(errors[:10])
    return sum(isinstance(u, Block) for u in units)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.usefixtures("short_terms")
def test_programs_with_lazy_blocks_match_a_plain_evaluator(seed: int) -> None:
    rng = np.random.default_rng(seed)
    with tracing():
        builder = DagBuilder(rng)
        for _ in range(int(rng.integers(60, 160))):
            builder.step()
        outputs = builder.outputs()
        units = schedule(outputs)
        blocks = check_schedule(outputs, units)
        assert blocks >= 2, "the DAG has no lazily computed block"
        assert {id(builder.reserved)} <= {id(u.cond) for u in units if isinstance(u, Block)}
        program = Program(outputs, f"random{seed}", np.int16)
        assert any(line.lstrip().startswith("if ") for line in program.lines)
        for mode, columns in batches(rng, 257):
            got = program(columns)
            memo: dict[int, np.ndarray] = {}
            assert len(got) == len(outputs)
            for number, (out, value) in enumerate(zip(outputs, got, strict=True)):
                if not isinstance(out, Term):
                    assert value == out and type(value) is type(out)
                    continue
                want = reference(out, columns, memo)
                actual = np.broadcast_to(np.asarray(value), want.shape)
                assert (actual.dtype == bool) == out.boolean, (mode, number, out.op)
                assert np.array_equal(actual.astype(want.dtype), want), (mode, number, out.op)


@pytest.mark.usefixtures("short_terms")
def test_nested_same_condition_ites_in_blocks() -> None:
    """ite(c, ite(c, a, b), d) with big a, b and d: b, computed in the false block, gets a
    dummy value where c is all true (the inner ite, in the true block, then takes a), and
    the results stay right."""
    with tracing():
        c, x, y = make("colb", 0), make("col", 1), make("col", 2)

        def chain(start: Term, step: int) -> Term:
            for k in range(8):
                start = make("add", make("mul", start, 1 + k % 2), step + k)
            return make("sub", start, make("mul", start, 0))

        a, b, d = chain(x, 1), chain(y, 2), chain(make("add", x, y), 3)
        e, f = chain(x, 4), chain(y, 5)
        # blocks (c, true): inner, a, e; (c, false): b (used by inner), d, f
        inner = make("ite", c, a, b)
        outputs: list[Any] = [make("ite", c, inner, d), make("ite", c, e, f)]
        units = schedule(outputs)
        assert check_schedule(outputs, units) == 2
        skipped = {id(t) for u in units if isinstance(u, Block) for t in u.skipped}
        assert {id(b), id(d), id(e), id(f)} <= skipped and id(a) not in skipped
        program = Program(outputs, "nested", np.int16)
        rng = np.random.default_rng(0)
        for condition in ([0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 0, 1], [1, 0, 0, 0]):
            columns = rng.integers(-3, 4, size=(3, 4)).astype(np.int16)
            columns[0] = condition
            memo: dict[int, np.ndarray] = {}
            for out, value in zip(outputs, program(columns), strict=True):
                assert np.array_equal(np.asarray(value), reference(out, columns, memo)), \
                    condition
