"""Which strongly connected components of the quotient hold a fair cycle of real states.

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


def fair_components(graph: Quotient, tables: GroupTables, label: np.ndarray,
                    candidates: list[np.ndarray], fair: np.ndarray) -> np.ndarray:
    """The labels (ascending) of the components among `candidates` (their members, each
    with an internal edge; `label` numbers every node's component, -1 outside) over which a
    concrete component is fair, so holds a fair cycle.  `fair` marks fair instances."""
    if not candidates:
        return np.empty(0, dtype=np.int64)
    members = np.concatenate(candidates)
    src, via, dst, mapping = graph.concrete_edges(members, label)
    internal = mapping >= 0
    tau = _tree(tables, graph.size, np.array([c[0] for c in candidates]),
                src[internal], dst[internal], mapping[internal])
    count = len(graph.model.instances)
    pairs = np.unique(src * count + via)  # (state, enabled instance), each once
    p_src, p_via = pairs // count, pairs % count
    p_concrete = tables.instances[tau[p_src], p_via]
    s_i, v_i, d_i, m_i = src[internal], via[internal], dst[internal], mapping[internal]
    generators = tables.mult[tables.mult[tau[s_i], tables.inv[m_i]], tables.inv[tau[d_i]]]
    taken_concrete = tables.instances[tau[s_i], v_i]
    edges, pair_at = _by_label(label[s_i]), _by_label(label[p_src])
    found = []
    for component in candidates:
        number = int(label[component[0]])
        mine = edges[0][edges[1][number]:edges[1][number + 1]]
        enabled = pair_at[0][pair_at[1][number]:pair_at[1][number + 1]]
        renamed = tables.instances[tables.closure(generators[mine])]  # (|H|, instances)
        everywhere = np.bincount(p_concrete[enabled], minlength=count) == len(component)
        required = everywhere[renamed].all(axis=0) & fair
        taken = np.zeros(count, dtype=bool)
        taken[renamed[:, np.unique(taken_concrete[mine])]] = True
        if not (required & ~taken).any():
            found.append(number)
    return np.array(found, dtype=np.int64)


def _tree(tables: GroupTables, size: int, roots: np.ndarray, src: np.ndarray,
          dst: np.ndarray, mapping: np.ndarray) -> np.ndarray:
    """tau for every node of the components, along breadth-first spanning trees from
    `roots` (one per component; the edges are internal to components)."""
    tau = np.full(size, -1, dtype=np.int64)
    tau[roots] = 0
    while True:
        step = (tau[src] >= 0) & (tau[dst] < 0)
        if not step.any():
            return tau
        targets, first = np.unique(dst[step], return_index=True)
        edges = np.flatnonzero(step)[first]
        tau[targets] = tables.mult[tau[src[edges]], tables.inv[mapping[edges]]]


def _by_label(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions sorted by label, and where each label's run starts (index by label)."""
    order = np.argsort(labels, kind="stable")
    return order, np.searchsorted(labels[order], np.arange(int(labels.max(initial=0)) + 2))
