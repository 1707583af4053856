"""Long expression chains and deep nests that the front end accepts must run in every command.

The generated Python (model/compile/codegen/) once nested a bracket per `or`, `not`,
`implies` and `else if`, and an indentation level per `else if`: CPython refused 300-term
chains, 99 `else if`s and 21 nested `for`s with a SyntaxError traceback.  Chains are now
generated flat, and what CPython still cannot compile stays closures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import run_cli

HEADER = """spec chains
topology {
  nodes 2
  frames_per_node 1
}
var x : 0 .. 3
var b : bool
"""


def _or_chain(k: int) -> str:
    terms = " or ".join(f"x == {i % 4}" for i in range(k))
    return f"action a() {{\n  require {terms}\n  b := not b\n}}\n"


def _not_chain(k: int) -> str:
    return f"action a() {{\n  require {'not ' * k}(b and not b)\n  b := not b\n}}\n"


def _implies_chain(k: int) -> str:
    return f"action a() {{\n  require {' implies '.join('b' for _ in range(k))}\n  b := not b\n}}\n"


def _if_chain(k: int) -> str:
    arms = "".join(f"if x == {i % 4} then {(i + 1) % 4} else " for i in range(k))
    return f"action a() {{\n  x := {arms}0\n}}\n"


def _else_ifs(k: int) -> str:
    arms = "".join(f" else if x == {i % 4} {{ x := {(i + 1) % 4} }}" for i in range(k))
    return f"action a() {{\n  if b {{ b := false }}{arms} else {{ b := true }}\n}}\n"


def _nested_fors(k: int) -> str:
    opening = "".join(f"for i{i}: 0 .. 0 {{\n" for i in range(k))
    return f"action a() {{\n{opening}b := not b\n{'}' * k}\n}}\n"


SPECS = {
    "or300": _or_chain(300), "not301": _not_chain(301), "implies300": _implies_chain(300),
    "if250": _if_chain(250), "else_if99": _else_ifs(99), "for25": _nested_fors(25),
    "if600": _if_chain(600),  # beyond CPython's parser even unbracketed: closures
}
COMMANDS = {
    "check": ["check", "--no-deadlock"], "interpreted": ["check", "--no-vectorise",
                                                         "--no-deadlock"],
    "simulate": ["simulate", "--steps", "5", "--seed", "1"],
    "bmc": ["check", "--engine", "bmc", "--depth", "2", "--no-deadlock"],
}


@pytest.mark.parametrize("name", sorted(SPECS))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_chain_runs(tmp_path: Path, name: str, command: str) -> None:
    path = tmp_path / f"{name}.numa"
    path.write_text(HEADER + SPECS[name])
    result = run_cli([*COMMANDS[command], str(path)])
    assert "Traceback" not in result.err
    assert result.status == 0, result.out + result.err


def test_chain_verdicts_agree_with_the_reference(tmp_path: Path) -> None:
    # The flat `implies` chain keeps right associativity: b implies (b implies ... b) holds
    # when b is false and when b is true, so `a` is always enabled: 2 states, no deadlock.
    path = tmp_path / "imp.numa"
    path.write_text(HEADER + _implies_chain(300) + "invariant never_three: x != 3\n")
    for extra in ([], ["--no-vectorise"]):
        result = run_cli(["check", *extra, str(path)])
        assert result.status == 0, result.out + result.err
        assert "distinct states: 2" in result.out
