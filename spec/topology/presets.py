"""Built-in named topologies for `--topology NAME`.

Distances follow ACPI SLIT conventions (10 = local; 20 means "twice as far").  Every preset
has one frame per node: the checkers enumerate frames, and one frame per node is the smallest
setting that still separates local from remote memory.  A spec or `-D FRAMES_PER_NODE=...`
(through `resolve_topology(..., frames_per_node=...)`) asks for more.

Where a table comes from a real machine, the comment names the published `numactl --hardware`
output it was copied from; the tests in tests/model/test_topology.py pin every matrix's
automorphism group size, which is what `symmetric Node` may use.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from numaspec.spec.ir import nodes as ir

Matrix = tuple[tuple[int, ...], ...]


def _uniform(count: int, local: int = 10, remote: int = 20) -> Matrix:
    """`count` nodes, every remote node equally far: the language's default topology."""
    return tuple(tuple(local if i == j else remote for j in range(count)) for i in range(count))


def _rows(text: str) -> Matrix:
    """A matrix written as whitespace-separated rows, one per line (as numactl prints it)."""
    return tuple(tuple(int(cell) for cell in line.split()) for line in text.strip().splitlines())


# opteron4: the machine of the seed paper (Kupferschmied, Stoess, Bellosa, EuroSys'09 poster),
# "an AMD Opteron NUMA platform in our lab [with] a remote-to-local read memory access ratio of
# about 1.4".  The paper gives no table, and the 1.4 is the paper's own figure: no full text or
# measurement backs it (see docs/seed.md, "The Opteron ratio": unverified).
# How the values were chosen: 4-socket Opteron boards of that era connect the sockets by
# HyperTransport in a square ring 0-1-2-3-0, so each socket has two neighbours one hop away
# and one socket two hops away.  We read the paper's 1.4 as the one-hop ratio (14 / 10), and
# let each further hop add the same 4, as Opteron BIOS tables do (the Magny-Cours table below
# grows by 6 per hop: 10, 16, 22).  So 10 local, 14 one hop, 18 two hops.  For comparison, AMD
# document 40555 rev 3.00 measured 100% / 108-109% / 130% read time on an idle 4P Opteron: the
# ratios here are pessimistic for an idle machine and plausible under load.
_OPTERON4 = _rows("""
    10 14 18 14
    14 10 14 18
    18 14 10 14
    14 18 14 10
""")

# xeon2: a 2-socket Intel Xeon server (Skylake-SP, AWS c5n.18xlarge: 2 x Xeon Platinum 8124M),
# `numactl --hardware` as posted in github.com/awslabs/aws-c-s3 pull request #403 ("Disable CPU
# Group Pinning for Body Streaming ELG"): "node distances: / 0: 10 21 / 1: 21 10".  The same
# 10/21 SLIT is what BIOSes of 2-socket Xeon servers with one QPI/UPI hop generally report.
_XEON2 = _rows("""
    10 21
    21 10
""")

# magnycours8: a 4-socket AMD Opteron 6100 (Magny-Cours, 4 sockets x 12 cores) server.  Each
# package holds two dies with their own memory controller, so Linux sees 8 nodes.  The table is
# the `numactl --hardware` output printed in Kevin Closson, "You Buy a NUMA System, Oracle Says
# Disable NUMA! What Gives? Part III" (kevinclosson.net, 2010-03-31, section "By The Way, How
# Many NUMA Nodes Is Your AMD Opteron 6100-Based Server?"), re-laid out one row per line.  It is
# not fully regular (16 = one HyperTransport hop, 22 = two), so only 4 node permutations
# preserve it: a realistic case for `symmetric Node`.
_MAGNYCOURS8 = _rows("""
    10 16 16 22 16 22 16 22
    16 10 22 16 16 22 22 16
    16 22 10 16 16 16 16 16
    22 16 16 10 16 16 22 22
    16 16 16 16 10 16 16 22
    22 22 16 16 16 10 22 16
    16 22 16 22 16 22 10 16
    22 16 16 22 22 16 16 10
""")


def _preset(matrix: Matrix) -> ir.Topology:
    return ir.Topology(len(matrix), 1, matrix, None)


#: Every built-in topology by name.  Read-only: resolve_topology hands out these objects.
PRESETS: Mapping[str, ir.Topology] = MappingProxyType({
    "uniform2": _preset(_uniform(2)),
    "uniform4": _preset(_uniform(4)),
    "opteron4": _preset(_OPTERON4),
    "xeon2": _preset(_XEON2),
    "magnycours8": _preset(_MAGNYCOURS8),
})

#: One line per preset, for listings and error messages (same keys as PRESETS).
PRESET_NOTES: Mapping[str, str] = MappingProxyType({
    "uniform2": "2 nodes, 10 local / 20 remote (the language default)",
    "uniform4": "4 nodes, 10 local / 20 remote",
    "opteron4": "4-socket AMD Opteron ring, 10 / 14 one hop / 18 two hops; the 1.4 ratio is "
                "the seed paper's, unverified",
    "xeon2": "2-socket Intel Xeon server, SLIT 10 / 21 (published numactl output)",
    "magnycours8": "4-socket AMD Opteron 6100 (Magny-Cours), 8 nodes, 10 / 16 / 22 "
                   "(published numactl output)",
})
