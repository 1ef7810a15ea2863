"""Dependency checks shared by the loader, the linter and the runner.

Plain Python on purpose: the lint path must not import networkx.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence


def find_cycle(order: Sequence[str], deps: Mapping[str, Sequence[str]]) -> list[str] | None:
    """Return a dependency cycle as ``[a, b, ..., a]``, or ``None``.

    The search starts from steps in definition order and the cycle is rotated
    to begin at its earliest-defined member, so the report is stable whatever
    order the dependencies are listed in.
    """
    rank = {sid: i for i, sid in enumerate(order)}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for root in order:
        if state.get(root):
            continue
        # Each frame keeps an iterator over its dependencies, so a step with
        # many of them is walked once (re-listing them per visit was quadratic).
        path: list[str] = [root]
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(deps.get(root, ())))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next((d for d in children if d in rank), None)
            if child is None:
                stack.pop()
                state[node] = 2
                path.pop()
            elif state.get(child) == 1:
                cycle = path[path.index(child) :]
                start = min(range(len(cycle)), key=lambda k: rank[cycle[k]])
                cycle = cycle[start:] + cycle[:start]
                return [*cycle, cycle[0]]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(deps.get(child, ()))))
    return None


def format_cycle(cycle: Sequence[str]) -> str:
    return " -> ".join(f'"{sid}"' for sid in cycle)


def topological_order(order: Sequence[str], deps: Mapping[str, Sequence[str]]) -> list[str]:
    """Kahn's algorithm, ties broken by definition order (deterministic)."""
    import heapq

    rank = {sid: i for i, sid in enumerate(order)}
    indegree = {sid: 0 for sid in order}
    children: dict[str, list[str]] = {sid: [] for sid in order}
    for sid in order:
        for d in deps.get(sid, ()):
            if d in rank:
                indegree[sid] += 1
                children[d].append(sid)
    ready = [rank[s] for s in order if indegree[s] == 0]
    heapq.heapify(ready)
    result: list[str] = []
    while ready:
        sid = order[heapq.heappop(ready)]
        result.append(sid)
        for c in children[sid]:
            indegree[c] -= 1
            if indegree[c] == 0:
                heapq.heappush(ready, rank[c])
    return result
