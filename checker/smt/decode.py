"""Symbolic values read in a Z3 model: the runtime values a solver's answer stands for."""

from __future__ import annotations

from typing import Any

import z3

from numaspec.checker.symbolic.logic import Leaf, known
from numaspec.checker.symbolic.values import Sym, runtime_value
from numaspec.spec.ir import types as t


def decode(model: z3.ModelRef, sym: Sym, typ: t.Type) -> Any:
    """The runtime value (spec/ir/values.py) of `sym` in a Z3 model."""
    return runtime_value(sym, typ, lambda x: _leaf_value(model, x))


def _leaf_value(model: z3.ModelRef, x: Leaf) -> Any:
    if known(x):
        return x
    value = model.eval(x, model_completion=True)
    if z3.is_true(value) or z3.is_false(value):
        return z3.is_true(value)
    return value.as_signed_long() if z3.is_bv_value(value) else value.as_long()
