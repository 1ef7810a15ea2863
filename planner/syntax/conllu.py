"""Read and write CoNLL-U, the Universal Dependencies treebank format.

Only the basic tree is kept: multiword-token lines (``3-4``) and empty nodes
(``5.1``) are skipped, as the format's documentation says to do when reading
the basic dependencies. Heads become 0-based word indices with -1 for the
root, the convention of :class:`planner.syntax.Word`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from planner.errors import InputError


@dataclass(frozen=True)
class TreeRow:
    """One annotated sentence: parallel tuples, one entry per syntactic word."""

    forms: tuple[str, ...]
    lemmas: tuple[str, ...]
    upos: tuple[str, ...]
    heads: tuple[int, ...]  # 0-based head index, -1 for the root
    deprels: tuple[str, ...]
    text: str = ""  # the "# text = ..." comment, when present
    sent_id: str = ""

    def __len__(self) -> int:
        return len(self.forms)


def read_conllu(path: Path) -> list[TreeRow]:
    """Every sentence of a CoNLL-U file; a malformed line is an InputError naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path.name}: {exc}") from exc
    return list(parse_conllu(lines, name=path.name))


def parse_conllu(lines: Iterable[str], *, name: str = "<conllu>") -> Iterator[TreeRow]:
    block: list[tuple[int, list[str]]] = []
    comments: dict[str, str] = {}
    number = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            if block:
                yield _row(block, comments, name)
            block, comments = [], {}
            continue
        if line.startswith("#"):
            key, sep, value = line[1:].partition("=")
            if sep:
                comments[key.strip()] = value.strip()
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise InputError(f"{name}:{number}: expected 10 tab-separated columns, got {len(cols)}")
        if "-" in cols[0] or "." in cols[0]:
            continue
        block.append((number, cols))
    if block:
        yield _row(block, comments, name)


def _row(block: list[tuple[int, list[str]]], comments: dict[str, str], name: str) -> TreeRow:
    n = len(block)
    heads: list[int] = []
    for i, (number, cols) in enumerate(block, 1):
        try:
            ident, head = int(cols[0]), int(cols[6])
        except ValueError as exc:
            raise InputError(f"{name}:{number}: ID and HEAD must be integers") from exc
        if ident != i or not 0 <= head <= n or head == i:
            raise InputError(f"{name}:{number}: bad ID {cols[0]} or HEAD {cols[6]} in a sentence of {n} words")
        heads.append(head - 1)
    if heads.count(-1) != 1:
        raise InputError(f"{name}:{block[0][0]}: a sentence needs exactly one root word")
    if not _is_tree(heads):
        raise InputError(f"{name}:{block[0][0]}: the HEAD column has a cycle")
    return TreeRow(
        forms=tuple(c[1] for _, c in block),
        lemmas=tuple(c[2] for _, c in block),
        upos=tuple(c[3] for _, c in block),
        heads=tuple(heads),
        deprels=tuple(c[7] for _, c in block),
        text=comments.get("text", ""),
        sent_id=comments.get("sent_id", ""),
    )


def _is_tree(heads: list[int]) -> bool:
    state = [0] * len(heads)  # 0 unseen, 1 on the current path, 2 reaches the root
    for start in range(len(heads)):
        path = []
        i = start
        while i != -1 and state[i] == 0:
            state[i] = 1
            path.append(i)
            i = heads[i]
        if i != -1 and state[i] == 1:
            return False
        for j in path:
            state[j] = 2
    return True


def is_projective(heads: tuple[int, ...] | list[int]) -> bool:
    """True when no two arcs cross (the root arc counts as coming from before the sentence)."""
    arcs = [(min(d, h), max(d, h)) for d, h in enumerate(heads) if h != -1]
    root = heads.index(-1) if -1 in heads else -1
    for a, b in arcs:
        if a < root < b:  # an arc spanning the root word's attachment to the virtual root
            return False
        for c, d in arcs:
            if a < c < b < d:
                return False
    return True


def format_conllu(row: TreeRow) -> str:
    """One sentence as CoNLL-U text (UPOS, lemma, head and relation; other columns ``_``)."""
    out = []
    if row.sent_id:
        out.append(f"# sent_id = {row.sent_id}")
    if row.text:
        out.append(f"# text = {row.text}")
    for i in range(len(row)):
        out.append(
            "\t".join(
                (str(i + 1), row.forms[i], row.lemmas[i], row.upos[i], "_", "_",
                 str(row.heads[i] + 1), row.deprels[i], "_", "_")
            )
        )
    return "\n".join(out) + "\n"
