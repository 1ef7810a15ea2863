"""Train the syntax model from CoNLL-U treebanks (a source checkout; numpy).

``planner train syntax`` runs :func:`train` on UD English EWT's training
split plus the project's own task sentences (``corpus/syntax/train.conllu``,
given several times over so that imperatives weigh more than their share),
writes ``rules/syntax.model`` and scores the written file. The steps:

1. Lemmatiser: exceptions, suffix rules and known lemmas counted from the
   training words (:mod:`planner.syntax.lemma`).
2. Tag dictionary: words seen at least 20 times with one tag at least 97% of
   the time are tagged by look-up (Honnibal's tagger does the same).
3. Tagger: an averaged perceptron, greedy left to right.
4. Jackknifed tags: the training sentences are cut into ``folds`` parts and
   each part is tagged by a tagger trained on the others, so the parser and
   labeller learn from tags as wrong as they will be at run time.
5. Parser: greedy arc-eager with the dynamic oracle of Goldberg and Nivre
   ("A dynamic oracle for arc-eager dependency parsing", COLING 2012): after
   the first epoch it follows its own prediction 90% of the time and learns
   the best move from wherever that leads. Non-projective training trees
   (about 2% of EWT) are skipped, as that oracle needs projective trees.
6. Labeller: an averaged perceptron over the finished gold trees.

Each model is trained, its features ranked by their largest averaged weight,
the top ones kept (the budget that fits the 5 MB file), and trained again on
those features only, so the kept weights make up for the dropped ones.
Everything is seeded: the same data gives the same file, byte for byte.
"""

from __future__ import annotations

import dataclasses
import random
import time
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.syntax.conllu import TreeRow, is_projective, read_conllu
from planner.syntax.features import (
    NONE,
    ROOT_TAG,
    ROOT_WORD,
    START,
    TagContext,
    fhash,
    labeller_features,
    norm,
    parser_features,
    tagger_dynamic,
    tagger_static,
)
from planner.syntax.lemma import IDENTITY, MAX_SUFFIX, Lemmatiser, edit_of
from planner.syntax.linear import LANE_LIMIT, class_bits, pack, pack_lanes
from planner.syntax.model import TEMPLATES_VERSION
from planner.syntax.transitions import LEFT, REDUCE, RIGHT, SHIFT, State
from planner.syntax.weights import Section, write_sections

REPO = Path(__file__).resolve().parent.parent.parent
TREEBANK = REPO.parent / "shared" / "data" / "ud-english-ewt"
OWN = REPO / "corpus" / "syntax"

Log = Callable[[str], None]


@dataclass(frozen=True)
class Settings:
    """Training settings; the defaults are what ships (each chosen on the dev split)."""

    tagger_epochs: int = 8
    parser_epochs: int = 10
    labeller_epochs: int = 6
    folds: int = 5  # jackknife parts for the tags the parser learns from
    explore: float = 0.9  # dynamic oracle: share of moves taken from the model after epoch 1
    own_copies: int = 5  # how many times the project's own sentences go in
    # Features kept per model, by largest averaged weight: the file stays well
    # under 5 MB and dev scores stay within a few tenths of the full models.
    tagger_keep: int = 80_000
    parser_keep: int = 160_000
    labeller_keep: int = 60_000
    tagdict_min: int = 20
    tagdict_share: float = 0.97
    # Task text is often lower case and without a final period (list items):
    # one sentence in ``augment_every`` gets a copy with its first word in
    # lower case, another a copy without its final punctuation.
    augment_every: int = 10
    # Chat and dictated task text is all lower case with no final period: one
    # sentence in ``lower_every`` (0: none) gets a copy like that too.
    lower_every: int = 0
    # EWT has few imperatives (about 6% of its sentences), the commonest shape
    # of task text: each imperative sentence given once goes in this many
    # more times (0: none). See :func:`is_imperative`.
    imperative_copies: int = 0
    # Processes for the parts that do not wait for each other (the jackknife
    # beside the tagger, the labeller beside the parser); 1: one after another.
    # The file is the same byte for byte either way: every part has its own seed.
    workers: int = 2
    seed: int = 0


@dataclass
class Trained:
    sections: dict[str, Section]
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- perceptron helpers


def _argmax(scores: Any, allowed: Sequence[int] | None = None) -> int:
    """The first best class (numpy's argmax breaks ties the same way)."""
    if allowed is None:
        return int(scores.argmax())
    best = allowed[0]
    for c in allowed[1:]:
        if scores[c] > scores[best]:
            best = c
    return best


def _select(model: Any, keep: int) -> set[int]:
    """The ``keep`` features with the largest averaged weight (ties by key)."""
    keys, avg = model.averaged()
    strength = abs(avg).max(axis=1) if len(keys) else []
    ranked = sorted(range(len(keys)), key=lambda i: (-float(strength[i]), keys[i]))
    return {keys[i] for i in ranked[:keep]}


def _export(model: Any, n_classes: int, lanes: bool = False) -> tuple[dict[str, array[int]], float, int]:
    """Quantise averaged weights into the packed arrays; returns them, the scale, and nonzero weights."""
    import numpy as np

    keys, avg = model.averaged()
    limit = LANE_LIMIT if lanes else (1 << (15 - class_bits(n_classes))) - 1
    top = float(np.abs(avg).max()) if len(keys) else 1.0
    scale = top / limit if top > 0 else 1.0
    q = np.rint(avg / scale).astype(np.int64)
    out_keys: list[int] = []
    rows: list[list[tuple[int, int]]] = []
    dense: list[list[int]] = []
    for i, key in enumerate(keys):
        nz = np.nonzero(q[i])[0]
        if len(nz):
            out_keys.append(key)
            rows.append([(int(c), int(q[i, c])) for c in nz])
            dense.append([int(v) for v in q[i]])
    nonzero = sum(len(r) for r in rows)
    arrays = pack_lanes(out_keys, dense) if lanes else pack(out_keys, rows, n_classes)
    return arrays, scale, nonzero


# --------------------------------------------------------------------------- lemmatiser and tag dictionary


def train_lemmatiser(rows: Sequence[TreeRow], min_types: int = 2) -> Lemmatiser:
    """Exceptions, suffix rules and known lemmas (see :mod:`planner.syntax.lemma`)."""
    pairs: Counter[tuple[str, str, str]] = Counter()
    for row in rows:
        for form, upos, lemma in zip(row.forms, row.upos, row.lemmas, strict=True):
            if upos in IDENTITY or lemma == "_":
                continue
            pairs[(upos, form.lower(), lemma.lower())] += 1
    # Rules count word types, not tokens: a frequent irregular ("best" -> "good")
    # must not become the rule for every "-est".
    edits: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    majority: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for (upos, low, lemma), count in pairs.items():
        majority[(upos, low)][lemma] += count
        edit = edit_of(low, lemma)
        for size in range(min(MAX_SUFFIX, len(low)) + 1):
            edits[(upos, low[len(low) - size :])][edit] += 1
    rules: dict[tuple[str, str], str] = {}
    for upos, suffix in sorted(edits, key=lambda k: (k[0], len(k[1]), k[1])):
        counts = edits[(upos, suffix)]
        if suffix and sum(counts.values()) < min_types:
            continue
        best = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if int(best.partition("|")[0]) > len(suffix):
            # An edit cutting more than its ending is a longer ending's rule
            # ("-g" cutting three for "-ing"): kept there, it would turn words
            # the treebank never showed ("debug", "plug") into "de" and "p".
            continue
        parent = None
        for size in range(len(suffix) - 1, -1, -1):
            parent = rules.get((upos, suffix[len(suffix) - size :]))
            if parent is not None:
                break
        if parent != best:
            rules[(upos, suffix)] = best
    known = sorted({f"{upos}\t{lemma}" for upos, _, lemma in pairs})
    rule_keys = sorted(f"{u}\t{s}" for u, s in rules)
    rule_values = [rules[(k.split("\t", 1)[0], k.split("\t", 1)[1])] for k in rule_keys]
    ruled = Lemmatiser([], [], rule_keys, rule_values, known)
    exceptions: dict[str, str] = {}
    for (upos, low), counts in majority.items():
        lemma = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if ruled._by_rules(low, upos) != lemma:
            exceptions[f"{upos}\t{low}"] = lemma
    exc_keys = sorted(exceptions)
    return Lemmatiser(exc_keys, [exceptions[k] for k in exc_keys], rule_keys, rule_values, known)


def tag_dictionary(rows: Sequence[TreeRow], tags: Sequence[str], settings: Settings) -> dict[str, int]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        for form, upos in zip(row.forms, row.upos, strict=True):
            counts[form][upos] += 1
    index = {t: i for i, t in enumerate(tags)}
    out: dict[str, int] = {}
    for form, c in counts.items():
        tag, top = min(c.items(), key=lambda kv: (-kv[1], kv[0]))
        total = sum(c.values())
        if total >= settings.tagdict_min and top / total >= settings.tagdict_share:
            out[form] = index[tag]
    return out


# --------------------------------------------------------------------------- tagger


class _TaggerData:
    """Static feature keys of every training word, hashed once for all epochs."""

    def __init__(self, rows: Sequence[TreeRow]) -> None:
        self.contexts = []
        self.static = []
        for row in rows:
            ctx = TagContext(row.forms)
            self.contexts.append(ctx)
            self.static.append([array("I", [fhash(f) for f in tagger_static(ctx, i)]) for i in range(len(row))])


def train_tagger(
    rows: Sequence[TreeRow],
    tags: Sequence[str],
    tagdict: dict[str, int],
    settings: Settings,
    *,
    epochs: int,
    allowed: set[int] | None = None,
    data: _TaggerData | None = None,
    log: Log | None = None,
) -> Any:
    from planner.syntax.perceptron import Perceptron

    data = data or _TaggerData(rows)
    index = {t: i for i, t in enumerate(tags)}
    model = Perceptron(len(tags), allowed)
    rng = random.Random(settings.seed)
    order = list(range(len(rows)))
    for epoch in range(epochs):
        rng.shuffle(order)
        right = total = 0
        start = time.perf_counter()
        for k in order:
            row, ctx, static = rows[k], data.contexts[k], data.static[k]
            prev, prev2 = START
            for i, form in enumerate(row.forms):
                known = tagdict.get(form)
                if known is not None:
                    guess = known
                else:
                    keys = [*static[i], *(fhash(f) for f in tagger_dynamic(ctx, i, prev, prev2))]
                    guess = _argmax(model.scores(keys))
                    model.update(index[row.upos[i]], guess, keys)
                    model.tick()
                right += tags[guess] == row.upos[i]
                total += 1
                prev2, prev = prev, tags[guess]
        if log:
            log(f"  tagger epoch {epoch + 1}/{epochs}: train accuracy {right / max(total, 1):.2%} "
                f"({time.perf_counter() - start:.0f} s)")
    return model


def _tag_with(model: Any, rows: Sequence[TreeRow], tags: Sequence[str], tagdict: dict[str, int]) -> list[list[str]]:
    """Tag rows with a training-time model (float averaged weights)."""
    keys, avg = model.averaged()
    where = {k: i for i, k in enumerate(keys)}
    out = []
    for row in rows:
        ctx = TagContext(row.forms)
        prev, prev2 = START
        got: list[str] = []
        for i, form in enumerate(row.forms):
            known = tagdict.get(form)
            if known is None:
                feats = [*tagger_static(ctx, i), *tagger_dynamic(ctx, i, prev, prev2)]
                idx = [where[k] for k in (fhash(f) for f in feats) if k in where]
                known = _argmax(avg[idx].sum(axis=0)) if idx else 0
            got.append(tags[known])
            prev2, prev = prev, tags[known]
        out.append(got)
    return out


# --------------------------------------------------------------------------- parser


def oracle_costs(state: State, gold: Sequence[int]) -> list[int | None]:
    """How many gold arcs each legal move makes unreachable (None: illegal).

    Goldberg and Nivre's arc-eager costs, with the root as the last buffer
    word (``gold`` uses ``n`` for it).
    """
    n, stack, b, heads = state.n, state.stack, state.b, state.heads
    valid = state.valid()
    out: list[int | None] = [None, None, None, None]
    if valid[SHIFT]:
        # b leaves the buffer: it can no longer take a head or dependents from the stack
        out[SHIFT] = sum(1 for s in stack if gold[b] == s or (gold[s] == b and heads[s] == -1))
    if valid[RIGHT]:
        s0 = stack[-1]
        cost = 0
        if gold[b] != s0 and (gold[b] in stack or gold[b] > b):
            cost += 1
        cost += sum(1 for s in stack if gold[s] == b and heads[s] == -1)
        out[RIGHT] = cost
    if valid[LEFT]:
        s0 = stack[-1]
        cost = 1 if gold[s0] > b else 0
        cost += sum(1 for j in range(b, n) if gold[j] == s0)
        out[LEFT] = cost
    if valid[REDUCE]:
        s0 = stack[-1]
        out[REDUCE] = sum(1 for j in range(b, n) if gold[j] == s0)
    return out


def _parser_inputs(rows: Sequence[TreeRow], tagged: Sequence[Sequence[str]]) -> list[tuple[list[str], list[str], list[int]]]:
    out = []
    for row, tags in zip(rows, tagged, strict=True):
        if not is_projective(row.heads):
            continue
        n = len(row)
        out.append(([*(norm(w) for w in row.forms), ROOT_WORD], [*tags, ROOT_TAG], [h if h >= 0 else n for h in row.heads]))
    return out


def train_parser(
    data: Sequence[tuple[list[str], list[str], list[int]]],
    settings: Settings,
    *,
    allowed: set[int] | None = None,
    log: Log | None = None,
) -> Any:
    from planner.syntax.perceptron import Perceptron

    model = Perceptron(4, allowed)
    rng = random.Random(settings.seed + 1)
    order = list(range(len(data)))
    for epoch in range(settings.parser_epochs):
        rng.shuffle(order)
        explore = epoch > 0
        right = total = 0
        start = time.perf_counter()
        for k in order:
            norms, tags, gold = data[k]
            n = len(gold)
            state = State(n)
            while not state.done:
                forced = state.forced()
                if forced >= 0:
                    state.apply(forced)
                    continue
                keys = [fhash(f) for f in parser_features(norms, tags, state.stack, state.b, state.heads, state.lefts, state.rights)]
                scores = model.scores(keys)
                costs = oracle_costs(state, gold)
                legal = [m for m in range(4) if costs[m] is not None]
                guess = _argmax(scores, legal)
                lowest = min(c for c in costs if c is not None)
                best = _argmax(scores, [m for m in legal if costs[m] == lowest])
                if costs[guess] != lowest:
                    model.update(best, guess, keys)
                model.tick()
                state.apply(guess if explore and rng.random() < settings.explore else best)
            right += sum(1 for i in range(n) if state.heads[i] == gold[i])
            total += n
        if log:
            log(f"  parser epoch {epoch + 1}/{settings.parser_epochs}: train UAS {right / max(total, 1):.2%} "
                f"({time.perf_counter() - start:.0f} s)")
    return model


# --------------------------------------------------------------------------- labeller


def _labeller_instances(
    rows: Sequence[TreeRow], tagged: Sequence[Sequence[str]]
) -> list[tuple[list[str], Sequence[str], TreeRow, list[list[int]], list[int]]]:
    out = []
    for row, tags in zip(rows, tagged, strict=True):
        n = len(row)
        children: list[list[int]] = [[] for _ in range(n)]
        for d, h in enumerate(row.heads):
            if h >= 0:
                children[h].append(d)
        order = [d for d in range(n) if row.heads[d] < 0]
        k = 0
        while k < len(order):
            order.extend(children[order[k]])
            k += 1
        out.append(([norm(w) for w in row.forms], tags, row, children, order))
    return out


def train_labeller(
    instances: Sequence[tuple[list[str], Sequence[str], TreeRow, list[list[int]], list[int]]],
    labels: Sequence[str],
    settings: Settings,
    *,
    allowed: set[int] | None = None,
    log: Log | None = None,
) -> Any:
    from planner.syntax.perceptron import Perceptron

    index = {label: i for i, label in enumerate(labels)}
    candidates = [i for i, label in enumerate(labels) if label != "root"]
    model = Perceptron(len(labels), allowed)
    rng = random.Random(settings.seed + 2)
    order = list(range(len(instances)))
    for epoch in range(settings.labeller_epochs):
        rng.shuffle(order)
        right = total = 0
        start = time.perf_counter()
        for k in order:
            norms, tags, row, children, words = instances[k]
            given = [NONE] * len(row)
            for d in words:
                if row.heads[d] < 0:
                    given[d] = "root"
                    continue
                keys = [fhash(f) for f in labeller_features(norms, tags, row.heads, children, given, d)]
                guess = _argmax(model.scores(keys), candidates)
                model.update(index[row.deprels[d]], guess, keys)
                model.tick()
                given[d] = labels[guess]
                right += labels[guess] == row.deprels[d]
                total += 1
        if log:
            log(f"  labeller epoch {epoch + 1}/{settings.labeller_epochs}: train accuracy {right / max(total, 1):.2%} "
                f"({time.perf_counter() - start:.0f} s)")
    return model


# --------------------------------------------------------------------------- the whole model


def jackknife(
    rows: Sequence[TreeRow], tags: Sequence[str], tagdict: dict[str, int], settings: Settings, log: Log | None
) -> list[list[str]]:
    """Every row tagged by a tagger that did not see it."""
    out: list[list[str]] = [[] for _ in rows]
    folds = max(2, settings.folds)
    # Folds by the words of the sentence, so that the copies of a sentence
    # (the project's own ones go in several times) are held out together.
    fold_of = [zlib.crc32("\n".join(row.forms).encode("utf-8", "surrogatepass")) % folds for row in rows]
    for fold in range(folds):
        held = [i for i in range(len(rows)) if fold_of[i] == fold]
        rest = [rows[i] for i in range(len(rows)) if fold_of[i] != fold]
        if log:
            log(f"jackknife {fold + 1}/{folds}: tagging {len(held)} sentences with a tagger trained on {len(rest)}")
        model = train_tagger(rest, tags, tagdict, settings, epochs=max(1, settings.tagger_epochs - 3))
        for i, got in zip(held, _tag_with(model, [rows[i] for i in held], tags, tagdict), strict=True):
            out[i] = got
    return out


# Dependents that make a base-form root verb something other than an imperative:
# a subject ("you check"), an auxiliary or copula ("will check", "to check"), a
# marker ("if you check").
NOT_IMPERATIVE = frozenset({"nsubj", "nsubj:pass", "csubj", "csubj:pass", "expl", "aux", "aux:pass", "cop", "mark"})


def is_imperative(row: TreeRow) -> bool:
    """Whether the sentence's root is a verb in its base form with no subject, auxiliary or marker.

    Read from the tree, not from FEATS (our own sentences have none): on EWT
    train it finds 742 of the 814 sentences whose root has Mood=Imp, plus 127
    other subjectless clauses ("Hope this helps", "Thank you").
    """
    root = row.heads.index(-1)
    if row.upos[root] != "VERB" or row.forms[root].lower() != row.lemmas[root].lower():
        return False
    return not any(h == root and row.deprels[d] in NOT_IMPERATIVE for d, h in enumerate(row.heads))


def imperative_extra(rows: Sequence[TreeRow], copies: int) -> list[TreeRow]:
    """``copies`` more of each imperative sentence given once.

    A sentence given several times already (the project's own ones) carries
    the weight it was given.
    """
    if copies < 1:
        return []
    seen = Counter(row.forms for row in rows)
    return [row for row in rows if seen[row.forms] == 1 and is_imperative(row) for _ in range(copies)]


def _lower_copy(row: TreeRow) -> TreeRow | None:
    """The sentence in lower case without its final punctuation, or None when nothing would change."""
    n = len(row)
    cut = n - 1 if n > 2 and row.upos[-1] == "PUNCT" and row.forms[-1] in (".", "!", "?") and (n - 1) not in row.heads else n
    forms = tuple(f.lower() for f in row.forms[:cut])
    if forms == row.forms:
        return None
    lemmas = tuple(lemma.lower() if u == "PROPN" else lemma for lemma, u in zip(row.lemmas[:cut], row.upos[:cut], strict=True))
    return dataclasses.replace(
        row, forms=forms, lemmas=lemmas, upos=row.upos[:cut], heads=row.heads[:cut], deprels=row.deprels[:cut], text=""
    )


def augment(rows: Sequence[TreeRow], every: int, lower_every: int = 0) -> list[tuple[TreeRow, int]]:
    """Copies of a few rows: first word in lower case, final period dropped, or all lower case without it.

    Each copy comes with the index of the row it was made from, so that it can
    take that row's jackknifed tags (a copy must not be tagged by a tagger that
    saw its original).
    """
    out: list[tuple[TreeRow, int]] = []
    for k, row in enumerate(rows):
        n = len(row)
        if every > 0 and k % every == 0 and n > 1 and row.forms[0][:1].isupper() and row.upos[0] != "PROPN" and row.forms[0] != "I":
            first = row.forms[0][0].lower() + row.forms[0][1:]
            out.append((dataclasses.replace(row, forms=(first, *row.forms[1:]), text=""), k))
        if (
            every > 0
            and k % every == every // 2
            and n > 2
            and row.forms[-1] in (".", "!", "?")
            and row.upos[-1] == "PUNCT"
            and (n - 1) not in row.heads
        ):
            short = dataclasses.replace(
                row,
                forms=row.forms[:-1],
                lemmas=row.lemmas[:-1],
                upos=row.upos[:-1],
                heads=row.heads[:-1],
                deprels=row.deprels[:-1],
                text="",
            )
            out.append((short, k))
        if lower_every > 0 and k % lower_every == lower_every // 3:
            lower = _lower_copy(row)
            if lower is not None:
                out.append((lower, k))
    return out


def train(rows: Sequence[TreeRow], settings: Settings = Settings(), log: Log | None = None) -> Trained:
    """Train every part on ``rows`` and return the weights file's sections."""
    if not rows:
        raise ValueError("no training sentences")
    say = log or (lambda _: None)
    originals = list(rows)
    extra = imperative_extra(originals, settings.imperative_copies)
    if extra:
        say(f"{len(extra)} more copies of imperative sentences")
    originals += extra
    copies = augment(originals, settings.augment_every, settings.lower_every)
    rows = originals + [row for row, _ in copies]
    tags = sorted({t for row in rows for t in row.upos})
    labels = sorted({d for row in rows for d in row.deprels} | {"root"})
    if len(tags) > 255 or len(labels) > 255:
        raise ValueError("too many tags or relations for the file format")
    say(f"{len(rows)} sentences, {sum(len(r) for r in rows)} words, {len(tags)} tags, {len(labels)} relations")

    lemmatiser = train_lemmatiser(rows)
    tagdict = tag_dictionary(rows, tags, settings)
    say(f"lemmatiser: {len(lemmatiser.exception_keys)} exceptions, {len(lemmatiser.rule_keys)} suffix rules; "
        f"tag dictionary: {len(tagdict)} words")

    pool = _pool(settings.workers)
    try:
        # The jackknife does not need the final tagger: it runs beside it.
        pending = pool.submit(jackknife, originals, tags, tagdict, settings, None) if pool else None
        if pending:
            say("jackknife: in a second process")
        tagger_data = _TaggerData(rows)
        say("tagger: full feature set")
        full = train_tagger(rows, tags, tagdict, settings, epochs=settings.tagger_epochs, data=tagger_data, log=say)
        keep = _select(full, settings.tagger_keep)
        say(f"tagger: again with the {len(keep)} strongest features")
        tagger = train_tagger(rows, tags, tagdict, settings, epochs=settings.tagger_epochs, allowed=keep, data=tagger_data, log=say)
        del full, tagger_data
        tagger_part = _export(tagger, len(tags))
        del tagger
        return _train_rest(originals, copies, rows, tags, labels, tagdict, lemmatiser, tagger_part, pending, pool, settings, say)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)


def _pool(workers: int) -> Any:
    """A pool for one more process, or None when the parts run one after another."""
    if workers < 2:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method))


def _labeller_part(
    instances: Sequence[tuple[list[str], Sequence[str], TreeRow, list[list[int]], list[int]]],
    labels: Sequence[str],
    settings: Settings,
    log: Log | None = None,
) -> tuple[dict[str, array[int]], float, int]:
    """The labeller trained, cut to its strongest features, trained again and exported."""
    if log:
        log("labeller: full feature set")
    full = train_labeller(instances, labels, settings, log=log)
    keep = _select(full, settings.labeller_keep)
    del full
    if log:
        log(f"labeller: again with the {len(keep)} strongest features")
    return _export(train_labeller(instances, labels, settings, allowed=keep, log=log), len(labels))


def _train_rest(
    originals: list[TreeRow],
    copies: list[tuple[TreeRow, int]],
    rows: list[TreeRow],
    tags: list[str],
    labels: list[str],
    tagdict: dict[str, int],
    lemmatiser: Lemmatiser,
    tagger_part: tuple[dict[str, array[int]], float, int],
    pending: Any,
    pool: Any,
    settings: Settings,
    say: Log,
) -> Trained:
    tagged = pending.result() if pending else jackknife(originals, tags, tagdict, settings, say)
    right = sum(a == b for row, got in zip(originals, tagged, strict=True) for a, b in zip(row.upos, got, strict=True))
    say(f"jackknifed tags: {right / sum(len(r) for r in originals):.2%} right")
    tagged += [tagged[k][: len(row)] for row, k in copies]

    instances = _labeller_instances(rows, tagged)
    # The labeller learns from gold trees: it does not wait for the parser.
    if pool:
        say("labeller: in a second process")
        labeller_part = pool.submit(_labeller_part, instances, labels, settings, None)
    else:
        labeller_part = _labeller_part(instances, labels, settings, say)
    del instances

    parser_data = _parser_inputs(rows, tagged)
    say(f"parser: {len(parser_data)} projective sentences of {len(rows)}")
    full = train_parser(parser_data, settings, log=say)
    keep = _select(full, settings.parser_keep)
    del full
    say(f"parser: again with the {len(keep)} strongest features")
    parser = train_parser(parser_data, settings, allowed=keep, log=say)

    parts = {"tagger": tagger_part, "parser": _export(parser, 4, lanes=True), "labeller": labeller_part.result() if pool else labeller_part}
    del parser

    sections: dict[str, Section] = {}
    notes = []
    for name in ("tagger", "parser", "labeller"):
        arrays, scale, nonzero = parts[name]
        for part, values in arrays.items():
            sections[f"{name}.{part}"] = values
        notes.append(f"{name}: {len(arrays['keys'])} features, {nonzero} weights (scale {scale:.6g})")
    words = sorted(tagdict)
    sections["tagdict.words"] = "\n".join(words)
    sections["tagdict.tags"] = array("B", [tagdict[w] for w in words])
    sections["lemma.exc.keys"] = "\n".join(lemmatiser.exception_keys)
    sections["lemma.exc.values"] = "\n".join(lemmatiser.exception_values)
    sections["lemma.rule.keys"] = "\n".join(lemmatiser.rule_keys)
    sections["lemma.rule.values"] = "\n".join(lemmatiser.rule_values)
    sections["lemma.known"] = "\n".join(lemmatiser.known)
    sections["meta"] = "\n".join(
        [
            f"templates={TEMPLATES_VERSION}",
            f"tags={' '.join(tags)}",
            f"labels={' '.join(labels)}",
            f"sentences={len(rows)}",
            # without ``workers``, which changes how long training takes, not what it learns
            "settings=" + repr(settings).replace(f", workers={settings.workers}", ""),
        ]
    ) + "\n"
    for line in notes:
        say(line)
    return Trained(sections, notes)


def write(trained: Trained, path: Path) -> None:
    write_sections(path, trained.sections)


def load_rows(paths: Sequence[Path]) -> list[TreeRow]:
    rows: list[TreeRow] = []
    for path in paths:
        rows.extend(read_conllu(path))
    return rows


def check_strings(rows: Sequence[TreeRow]) -> None:
    """Refuse forms and lemmas the file's line-separated string tables cannot hold."""
    for row in rows:
        for value in (*row.forms, *row.lemmas):
            if "\n" in value or "\t" in value:
                raise ValueError(f"a form or lemma with a tab or line break in {row.sent_id or row.text!r}")
