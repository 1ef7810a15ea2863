"""Training-time data mechanisms of planner.syntax.train: imperative weighting, lower-case copies, workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.syntax.conllu import TreeRow, read_conllu
from planner.syntax.train import Settings, augment, imperative_extra, is_imperative

OWN = Path(__file__).resolve().parent.parent / "corpus" / "syntax"


def row(spec: str, text: str = "") -> TreeRow:
    """'form/lemma/UPOS/head/deprel' words separated by spaces; heads 1-based, 0 for the root."""
    words = [w.split("/") for w in spec.split()]
    return TreeRow(
        tuple(w[0] for w in words),
        tuple(w[1] for w in words),
        tuple(w[2] for w in words),
        tuple(int(w[3]) - 1 for w in words),
        tuple(w[4] for w in words),
        text,
    )


SHRED = row("Shred/shred/VERB/0/root the/the/DET/3/det files/file/NOUN/1/obj ././PUNCT/1/punct", "Shred the files.")
PLEASE = row("Please/please/INTJ/2/discourse check/check/VERB/0/root it/it/PRON/2/obj")
YOU = row("You/you/PRON/2/nsubj shred/shred/VERB/0/root them/they/PRON/2/obj ././PUNCT/2/punct")
PAST = row("Shredded/shred/VERB/0/root them/they/PRON/1/obj")
TO = row("To/to/PART/2/mark shred/shred/VERB/0/root them/they/PRON/2/obj")
WILL = row("Will/will/AUX/2/aux shred/shred/VERB/0/root them/they/PRON/2/obj")
NOUN = row("Shreds/shred/NOUN/0/root of/of/ADP/3/case paper/paper/NOUN/1/nmod")
NAME = row("Ask/ask/VERB/0/root Ana/Ana/PROPN/1/obj ././PUNCT/1/punct")


def test_an_imperative_is_a_base_form_root_verb_without_subject_auxiliary_or_marker() -> None:
    assert is_imperative(SHRED) and is_imperative(PLEASE)
    assert not any(is_imperative(r) for r in (YOU, PAST, TO, WILL, NOUN))


def test_imperatives_given_once_get_more_copies_and_repeated_ones_keep_their_weight() -> None:
    rows = [SHRED, YOU, PLEASE, NAME, NAME, NOUN]
    assert imperative_extra(rows, 2) == [SHRED, SHRED, PLEASE, PLEASE]
    assert imperative_extra(rows, 0) == []


def test_lower_case_copies_drop_the_final_period_and_keep_the_tree() -> None:
    rows = [NAME, SHRED, PLEASE]
    copies = augment(rows, 0, lower_every=1)
    by_source = {k: c for c, k in copies}
    name = by_source[0]
    assert name.forms == ("ask", "ana") and name.lemmas == ("ask", "ana")  # proper nouns lose their capital too
    assert name.heads == (-1, 0) and name.deprels == ("root", "obj") and name.upos == ("VERB", "PROPN")
    assert by_source[1].forms == ("shred", "the", "files")
    assert by_source[2].forms == ("please", "check", "it")
    assert augment([row("fix/fix/VERB/0/root it/it/PRON/1/obj")], 0, lower_every=1) == []  # nothing to change
    assert augment(rows, 0, lower_every=0) == []


def test_every_tenth_row_gets_a_lower_case_copy() -> None:
    rows = [SHRED] * 30
    lowered = [k for c, k in augment(rows, 0, lower_every=10)]
    assert lowered == [3, 13, 23]
    # the other augmentations pick other rows, so no row gets two copies
    others = [k for c, k in augment(rows, 10)]
    assert not set(others) & set(lowered)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_second_worker_gives_the_same_file() -> None:
    pytest.importorskip("numpy")
    from planner.syntax.train import train

    train_file = OWN / "train.conllu"
    if not train_file.is_file():
        pytest.skip("no corpus/syntax/")
    rows = read_conllu(train_file)[:24]
    small = Settings(tagger_epochs=1, parser_epochs=1, labeller_epochs=1, folds=2, lower_every=5, imperative_copies=1)
    one = train(rows, Settings(**{**small.__dict__, "workers": 1})).sections
    two = train(rows, Settings(**{**small.__dict__, "workers": 2})).sections
    assert one.keys() == two.keys()
    for key in one:
        a, b = one[key], two[key]
        assert (a if isinstance(a, str) else bytes(a)) == (b if isinstance(b, str) else bytes(b)), key
