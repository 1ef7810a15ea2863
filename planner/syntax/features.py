"""Feature templates shared by training and run time.

Every feature is a short string ("w=review", "s0p|n0p=VERB NOUN") hashed with
CRC-32 (``zlib.crc32``: the same number on every machine and under every
``PYTHONHASHSEED``, unlike ``hash()``). The trainer learns weights for the
hashed keys and the weights file stores those keys, so training and run time
see exactly the same features, hash collisions included.

Templates follow the classic sets: the tagger's are those of the averaged
perceptron tagger Matthew Honnibal described in "A good part-of-speech tagger
in about 200 lines of Python" (2013), plus word shape and longer affixes; the
parser's are those of Zhang and Nivre, "Transition-based dependency parsing
with rich non-local features" (ACL 2011), without the label features (labels
are given afterwards by the arc labeller, which sees the finished tree).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from functools import lru_cache
from zlib import crc32

_DIGITS = str.maketrans("0123456789", "0000000000")
_LONG = 24  # longer words keep their head and tail: bounded feature strings on any input
# Words whose norm() and shape() are remembered: a text repeats its words, and the
# tagger, parser and labeller each ask for them (a few MB at most).
_MEMO = 1 << 16


def fhash(feature: str) -> int:
    """The 32-bit key of a feature string (lone surrogates from odd input included)."""
    return crc32(feature.encode("utf-8", "surrogatepass"))


@lru_cache(maxsize=_MEMO)
def norm(word: str) -> str:
    """Lower case, digits as 0, long words shortened: the form features look at."""
    low = word.lower()
    if len(low) > _LONG:
        low = low[:12] + "~" + low[-8:]
    return low.translate(_DIGITS)


# Character classes of ASCII characters ("X", "x", "d", or the character itself),
# and runs of one class longer than two: the common case of shape() in C.
_ASCII_CLASSES = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "X" * 26 + "x" * 26 + "d" * 10
)
_LONG_RUN = re.compile(r"(.)\1\1+", re.DOTALL)


@lru_cache(maxsize=_MEMO)
def shape(word: str) -> str:
    """Character classes with runs cut at two: "Review" -> "Xxx", "v1.2" -> "xd.d", "#4411" -> "#dd"."""
    if len(word) > _LONG:
        word = word[:12] + word[-8:]
    if word.isascii():
        return _LONG_RUN.sub(r"\1\1", word.translate(_ASCII_CLASSES))
    return _shape_chars(word)


def _shape_chars(word: str) -> str:
    """shape() of any text, one character at a time."""
    out: list[str] = []
    last = ""
    run = 0
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        elif ch.isalpha():
            c = "a"  # letters without case: CJK, Arabic, Hebrew, ...
        else:
            c = ch
        if c == last:
            run += 1
            if run > 2:
                continue
        else:
            last, run = c, 1
        out.append(c)
    return "".join(out)


# --------------------------------------------------------------------------- tagger

START = ("<s>", "<s2>")
END = ("</s>", "</s2>")


class TagContext:
    """Per-sentence precomputed forms for the tagger's templates."""

    __slots__ = ("norms", "raws", "shapes")

    def __init__(self, words: Sequence[str]) -> None:
        self.norms = [START[1], START[0], *(norm(w) for w in words), END[0], END[1]]
        raws = [w if len(w) <= _LONG else w[:12] + "~" + w[-8:] for w in words]
        self.raws = [START[1], START[0], *(r.translate(_DIGITS) for r in raws), END[0], END[1]]
        self.shapes = _Shapes(words)


class _Shapes(dict[int, str]):
    """Word shapes by padded position, worked out when asked for: the tagger
    looks only at the words its dictionary does not know, and their neighbours."""

    __slots__ = ("words",)

    def __init__(self, words: Sequence[str]) -> None:
        super().__init__()
        self.words = words

    def __missing__(self, j: int) -> str:
        n = len(self.words)
        if not 0 <= j < n + 4:
            raise IndexError(j)
        value = self[j] = (START[1], START[0])[j] if j < 2 else shape(self.words[j - 2]) if j < n + 2 else END[j - n - 2]
        return value


def tagger_static(ctx: TagContext, i: int) -> list[str]:
    """Templates of word ``i`` that do not depend on the tags chosen before it."""
    word, around = tagger_values(ctx, i)
    return [*tag_word(*word), *tag_around(*around)]


def tagger_values(ctx: TagContext, i: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What ``tag_word`` and ``tag_around`` read (run time keeps their sums by them)."""
    j = i + 2  # offset of the two padding words at the start
    n = ctx.norms
    w = n[j]
    sh = ctx.shapes
    first = "1" if i == 0 else ""
    return (
        (w, ctx.raws[j], sh[j], first),
        (w, n[j - 2], n[j - 1], n[j + 1], n[j + 2], sh[j - 1], sh[j + 1], first),
    )


def tag_word(w: str, raw: str, shape: str, first: str) -> list[str]:
    """The word itself: its forms, affixes and shape (and the bias)."""
    out = [
        "b",
        "w=" + w,
        "W=" + raw,
        "s1=" + w[-1:],
        "s2=" + w[-2:],
        "s3=" + w[-3:],
        "s4=" + w[-4:],
        "p1=" + w[:1],
        "p2=" + w[:2],
        "p3=" + w[:3],
        "sh=" + shape,
        "sh0=" + shape + (" first" if first else ""),
    ]
    if first:
        # A sentence's first word: its capital says nothing, and an imperative
        # verb is told apart by what follows it ("Draft a ...", "Audit the ...").
        out.append("fw=" + w)
    return out


def tag_around(w: str, w_2: str, w_1: str, w1: str, w2: str, sh_1: str, sh1: str, first: str) -> list[str]:
    """The words on either side (two each way) and their shapes."""
    out = [
        "w-1=" + w_1,
        "w+1=" + w1,
        "w-2=" + w_2,
        "w+2=" + w2,
        "s-1=" + w_1[-3:],
        "s+1=" + w1[-3:],
        "sh-1=" + sh_1,
        "sh+1=" + sh1,
        f"w-1w={w_1} {w}",
        f"ww+1={w} {w1}",
        f"w-1w+1={w_1} {w1}",
    ]
    if first:
        out.append("fw+1=" + w1)
    return out


def tagger_dynamic(ctx: TagContext, i: int, prev: str, prev2: str) -> list[str]:
    """Templates that read the tags given to the two words before ``i``."""
    return tag_history(prev, prev2, ctx.norms[i + 2], ctx.norms[i + 3])


def tag_history(prev: str, prev2: str, w: str, w1: str) -> list[str]:
    return [
        "t-1=" + prev,
        "t-2=" + prev2,
        f"t-2t-1={prev2} {prev}",
        f"t-1w={prev} {w}",
        f"t-1s3={prev} {w[-3:]}",
        f"t-1w+1={prev} {w1}",
    ]


# --------------------------------------------------------------------------- parser

ROOT_WORD = "<root>"
ROOT_TAG = "ROOT"
NONE = "-"


# distance_bucket() of 0 to 7, by index (it runs at every parser move and for every labelled word)
_BUCKETS = ("0", "1", "2", "3", "4", "5-7", "5-7", "5-7")


# Strings built at every parser move and for every labelled word, made once here: counts of
# dependents, the labeller's two kid counts (each up to 3), and a head's side and distance.
_COUNTS = tuple(str(k) for k in range(64))
_KID_COUNTS = tuple(tuple(f"{a} {b}" for b in range(4)) for a in range(4))
_SIDES = {side: tuple(side + bucket for bucket in _BUCKETS) for side in ("L", "R")}


def _count(k: int) -> str:
    """str(k) for a count of dependents."""
    return _COUNTS[k] if k < 64 else str(k)


def distance_bucket(d: int) -> str:
    if 0 <= d < 8:
        return _BUCKETS[d]
    return str(d) if d < 0 else "8+"


def parser_features(
    norms: Sequence[str],
    tags: Sequence[str],
    stack: Sequence[int],
    b: int,
    heads: Sequence[int],
    lefts: Sequence[Sequence[int]],
    rights: Sequence[Sequence[int]],
) -> list[str]:
    """Zhang and Nivre's templates for an arc-eager configuration.

    ``norms`` and ``tags`` have one more entry than the sentence: the root,
    which sits at the end of the buffer. ``b`` is the first buffer word,
    ``stack[-1]`` the top of the stack, ``lefts[h]`` the left dependents of
    ``h`` added so far (nearest first, so ``[-1]`` is the leftmost) and
    ``rights[h]`` its right dependents (``[-1]`` the rightmost).

    The templates come in three groups (the functions below); a model's score
    is the sum over all of them, in any order. Run time keeps the sums of the
    first two groups, which stay the same over several moves.
    """
    s0 = stack[-1] if stack else -1
    return [
        *parser_top(norms, tags, s0, heads, lefts),
        *parser_front(norms, tags, b),
        *parser_move(norms, tags, stack, b, heads, lefts, rights),
    ]


def parser_top(norms: Sequence[str], tags: Sequence[str], s0: int, heads: Sequence[int], lefts: Sequence[Sequence[int]]) -> list[str]:
    """Templates of the stack top ``s0`` (-1: empty stack), its head, grand-head and left dependents.

    They stay the same as long as ``s0`` is on the stack: a word's head and
    left dependents are all set before it is pushed, and so are its head's
    (which lies below it on the stack).
    """
    return top_group(*top_values(norms, tags, s0, heads, lefts))


def top_values(norms: Sequence[str], tags: Sequence[str], s0: int, heads: Sequence[int], lefts: Sequence[Sequence[int]]) -> tuple[str, ...]:
    """What ``top_group`` reads (its strings are a function of these alone)."""
    if s0 < 0:
        return (NONE,) * 11
    s0w, s0p = norms[s0], tags[s0]
    h = heads[s0]
    if h >= 0:
        s0hw, s0hp = norms[h], tags[h]
        h2 = heads[h]
        s0h2w, s0h2p = (norms[h2], tags[h2]) if h2 >= 0 else (NONE, NONE)
    else:
        s0hw = s0hp = s0h2w = s0h2p = NONE
    sl = lefts[s0]
    s0lw, s0lp = (norms[sl[-1]], tags[sl[-1]]) if sl else (NONE, NONE)
    s0l2w, s0l2p = (norms[sl[-2]], tags[sl[-2]]) if len(sl) > 1 else (NONE, NONE)
    return (s0w, s0p, s0hw, s0hp, s0h2w, s0h2p, s0lw, s0lp, s0l2w, s0l2p, _count(len(sl)))


def top_group(
    s0w: str, s0p: str, s0hw: str, s0hp: str, s0h2w: str, s0h2p: str, s0lw: str, s0lp: str, s0l2w: str, s0l2p: str, s0vl: str
) -> list[str]:
    return [
        "s0w=" + s0w,
        "s0p=" + s0p,
        "s0wp=" + s0w + "/" + s0p,
        f"s0w,vl={s0w} {s0vl}",
        f"s0p,vl={s0p} {s0vl}",
        "s0hw=" + s0hw,
        "s0hp=" + s0hp,
        "s0lw=" + s0lw,
        "s0lp=" + s0lp,
        "s0h2w=" + s0h2w,
        "s0h2p=" + s0h2p,
        "s0l2w=" + s0l2w,
        "s0l2p=" + s0l2p,
        f"s0p,s0lp,s0l2p={s0p} {s0lp} {s0l2p}",
        f"s0p,s0hp,s0h2p={s0p} {s0hp} {s0h2p}",
    ]


def parser_front(norms: Sequence[str], tags: Sequence[str], b: int) -> list[str]:
    """Templates of the first three buffer words (and the bias): the same until ``b`` moves."""
    return front_group(*front_values(norms, tags, b))


def front_values(norms: Sequence[str], tags: Sequence[str], b: int) -> tuple[str, ...]:
    """What ``front_group`` reads."""
    n = len(norms)
    n1w, n1p = (norms[b + 1], tags[b + 1]) if b + 1 < n else (NONE, NONE)
    n2w, n2p = (norms[b + 2], tags[b + 2]) if b + 2 < n else (NONE, NONE)
    return (norms[b], tags[b], n1w, n1p, n2w, n2p)


def front_group(n0w: str, n0p: str, n1w: str, n1p: str, n2w: str, n2p: str) -> list[str]:
    return [
        "b",
        "n0w=" + n0w,
        "n0p=" + n0p,
        "n0wp=" + n0w + "/" + n0p,
        "n1w=" + n1w,
        "n1p=" + n1p,
        f"n1wp={n1w}/{n1p}",
        "n2w=" + n2w,
        "n2p=" + n2p,
        f"n2wp={n2w}/{n2p}",
        f"n0p,n1p={n0p} {n1p}",
        f"n0p,n1p,n2p={n0p} {n1p} {n2p}",
    ]


def parser_move(
    norms: Sequence[str],
    tags: Sequence[str],
    stack: Sequence[int],
    b: int,
    heads: Sequence[int],
    lefts: Sequence[Sequence[int]],
    rights: Sequence[Sequence[int]],
) -> list[str]:
    """Templates that join the stack and the buffer, and those of the dependents that are still growing
    (the stack top's right ones, the first buffer word's left ones): new at nearly every move.

    They are the four groups of ``MOVE_GROUPS``, each read from its values in ``move_values``.
    """
    right, left, pair, around = move_values(norms, tags, stack, b, heads, lefts, rights)
    return [*move_rights(*right), *move_lefts(*left), *move_pair(*pair), *move_tags(*around)]


def move_values(
    norms: Sequence[str],
    tags: Sequence[str],
    stack: Sequence[int],
    b: int,
    heads: Sequence[int],
    lefts: Sequence[Sequence[int]],
    rights: Sequence[Sequence[int]],
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """What each group of ``MOVE_GROUPS`` reads, in its order.

    A group's feature strings are a function of its values alone, so run time
    keeps each group's sum by its values (``SyntaxModel.parse``): a word with
    no right dependents yet, or the same tags around the two words, come back
    many times in a text.
    """
    n0w, n0p = norms[b], tags[b]
    n1p = tags[b + 1] if b + 1 < len(norms) else NONE
    nl = lefts[b]
    n0lw, n0lp = (norms[nl[-1]], tags[nl[-1]]) if nl else (NONE, NONE)
    n0l2p, n0l2w = (tags[nl[-2]], norms[nl[-2]]) if len(nl) > 1 else (NONE, NONE)
    n0vl = _count(len(nl))
    if stack:
        s0 = stack[-1]
        s0w, s0p = norms[s0], tags[s0]
        h = heads[s0]
        s0hp = tags[h] if h >= 0 else NONE
        sl, sr = lefts[s0], rights[s0]
        s0lp = tags[sl[-1]] if sl else NONE
        s0rw, s0rp = (norms[sr[-1]], tags[sr[-1]]) if sr else (NONE, NONE)
        s0r2w, s0r2p = (norms[sr[-2]], tags[sr[-2]]) if len(sr) > 1 else (NONE, NONE)
        s0vr = _count(len(sr))
        gap = b - s0
        d = _BUCKETS[gap] if 0 <= gap < 8 else distance_bucket(gap)
        s1p = tags[stack[-2]] if len(stack) > 1 else NONE
    else:
        s0w = s0p = s0hp = s0lp = s0rw = s0rp = s0r2w = s0r2p = s0vr = d = s1p = NONE
    return (
        (s0w, s0p, s0vr, s0rw, s0rp, s0r2w, s0r2p),
        (n0w, n0p, n0vl, n0lw, n0lp, n0l2w, n0l2p),
        (s0w, s0p, n0w, n0p, n1p, d),
        (s0p, n0p, s0hp, s0lp, s0rp, n0lp, s1p),
    )


def move_rights(s0w: str, s0p: str, s0vr: str, s0rw: str, s0rp: str, s0r2w: str, s0r2p: str) -> list[str]:
    """The stack top's right dependents."""
    return [
        f"s0w,vr={s0w} {s0vr}",
        f"s0p,vr={s0p} {s0vr}",
        "s0rw=" + s0rw,
        "s0rp=" + s0rp,
        "s0r2w=" + s0r2w,
        "s0r2p=" + s0r2p,
        f"s0p,s0rp,s0r2p={s0p} {s0rp} {s0r2p}",
    ]


def move_lefts(n0w: str, n0p: str, n0vl: str, n0lw: str, n0lp: str, n0l2w: str, n0l2p: str) -> list[str]:
    """The first buffer word's left dependents."""
    return [
        f"n0w,vl={n0w} {n0vl}",
        f"n0p,vl={n0p} {n0vl}",
        "n0lw=" + n0lw,
        "n0lp=" + n0lp,
        "n0l2w=" + n0l2w,
        "n0l2p=" + n0l2p,
        f"n0p,n0lp,n0l2p={n0p} {n0lp} {n0l2p}",
    ]


def move_pair(s0w: str, s0p: str, n0w: str, n0p: str, n1p: str, d: str) -> list[str]:
    """The stack top and the first buffer word: two words, their distance, and the tag after."""
    s0wp = s0w + "/" + s0p
    n0wp = n0w + "/" + n0p
    return [
        f"s0wp,n0wp={s0wp} {n0wp}",
        f"s0wp,n0w={s0wp} {n0w}",
        f"s0w,n0wp={s0w} {n0wp}",
        f"s0wp,n0p={s0wp} {n0p}",
        f"s0p,n0wp={s0p} {n0wp}",
        f"s0w,n0w={s0w} {n0w}",
        f"s0p,n0p={s0p} {n0p}",
        f"s0p,n0p,n1p={s0p} {n0p} {n1p}",
        f"s0w,d={s0w} {d}",
        f"s0p,d={s0p} {d}",
        f"n0w,d={n0w} {d}",
        f"n0p,d={n0p} {d}",
        f"s0w,n0w,d={s0w} {n0w} {d}",
        f"s0p,n0p,d={s0p} {n0p} {d}",
    ]


def move_tags(s0p: str, n0p: str, s0hp: str, s0lp: str, s0rp: str, n0lp: str, s1p: str) -> list[str]:
    """Three tags: the two words' and one of their neighbours in the tree or on the stack."""
    return [
        f"s0hp,s0p,n0p={s0hp} {s0p} {n0p}",
        f"s0p,s0lp,n0p={s0p} {s0lp} {n0p}",
        f"s0p,s0rp,n0p={s0p} {s0rp} {n0p}",
        f"s0p,n0p,n0lp={s0p} {n0p} {n0lp}",
        f"s1p,s0p,n0p={s1p} {s0p} {n0p}",
    ]


MOVE_GROUPS: tuple[Callable[..., list[str]], ...] = (move_rights, move_lefts, move_pair, move_tags)


# --------------------------------------------------------------------------- labeller

# Function words whose identity tells a relation apart ("to" for xcomp, "'s"
# for nmod:poss, "by" for obl:agent): a dependent's children of these tags
# give a feature each.
FUNCTION_TAGS = frozenset({"ADP", "SCONJ", "PART", "AUX", "DET", "PRON", "CCONJ", "PUNCT"})


def labeller_features(
    norms: Sequence[str],
    tags: Sequence[str],
    heads: Sequence[int],
    children: Sequence[Sequence[int]],
    labels: Sequence[str],
    d: int,
) -> list[str]:
    """Templates for the relation of word ``d`` to its head, in a finished tree.

    ``labels`` holds the relations given so far (words are labelled top-down,
    so the head's own relation and those of earlier siblings are known; the
    others are ``-``). They are the four groups of ``LABEL_GROUPS``, each read
    from its values in ``label_values``, and the function words around ``d``.
    """
    word, pair, head, around = label_values(norms, tags, heads, children, labels, d)
    return [
        *label_word(*word),
        *label_pair(*pair),
        *label_head(*head),
        *label_around(*around),
        *label_function_words(norms, tags, heads, children, d),
    ]


def label_values(
    norms: Sequence[str],
    tags: Sequence[str],
    heads: Sequence[int],
    children: Sequence[Sequence[int]],
    labels: Sequence[str],
    d: int,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """What each group of ``LABEL_GROUPS`` reads, in its order (run time keeps each group's sum by them)."""
    n = len(heads)
    h = heads[d]
    dw, dp = norms[d], tags[d]
    if h < 0:
        hw, hp, hl, gp = ROOT_WORD, ROOT_TAG, NONE, NONE
        direction = "root"
    else:
        hw, hp, hl = norms[h], tags[h], labels[h]
        g = heads[h]
        gp = tags[g] if g >= 0 else ROOT_TAG
        gap = abs(d - h)
        direction = _SIDES["L" if d < h else "R"][gap] if gap < 8 else ("L" if d < h else "R") + distance_bucket(gap)
    kids = children[d]
    n_left = bisect_left(kids, d)
    n_right = len(kids) - n_left
    lp = tags[kids[0]] if n_left else NONE
    rp = tags[kids[-1]] if n_right else NONE
    prev_sib = prev_label = NONE
    if h >= 0:
        sibs = children[h]
        k = bisect_left(sibs, d)  # the nearest sibling before d, in O(log n) even under a head with thousands
        if k:
            prev_sib, prev_label = tags[sibs[k - 1]], labels[sibs[k - 1]]
    return (
        (dw, dp),
        (dw, dp, hw, hp),
        (dp, hp, hl, gp, direction),
        (
            dp,
            hp,
            lp,
            rp,
            _KID_COUNTS[min(n_left, 3)][min(n_right, 3)],
            prev_sib,
            prev_label,
            tags[d - 1] if d > 0 else NONE,
            tags[d + 1] if d + 1 < n else NONE,
            ("1 " if d == 0 else "0 ") + direction[:1],
        ),
    )


def label_word(dw: str, dp: str) -> list[str]:
    """The word itself (and the bias)."""
    return ["b", "dw=" + dw, "dp=" + dp, f"dwp={dw}/{dp}", f"ds3={dp} {dw[-3:]}"]


def label_pair(dw: str, dp: str, hw: str, hp: str) -> list[str]:
    """The word and its head."""
    return ["hw=" + hw, f"hwp={hw}/{hp}", f"dw,hp={dw} {hp}", f"dp,hw={dp} {hw}", f"dw,hw={dw} {hw}"]


def label_head(dp: str, hp: str, hl: str, gp: str, direction: str) -> list[str]:
    """The tags up the tree, the head's relation, and which side and how far the head is."""
    return [
        "hp=" + hp,
        f"dp,hp={dp} {hp}",
        "dir=" + direction,
        f"dir,dp,hp={direction} {dp} {hp}",
        "hl=" + hl,
        f"hl,dp,hp={hl} {dp} {hp}",
        f"gp,hp,dp={gp} {hp} {dp}",
    ]


def label_around(
    dp: str, hp: str, lp: str, rp: str, kids: str, prev_sib: str, prev_label: str, before: str, after: str, first: str
) -> list[str]:
    """The word's outermost dependents, its previous sibling, and its neighbours' tags."""
    return [
        f"lp,dp={lp} {dp}",
        f"rp,dp={rp} {dp}",
        f"lp,dp,hp={lp} {dp} {hp}",
        f"nk={dp} {kids}",
        f"sib={prev_sib} {prev_label} {dp} {hp}",
        f"sibl={prev_label} {dp}",
        "d-1p=" + before + " " + dp,
        "d+1p=" + after + " " + dp,
        "first=" + dp + " " + first,
    ]


LABEL_GROUPS: tuple[Callable[..., list[str]], ...] = (label_word, label_pair, label_head, label_around)


def label_function_words(
    norms: Sequence[str], tags: Sequence[str], heads: Sequence[int], children: Sequence[Sequence[int]], d: int
) -> list[str]:
    """The function words among the word's dependents and its nearby siblings ("to", "'s", "by")."""
    return function_word_group(*function_word_values(norms, tags, heads, children, d))


def function_word_values(
    norms: Sequence[str], tags: Sequence[str], heads: Sequence[int], children: Sequence[Sequence[int]], d: int
) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """What ``function_word_group`` reads: the word's and its head's tags, the (tag, word) of its
    function-word dependents, and the (word, side) of its function-word siblings nearby (run time
    keeps the group's sum by them, as for ``LABEL_GROUPS``)."""
    h = heads[d]
    kids: list[str] = []
    for c in children[d][:8]:  # the first few: bounded work under a head with thousands of dependents
        if tags[c] in FUNCTION_TAGS:
            kids += (tags[c], norms[c])
    sibs: list[str] = []
    if h >= 0:
        for c in range(max(0, d - 3), min(len(heads), d + 4)):
            if c != d and heads[c] == h and tags[c] in FUNCTION_TAGS:
                sibs += (norms[c], "<" if c < d else ">")
    return (tags[d], tags[h] if h >= 0 else ROOT_TAG, tuple(kids), tuple(sibs))


def function_word_group(dp: str, hp: str, kids: tuple[str, ...], sibs: tuple[str, ...]) -> list[str]:
    """The strings of ``label_function_words`` from their values (``function_word_values``)."""
    out: list[str] = []
    for k in range(0, len(kids), 2):
        out.append("kid=" + kids[k] + " " + kids[k + 1] + " " + dp)
        out.append("kidh=" + kids[k + 1] + " " + dp + " " + hp)
    for k in range(0, len(sibs), 2):
        out.append("sibw=" + sibs[k] + " " + sibs[k + 1] + " " + dp)
    return out
