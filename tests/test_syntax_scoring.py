"""Run-time scoring of the syntax model gives the scores of the plain definition.

The tagger, parser and labeller keep the sums of template groups by the values
the groups read, the caches of feature rows age by generations, and word
shapes take a shortcut for ASCII: each is checked here against the
straightforward computation it stands for.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.syntax import default_model
from planner.syntax import linear as linear_module
from planner.syntax import model as model_module
from planner.syntax.features import (
    NONE,
    ROOT_TAG,
    ROOT_WORD,
    START,
    TagContext,
    _shape_chars,
    labeller_features,
    norm,
    parser_features,
    parser_front,
    parser_move,
    parser_top,
    shape,
    tagger_dynamic,
    tagger_static,
)
from planner.syntax.linear import MAX_FEATURES, LaneModel
from planner.syntax.model import SyntaxModel
from planner.syntax.tokenize import split
from planner.syntax.transitions import State, single_root

# Sentences written for these tests: requests, lists, clauses inside clauses.
SENTENCES = [
    "Sand the two oak shelves, stain them walnut and hang them above the desk once they are dry.",
    "If the greenhouse gets colder than five degrees at night, move the basil and the chillies into the hall.",
    "Ask the printer for three quotes, compare what they charge for the matte paper, then order the cheapest.",
    "Before the choir's spring concert, book the hall, print the programmes and find someone to tune the piano.",
    "The kids' bikes need new brakes, so take them to the shop on Baker Street when it opens on Monday.",
    "Could you sort the photos from the hiking trip by date and send the best twenty to Grandma?",
    "- water the ferns\n- repot the cactus that outgrew its pot\n- order compost",
]


def _sentences() -> list[tuple[list[str], list[str]]]:
    m = default_model()
    out = []
    for text in SENTENCES:
        for chunk in split(text):
            forms = [t.text for t in chunk.tokens]
            out.append((forms, m.tag(forms)))
    return out


def _reference_parse(words: Sequence[str], tags: Sequence[str]) -> list[int]:
    """The parse with every move scored from its full feature list, nothing kept."""
    parser = default_model().parser
    norms = [*(norm(w) for w in words), ROOT_WORD]
    ptags = [*tags, ROOT_TAG]
    state = State(len(words))
    while not state.done:
        move = state.forced()
        if move < 0:
            s = parser.scores(parser_features(norms, ptags, state.stack, state.b, state.heads, state.lefts, state.rights))
            valid = state.valid()
            move = max((m for m in range(4) if valid[m]), key=lambda m: (s[m], -m))
        state.apply(move)
    return single_root(state.heads, len(words))


def test_parse_equals_scoring_every_feature_afresh() -> None:
    m = default_model()
    for forms, tags in _sentences():
        assert m.parse(forms, tags) == _reference_parse(forms, tags)


@given(st.lists(st.sampled_from(["paint", "the", "fence", ",", "and", "then", "wash", "brushes", "it", "of", "to", "red", "."]), min_size=1, max_size=40))
def test_parse_equals_scoring_every_feature_afresh_on_word_soup(words: list[str]) -> None:
    m = default_model()
    tags = m.tag(words)
    assert m.parse(words, tags) == _reference_parse(words, tags)


def _reference_tag(m: SyntaxModel, words: Sequence[str]) -> list[str]:
    """The tags with every word outside the dictionary scored from its full feature list."""
    ctx = TagContext(words)
    prev, prev2 = START
    out = []
    for i, word in enumerate(words):
        if word in m.tagdict_words:
            tag = m.tags[m.tagdict_tags[m.tagdict_words.index(word)]]
        else:
            s = m.tagger.scores([*tagger_static(ctx, i), *tagger_dynamic(ctx, i, prev, prev2)])
            tag = m.tags[s.index(max(s))]
        out.append(tag)
        prev2, prev = prev, tag
    return out


def _reference_label(m: SyntaxModel, words: Sequence[str], tags: Sequence[str], heads: Sequence[int]) -> list[str]:
    """The relations with every word scored from its full feature list, top-down from the root."""
    norms = [norm(w) for w in words]
    children: list[list[int]] = [[] for _ in words]
    for d, h in enumerate(heads):
        if h >= 0:
            children[h].append(d)
    labels = [NONE] * len(words)
    order = [d for d in range(len(words)) if heads[d] < 0]
    for d in order:
        order.extend(children[d])
        if heads[d] < 0:
            labels[d] = "root"
            continue
        s = m.labeller.scores(labeller_features(norms, tags, heads, children, labels, d))
        s[m.root_label] = min(s) - 1
        labels[d] = m.labels[s.index(max(s))]
    return labels


# Words the tag dictionary does not hold, so the tagger scores them: names, numbers, odd shapes.
_ODD = ["Zorblax", "v2.3", "qwertyfy", "#4411", "東京", "re-grout", "blorping", "XJ-9", "snarfed", "it", "the", ","]


@given(st.lists(st.sampled_from(["paint", "the", "fence", ",", "and", "then", "wash", "brushes", "it", "of", "to", *_ODD]), min_size=1, max_size=40))
def test_tag_parse_and_label_equal_scoring_every_feature_afresh(words: list[str]) -> None:
    m = default_model()
    tags = m.tag(words)
    assert tags == _reference_tag(m, words)
    heads = m.parse(words, tags)
    assert heads == _reference_parse(words, tags)
    assert m.label(words, tags, heads) == _reference_label(m, words, tags, heads)


def test_group_sums_start_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full table of group sums is emptied, never read stale: the same answers with room for a few sums only."""
    m = default_model()
    expected = []
    for forms, _ in _sentences():
        tags = _reference_tag(m, forms)
        heads = _reference_parse(forms, tags)
        expected.append((tags, heads, _reference_label(m, forms, tags, heads)))
    monkeypatch.setattr(model_module, "_SUMS_LIMIT", 3)
    for _ in range(2):
        for (forms, _), (tags, heads, labels) in zip(_sentences(), expected, strict=True):
            assert m.tag(forms) == tags
            assert m.parse(forms, tags) == heads
            assert m.label(forms, tags, heads) == labels
            assert all(len(kept) <= 3 + 200 for kept in (*m._sums, *m._label_sums, *m._tag_sums))


def test_template_groups_hold_while_the_parser_says() -> None:
    """The stack top's group stays the same while the word is on top, the front's while it is first.

    Random legal moves, not only the model's, so every kind of configuration is met.
    """
    rng = random.Random(7)
    for forms, tags in _sentences():
        norms = [*(norm(w) for w in forms), ROOT_WORD]
        ptags = [*tags, ROOT_TAG]
        for _ in range(5):
            state = State(len(forms))
            tops: dict[int, list[str]] = {}
            fronts: dict[int, list[str]] = {}
            while not state.done:
                args = (norms, ptags, state.stack, state.b, state.heads, state.lefts, state.rights)
                whole = parser_features(*args)
                assert len(whole) <= MAX_FEATURES
                if state.stack:
                    s0, b = state.stack[-1], state.b
                    top = parser_top(norms, ptags, s0, state.heads, state.lefts)
                    front = parser_front(norms, ptags, b)
                    assert tops.setdefault(s0, top) == top
                    assert fronts.setdefault(b, front) == front
                    assert Counter(whole) == Counter(top + front + parser_move(*args))
                move = state.forced()
                if move < 0:
                    valid = state.valid()
                    move = rng.choice([k for k in range(4) if valid[k]])
                state.apply(move)


def test_feature_rows_age_by_generations(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small cache gives the same scores, holds at most two generations, and keeps what is used."""
    shipped = default_model().parser
    monkeypatch.setattr(linear_module, "_CACHE_LIMIT", 50)
    model = LaneModel(shipped.keys, shipped.buckets, shipped.rows, 4)
    looked_up: list[str] = []
    plain = model.row

    def counted(feature: str) -> int:
        looked_up.append(feature)
        return plain(feature)

    model.cache.lookup = counted
    for k in range(400):
        features = ["b", f"n0w=word{k}", f"s0w=word{k % 7}", "n0p=NOUN"]
        assert model.scores(features) == model.lanes(sum(plain(f) for f in features))
        assert len(model.cache) + len(model.cache.old) <= 2 * (50 + len(features))
    # the features used at every call were looked up in the tables once, never forgotten
    assert looked_up.count("b") == 1
    assert looked_up.count("n0p=NOUN") == 1
    assert looked_up.count("s0w=word3") == 1
    # rare ones went with their generation
    assert "n0w=word0" not in model.cache and "n0w=word0" not in model.cache.old


@given(st.text(max_size=40))
def test_shape_of_any_text_is_the_per_character_definition(word: str) -> None:
    cut = word if len(word) <= 24 else word[:12] + word[-8:]
    assert shape(word) == _shape_chars(cut)


@pytest.mark.parametrize(
    ("word", "expected"),
    [("Review", "Xxx"), ("v1.2", "xd.d"), ("#4411", "#dd"), ("...", ".."), ("AAAbbb---", "XXxx--"), ("", ""), ("Ålborg", "Xxx"), ("東京", "aa")],
)
def test_shape_examples(word: str, expected: str) -> None:
    assert shape(word) == expected


def test_tagger_shapes_are_worked_out_only_when_asked() -> None:
    words = ["Label", "the", "jars", "by", "year"]
    ctx = TagContext(words)
    assert len(ctx.shapes) == 0
    tagger_static(ctx, 2)
    assert sorted(ctx.shapes) == [3, 4, 5]  # the word and its neighbours, in padded positions
    assert [ctx.shapes[j] for j in range(len(words) + 4)] == ["<s2>", "<s>", "Xxx", "xx", "xx", "xx", "xx", "</s>", "</s2>"]
    with pytest.raises(IndexError):
        ctx.shapes[len(words) + 4]


def test_lane_digits_are_the_scores_plus_a_constant() -> None:
    parser = default_model().parser
    rng = random.Random(11)
    rows = [parser.row(f) for f in ("b", "n0p=VERB", "s0p=NOUN", "s0w,n0w=fix it", "n0w=the", "s0p,n0p=VERB DET")]
    for _ in range(2000):
        total = sum(rng.choice(rows) for _ in range(rng.randint(0, MAX_FEATURES)))
        assert list(parser.digits(total)) == [s + 2**15 for s in parser.lanes(total)]
