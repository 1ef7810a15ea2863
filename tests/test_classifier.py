"""The run-time role classifier reproduces scikit-learn exactly, without importing it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.parser.classifier import char_wb_ngrams, classify_role, load_model, word_ngrams


def test_ngrams_match_documented_behaviour() -> None:
    assert word_ngrams("fix the bug", (1, 2)) == ["fix", "the", "bug", "fix the", "the bug"]
    # Words shorter than the n-gram size count once, padded with spaces.
    assert char_wb_ngrams("ab", (3, 5)) == [" ab", "ab ", " ab "]
    assert char_wb_ngrams("a", (3, 5)) == [" a "]


def test_shipped_model_loads_and_predicts_known_roles() -> None:
    model = load_model()
    assert model is not None
    from planner.config import default_config

    assert set(model.labels) <= set(default_config().roles)
    assert classify_role("") is None
    assert classify_role("...") is None
    assert classify_role("write unit tests for the parser") in model.labels


def test_runtime_import_does_not_load_sklearn() -> None:
    code = (
        "import sys; from planner.parser import parse; "
        "parse('Review the history and write the tests'); "
        "from planner.parser.classifier import classify_role; classify_role('draft a memo'); "
        "print('sklearn' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.slow
def test_runtime_predictions_equal_sklearn_on_whole_corpus() -> None:
    pytest.importorskip("sklearn")
    from planner.parser.classifier import model_from_dict
    from planner.parser.train import CORPUS_DIR, read_corpus, train

    if not CORPUS_DIR.is_dir():
        pytest.skip("no corpus/ (an installed package ships only the model)")
    examples = read_corpus()
    result = train(examples, folds=0)
    texts = [e.text for e in examples]
    expected = [str(p) for p in result.pipeline.predict(texts)]
    runtime = model_from_dict(result.export)
    assert [runtime.predict(t) for t in texts] == expected
    # Decision values agree too, not just the winning label.
    import numpy as np

    decision = result.pipeline.decision_function(texts[:50])
    ours = np.array([runtime.scores(t) for t in texts[:50]])
    assert np.allclose(decision, ours, atol=1e-9)
    # The shipped file is the model this corpus trains (retrain with `planner train`).
    shipped = load_model()
    assert shipped is not None
    assert [shipped.predict(t) for t in texts] == expected


def test_read_corpus_rejects_bad_rows(tmp_path: Path) -> None:
    from planner.errors import InputError
    from planner.parser.train import read_corpus

    (tmp_path / "a.jsonl").write_text('{"text": "fix it", "role": "implement"}\n{"text": "x"}\n')
    with pytest.raises(InputError, match=r"a\.jsonl:2"):
        read_corpus(tmp_path)
    (tmp_path / "a.jsonl").write_text('{"text": "fix it", "role": "wizard"}\n')
    with pytest.raises(InputError, match="unknown role"):
        read_corpus(tmp_path, {"implement"})
    with pytest.raises(InputError, match="source checkout"):
        read_corpus(tmp_path / "missing")


@pytest.mark.slow
def test_train_command_dry_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("sklearn")
    from planner.cli import main

    rows = [
        ("find the config file", "explore"), ("search the logs", "explore"), ("read the docs", "explore"),
        ("fix the bug", "implement"), ("add the button", "implement"), ("build the job", "implement"),
        ("review the patch", "review"), ("proofread the post", "review"), ("check my pull request", "review"),
    ]
    (tmp_path / "c.jsonl").write_text("".join(json.dumps({"text": t, "role": r}) + "\n" for t, r in rows))
    out = tmp_path / "model.json"
    assert main(["train", "roles", "--corpus", str(tmp_path), "--output", str(out), "--folds", "3"]) == 0
    assert "cross-validated accuracy" in capsys.readouterr().out
    from planner.parser.classifier import model_from_dict

    model = model_from_dict(json.loads(out.read_text()))
    assert set(model.labels) == {"explore", "implement", "review"}
