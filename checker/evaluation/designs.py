"""The designs compared by the evaluation and the machines they run on.

A `Design` names a spec of spec/examples/ and the two things the experiments need beyond the
spec's `@pagefault` actions: the action that starts a global unmap of a page by a node, and the
view (a parameterless `fun`) `Map[(Node, Page), Frame]` of what each node sees, i.e. which
frame a thread on node n reaches at page v (absent: an access faults).  A design whose
operations continue in steps that are not message receipts names them (`follow`), and one
without `@pagefault` actions names the actions that give a node the page (`fault`); a design
of one page (`paged=False`) has a view `Map[Node, Frame]`.  Everything else (what a fault or
an unmap does and costs) is the spec's: adding a design to an experiment is one `Design(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from numaspec.spec.ir import nodes as ir
from numaspec.spec.pipeline import compile_spec
from numaspec.spec.topology.resolve import resolve_topology

EXAMPLES = Path(__file__).resolve().parents[2] / "spec" / "examples"


@dataclass(frozen=True)
class Design:
    key: str  # the file stem in spec/examples/
    label: str  # legend and table label
    unmap: str  # the action `unmap(n: Node, v: Page)` that starts a global unmap by node n
    view: str = "pt"  # the view Map[(Node, Page), Frame]
    defines: tuple[str, ...] = ()  # -D settings of the spec (e.g. the kernel's MDB_LOCK)
    follow: tuple[str, ...] = ()  # steps (not receives) that continue a fault or an unmap
    fault: tuple[str, ...] = ()  # the actions that map a page on a node (default @pagefault)
    paged: bool = True  # False: one page (0), no PAGES constant, a view Map[Node, Frame]

    @property
    def path(self) -> Path:
        return EXAMPLES / f"{self.key}.numa"


PERNODE = Design("pernode", "per-node spaces, IPC unmap (P1)", "start_unmap")
ROOTPAGER = Design("pernode_rootpager", "per-node spaces, root-pager unmap (P2)", "start_unmap")
SINGLE = Design("single_as", "one node-spanning space", "unmap")
ALL_DESIGNS = (PERNODE, ROOTPAGER, SINGLE)
# The corrected P1 variants (docs/designs.md), compared in the global-unmap experiment: the
# ack counter on the initiator, pagefaults as IPC, and the kernel's MDB locks charged.
INITIATOR = Design("pernode_initiator", "P1, acks on the initiator", "start_unmap")
PERNODE_IPC = Design("pernode_ipc", "P1, pagefaults as IPC", "start_unmap")
GLOBAL_LOCK = "MDB_LOCK=1"  # Pistachio: one MDB lock on sigma0's node
FRAME_LOCKS = "MDB_LOCK=2"  # Fiasco: a lock per frame, on the frame's node
LOCKED_DESIGNS = (
    Design("pernode_initiator", "P1, acks on the initiator, global MDB lock", "start_unmap",
           defines=(GLOBAL_LOCK,)),
    Design("pernode_initiator", "P1, acks on the initiator, per-frame locks", "start_unmap",
           defines=(FRAME_LOCKS,)),
    Design("pernode_rootpager", "P2, global MDB lock", "start_unmap", defines=(GLOBAL_LOCK,)),
    Design("single_as", "one node-spanning space, global MDB lock", "unmap",
           defines=(GLOBAL_LOCK,)),
    Design("single_as", "one node-spanning space, per-frame locks", "unmap",
           defines=(FRAME_LOCKS,)))
UNMAP_DESIGNS = (*ALL_DESIGNS, INITIATOR, PERNODE_IPC, *LOCKED_DESIGNS)
# The kernel keeps the per-node spaces coherent (the alternative the seed paper rejects).
INKERNEL_IPI = Design("inkernel_sync_ipi", "in-kernel sync, IPIs and acks", "kernel_unmap")
INKERNEL_REMOTE = Design("inkernel_sync_remote", "in-kernel sync, remote page-table writes",
                         "kernel_unmap", follow=("remote_write", "complete"))
SYNC_DESIGNS = (PERNODE, INKERNEL_IPI, INKERNEL_REMOTE)
# A clustered object (Tornado/K42): misses and unmaps through the root, which visits the reps
# that have the page; every step after the unmap call is a message receipt.
CLUSTERED = Design("clustered", "clustered object (Tornado/K42)", "unmap")
# The global-unmap protocols side by side (experiment 7).
PROTOCOL_DESIGNS = (
    PERNODE, ROOTPAGER,
    Design("unmap_batched", "P1, batched unmap (a batch of one page)", "defer_unmap",
           follow=("flush",)),
    Design("unmap_flag", "P1, shared flag and IPIs", "start_unmap", follow=("complete",)),
    Design("barrelfish_revoke", "Barrelfish mark/sweep revocation", "revoke",
           fault=("create", "copy"), paged=False),
    SINGLE, INKERNEL_IPI, INKERNEL_REMOTE, CLUSTERED)
# Page-table replication (experiment 8) against per-node spaces and the single space.
MITOSIS = Design("mitosis", "Mitosis: eager page-table replication", "unmap",
                 follow=("replicate", "map_done", "drop", "unmap_done"))
NUMAPTE = Design("numapte", "numaPTE: on-demand replication", "unmap",
                 follow=("replicate", "map_done", "drop", "unmap_done"))
# Disco replicates and migrates the data pages themselves (its scans follow every fault).
DISCO = Design("disco", "Disco: page replication and migration", "unmap",
               follow=("scan", "replicate", "migrate", "drop", "collapse_done", "unmap_done",
                       "migrate_done"), fault=("fault",))
REPLICATION_DESIGNS = (PERNODE, SINGLE, MITOSIS, NUMAPTE, DISCO)
DEFAULT_TOPOLOGY = "uniform (default)"  # how tables name the language's default topology


@dataclass(frozen=True)
class Machine:
    """A topology to run on: a preset or a file (as `--topology` takes it), or the language
    default of `nodes` nodes (10 local / 20 remote, what a spec without distances gets)."""

    nodes: int
    topology: str | None = None  # a preset name or a topology file
    ratio: float | None = None  # uniform, 10 local and round(10 * ratio) remote (no preset)

    @property
    def name(self) -> str:
        if self.ratio is not None:
            return f"uniform {self.nodes}, remote {self.remote}"
        return self.topology if self.topology is not None else f"{DEFAULT_TOPOLOGY}, {self.nodes}"

    @property
    def remote(self) -> int:
        """The remote distance of a machine with a ratio (local is 10)."""
        return round(10 * (self.ratio if self.ratio is not None else 2.0))

    @staticmethod
    def named(name: str) -> Machine:
        return Machine(resolve_topology(name).nodes, name)


def compile_design(design: Design, machine: Machine, pages: int,
                   frames_per_node: int) -> ir.Spec:
    """The design's spec on `machine` with PAGES = `pages` (a paged design).  Raises
    SpecError."""
    defines = [f"FRAMES_PER_NODE={frames_per_node}", *design.defines]
    if design.paged:
        defines.insert(0, f"PAGES={pages}")
    if machine.ratio is not None:
        distance = tuple(tuple(10 if i == j else machine.remote for j in range(machine.nodes))
                         for i in range(machine.nodes))
        topology = ir.Topology(machine.nodes, frames_per_node, distance, None)
        return compile_spec(str(design.path), defines, topology).spec
    if machine.topology is None:
        return compile_spec(str(design.path), [*defines, f"NODES={machine.nodes}"]).spec
    return compile_spec(str(design.path), defines, resolve_topology(machine.topology)).spec
