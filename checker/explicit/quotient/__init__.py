"""`leads_to` on the symmetry quotient (docs/explicit.md, "Liveness on the quotient").

`obstacle` says why a spec's liveness properties may not be decided on the quotient (then the
full graph is built, and the result says why); `check_on_quotient` decides them there.
"""

from __future__ import annotations

from numaspec.checker.explicit.liveness import fair_instances
from numaspec.checker.explicit.quotient.graph import InterpretedQuotient, Quotient
from numaspec.checker.explicit.quotient.group import GroupTables
from numaspec.checker.explicit.quotient.leads_to import QuotientLeadsTo
from numaspec.model.findings import Finding
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.symmetry.values import carries_nodes


def obstacle(spec: ir.Spec) -> str | None:
    """Why the quotient would be unsound for the `leads_to` properties of `spec` (whose
    `symmetric Node` the IR check has accepted), or None.  The IR check makes premises and
    conclusions commute with renaming nodes, and fairness is per action, which renaming
    keeps; what is left is a binding whose values name nodes: `P(n) leads_to Q(n)` for one
    node n is not invariant (renaming maps it to the property of another node)."""
    for prop in spec.liveness:
        for binding in prop.bindings:
            if carries_nodes(binding.local.type):
                return (f"`{prop.name}` binds `{binding.local.name}`, whose values name "
                        "nodes")
    return None


def check_on_quotient(graph: Quotient, group: list[tuple[int, ...]]) -> Finding | None:
    """The first violated leads_to property of the graph's spec (or None)."""
    model = graph.model
    tables = GroupTables(model, group)
    fair = fair_instances(model)
    renamed = tables.instances[:, sorted(fair)]
    assert set(renamed.ravel().tolist()) <= fair, "fairness not invariant under the group"
    for prop in model.spec.liveness:
        found = QuotientLeadsTo(graph, tables, prop, fair).run()
        if found is not None:
            return found
    return None


__all__ = ["InterpretedQuotient", "Quotient", "check_on_quotient", "obstacle"]
