"""What elaboration adds for a heterogeneous machine (`ir.Topology.cpuless`, `.memoryless`).

- An action `on n` does not run on a CPU-less node: it begins `require n in {the nodes with
  CPUs}` (`cpu_guard`).
- A memory-less node has no frames.  Frames stay numbered per node (`node_of`, `frames_of`
  keep their arithmetic), but a frame of a memory-less node is no value a spec can reach:
  a binder over the type `Frame` (`forall`, `exists`, comprehensions, `for`, `choose`,
  `leads_to`) ranges over the frames of the nodes with memory (`frame_domain`), an action
  parameter of type `Frame` is disabled at the others (`frame_guards`), and `frames_of(n)` is
  `{}` for a memory-less n (`frames_with_memory`).  So sigma0 hands out none of them without
  the spec asking `has_memory`.

On a machine whose nodes all have CPUs and memory (every preset, every `topology` block)
each of these is the identity: nothing is added, and the IR is that of a homogeneous spec.
"""

from __future__ import annotations

from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir import types as t
from numaspec.spec.span import Span


def member(topo: ir.Topology, node: ir.Expr, lacking: frozenset[int], span: Span) -> ir.Expr:
    """`node in {the nodes not in lacking}`, with that set a constant."""
    having = frozenset(n for n in range(topo.nodes) if n not in lacking)
    nodes_set = ir.Const(having, t.SetType(t.NodeType(topo.nodes)), span)
    return ir.Binary("member", node, nodes_set, t.BOOL, span)


def cpu_guard(topo: ir.Topology, node: ir.Expr | None, span: Span | None) -> list[ir.Stmt]:
    """An action `on n` runs on node n (a pager, a thread): on a machine with CPU-less
    nodes it is disabled there, as if it began `require has_cpus(n)`.  Nothing on a machine
    whose nodes all have CPUs, so such a spec's IR is unchanged (decls.py adds the guard)."""
    if node is None or span is None or not topo.cpuless:
        return []
    return [ir.Require(member(topo, node, topo.cpuless, span), span)]


def existing_frames(topo: ir.Topology, typ: t.FrameType, span: Span) -> ir.Const:
    """The frames of the nodes with memory, as a constant set of `typ`."""
    per_node = topo.frames_per_node
    frames = frozenset(f for f in range(typ.count) if f // per_node not in topo.memoryless)
    return ir.Const(frames, t.SetType(typ), span)


def frame_domain(topo: ir.Topology, typ: t.FrameType, span: Span) -> ir.Domain:
    """The domain of a binder over the type `Frame`: on a machine with memory-less nodes the
    frames that exist, otherwise the whole type."""
    if topo.memoryless:
        return ir.SetDomain(existing_frames(topo, typ, span))
    return ir.TypeDomain(typ)


def frame_guards(topo: ir.Topology, params: tuple[ir.Local, ...],
                 span: Span) -> list[ir.Stmt]:
    """`require p in {the frames that exist}` for each action parameter p of type `Frame`,
    on a machine with memory-less nodes (nothing otherwise)."""
    if not topo.memoryless:
        return []
    return [ir.Require(ir.Binary("member", ir.LocalRef(p, p.type, span),
                                 existing_frames(topo, p.type, span), t.BOOL, span), span)
            for p in params if isinstance(p.type, t.FrameType)]


def frames_with_memory(topo: ir.Topology, call: ir.Builtin) -> ir.Expr:
    """`frames_of(n)` limited to the frames that exist: `{}` for a memory-less n.  The call
    itself on a machine whose nodes all have memory."""
    typ = call.type
    if not topo.memoryless or not isinstance(typ, t.SetType) or \
            not isinstance(typ.elem, t.FrameType):
        return call
    return ir.Binary("inter", call, existing_frames(topo, typ.elem, call.span), typ, call.span)
