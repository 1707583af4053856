"""Whether a strongly connected component of the quotient holds a fair cycle of real states.

A component C of the quotient's not-Q subgraph with an internal edge stands for the concrete
components above it, all images of one another under the group (each contains a state of
every orbit of C: a quotient cycle lifts to a path that comes back to its start after at most
as many rounds as the order of the permutation it accumulates).  Take one, D.  Weak fairness
per instance asks of D what liveness.py asks of a component of the full graph: every fair
instance enabled in all states of D is taken by an edge inside D.  D is not built; it is
described by an annotated spanning tree (Emerson and Sistla's annotated quotient):

- tau[v] is a group element with tau[v](rep(v)) in D (tau[root] is the identity), following
  tree edges: a step from rep(u) by i to t, with g(t) == rep(v), gives tau[v] = tau[u]∘g⁻¹;
- every internal step gives an element tau[u]∘g⁻¹∘tau[v]⁻¹ of H, the stabiliser of D (these
  Schreier generators generate it), so D = { h(tau[v](rep(v))) : h in H, v in C };
- the instances enabled at tau[v](rep(v)) are tau[v] applied to those of rep(v); an instance
  j is enabled in all of D iff every h(j), h in H, is enabled at every tau[v](rep(v)); and the
  instances taken inside D are the H-images of tau[u](i) over the internal steps.
"""

from __future__ import annotations

import numpy as np

from numaspec.checker.explicit.quotient.graph import Quotient
from numaspec.checker.explicit.quotient.group import GroupTables


def fair_component(graph: Quotient, tables: GroupTables, members: np.ndarray,
                   fair: np.ndarray) -> bool:
    """True iff a concrete component over the quotient component `members` (which has an
    internal edge) is fair: it then holds a fair cycle.  `fair` marks fair instances."""
    src, via, dst, mapping = graph.concrete_edges(members)
    inside = np.zeros(graph.size, dtype=bool)
    inside[members] = True
    internal = inside[dst]
    src_i, via_i, dst_i, map_i = src[internal], via[internal], dst[internal], mapping[internal]
    tau = _tree(tables, graph.size, int(members[0]), src_i, dst_i, map_i)
    generators = tables.mult[tables.mult[tau[src_i], tables.inv[map_i]], tables.inv[tau[dst_i]]]
    stabiliser = tables.closure(generators)
    renamed = tables.instances[stabiliser]  # (|H|, instances)
    count = len(graph.model.instances)
    pairs = np.unique(src * count + via)  # (state, enabled instance), each once
    p_src, p_via = pairs // count, pairs % count
    concrete = tables.instances[tau[p_src], p_via]
    everywhere = np.bincount(concrete, minlength=count) == len(members)
    required = everywhere[renamed].all(axis=0) & fair
    taken = np.zeros(count, dtype=bool)
    taken[renamed[:, np.unique(tables.instances[tau[src_i], via_i])]] = True
    return not bool((required & ~taken).any())


def _tree(tables: GroupTables, size: int, root: int, src: np.ndarray, dst: np.ndarray,
          mapping: np.ndarray) -> np.ndarray:
    """tau for every node of the component, along a breadth-first spanning tree."""
    tau = np.full(size, -1, dtype=np.int64)
    tau[root] = 0
    while True:
        step = (tau[src] >= 0) & (tau[dst] < 0)
        if not step.any():
            return tau
        targets, first = np.unique(dst[step], return_index=True)
        edges = np.flatnonzero(step)[first]
        tau[targets] = tables.mult[tau[src[edges]], tables.inv[mapping[edges]]]
