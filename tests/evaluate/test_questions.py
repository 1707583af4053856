"""Experiments 6 to 8 on small sizes, their figures pinned exactly (every count and cost is
deterministic for a seed): the unmap protocols' messages, rounds and cost; user-level against
in-kernel synchronisation and its crossings; replication by sharing pattern."""

from __future__ import annotations

import pytest

from numaspec.checker.evaluation.designs import (
    CLUSTERED,
    DISCO,
    INKERNEL_REMOTE,
    PROTOCOL_DESIGNS,
    REPLICATION_DESIGNS,
    SYNC_DESIGNS,
    Machine,
)
from numaspec.checker.evaluation.driver import Rounds
from numaspec.checker.evaluation.experiments import insync, protocols, replication
from numaspec.checker.evaluation.experiments.insync import crossing

# (messages, rounds, distance-weighted cost) per global unmap, mean over the initiators, in
# the order of PROTOCOL_DESIGNS: P1, P2, batched, flag, Barrelfish, single space, in-kernel
# IPIs, in-kernel remote writes, the clustered object.
PROTOCOLS = {
    2: [(2, 2, 290), (4, 4, 490), (2, 2, 430), (1, 1, 330), (4, 4, 315), (2, 2, 190),
        (2, 2, 290), (2, 2, 390), (5, 3, 455)],
    3: [(4, 2, 396.667), (6, 4, 703.333), (4, 2, 566.667), (2, 1, 456.667), (8, 4, 466.667),
        (4, 2, 246.667), (4, 2, 396.667), (4, 4, 603.333), (7, 3, 613.333)],
    4: [(6, 2, 495), (8, 4, 910), (6, 2, 695), (3, 1, 575), (12, 4, 612.5), (6, 2, 295),
        (6, 2, 495), (6, 6, 810), (9, 3, 767.5)],
}


@pytest.mark.parametrize("nodes", [2, 3, 4])
def test_unmap_protocols_messages_rounds_and_cost(nodes: int) -> None:
    table = protocols.run(PROTOCOL_DESIGNS, [nodes], lambda _: None)
    found = [(r["messages"], r["rounds"], r["distance-weighted cost"]) for r in table.where()]
    assert found == [(m, r, pytest.approx(c, abs=1e-3)) for m, r, c in PROTOCOLS[nodes]]


def test_protocol_rounds_follow_the_protocols_shape() -> None:
    # P1: request and ack, 2 rounds at any n; the remote writes: a shootdown per node in turn;
    # the clustered object: the request to the root, its fan-out to the n reps and their acks
    for nodes in (2, 5):
        total, rounds = protocols.unmap_rounds(PROTOCOL_DESIGNS[0], Machine(nodes))
        assert rounds == 2 and total.messages == nodes * 2 * (nodes - 1)
        total, rounds = protocols.unmap_rounds(INKERNEL_REMOTE, Machine(nodes))
        assert rounds == 2 * (nodes - 1)
        assert total.kernel_calls["l4.tlb_flush"] == nodes * (nodes - 1)
        total, rounds = protocols.unmap_rounds(CLUSTERED, Machine(nodes))
        assert rounds == 3 and total.messages == nodes * (2 * nodes + 1)


def test_rounds_count_the_longest_causal_chain() -> None:
    rounds = Rounds()
    rounds.step(0, None, False, [("req", 1), ("req", 2)])  # round 1 to nodes 1 and 2
    rounds.step(1, ("req", 1), False, [("ack", 0)])  # round 2
    rounds.step(2, ("req", 2), True, [("ack", 0)])  # a shootdown (2, 3), then round 4
    assert rounds.highest == 4
    rounds.step(0, ("ack", 0), False, [])
    rounds.step(0, ("ack", 0), False, [("done", 0)])  # after the round-4 ack: round 5
    assert rounds.highest == 5 and rounds.clock[0] == 4
    rounds.restart()
    assert rounds.highest == 0 and rounds.queues[("done", 0)] == [0]


SYNC_SETUP = insync.SyncSetup(ratios=(1.2, 2.0, 3.0), accesses=200)
# cost per access of P1 (= in-kernel IPIs) and of the remote writes, by (n, ratio)
SYNC_COSTS = {(2, 1.2): (15.24, 14.73), (2, 2.0): (21.0, 20.25), (2, 3.0): (28.2, 27.15),
              (4, 1.2): (31.74, 29.99), (4, 2.0): (42.7, 41.15), (4, 3.0): (56.4, 55.1)}


def test_user_level_against_in_kernel_sync_costs() -> None:
    table = insync.run(SYNC_DESIGNS, [2, 4], SYNC_SETUP, 0, lambda _: None)
    p1, ipi, remote = (d.label for d in SYNC_DESIGNS)
    for (nodes, ratio), (user, kernel) in SYNC_COSTS.items():
        at = {str(r["design"]): r for r in table.where(n=nodes, **{"remote/local ratio": ratio})}
        assert at[p1][insync.COST] == pytest.approx(user)
        assert at[ipi][insync.COST] == pytest.approx(user)  # the same steps, the same costs
        assert at[remote][insync.COST] == pytest.approx(kernel)
        assert at[p1]["pagefaults"] == at[remote]["pagefaults"] == {2: 15, 4: 32}[nodes]
        assert at[p1]["messages"] == {2: 6, 4: 36}[nodes]
        assert at[remote]["messages"] == {2: 0, 4: 6}[nodes]
    assert insync.crossovers(table, p1, ipi) == {2: ("equal", None), 4: ("equal", None)}
    assert insync.crossovers(table, p1, remote) == {2: ("always cheaper", None),
                                                    4: ("always cheaper", None)}


def test_crossing_interpolates_where_the_sign_changes() -> None:
    assert crossing([(1.2, -2.0), (1.4, 2.0), (1.6, 3.0)]) == ("cheaper below",
                                                               pytest.approx(1.3))
    assert crossing([(1.0, 1.0), (2.0, -1.0)]) == ("dearer below", pytest.approx(1.5))
    assert crossing([(1.0, 0.0), (2.0, 0.0)]) == ("equal", None)
    assert crossing([(1.0, 1.0), (2.0, 0.5)]) == ("always dearer", None)
    assert crossing([(1.0, -1.0), (2.0, 0.0)]) == ("cheaper below", 2.0)


# (pagefaults, global unmaps, cost per access) for P1, single space, Mitosis, numaPTE, Disco
REPLICATION = {
    (2, "private"): [(7, 3, 11.4), (7, 3, 10.6), (7, 3, 19.75), (9, 3, 21.25), (7, 3, 19.55)],
    (2, "read-shared"): [(14, 3, 15.7), (7, 3, 11.4), (7, 3, 20.55), (9, 3, 22.2),
                         (14, 3, 51.65)],
    (2, "migratory"): [(13, 3, 14.45), (7, 3, 9.5), (7, 3, 18.7), (9, 3, 19.0), (13, 3, 50.95)],
    (3, "private"): [(8, 2, 14.1), (8, 2, 14.0), (8, 2, 30.8), (11, 2, 32.55), (8, 2, 24.1)],
    (3, "read-shared"): [(18, 2, 17.35), (6, 2, 10.0), (6, 2, 23.4), (9, 2, 24.15),
                         (18, 2, 76.95)],
    (3, "migratory"): [(17, 2, 15.75), (6, 2, 8.4), (6, 2, 21.6), (9, 2, 19.1), (17, 2, 70.7)],
}
# Disco moves the data instead: every access of these streams reaches a local copy.
DISCO_DATA_COST = 10.0


def test_replication_by_sharing_pattern() -> None:
    setup = replication.ReplicationSetup(200, node_counts=(2, 3))
    table = replication.run(REPLICATION_DESIGNS, setup, 0, lambda _: None)
    for (nodes, pattern), expected in REPLICATION.items():
        rows = table.where(n=nodes, pattern=pattern)
        assert [(r["pagefaults"], r["global unmaps"], r[replication.COST]) for r in rows] == \
            [(f, u, pytest.approx(c)) for f, u, c in expected]
        assert {r["writes"] for r in rows} == {0}
    disco = table.where(design=DISCO.label)
    assert disco and {r["data cost per access"] for r in disco} == {DISCO_DATA_COST}
    for nodes in (2, 3):  # writes change nothing in these designs
        reads = table.where(n=nodes, pattern="read-shared")
        writes = table.where(n=nodes, pattern="write-shared")
        assert [r[replication.COST] for r in reads] == [r[replication.COST] for r in writes]
        assert {r["writes"] for r in writes} == {200}
