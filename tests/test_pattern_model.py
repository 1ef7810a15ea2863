"""The learned pattern model's inputs and its training (on a small slice of the corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.advise import suggest
from planner.advise.learned import model_from_json, pattern_features
from planner.advise.train_patterns import MIN_SOURCES, shared_words

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_the_model_weighs_the_parses_words_beside_its_structure() -> None:
    s = suggest("Benchmark three JSON libraries on our payloads, then pick the fastest one.")
    x = pattern_features(s.decision.features, s.decision.fired)
    assert "v:benchmark" in x and "v:pick" in x  # the steps' verbs
    assert {"w:library", "w:payload", "w:fast"} <= set(x)  # lemmas, not the forms written
    assert any(k.startswith("c:") for k in x)  # the readings that fired
    assert all(v == 1.0 for k, v in x.items() if k[:2] in ("c:", "v:", "w:"))


def test_only_words_several_sources_use_are_weighed() -> None:
    xs = [{"w:deploy": 1.0, "w:kiln": 1.0}, {"w:deploy": 1.0}, {"w:deploy": 1.0, "w:kiln": 1.0}, {"n:steps": 1.0}]
    sources = ["w1", "w2", "w1", "w3"]
    assert MIN_SOURCES == 3
    # "kiln" twice, but by one writer: a habit of that writer, not how people ask.
    assert shared_words(xs, sources) == set()
    assert shared_words(xs, sources, min_sources=2) == {"w:deploy"}
    assert shared_words([*xs, {"w:deploy": 1.0}], [*sources, "w3"]) == {"w:deploy"}


def _slice(tmp: Path, writers: tuple[str, ...], rows: int) -> Path:
    (tmp / "tasks").mkdir(parents=True)
    for w in writers:
        lines = (CORPUS / "tasks" / f"{w}.jsonl").read_text(encoding="utf-8").splitlines()[:rows]
        (tmp / "tasks" / f"{w}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp


def test_training_writes_a_model_that_loads_and_cross_validation_holds_each_writer_out(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from planner.advise.train_patterns import cross_validate, train

    corpus = _slice(tmp_path / "corpus", ("w1", "w2", "w3"), 25)
    out = tmp_path / "model.json"
    meta = train(corpus, out, writers=("w1", "w2", "w3"))
    model = model_from_json(json.loads(out.read_text(encoding="utf-8")))
    assert meta["trained_on"] == ["w1", "w2", "w3"] and meta["examples"] == 75
    words = [k for k in model.weights if k.startswith("w:")]
    assert words and "3 or more sources" in meta["words"]
    scores = cross_validate(corpus)
    assert set(scores) == {"w1", "w2", "w3"}
    assert all(total == 25 and 0 <= right <= total for right, total in scores.values())
    assert set(cross_validate(corpus, writers=("w2", "w3"))) == {"w2", "w3"}


def test_cross_validation_writes_no_model_so_output_is_a_usage_error(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from click.testing import CliRunner

    from planner.cli import cli

    out = tmp_path / "model.json"
    result = CliRunner().invoke(cli, ["train", "patterns", "--cross-validate", "--output", str(out)])
    assert result.exit_code == 2 and "leave out --output" in result.output
    assert not out.exists()


def test_the_weights_file_round_trips_and_a_damaged_one_is_a_clear_error() -> None:
    from planner.advise.learned import to_json
    from planner.errors import ModelError

    text = to_json(["direct", "pipeline"], {"w:deploy": [0.5, -0.25], "n:steps": [1.0, 2.0], "w:idle": [0.0, 0.0]}, [0.1, -0.1], {})
    model = model_from_json(json.loads(text))
    assert dict(model.weights) == {"n:steps": (1.0, 2.0), "w:deploy": (0.5, -0.25)}  # rows of zeros are not stored
    assert model.logits({"w:deploy": 1.0, "w:unknown": 1.0}) == pytest.approx({"direct": 0.6, "pipeline": -0.35})
    damaged = json.loads(text)
    damaged["weights"] = damaged["weights"][:-8]
    with pytest.raises(ModelError, match="corrupt"):
        model_from_json(damaged)
    damaged["weights"] = "not base64!"
    with pytest.raises(ModelError, match="corrupt"):
        model_from_json(damaged)


def test_an_overconfident_model_is_cooled_and_a_timid_one_sharpened() -> None:
    from planner.advise.train_patterns import calibration, fit_temperature

    classes = ["direct", "pipeline"]
    # Scores that say about 0.98 for the top class but are right one time in two.
    sure = [("w1", gold, classes, [4.0, 0.0]) for gold in ("direct", "pipeline") * 20]
    t = fit_temperature(sure)
    assert t > 2.0
    before, after = calibration(sure), calibration(sure, t)
    assert before[-1][0] > 0.95 and before[-1][1] == pytest.approx(0.5)
    assert abs(after[0][0] - after[0][1]) < abs(before[-1][0] - before[-1][1])
    # Right nine times in ten with scores that say only about 0.6: sharpened.
    timid = [("w2", "direct", classes, [0.4, 0.0])] * 9 + [("w2", "pipeline", classes, [0.4, 0.0])]
    assert fit_temperature(timid) < 1.0
    assert fit_temperature([]) == 1.0


def _values(task: str) -> dict[str, object]:
    return dict(suggest(task).decision.features.values)


def test_features_tell_one_step_per_item_and_a_join_from_stages_per_item() -> None:
    fanned = _values("Read the reviews of Alpha, Beta and Gamma, then summarise them in one table.")
    assert fanned["item_steps"] == 1 and fanned["fanned_in"] is True and fanned["join_combine"] is True
    assert fanned["first_gather"] is True and fanned["after_join"] == 0
    staged = _values("For each of the three mobile apps (Kite, Lark and Wren): write the release notes, translate them, then publish them.")
    assert staged["item_steps"] == 3 and staged["item_make_share"] == 1.0
    assert staged["fanned_in"] is False and staged["join_combine"] is False  # nothing waits for all three
    single = _values("Fix the typo in the footer.")
    assert single["item_steps"] == 0 and single["fanned_in"] is False and single["role_kinds"] == 1


def test_a_choice_joins_by_judging_and_a_bounded_loop_is_seen() -> None:
    chosen = _values("Sketch three logo options for the bakery and pick the best one.")
    assert chosen["join_judge"] is True and chosen["join_combine"] is False
    looped = _values("Draft the grant letter, have Mia review it, and revise it until she approves, at most three rounds.")
    assert looped["bounded_loop"] is True
    assert _values("Fix the typo in the footer.")["bounded_loop"] is False


def test_small_counts_are_model_inputs_one_by_one() -> None:
    s = suggest("Fix the typo in the footer.")
    x = pattern_features(s.decision.features, s.decision.fired)
    assert x["b:steps=1"] == 1.0 and "b:steps=2" not in x
    s = suggest("For each of the three mobile apps (Kite, Lark and Wren): write the release notes, translate them, then publish them.")
    x = pattern_features(s.decision.features, s.decision.fired)
    assert x["b:steps=4+"] == 1.0 and x["b:item_steps=3"] == 1.0
