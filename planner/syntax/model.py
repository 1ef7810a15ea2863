"""The trained syntax model at run time: tagger, lemmatiser, parser, labeller.

Built from the sections of the weights file (:mod:`planner.syntax.weights`)
without copying them into Python dictionaries: the look-ups bisect the
arrays and sorted string lists as they come from the file.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from planner.errors import ModelError
from planner.syntax.features import (
    _BUCKETS,
    _KID_COUNTS,
    _SIDES,
    FUNCTION_TAGS,
    NONE,
    ROOT_TAG,
    ROOT_WORD,
    START,
    TagContext,
    _count,
    distance_bucket,
    front_group,
    front_values,
    function_word_group,
    label_around,
    label_head,
    label_pair,
    label_word,
    move_lefts,
    move_pair,
    move_rights,
    move_tags,
    norm,
    tag_around,
    tag_history,
    tag_word,
    tagger_values,
    top_group,
    top_values,
)
from planner.syntax.lemma import Lemmatiser
from planner.syntax.linear import LaneModel, LinearModel
from planner.syntax.transitions import LEFT, REDUCE, RIGHT, SHIFT, State, single_root
from planner.syntax.weights import Section, read_sections

MODEL_FILE = "syntax.model"
# Bumped whenever a template in features.py changes: an old file would still
# load but score features it was never trained on.
TEMPLATES_VERSION = 1
# Template-group sums kept by the values they read (see SyntaxModel.parse), per
# group: a few MB at most; a full table starts again empty.
_SUMS_LIMIT = 20_000


class SyntaxModel:
    """Everything ``planner train syntax`` learned, ready to apply."""

    def __init__(self, sections: dict[str, Section]) -> None:
        meta = _text(sections, "meta")
        self.meta = dict(line.partition("=")[::2] for line in meta.splitlines() if "=" in line)
        version = self.meta.get("templates", "")
        if version != str(TEMPLATES_VERSION):
            raise ModelError(
                f"syntax model was trained with feature templates {version or '?'}, this planner uses "
                f"{TEMPLATES_VERSION} (retrain with 'planner train syntax')"
            )
        self.tags = tuple(self.meta.get("tags", "").split())
        self.labels = tuple(self.meta.get("labels", "").split())
        if not self.tags or not self.labels or "root" not in self.labels:
            raise ModelError("syntax model is corrupt (no tag or label set)")
        self.tagger = LinearModel.from_sections(sections, "tagger", len(self.tags))
        self.parser = LaneModel.from_sections(sections, "parser", 4)
        self.labeller = LinearModel.from_sections(sections, "labeller", len(self.labels))
        self.tagdict_words = _lines(sections, "tagdict.words")
        tagdict_tags = sections.get("tagdict.tags")
        if not isinstance(tagdict_tags, (memoryview, array)) or len(tagdict_tags) != len(self.tagdict_words):
            raise ModelError("syntax model is corrupt (tag dictionary)")
        self.tagdict_tags = tagdict_tags
        self.lemmatiser = Lemmatiser(
            _lines(sections, "lemma.exc.keys"),
            _lines(sections, "lemma.exc.values"),
            _lines(sections, "lemma.rule.keys"),
            _lines(sections, "lemma.rule.values"),
            _lines(sections, "lemma.known"),
        )
        if len(self.lemmatiser.exception_keys) != len(self.lemmatiser.exception_values) or len(
            self.lemmatiser.rule_keys
        ) != len(self.lemmatiser.rule_values):
            raise ModelError("syntax model is corrupt (lemma tables)")
        self.root_label = self.labels.index("root")
        # The parser's six template groups (top, front and features.MOVE_GROUPS): the
        # sum of a group's rows by the values its strings are made of.
        self._sums: tuple[dict[tuple[str, ...], int], ...] = tuple({} for _ in range(6))
        # The same for the labeller's four groups (features.LABEL_GROUPS).
        self._label_sums: tuple[dict[tuple[str, ...], int], ...] = tuple({} for _ in range(4))
        # And for its function words (features.function_word_values).
        self._function_sums: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], int] = {}
        # And for the tagger's three (tag_word, tag_around, tag_history).
        self._tag_sums: tuple[dict[tuple[str, ...], int], ...] = tuple({} for _ in range(3))
        # The label of each total of rows the labeller has read so far: the same words in the
        # same places give the same total, and reading the best of some forty lanes costs more
        # than looking the total up.
        self._label_of: dict[int, int] = {}

    def tag(self, words: Sequence[str]) -> list[str]:
        """UPOS tags, left to right, each seeing the two tags before it.

        The features of ``tagger_static`` and ``tagger_dynamic`` are scored as
        three groups whose sums are kept by the values they read (as in ``parse``).
        """
        tags = self.tags
        ctx = TagContext(words)
        norms = ctx.norms
        prev, prev2 = START
        known = self.tagdict_words
        out: list[str] = []
        total, best = self.tagger.total, self.tagger.best
        for kept in self._tag_sums:
            if len(kept) > _SUMS_LIMIT:
                kept.clear()
        word_sums, around_sums, history_sums = self._tag_sums
        for i, word in enumerate(words):
            j = bisect_left(known, word)
            if j < len(known) and known[j] == word:
                tag = tags[self.tagdict_tags[j]]
            else:
                itself, around = tagger_values(ctx, i)
                one = word_sums.get(itself)
                if one is None:
                    one = word_sums[itself] = total(tag_word(*itself))
                two = around_sums.get(around)
                if two is None:
                    two = around_sums[around] = total(tag_around(*around))
                history = (prev, prev2, norms[i + 2], norms[i + 3])
                three = history_sums.get(history)
                if three is None:
                    three = history_sums[history] = total(tag_history(*history))
                tag = tags[best(one + two + three)]
            out.append(tag)
            prev2, prev = prev, tag
        return out

    def lemmas(self, words: Sequence[str], tags: Sequence[str]) -> list[str]:
        lemma = self.lemmatiser.lemma
        return [lemma(w, t) for w, t in zip(words, tags, strict=True)]

    def parse(self, words: Sequence[str], tags: Sequence[str]) -> list[int]:
        """Head indices (-1 for the root) by greedy arc-eager parsing.

        The score of a move is the sum of the rows of the configuration's
        features (``parser_features``), which come in groups: those of the
        word on top of the stack, those of the first words of the buffer, and
        the four of ``features.MOVE_GROUPS``. A group's strings are a function
        of the few words and tags it reads (``top_values``, ``front_values``,
        ``move_values``), so its sum is kept by those values: the stack top's
        and the front's stay the same over several moves, and within a text
        the same values come back (a word with no right dependent yet, the
        same tags around the two words). Sums of integers: the scores are
        exactly those of the whole feature list.
        """
        n = len(words)
        norms = list(map(norm, words))
        norms.append(ROOT_WORD)
        ptags = [*tags, ROOT_TAG]
        # The moves of transitions.State, written out here: this loop runs twice per word of
        # every sentence, and the method calls cost as much as the scoring they wrap.
        state = State(n)
        stack, heads, lefts, rights = state.stack, state.heads, state.lefts, state.rights
        b = 0
        total = self.parser.total
        offset, unpack, width = self.parser.digit_parts()  # digits(), without a call per move
        for kept in self._sums:
            if len(kept) > _SUMS_LIMIT:
                kept.clear()
        top_sums, front_sums, right_sums, left_sums, pair_sums, tag_sums = self._sums
        # Per word, the sums of the groups that stay the same while it stays where it is:
        # the top group while it is on the stack (its head and left dependents are set
        # before it is pushed), the front group while it heads the buffer, the stack top's
        # right dependents until a RIGHT move adds one, and the front's left dependents
        # until a LEFT move does. move_values written out: its tuples of the two
        # growing groups are built only when the group has changed.
        tops: list[int | None] = [None] * n
        fronts: list[int | None] = [None] * n
        right_of: list[int | None] = [None] * n
        left_of: list[int | None] = [None] * n
        while b < n or stack:
            if not stack:
                stack.append(b)  # SHIFT, the only move with an empty stack
                b += 1
                continue
            s0 = stack[-1]
            if b >= n:
                # only the root is left: pop the stack, attaching what has no head (LEFT) or not (REDUCE)
                stack.pop()
                if heads[s0] == -1:
                    heads[s0] = b
                    lefts[b].append(s0)
                continue
            top = tops[s0]
            if top is None:
                values = top_values(norms, ptags, s0, heads, lefts)
                top = top_sums.get(values)
                if top is None:
                    top = top_sums[values] = total(top_group(*values))
                tops[s0] = top
            front = fronts[b]
            if front is None:
                values = front_values(norms, ptags, b)
                front = front_sums.get(values)
                if front is None:
                    front = front_sums[values] = total(front_group(*values))
                fronts[b] = front
            s0w, s0p, n0w, n0p = norms[s0], ptags[s0], norms[b], ptags[b]
            sr, nl = rights[s0], lefts[b]
            right = right_of[s0]
            if right is None:
                right = right_of[s0] = _side_sum(s0w, s0p, sr, norms, ptags, right_sums, move_rights, total)
            left = left_of[b]
            if left is None:
                left = left_of[b] = _side_sum(n0w, n0p, nl, norms, ptags, left_sums, move_lefts, total)
            gap = b - s0
            pair = (s0w, s0p, n0w, n0p, ptags[b + 1], _BUCKETS[gap] if gap < 8 else distance_bucket(gap))
            both = pair_sums.get(pair)
            if both is None:
                both = pair_sums[pair] = total(move_pair(*pair))
            h = heads[s0]
            sl = lefts[s0]
            tg = (
                s0p,
                n0p,
                ptags[h] if h >= 0 else NONE,
                ptags[sl[-1]] if sl else NONE,
                ptags[sr[-1]] if sr else NONE,
                ptags[nl[-1]] if nl else NONE,
                ptags[stack[-2]] if len(stack) > 1 else NONE,
            )
            around = tag_sums.get(tg)
            if around is None:
                around = tag_sums[tg] = total(move_tags(*tg))
            s = unpack((top + front + right + left + both + around + offset).to_bytes(width, "little"))
            # With a word on the stack and one in the buffer, SHIFT and RIGHT are legal, and
            # one of LEFT (the top has no head yet) and REDUCE (it has one): the first best of them.
            other = REDUCE if heads[s0] != -1 else LEFT
            move = RIGHT if s[RIGHT] > s[SHIFT] else SHIFT
            if s[other] > s[move]:
                move = other
            if move == SHIFT:
                stack.append(b)
                b += 1
            elif move == RIGHT:
                heads[b] = s0
                rights[s0].append(b)
                right_of[s0] = None
                stack.append(b)
                b += 1
            elif move == LEFT:
                stack.pop()
                heads[s0] = b
                lefts[b].append(s0)
                left_of[b] = None
            else:
                stack.pop()
        return single_root(heads, n)

    def label(self, words: Sequence[str], tags: Sequence[str], heads: Sequence[int]) -> list[str]:
        """The relation of every word to its head, labelled top-down from the root."""
        n = len(words)
        norms = list(map(norm, words))
        children: list[list[int]] = [[] for _ in range(n)]
        for d, h in enumerate(heads):
            if h >= 0:
                children[h].append(d)
        labels = [NONE] * n
        order = [d for d in range(n) if heads[d] < 0]
        total, best_without = self.labeller.total, self.labeller.best_without
        for kept in self._label_sums:
            if len(kept) > _SUMS_LIMIT:
                kept.clear()
        word_sums, pair_sums, head_sums, around_sums = self._label_sums
        function_sums = self._function_sums
        if len(function_sums) > _SUMS_LIMIT:
            function_sums.clear()
        label_of = self._label_of
        if len(label_of) > _SUMS_LIMIT:
            label_of.clear()
        names = self.labels
        root = self.root_label
        # label_values and function_word_values written out (one call each per word cost as
        # much as the reading they wrap), with the function-word test made once per word
        func = [tag in FUNCTION_TAGS for tag in tags]
        sides_left, sides_right = _SIDES["L"], _SIDES["R"]
        k = 0
        while k < len(order):
            d = order[k]
            k += 1
            kids = children[d]
            order.extend(kids)
            h = heads[d]
            if h < 0:
                labels[d] = "root"
                continue
            dw, dp = norms[d], tags[d]
            hw, hp, hl = norms[h], tags[h], labels[h]
            g = heads[h]
            gp = tags[g] if g >= 0 else ROOT_TAG
            if d < h:
                gap = h - d
                direction = sides_left[gap] if gap < 8 else "L" + distance_bucket(gap)
            else:
                gap = d - h
                direction = sides_right[gap] if gap < 8 else "R" + distance_bucket(gap)
            n_left = bisect_left(kids, d)
            n_right = len(kids) - n_left
            sibs = children[h]
            j = bisect_left(sibs, d)  # the nearest sibling before d, in O(log n) even under a head with thousands
            # The sums of the groups of labeller_features, kept by their values (as in parse).
            word = (dw, dp)
            one = word_sums.get(word)
            if one is None:
                one = word_sums[word] = total(label_word(*word))
            pair = (dw, dp, hw, hp)
            two = pair_sums.get(pair)
            if two is None:
                two = pair_sums[pair] = total(label_pair(*pair))
            head = (dp, hp, hl, gp, direction)
            up = head_sums.get(head)
            if up is None:
                up = head_sums[head] = total(label_head(*head))
            around = (
                dp,
                hp,
                tags[kids[0]] if n_left else NONE,
                tags[kids[-1]] if n_right else NONE,
                _KID_COUNTS[min(n_left, 3)][min(n_right, 3)],
                tags[sibs[j - 1]] if j else NONE,
                labels[sibs[j - 1]] if j else NONE,
                tags[d - 1] if d > 0 else NONE,
                tags[d + 1] if d + 1 < n else NONE,
                ("1 " if d == 0 else "0 ") + direction[:1],
            )
            near = around_sums.get(around)
            if near is None:
                near = around_sums[around] = total(label_around(*around))
            fkids: list[str] = []
            for c in kids[:8]:  # the first few: bounded work under a head with thousands of dependents
                if func[c]:
                    fkids += (tags[c], norms[c])
            fsibs: list[str] = []
            # the siblings within three words (children[h] is in order: the words whose head is h)
            for c in sibs[bisect_left(sibs, d - 3) : bisect_right(sibs, d + 3)]:
                if func[c] and c != d:
                    fsibs += (norms[c], "<" if c < d else ">")
            if fkids or fsibs:
                fvalues = (dp, hp, tuple(fkids), tuple(fsibs))
                fsum = function_sums.get(fvalues)
                if fsum is None:
                    fsum = function_sums[fvalues] = total(function_word_group(*fvalues))
            else:
                fsum = 0  # no function word around: no strings, nothing to add
            both = one + two + up + near + fsum
            best = label_of.get(both)
            if best is None:
                # one root per sentence (the parser's): no other word may take its label
                best = label_of[both] = best_without(both, root)
            labels[d] = names[best]
        return labels


def _side_sum(
    word: str,
    tag: str,
    kids: Sequence[int],
    norms: Sequence[str],
    ptags: Sequence[str],
    sums: dict[tuple[str, ...], int],
    group: Callable[..., list[str]],
    total: Callable[[Iterable[str]], int],
) -> int:
    """The summed weights of one side's dependents group (``move_rights`` for the stack
    top, ``move_lefts`` for the front): the word, its tag, how many dependents it has on
    that side and the last two of them. Kept in ``sums`` by those values, so a group seen
    before costs one look-up; called only when the word gained a dependent on that side."""
    k = len(kids)
    key = (
        word,
        tag,
        _count(k),
        *((norms[kids[-1]], ptags[kids[-1]]) if k else (NONE, NONE)),
        *((norms[kids[-2]], ptags[kids[-2]]) if k > 1 else (NONE, NONE)),
    )
    found = sums.get(key)
    if found is None:
        found = sums[key] = total(group(*key))
    return found


def _text(sections: dict[str, Section], name: str) -> str:
    value = sections.get(name)
    if not isinstance(value, str):
        raise ModelError(f"syntax model is corrupt (no {name} section)")
    return value


def _lines(sections: dict[str, Section], name: str) -> list[str]:
    text = _text(sections, name)
    return text.split("\n") if text else []


def load_model(path: Path) -> SyntaxModel:
    """Read a weights file (a ModelError when it is missing, truncated, corrupt or too old)."""
    return SyntaxModel(read_sections(path))
