"""Dependency checks shared by the loader, the linter and the runner.

Plain Python on purpose: the lint path must not import networkx.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


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
        # The path, each step's dependencies and how far through them the walk
        # is: each list is walked once (re-listing it per visit was quadratic
        # on a step with thousands of dependencies).
        path: list[str] = [root]
        kids: list[Sequence[str]] = [deps.get(root, ())]
        at: list[int] = [0]
        state[root] = 1
        while path:
            children, i = kids[-1], at[-1]
            while i < len(children) and children[i] not in rank:
                i += 1
            if i == len(children):
                state[path.pop()] = 2
                kids.pop()
                at.pop()
                continue
            child = children[i]
            at[-1] = i + 1
            seen = state.get(child)
            if seen == 1:
                cycle = path[path.index(child) :]
                start = min(range(len(cycle)), key=lambda k: rank[cycle[k]])
                cycle = cycle[start:] + cycle[:start]
                return [*cycle, cycle[0]]
            if not seen:
                state[child] = 1
                path.append(child)
                kids.append(deps.get(child, ()))
                at.append(0)
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
