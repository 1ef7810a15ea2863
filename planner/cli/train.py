"""`planner train`: rebuild the learned models from a source checkout.

``planner train roles`` refits the role classifier from ``corpus/*.jsonl``
(scikit-learn); ``planner train syntax`` retrains the tagger, lemmatiser and
dependency parser from UD English EWT and ``corpus/syntax/`` (numpy);
``planner train steps`` refits the parser's step and order models from the
annotated tasks in ``corpus/tasks/`` (scikit-learn; never ``corpus/sealed/``).
Bare ``planner train`` does all three: roles, syntax, then steps (which read
parses made with the new syntax model).
"""

from __future__ import annotations

from pathlib import Path

import click

from planner.errors import InputError


@click.group(invoke_without_command=True)
@click.pass_context
def train(ctx: click.Context) -> None:
    """Retrain the learned models: 'roles', 'syntax', 'steps', 'patterns'; bare: all four, in that order."""
    if ctx.invoked_subcommand is None:
        click.echo("planner train: the role classifier, the syntax model, the step and order models, the pattern model")
        ctx.invoke(roles)
        ctx.invoke(syntax)
        ctx.invoke(steps)
        ctx.invoke(patterns)


@train.command()
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None, help="Corpus folder (default: corpus/ of the checkout).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Model file (default: rules/role_model.json).")
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds.")
@click.option("--dry-run", is_flag=True, help="Train and report, but do not write the model.")
def roles(corpus: Path | None, output: Path | None, folds: int, dry_run: bool) -> None:
    """Retrain the role classifier from corpus/*.jsonl and print cross-validated accuracy."""
    try:
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise InputError("planner train roles needs scikit-learn: pip install 'pattern-planner[train]'") from exc
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


@train.command()
@click.option("--treebank", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="UD English EWT folder (default: ../shared/data/ud-english-ewt beside the checkout).")
@click.option("--own", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The project's own annotated sentences (default: corpus/syntax/).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Weights file (default: rules/syntax.model).")
@click.option("--limit", type=int, default=None, help="Train on the first N treebank sentences only (quick runs, tests).")
@click.option("--epochs", type=int, default=None, help="Epochs for every model (default: the shipped settings).")
@click.option("--folds", type=int, default=None, help="Jackknife folds for the parser's training tags.")
@click.option("--dry-run", is_flag=True, help="Train and report, but do not write the weights.")
def syntax(
    treebank: Path | None,
    own: Path | None,
    output: Path | None,
    limit: int | None,
    epochs: int | None,
    folds: int | None,
    dry_run: bool,
) -> None:
    """Retrain the tagger, lemmatiser and parser, write the weights, print dev and test scores."""
    import dataclasses
    import tempfile
    import time

    try:
        import numpy  # noqa: F401
    except ImportError as exc:
        raise InputError("planner train syntax needs numpy: pip install 'pattern-planner[train]'") from exc
    from planner.syntax.conllu import read_conllu
    from planner.syntax.evaluate import score
    from planner.syntax.model import MODEL_FILE, load_model
    from planner.syntax.train import OWN, TREEBANK, Settings, check_strings, write
    from planner.syntax.train import train as fit

    bank = treebank or TREEBANK
    train_file = bank / "en_ewt-ud-train.conllu"
    if not train_file.is_file():
        raise InputError(f"no treebank at {bank}: pass --treebank (UD English EWT, CoNLL-U files)")
    own_dir = own or OWN
    settings = Settings()
    if epochs is not None:
        if epochs < 1:
            raise click.BadParameter("must be at least 1", param_hint="--epochs")
        settings = dataclasses.replace(settings, tagger_epochs=epochs, parser_epochs=epochs, labeller_epochs=epochs)
    if folds is not None:
        if folds < 2:
            raise click.BadParameter("must be at least 2", param_hint="--folds")
        settings = dataclasses.replace(settings, folds=folds)
    rows = read_conllu(train_file)
    if limit is not None:
        rows = rows[: max(1, limit)]
    own_train = own_dir / "train.conllu"
    own_rows = read_conllu(own_train) if own_train.is_file() else []
    rows = rows + own_rows * settings.own_copies
    check_strings(rows)
    click.echo(f"training on {train_file.name}{f' (first {limit})' if limit else ''}"
               f" + {len(own_rows)} own sentences x{settings.own_copies}")
    start = time.perf_counter()
    trained = fit(rows, settings, log=click.echo)
    click.echo(f"trained in {time.perf_counter() - start:.0f} s")
    from planner.resources import data_dir

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / MODEL_FILE if dry_run else output or data_dir("rules") / MODEL_FILE
        write(trained, target)
        size = target.stat().st_size
        model = load_model(target)
        if not dry_run:
            click.echo(f"wrote {target} ({size / 1024 / 1024:.2f} MB)")
        else:
            click.echo(f"weights would take {size / 1024 / 1024:.2f} MB")
        for name, path in (("dev", bank / "en_ewt-ud-dev.conllu"), ("test", bank / "en_ewt-ud-test.conllu"),
                           ("own sealed", own_dir / "sealed.conllu")):
            if path.is_file():
                click.echo(score(model, read_conllu(path), f"{name} ({path.name})").line())


@train.command()
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Annotated tasks (default: corpus/tasks/ of the checkout; corpus/sealed/ is never read).")
@click.option("--writers", default=None, help="Train on these writers only (comma-separated codes, e.g. w1,w2).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Model file (default: rules/step_model.json).")
def steps(corpus: Path | None, writers: str | None, output: Path | None) -> None:
    """Refit the parser's step and order models from the annotated corpus."""
    try:
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise InputError("planner train steps needs scikit-learn: pip install 'pattern-planner[train]'") from exc
    from planner.cli.terminal import emit
    from planner.parser.learned import MODEL_FILE
    from planner.parser.train_steps import CORPUS_TASKS, train_all
    from planner.resources import data_dir

    folder = corpus or CORPUS_TASKS
    if not folder.is_dir():
        raise InputError(f"no annotated corpus at {folder}: 'planner train steps' works from a source checkout")
    if folder.name == "sealed":
        raise InputError("corpus/sealed/ is kept for reporting and never trained on")
    target = output or data_dir("rules") / MODEL_FILE
    if output is not None:
        from planner.outfile import check_target

        check_target(output, force=True)
    chosen = tuple(x.strip() for x in writers.split(",") if x.strip()) if writers else None
    meta = train_all(folder, target, writers=chosen)
    emit(
        f"{meta['rows']} tasks by {', '.join(meta['trained_on'])}: {meta['step_examples']} step candidates, "
        f"{meta['order_examples']} step pairs; wrote {target}"
    )


@train.command()
@click.option("--writers", default=None,
              help="Train on these sources only (comma-separated: writer codes of corpus/tasks, 'advisor' for corpus/advisor).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Model file (default: rules/pattern_model.json).")
@click.option("--cross-validate", "cross", is_flag=True,
              help="Write nothing: for each writer, the accuracy of a model fitted without that writer.")
def patterns(writers: str | None, output: Path | None, cross: bool = False) -> None:
    """Refit the advisor's pattern model from the labelled tasks (corpus/tasks, corpus/advisor)."""
    try:
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise InputError("planner train patterns needs scikit-learn: pip install 'pattern-planner[train]'") from exc
    from planner.advise.learned import MODEL_FILE
    from planner.advise.train_patterns import CORPUS
    from planner.advise.train_patterns import train as fit
    from planner.cli.terminal import emit
    from planner.resources import data_dir

    if not (CORPUS / "tasks").is_dir():
        raise InputError("no corpus/tasks/: 'planner train patterns' works from a source checkout")
    chosen = tuple(x.strip() for x in writers.split(",") if x.strip()) if writers else None
    if cross:
        from planner.advise.train_patterns import cross_validate

        if output is not None:
            raise click.UsageError("--cross-validate writes no model: leave out --output")
        scores = cross_validate(CORPUS, writers=chosen)
        if not scores:
            raise InputError("no corpus writer among --writers to hold out")
        for writer, (right, total) in scores.items():
            emit(f"{writer:8} {right:4}/{total:<4} {right / total:6.1%}")
        right = sum(r for r, _ in scores.values())
        total = sum(t for _, t in scores.values())
        emit(f"{'all':8} {right:4}/{total:<4} {right / total:6.1%}  (each writer scored by a model fitted without them)")
        return
    target = output or data_dir("rules") / MODEL_FILE
    if output is not None:
        from planner.outfile import check_target

        check_target(output, force=True)
    meta = fit(CORPUS, target, writers=chosen)
    emit(f"{meta['examples']} labelled tasks ({', '.join(meta['trained_on'])}); "
         f"training accuracy {meta['training_accuracy']:.1%}; wrote {target}")
