"""`planner train`: retrain the role classifier from corpus/ (source checkout, scikit-learn)."""

from __future__ import annotations

from pathlib import Path

import click

from planner.errors import InputError


@click.command()
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None, help="Corpus folder (default: corpus/ of the checkout).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Model file (default: rules/role_model.json).")
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds.")
@click.option("--dry-run", is_flag=True, help="Train and report, but do not write the model.")
def train(corpus: Path | None, output: Path | None, folds: int, dry_run: bool) -> None:
    """Retrain the role classifier from corpus/*.jsonl and print cross-validated accuracy."""
    try:
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise InputError("planner train needs scikit-learn: pip install 'pattern-planner[train]'") from exc
    from planner.cli.terminal import emit
    from planner.config import default_config
    from planner.parser.classifier import MODEL_FILE
    from planner.parser.train import CORPUS_DIR, read_corpus, write_model
    from planner.parser.train import train as fit
    from planner.resources import data_dir

    if output is not None and not dry_run:
        from planner.outfile import check_target

        check_target(output, force=True)  # before the minutes of training, not after
    examples = read_corpus(corpus or CORPUS_DIR, set(default_config().roles))
    result = fit(examples, folds=folds)
    n_features = sum(len(b["terms"]) for b in result.export["blocks"])
    emit(
        f"{len(examples)} examples, {len(result.export['labels'])} roles, {n_features} features; "
        f"{result.cv_folds}-fold cross-validated accuracy {result.cv_accuracy:.1%}"
    )
    if dry_run:
        return
    target = output or data_dir("rules") / MODEL_FILE
    write_model(result.export, target)
    emit(f"wrote {target} ({target.stat().st_size // 1024} KiB)", clean=True)
