/*
 * P1, the reference protocol of docs/design.md ("The reference protocol P1" -- its exact
 * atomic steps), in Promela, for comparing numaspec's explicit checker with SPIN
 * (bench/explicit_vs_spin.py).  The numaspec version is spec/examples/pernode.numa.
 *
 *   spin -a -DNODES=3 -DPAGES=2 -DFRAMES_PER_NODE=1 p1.pml
 *   gcc -O2 -DSAFETY -DNOREDUCE -o pan pan.c && ./pan
 *
 * Faithfulness to the spec's state space (so that pan's "states, stored" is P1's number of
 * reachable states):
 * - One process, one `do` loop whose options are the action instances fault(n, v),
 *   start_unmap(n, v), recv_req(m), recv_ack(n); each option is one d_step, i.e. one
 *   transition with no stored intermediate state, and control always returns to the loop
 *   head, so the program counter is the same in every state.  The options are spelled out
 *   per instance by the C preprocessor (FOR_NODE / FOR_PAGE below), not chosen by `select`
 *   (whose steps would be stored states).
 * - Scratch variables are `hidden` (not part of the state vector).
 * - Frames are numbered 1 .. NFRAMES here (frame f of docs/design.md is f + 1), so that 0 can
 *   stand for "none" in pt and global_map and every variable starts at 0: the initial state
 *   is the spec's initial state with no initialisation steps.  allocated[0] is never set.
 *   Frame f + 1 lives on node f / FRAMES_PER_NODE.
 * - acks[v] is 0 before v's first unmap, as P1's acks[v] (docs/design.md) is reset to 0 by
 *   start_unmap and stays at NODES - 1 after an unmap completes (numaspec: an absent key,
 *   only possible before the first unmap, so the encodings are in bijection).
 * - Channel capacities are large enough that no send ever blocks: a page has at most one
 *   unmap in progress, which puts one request in each other node's req channel and
 *   later one ack per other node in the initiator's ack channel.
 *
 * The three invariants are the ltl safety property `safety` ([] inv).  With -DSAFETY pan
 * checks its never claim as a safety property (the claim for [] p is an assert-style claim
 * that terminates on a violation); pan's warning "never claim + accept labels requires -a
 * flag" concerns the claim's unreachable accept_all label and can be ignored.  Beyond 4 nodes
 * x 2 pages or 3 nodes x 3 pages inv is too long for SPIN's LTL translator: compile with
 * -DINV_NEVER for the equivalent hand-written never claim (see the end of the file).
 * Supported sizes: NODES 2..6, PAGES 1..4, FRAMES_PER_NODE 1..4 (extend the FOR_* tables
 * below for more).
 */

#ifndef NODES
#define NODES 3
#endif
#ifndef PAGES
#define PAGES 2
#endif
#ifndef FRAMES_PER_NODE
#define FRAMES_PER_NODE 1
#endif

#define NFRAMES (NODES * FRAMES_PER_NODE)
#define NONE 0

/* ------------------------------------------------------------------------------ state */

typedef Row { byte p[PAGES] };
Row pt[NODES];                    /* pt[n].p[v]: the frame node n maps at v, or NONE */
byte global_map[PAGES];           /* frame or NONE */
bool unmapping[PAGES];
byte acks[PAGES];
bool allocated[NFRAMES + 1];      /* allocated[0] is unused (NONE) */

chan req[NODES] = [PAGES] of { byte, byte };      /* (page, initiator) */
chan ack[NODES] = [NODES * PAGES] of { byte };    /* page */

hidden byte v_, from_, m_, f_;    /* scratch of the d_steps, not in the state vector */

/* ---------------------------------------------------- per-instance enumeration (cpp) */

/* FOR_NODE(M, x, y) expands to M(0, x, y) M(1, x, y) ... for every node, FOR_PAGE likewise
 * for every page, FOR_PAIR(M, x) to M(a, b, x) for every pair of nodes a < b. */
#if NODES == 2
#define FOR_NODE(M, x, y) M(0, x, y) M(1, x, y)
#define FOR_PAIR(M, x) M(0, 1, x)
#elif NODES == 3
#define FOR_NODE(M, x, y) M(0, x, y) M(1, x, y) M(2, x, y)
#define FOR_PAIR(M, x) M(0, 1, x) M(0, 2, x) M(1, 2, x)
#elif NODES == 4
#define FOR_NODE(M, x, y) M(0, x, y) M(1, x, y) M(2, x, y) M(3, x, y)
#define FOR_PAIR(M, x) M(0, 1, x) M(0, 2, x) M(0, 3, x) M(1, 2, x) M(1, 3, x) M(2, 3, x)
#elif NODES == 5
#define FOR_NODE(M, x, y) M(0, x, y) M(1, x, y) M(2, x, y) M(3, x, y) M(4, x, y)
#define FOR_PAIR(M, x) M(0, 1, x) M(0, 2, x) M(0, 3, x) M(0, 4, x) M(1, 2, x) M(1, 3, x) \
  M(1, 4, x) M(2, 3, x) M(2, 4, x) M(3, 4, x)
#elif NODES == 6
#define FOR_NODE(M, x, y) M(0, x, y) M(1, x, y) M(2, x, y) M(3, x, y) M(4, x, y) M(5, x, y)
#define FOR_PAIR(M, x) M(0, 1, x) M(0, 2, x) M(0, 3, x) M(0, 4, x) M(0, 5, x) M(1, 2, x) \
  M(1, 3, x) M(1, 4, x) M(1, 5, x) M(2, 3, x) M(2, 4, x) M(2, 5, x) \
  M(3, 4, x) M(3, 5, x) M(4, 5, x)
#else
#error "NODES must be 2..6"
#endif

#if PAGES == 1
#define FOR_PAGE(M, x, y) M(0, x, y)
#elif PAGES == 2
#define FOR_PAGE(M, x, y) M(0, x, y) M(1, x, y)
#elif PAGES == 3
#define FOR_PAGE(M, x, y) M(0, x, y) M(1, x, y) M(2, x, y)
#elif PAGES == 4
#define FOR_PAGE(M, x, y) M(0, x, y) M(1, x, y) M(2, x, y) M(3, x, y)
#else
#error "PAGES must be 1..4"
#endif

/* FREE_ON(n): node n has a free frame (frames n * FRAMES_PER_NODE + 1 ..). */
#define FREE_AT(n, i) (!allocated[(n) * FRAMES_PER_NODE + (i)])
#if FRAMES_PER_NODE == 1
#define FREE_ON(n) (FREE_AT(n, 1))
#elif FRAMES_PER_NODE == 2
#define FREE_ON(n) (FREE_AT(n, 1) || FREE_AT(n, 2))
#elif FRAMES_PER_NODE == 3
#define FREE_ON(n) (FREE_AT(n, 1) || FREE_AT(n, 2) || FREE_AT(n, 3))
#elif FRAMES_PER_NODE == 4
#define FREE_ON(n) (FREE_AT(n, 1) || FREE_AT(n, 2) || FREE_AT(n, 3) || FREE_AT(n, 4))
#else
#error "FRAMES_PER_NODE must be 1..4"
#endif

/* ------------------------------------------------------------------------ the actions */

/* 1. fault(n, v): lazy synchronisation, or first touch with the lowest free frame of n. */
inline fault(n, v) {
  if
  :: global_map[v] != NONE -> pt[n].p[v] = global_map[v]
  :: else ->
     f_ = n * FRAMES_PER_NODE + 1;
     do
     :: allocated[f_] -> f_++
     :: else -> break
     od;
     allocated[f_] = true;
     global_map[v] = f_;
     pt[n].p[v] = f_;
     f_ = 0
  fi
}

/* 2. start_unmap(n, v): unmap locally, send (v, n) to every other node. */
inline start_unmap(n, v) {
  unmapping[v] = true;
  acks[v] = 0;
  pt[n].p[v] = NONE;
  m_ = 0;
  do
  :: m_ < NODES ->
     if
     :: m_ != n -> req[m_]!v, n
     :: else -> skip
     fi;
     m_++
  :: else -> break
  od;
  m_ = 0
}

/* 3. recv_req(m): pop (v, from), unmap v on m, acknowledge to the initiator. */
inline recv_req(m) {
  req[m]?v_, from_;
  pt[m].p[v_] = NONE;
  ack[from_]!v_;
  v_ = 0; from_ = 0
}

/* 4. recv_ack(n): count; the last ack frees the frame and ends the unmap. */
inline recv_ack(n) {
  ack[n]?v_;
  acks[v_]++;
  if
  :: acks[v_] == NODES - 1 ->
     allocated[global_map[v_]] = false;
     global_map[v_] = NONE;
     unmapping[v_] = false
  :: else -> skip
  fi;
  v_ = 0
}

#define FAULT(v, n, y) \
  :: d_step { pt[n].p[v] == NONE && !unmapping[v] && (global_map[v] != NONE || FREE_ON(n)) \
              -> fault(n, v) }
#define START_UNMAP(v, n, y) \
  :: d_step { global_map[v] != NONE && !unmapping[v] -> start_unmap(n, v) }
#define NODE_ACTIONS(n, x, y) \
  FOR_PAGE(FAULT, n, 0) \
  FOR_PAGE(START_UNMAP, n, 0) \
  :: d_step { nempty(req[n]) -> recv_req(n) } \
  :: d_step { nempty(ack[n]) -> recv_ack(n) }

active proctype p1() {
  do
  FOR_NODE(NODE_ACTIONS, 0, 0)
  od
}

/* ---------------------------------------------------------------------- invariants */

/* consistent: two nodes that map v map the same frame. */
#define CONS(a, b, v) && (pt[a].p[v] == NONE || pt[b].p[v] == NONE || pt[a].p[v] == pt[b].p[v])
#define CONS_V(v, x, y) FOR_PAIR(CONS, v)
#define CONSISTENT (1 FOR_PAGE(CONS_V, 0, 0))

/* unmap_complete: a page that is not mapped globally is mapped by no node. */
#define UC(n, v, y) && (global_map[v] != NONE || pt[n].p[v] == NONE)
#define UC_V(v, x, y) FOR_NODE(UC, v, 0)
#define UNMAP_COMPLETE (1 FOR_PAGE(UC_V, 0, 0))

/* no_stale_frame: every frame mapped by a node is allocated (allocated[NONE] is false, so
 * the index is in range whatever order the operands of || are evaluated in). */
#define NS(n, v, y) && (pt[n].p[v] == NONE || allocated[pt[n].p[v]])
#define NS_V(v, x, y) FOR_NODE(NS, v, 0)
#define NO_STALE_FRAME (1 FOR_PAGE(NS_V, 0, 0))

#define inv (CONSISTENT && UNMAP_COMPLETE && NO_STALE_FRAME)

#ifndef INV_NEVER
ltl safety { [] inv }
#else
/* The never claim that `ltl safety { [] inv }` stands for, written out: SPIN's LTL translator
 * keeps a formula in a buffer of about 4 KB, which inv outgrows beyond 4 nodes x 2 pages or
 * 3 nodes x 3 pages (spin -a then fails with "tl_spin: expected ']'").  In a safety run
 * (-DSAFETY) pan reports a claim that reaches its end as a violation. */
never safety {
  do
  :: !(inv) -> break
  :: else
  od
}
#endif
