"""Cost tables of a simulation, as text and JSON."""

from __future__ import annotations

from typing import Any

from numaspec.checker.simulate import SimulationResult
from numaspec.model.cost import Costs

_COLUMNS = [
    ("steps", "steps"), ("faults", "pagefaults"), ("local", "local_accesses"),
    ("remote", "remote_accesses"), ("acc.cost", "access_cost"), ("msgs", "messages"),
    ("remote", "remote_messages"), ("msg.cost", "message_cost"),
]


def cost_table(result: SimulationResult) -> list[str]:
    """A table per action and in total, then the kernel primitives called by each action."""
    rows = [(name, costs) for name, costs in result.costs.items()] + [("total", result.total)]
    width = max(len(name) for name, _ in rows)
    header = f"{'action':<{width}}" + "".join(f"{title:>10}" for title, _ in _COLUMNS)
    lines = [header, "-" * len(header)]
    for name, costs in rows:
        if name == "total":
            lines.append("-" * len(header))
        cells = "".join(f"{getattr(costs, field):>10,}" for _, field in _COLUMNS)
        lines.append(f"{name:<{width}}{cells}")
    lines += _per_step(result.total)
    lines += _kernel_calls(rows)
    if result.total.remote_by_variable:
        shown = ", ".join(f"{var} {count:,}" for var, count
                          in sorted(result.total.remote_by_variable.items()))
        lines += ["", f"remote accesses by variable: {shown}"]
    return lines


def _per_step(total: Costs) -> list[str]:
    if not total.steps:
        return []
    accesses = total.local_accesses + total.remote_accesses
    remote = total.remote_accesses / accesses if accesses else 0.0
    return ["", f"per step: {accesses / total.steps:.2f} accesses ({remote:.0%} remote), "
                f"access cost {total.access_cost / total.steps:.2f}, "
                f"{total.messages / total.steps:.2f} messages"]


def _kernel_calls(rows: list[tuple[str, Costs]]) -> list[str]:
    lines = []
    for name, costs in rows:
        if costs.kernel_calls:
            calls = ", ".join(f"{k} {v:,}" for k, v in sorted(costs.kernel_calls.items()))
            lines.append(f"  {name}: {calls}")
    return ["", "kernel primitive calls:", *lines] if lines else []


def costs_json(result: SimulationResult) -> dict[str, Any]:
    return {"by_action": {name: c.as_dict() for name, c in result.costs.items()},
            "total": result.total.as_dict()}
