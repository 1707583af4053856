"""The designs compared by the evaluation and the machines they run on.

A `Design` names a spec of spec/examples/ and the two things the experiments need beyond the
spec's `@pagefault` action: the action that starts a global unmap of a page by a node, and the
view (a parameterless `fun`) `Map[(Node, Page), Frame]` of what each node sees, i.e. which
frame a thread on node n reaches at page v (absent: an access faults).  Everything else (what
a fault or an unmap does and costs) is the spec's.
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

    @property
    def path(self) -> Path:
        return EXAMPLES / f"{self.key}.numa"


PERNODE = Design("pernode", "per-node spaces, IPC unmap (P1)", "start_unmap")
ROOTPAGER = Design("pernode_rootpager", "per-node spaces, root-pager unmap (P2)", "start_unmap")
SINGLE = Design("single_as", "one node-spanning space", "unmap")
ALL_DESIGNS = (PERNODE, ROOTPAGER, SINGLE)
DEFAULT_TOPOLOGY = "uniform (default)"  # how tables name the language's default topology


@dataclass(frozen=True)
class Machine:
    """A topology to run on: a preset or a file (as `--topology` takes it), or the language
    default of `nodes` nodes (10 local / 20 remote, what a spec without distances gets)."""

    nodes: int
    topology: str | None = None  # a preset name or a topology file

    @property
    def name(self) -> str:
        return self.topology if self.topology is not None else f"{DEFAULT_TOPOLOGY}, {self.nodes}"

    @staticmethod
    def named(name: str) -> Machine:
        return Machine(resolve_topology(name).nodes, name)


def compile_design(design: Design, machine: Machine, pages: int,
                   frames_per_node: int) -> ir.Spec:
    """The design's spec on `machine` with PAGES = `pages`.  Raises SpecError."""
    defines = [f"PAGES={pages}", f"FRAMES_PER_NODE={frames_per_node}"]
    if machine.topology is None:
        return compile_spec(str(design.path), [*defines, f"NODES={machine.nodes}"]).spec
    return compile_spec(str(design.path), defines, resolve_topology(machine.topology)).spec
