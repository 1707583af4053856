"""`P leads_to Q` under weak fairness decided on the quotient graph (see liveness.py for the
procedure on the full graph, fair.py for what changes on the quotient).

With P and Q invariant under the group (the IR symmetry check makes premises and conclusions
commute with renaming; bindings whose values carry no node keep them fixed), a state violates
the property iff every state of its orbit does, and a stutter state's orbit holds only stutter
states.  So, on the quotient: the not-Q nodes, the stutter nodes among them, the components
of the not-Q subgraph whose concrete components are fair (fair.py), the not-Q nodes that reach
one of these, and the first such node (in breadth-first order) where P holds.  Its lasso is
lifted to real states (lasso.py), replayed and checked.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np

from numaspec.checker.explicit.liveness import LeadsToCheck, sccs
from numaspec.checker.explicit.quotient.fair import fair_components
from numaspec.checker.explicit.quotient.graph import Quotient
from numaspec.checker.explicit.quotient.group import GroupTables
from numaspec.checker.explicit.quotient.lasso import ConcreteComponent, confirm_fair_lasso, lift
from numaspec.checker.explicit.vector.liveness import doomed
from numaspec.model.findings import Finding, Trace, replay
from numaspec.spec.ir import nodes as ir


class QuotientLeadsTo(LeadsToCheck):
    """One `forall bindings: P leads_to Q` property, decided on a Quotient."""

    def __init__(self, graph: Quotient, tables: GroupTables, prop: ir.LeadsTo,
                 fair: set[int]):
        self.graph = graph  # type: ignore[assignment]  # LeadsToCheck.run reads states, model
        self.quotient, self.tables, self.prop, self.fair = graph, tables, prop, fair
        exprs = graph.model.exprs
        self.premise, self.conclusion = exprs.compile(prop.premise), exprs.compile(prop.conclusion)
        self.fair_mask = np.zeros(len(graph.model.instances), dtype=bool)
        self.fair_mask[sorted(fair)] = True
        fair_edge = self.fair_mask[graph.via]
        self.fair_enabled = np.zeros(graph.size, dtype=bool)
        self.fair_enabled[graph.src[fair_edge]] = True

    def _check(self, env: list[Any], values: tuple[Any, ...]) -> Finding | None:
        g = self.quotient
        premise, conclusion = g.evaluate(self.prop, values)
        bad = ~conclusion
        inside = np.flatnonzero(bad)
        if not inside.size:
            return None
        label, components = self._components(inside, bad)
        accepting = bad & ~self.fair_enabled
        fair = fair_components(g, self.tables, label, components, self.fair_mask)
        accepting |= np.isin(label, fair) & (label >= 0)
        if not accepting.any():
            return None
        doomed = self._doomed(accepting, bad)
        starts = inside[doomed[inside] & premise[inside]]
        if not starts.size:
            return None
        return self._lift(int(starts[0]), accepting, bad, label, values, env)

    def _components(self, inside: np.ndarray,
                    bad: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each not-Q node's component label, and the members (ascending) of each component
        that has an internal edge."""
        g = self.quotient
        adjacent: list[list[int]] = [[] for _ in range(g.size)]
        keep = bad[g.src] & bad[g.dst]
        for source, target in zip(g.src[keep].tolist(), g.dst[keep].tolist(), strict=True):
            adjacent[source].append(target)
        found = sccs(inside.tolist(), adjacent.__getitem__)
        label = np.full(g.size, -1, dtype=np.int64)
        for number, component in enumerate(found):
            label[component] = number
        inner = bad[g.src] & bad[g.dst] & (label[g.src] == label[g.dst])
        has_edge = np.zeros(len(found), dtype=bool)
        has_edge[label[g.src[inner]]] = True
        members = [np.array(sorted(c), dtype=np.int64) for k, c in enumerate(found)
                   if has_edge[k]]
        return label, members

    def _doomed(self, accepting: np.ndarray, bad: np.ndarray) -> np.ndarray:
        """Not-Q nodes with a path of not-Q nodes to an accepting one."""
        g = self.quotient
        return doomed(g.src, g.dst, g.size, accepting, bad)

    def _lift(self, start: int, accepting: np.ndarray, bad: np.ndarray, label: np.ndarray,
              values: tuple[Any, ...], env: list[Any]) -> Finding:
        g, model = self.quotient, self.quotient.model
        stem = self._stem(start)
        nodes = stem + self._path(start, accepting, bad)[1:]
        initial, steps = lift(g, nodes)
        premise_at = len(stem) - 1
        entry = nodes[-1]
        loop_at = len(steps)
        fair = [model.instances[i] for i in sorted(self.fair)]
        if self.fair_enabled[entry]:  # not a stutter: a fair cycle in its component
            keys = {int(k) for k in g.node_keys[label == label[entry]].tolist()}
            here = steps[-1].state if steps else initial
            steps += ConcreteComponent(g, keys, here).fair_loop(fair)
        names = ", ".join(f"{b.local.name}={v}" for b, v in zip(self.prop.bindings, values,
                                                               strict=True))
        which = f" ({names})" if names else ""
        message = (f"property {self.prop.name} is violated{which}: its premise holds but "
                   "its conclusion never does, in a fair behaviour")
        trace = Trace(initial, tuple(steps), loop=loop_at)
        finding = Finding("liveness", self.prop.name, message, self.prop.span, trace,
                          details={"bindings": names, "stutters": len(steps) == loop_at})
        replay(model, finding)
        confirm_fair_lasso(model, trace, premise_at, fair,
                           lambda s: self.conclusion(s, env))
        return finding

    def _stem(self, node: int) -> list[int]:
        """The nodes of the breadth-first tree from an initial node to `node`."""
        path = [node]
        while self.quotient.parent[path[-1]] != -1:
            path.append(int(self.quotient.parent[path[-1]]))
        return path[::-1]

    def _path(self, start: int, goal: np.ndarray, allowed: np.ndarray) -> list[int]:
        """A shortest quotient path of allowed nodes from `start` to a goal node."""
        g = self.quotient
        back = {start: -1}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if goal[node]:
                path = [node]
                while back[path[-1]] != -1:
                    path.append(back[path[-1]])
                return path[::-1]
            for target in g.dst[g.offsets[node]:g.offsets[node + 1]].tolist():
                if allowed[target] and target not in back:
                    back[target] = node
                    queue.append(target)
        raise AssertionError("a doomed node reaches no accepting node")
