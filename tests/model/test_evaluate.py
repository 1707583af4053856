"""The reference evaluator, through constant folding of the front end."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from numaspec.spec.diagnostics import SpecError
from numaspec.spec.ir import types as t
from numaspec.spec.ir.values import FrozenMap, default_value, enumerate_type, in_domain
from numaspec.spec.pipeline import CompiledSpec

Compile = Callable[..., CompiledSpec]
PRELUDE = """spec e
topology { nodes 3 frames_per_node 2 distance [[10,12,20],[12,10,20],[20,20,10]] }
enum Right { r, w, x }
type Link = Map[0 .. 5, (0 .. 5)?]
const LINKS: Link = {1 -> none, 2 -> 1, 3 -> 2, 4 -> 1, 5 -> none}
"""

CASES: list[tuple[str, Any]] = [
    ("1 + 2 * 3 - 4", 3),
    ("-7 / 2", -3),  # truncating division
    ("-7 % 2", -1),
    ("not (1 < 2) or 2 >= 2", True),
    ("false implies 1 / 0 == 0", True),  # short circuit
    ("{1, 2} + {3}", frozenset({1, 2, 3})),
    ("{1, 2, 3} - {2}", frozenset({1, 3})),
    ("{1, 2} & {2, 3}", frozenset({2})),
    ("{1} < {1, 2} and {1, 2} <= {1, 2} and not ({1, 2} < {1, 2})", True),
    ("{ x: 0 .. 9 where x % 3 == 0 }", frozenset({0, 3, 6, 9})),
    ("{ x * x | x: 0 .. 3 where x > 0 }", frozenset({1, 4, 9})),
    ("{ x: 0 .. 2 -> x + 1 }", FrozenMap({0: 1, 1: 2, 2: 3})),
    ("forall a, b: 0 .. 3: a + b <= 6", True),
    ("exists n: Node where n != 0: int(n) == 2", True),
    ("if size({1}) == 1 then 10 else 20", 10),
    ("min({3, 1, 2}) + max({3, 1, 2})", 4),
    ("dom({1 -> 2, 3 -> 4})", frozenset({1, 3})),
    ("ran({1 -> 2, 3 -> 4})", frozenset({2, 4})),
    ("get({1 -> 2}, 5) == none", True),
    ("unwrap(get({1 -> 2}, 1))", 2),
    ("head([4, 5]) + size(tail([4, 5, 6]))", 6),
    ("append([1], 2)", (1, 2)),
    ("node_of(frame(5))", 2),
    ("frames_of(1)", frozenset({2, 3})),
    ("distance(0, 1) + distance(2, 2)", 22),
    ("NODES * 10 + FRAMES_PER_NODE + FRAMES", 38),
    ("descendants(LINKS, 1)", frozenset({2, 3, 4})),
    ("ancestors(LINKS, 3)", frozenset({1, 2})),
    ("ancestors({1 -> 2, 2 -> 1, 3 -> 1}, 3)", frozenset({1, 2})),
    ("ancestors({1 -> 2, 2 -> 1}, 1)", frozenset({1, 2})),  # a cycle reaches its start
    ("descendants({1 -> 2, 2 -> 1}, 1)", frozenset({1, 2})),
    ("{Right.r, Right.w} + {Right.x} == {Right.x, Right.w, Right.r}", True),
    ("(1, true).1", True),
    ("{frame: 2, rights: 3}.rights", 3),
    ("3 in {1 -> 2, 3 -> 4} and 2 not in {1 -> 2}", True),
    ("2 in [1, 2] and {} == {1} - {1}", True),
    ("3 in 0 .. 4 and 1 .. 3 == {1, 2, 3} and size(range(5, 4)) == 0", True),
]


@pytest.mark.parametrize(("expr", "value"), CASES, ids=[c[0] for c in CASES])
def test_constant_values(compile_text: Compile, expr: str, value: Any) -> None:
    spec = compile_text(PRELUDE + f"const X = {expr}\n").spec
    assert spec.constants["X"][0] == value


@pytest.mark.parametrize("expr", ["1 / 0", "min({ x: 0 .. 3 where x > 5 })",
                                  "unwrap(get({1 -> 2}, 3))", "head(tail([1]))",
                                  "{1 -> 2}[7]", "frame(99)"])
def test_runtime_errors_in_constants(compile_text: Compile, expr: str) -> None:
    with pytest.raises(SpecError) as info:
        compile_text(PRELUDE + f"const Y: Seq[int, 2] = [1]\nconst X = {expr}\n")
    assert info.value.diagnostics[0].code == "E403"


def test_domains_and_defaults() -> None:
    record = t.RecordType((("a", t.BOOL), ("b", t.OptionType(t.IntType(0, 1)))))
    values = list(enumerate_type(record))
    assert len(values) == 6 and default_value(record) == (False, None)
    assert all(in_domain(v, record) for v in values)
    assert len(list(enumerate_type(t.MapType(t.IntType(0, 1), t.BOOL)))) == 9
    assert len(list(enumerate_type(t.SeqType(t.BOOL, 2)))) == 7
    assert len(list(enumerate_type(t.SetType(t.IntType(0, 2))))) == 8
    assert t.domain_size(t.SetType(t.IntType(0, 2))) == 8
    assert not in_domain(4, t.IntType(0, 3)) and not in_domain((1, 2, 3), t.SeqType(t.INT, 2))


def test_frozen_map_is_hashable_and_immutable() -> None:
    m = FrozenMap({1: 2})
    assert hash(m) == hash(FrozenMap({1: 2})) and m.set(3, 4) == {1: 2, 3: 4}
    assert m.without(1) == {} and m == {1: 2}
    with pytest.raises(TypeError):
        m[5] = 6
