"""The arc-eager transition system (Nivre 2003), with the root at the end.

A configuration is a stack, a buffer (the words from ``b`` on) and the arcs
made so far. The root is an extra word at the end of the buffer (Ballesteros
and Nivre, "Going to the roots of dependency parsing", 2013): the parser
cannot attach a word to the root before it has seen the whole sentence,
which avoids the early root attachments of the classic arc-eager system.

Moves:

- ``SHIFT``  push the first buffer word;
- ``RIGHT``  attach the first buffer word to the top of the stack, push it;
- ``LEFT``   attach the top of the stack to the first buffer word, pop it;
- ``REDUCE`` pop the top of the stack (it already has its head).

Parsing ends when the buffer holds only the root and the stack is empty.
"""

from __future__ import annotations

SHIFT, RIGHT, LEFT, REDUCE = 0, 1, 2, 3
MOVES = ("SHIFT", "RIGHT", "LEFT", "REDUCE")


class State:
    """A parser configuration for a sentence of ``n`` words (the root is word ``n``)."""

    __slots__ = ("b", "heads", "lefts", "n", "rights", "stack")

    def __init__(self, n: int) -> None:
        self.n = n
        self.stack: list[int] = []
        self.b = 0
        self.heads = [-1] * (n + 1)
        # dependents so far, nearest first: lefts[h][-1] is the leftmost, rights[h][-1] the rightmost
        self.lefts: list[list[int]] = [[] for _ in range(n + 1)]
        self.rights: list[list[int]] = [[] for _ in range(n + 1)]

    @property
    def done(self) -> bool:
        return self.b >= self.n and not self.stack

    def valid(self) -> tuple[bool, bool, bool, bool]:
        """Which of SHIFT, RIGHT, LEFT, REDUCE may be applied."""
        has_stack = bool(self.stack)
        in_words = self.b < self.n
        headed = has_stack and self.heads[self.stack[-1]] != -1
        return (
            in_words,
            in_words and has_stack,
            has_stack and not headed,
            headed,
        )

    def forced(self) -> int:
        """The only legal move, or -1 when the model must choose."""
        if not self.stack:
            return SHIFT
        if self.b >= self.n:  # only the root is left: pop the stack, attaching what has no head
            return REDUCE if self.heads[self.stack[-1]] != -1 else LEFT
        return -1

    def apply(self, move: int) -> None:
        if move == SHIFT:
            self.stack.append(self.b)
            self.b += 1
        elif move == RIGHT:
            s0, b = self.stack[-1], self.b
            self.heads[b] = s0
            self.rights[s0].append(b)
            self.stack.append(b)
            self.b += 1
        elif move == LEFT:
            s0 = self.stack.pop()
            self.heads[s0] = self.b
            self.lefts[self.b].append(s0)
        else:
            self.stack.pop()


def single_root(heads: list[int], n: int) -> list[int]:
    """Heads with -1 for the root, one root only: later root words attach to the first."""
    out = [h if h != n else -1 for h in heads[:n]]
    roots = [i for i, h in enumerate(out) if h == -1]
    for extra in roots[1:]:
        out[extra] = roots[0]
    return out
