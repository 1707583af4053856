"""`Model.initial_states(limit)`: `init` stops building outcomes past the limit, and the
initial states are computed once (every engine asks for them, some twice)."""

from __future__ import annotations

from pathlib import Path

import pytest

from numaspec.model.machine import Model
from numaspec.model.outcome import LimitReached
from numaspec.spec.pipeline import compile_spec

SPEC = """spec inits
topology { nodes 2 frames_per_node 1 }
var a : 0 .. 9
var b : 0 .. 9
init {
  choose p: 0 .. 9 { a := p }
  choose q: 0 .. 9 where q != a { b := q }
}
action step() { require a < 9  a := a + 1 }
invariant ok: true
"""


def _model(tmp_path: Path) -> Model:
    path = tmp_path / "inits.numa"
    path.write_text(SPEC)
    return Model(compile_spec(str(path)).spec)


def test_the_limit_stops_init_past_it(tmp_path: Path) -> None:
    model = _model(tmp_path)
    with pytest.raises(LimitReached, match=r"--max-states 50 \(`init` alone"):
        model.initial_states(50)
    assert len(model.initial_states(90)) == 90  # exactly the limit is within it
    with pytest.raises(LimitReached):
        model.initial_states(89)


def test_initial_states_are_computed_once_and_copied(tmp_path: Path) -> None:
    model = _model(tmp_path)
    first = model.initial_states()
    first.clear()  # a caller's list is its own
    again = model.initial_states()
    assert len(again) == 90
    assert model.initial_states() is not again
