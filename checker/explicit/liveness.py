"""`P leads_to Q` under weak fairness, on the full state graph (no symmetry reduction).

A behaviour violates `P leads_to Q` iff it reaches a state where P holds and Q does not, and
then stays forever in states where Q does not hold, fairly.  In the finite graph that means:
from such a state, the subgraph of not-Q states reaches either
- a *stutter state*: one where no instance of a fair action is enabled (a TLA+ behaviour may
  stutter there forever), or
- a *fair SCC*: a strongly connected component (with at least one edge) in which every fair
  action instance enabled in all of its states is taken by one of its internal edges.
Fairness is weak fairness per action instance (`fair recv_req` = each `recv_req(m)`).  This is
correct on cycles and on paths that rejoin, unlike acyclic-path checks.  The counterexample is
a lasso: a shortest prefix, a path into the component, and a cycle through it that takes every
fair instance the component needs (or a stutter), with the loop start marked.
"""

from __future__ import annotations

import itertools
import operator
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import Any

from numaspec.model.findings import Finding, Step, Trace
from numaspec.model.machine import Instance, Model, State, StepViolation
from numaspec.model.outcome import LimitReached
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.values import enumerate_type

Edge = tuple[int, int]  # (instance number, target state number)


class StateGraph:
    """Every reachable state with its outgoing edges, in breadth-first order."""

    def __init__(self, model: Model, max_states: int | None, check: Callable[[], None]):
        self.model = model
        self.states: list[State] = []
        self.index: dict[State, int] = {}
        self.edges: list[list[Edge]] = []
        self.parent: list[tuple[int, int]] = []  # (parent state, instance) or (-1, -1)
        for state in model.initial_states():
            self._add(state, -1, -1)
        cursor = 0
        while cursor < len(self.states):
            if max_states is not None and len(self.states) > max_states:
                raise LimitReached(f"--max-states {max_states}")
            if cursor % 1024 == 0:
                check()
            self._expand(cursor)
            cursor += 1

    def _add(self, state: State, parent: int, instance: int) -> int:
        number = self.index.get(state)
        if number is None:
            number = self.index[state] = len(self.states)
            self.states.append(state)
            self.edges.append([])
            self.parent.append((parent, instance))
        return number

    def _expand(self, number: int) -> None:
        state = self.states[number]
        for i, instance in enumerate(self.model.instances):
            for nxt in self.model.execute(state, instance):
                self.edges[number].append((i, self._add(nxt, number, i)))

    def prefix(self, target: int) -> tuple[State, list[Step]]:
        path = []
        while self.parent[target][0] != -1:
            parent, instance = self.parent[target]
            path.append(Step(self.model.instances[instance], self.states[target]))
            target = parent
        return self.states[target], path[::-1]



def sccs(nodes: list[int], succ: Callable[[int], list[int]]) -> list[list[int]]:
    """Tarjan's algorithm, iterative (no recursion limit on long paths)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    out: list[list[int]] = []
    counter = itertools.count()
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(succ(root)))]
        index[root] = low[root] = next(counter)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    out.append(component)
            elif child not in index:
                index[child] = low[child] = next(counter)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(succ(child))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return out


class LeadsToCheck:
    """One `forall bindings: P leads_to Q` property, for every value of its bindings."""

    def __init__(self, graph: StateGraph, prop: ir.LeadsTo, fair: set[int]):
        self.graph, self.prop, self.fair = graph, prop, fair
        exprs = graph.model.exprs
        self.premise, self.conclusion = exprs.compile(prop.premise), exprs.compile(prop.conclusion)

    def run(self) -> Finding | None:
        domains = [list(enumerate_type(b.domain.type)) if isinstance(b.domain, ir.TypeDomain)
                   else sorted(self._constant_set(b.domain)) for b in self.prop.bindings]
        for values in itertools.product(*domains):
            env: list[Any] = [None] * max(self.prop.locals_count, 1)
            for binding, value in zip(self.prop.bindings, values, strict=True):
                env[binding.local.slot] = value
            found = self._check(env, values)
            if found is not None:
                return found
        return None

    def _constant_set(self, domain: ir.Domain) -> Any:
        assert isinstance(domain, ir.SetDomain)
        initial = self.graph.states[0]
        return self.graph.model.exprs.compile(domain.set)(initial, [None] * 64)

    def _check(self, env: list[Any], values: tuple[Any, ...]) -> Finding | None:
        graph = self.graph
        bad = [not self.conclusion(s, env) for s in graph.states]
        inside = [n for n, b in enumerate(bad) if b]
        accepting = self._accepting(inside, bad)
        if not accepting:
            return None
        doomed = _backward(graph, accepting, bad)
        for number in inside:  # breadth-first order: the first is the shortest prefix
            if number in doomed and self.premise(graph.states[number], env):
                return self._lasso(number, accepting, bad, values)
        return None

    def _accepting(self, inside: list[int], bad: list[bool]) -> dict[int, list[int]]:
        """Accepting state -> its SCC ([the state] alone for a stutter state)."""
        graph, fair = self.graph, self.fair
        found: dict[int, list[int]] = {}
        for number in inside:
            if not any(i in fair for i, _ in graph.edges[number]):
                found[number] = [number]
        for component in sccs(inside, lambda n: [t for _, t in graph.edges[n] if bad[t]]):
            members = set(component)
            internal = [(s, i, t) for s in component for i, t in graph.edges[s] if t in members]
            if internal and self._required(component) <= {i for _, i, _ in internal}:
                for member in component:
                    found.setdefault(member, component)
        return found

    def _required(self, component: list[int]) -> set[int]:
        """Fair instances enabled in every state of the component (weak fairness)."""
        graph = self.graph
        sets = [{i for i, _ in graph.edges[s] if i in self.fair} for s in component]
        return set.intersection(*sets) if sets else set()

    def _lasso(self, start: int, accepting: dict[int, list[int]], bad: list[bool],
               values: tuple[Any, ...]) -> Finding:
        graph = self.graph
        initial, steps = graph.prefix(start)
        path = _path(graph, start, lambda n: n in accepting, lambda n: bad[n])
        steps += path
        entry = graph.index[steps[-1].state] if steps else graph.index[initial]
        loop_at = len(steps)
        component = accepting[entry]
        if component != [entry] or any(t == entry for _, t in graph.edges[entry]):
            steps += self._cycle(entry, component)
        names = ", ".join(f"{b.local.name}={v}" for b, v in zip(self.prop.bindings, values,
                                                               strict=True))
        which = f" ({names})" if names else ""
        message = (f"property {self.prop.name} is violated{which}: its premise holds but "
                   "its conclusion never does, in a fair behaviour")
        trace = Trace(initial, tuple(steps), loop=loop_at)
        return Finding("liveness", self.prop.name, message, self.prop.span, trace,
                       details={"bindings": names, "stutters": len(steps) == loop_at})

    def _cycle(self, entry: int, component: list[int]) -> list[Step]:
        """A cycle from `entry` through the component that takes every fair instance the
        component needs, and then, for each fair instance that is enabled in every state
        the cycle passes yet not taken (the component's other states disable it), a detour
        to a state that disables it: the lasso is then weakly fair to every instance."""
        graph, members = self.graph, set(component)
        steps: list[Step] = []
        current = entry
        needed: list[int | None] = [*sorted(self._required(component))] or [None]
        for instance in needed:
            edge = next((s, i, t) for s in component for i, t in graph.edges[s]
                        if t in members and (instance is None or i == instance))
            steps += _path(graph, current, partial(operator.eq, edge[0]),
                           lambda n: n in members)
            steps.append(Step(graph.model.instances[edge[1]], graph.states[edge[2]]))
            current = edge[2]
        visited = [entry, *(graph.index[step.state] for step in steps)]
        for instance in sorted(self.fair):
            if any(graph.model.instances[instance] == step.instance for step in steps) or \
                    any(self._disables(n, instance) for n in visited):
                continue
            detour = _path(graph, current, partial(self._disables, instance=instance),
                           lambda n: n in members)
            steps += detour
            visited += [graph.index[step.state] for step in detour]
            current = visited[-1]
        steps += _path(graph, current, lambda n: n == entry, lambda n: n in members)
        return steps

    def _disables(self, number: int, instance: int) -> bool:
        return all(i != instance for i, _ in self.graph.edges[number])


def _backward(graph: StateGraph, targets: dict[int, list[int]], bad: list[bool]) -> set[int]:
    """Not-Q states from which a not-Q path reaches a target."""
    preds: dict[int, list[int]] = {}
    for source, edges in enumerate(graph.edges):
        if bad[source]:
            for _, target in edges:
                if bad[target]:
                    preds.setdefault(target, []).append(source)
    seen = set(targets)
    queue = deque(seen)
    while queue:
        node = queue.popleft()
        for pred in preds.get(node, ()):
            if pred not in seen:
                seen.add(pred)
                queue.append(pred)
    return seen


def _path(graph: StateGraph, start: int, goal: Callable[[int], bool],
          allowed: Callable[[int], bool]) -> list[Step]:
    """A shortest path (as steps) from `start` to a goal state through allowed states."""
    if goal(start):
        return []
    back: dict[int, tuple[int, int]] = {start: (-1, -1)}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for instance, target in graph.edges[node]:
            if target in back or not allowed(target):
                continue
            back[target] = (node, instance)
            if goal(target):
                steps = []
                while target != start:
                    node, instance = back[target]
                    steps.append(Step(graph.model.instances[instance], graph.states[target]))
                    target = node
                return steps[::-1]
            queue.append(target)
    raise AssertionError("no path inside a strongly connected component")


def fair_instances(model: Model) -> set[int]:
    fair = set(model.spec.fair)
    return {n for n, i in enumerate(model.instances) if model.action_name(i) in fair}


def check_liveness(model: Model, max_states: int | None,
                   check: Callable[[], None]) -> tuple[Finding | None, int]:
    """The first violated leads_to property (or None) and the size of the graph built."""
    graph = StateGraph(model, max_states, check)
    fair = fair_instances(model)
    for prop in model.spec.liveness:
        found = LeadsToCheck(graph, prop, fair).run()
        if found is not None:
            return found, len(graph.states)
    return None, len(graph.states)


__all__ = ["StateGraph", "check_liveness", "Instance", "StepViolation"]
