"""The ``planner`` command line.

Subcommands live in their own modules and are imported only when invoked, so
``planner lint`` never pays for the advisor and nothing pays for the runner.
``main(argv) -> int`` maps errors to exit codes: 2 for user errors (one line on
stderr), 3 for internal errors (traceback with ``PLANNER_DEBUG=1``).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any

import click

from planner._version import __version__
from planner.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE

# name -> (module:attribute, one-line help shown in `planner --help`)
COMMANDS: dict[str, tuple[str, str]] = {
    "suggest": ("planner.cli.suggest:suggest", "Recommend a pattern, agents and tiers for a task."),
    "parse": ("planner.cli.parse:parse", "Show the steps and dependencies read from a task."),
    "reading": ("planner.cli.parse:reading", "Explain a parser reading (or all of them)."),
    "lint": ("planner.cli.lint:lint", "Check plan files for errors and orchestration anti-patterns."),
    "rule": ("planner.cli.lint:rule", "Explain a lint rule (or all of them)."),
    "render": ("planner.cli.render:render", "Draw a plan as a diagram, Mermaid, DOT, Markdown, YAML or JSON."),
    "run": ("planner.cli.run:run", "Execute a plan on a model backend."),
    "runs": ("planner.cli.run:runs", "List, inspect and cancel recorded runs."),
    "worker": ("planner.cli.worker:worker", "Serve dbos-engine runs with other workers (needs [dbos])."),
    "patterns": ("planner.cli.info:patterns", "List the orchestration patterns and when to use them."),
    "schema": ("planner.cli.info:schema", "Print the JSON Schema of plan files."),
    "eval": ("planner.cli.evaluate:evaluate", "Score the parser and advisor on labelled JSONL files."),
    "train": ("planner.cli.train:train", "Retrain the learned models: roles, syntax and steps (scikit-learn, numpy)."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, (target, _) in COMMANDS.items() if _available(target))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None or not _available(entry[0]):
            return None
        module_name, attr = entry[0].split(":")
        command = getattr(import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Help text comes from the table above so `--help` imports nothing.
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(target: str) -> bool:
    from importlib.util import find_spec

    module_name = target.split(":")[0]
    try:
        return find_spec(module_name) is not None
    except ModuleNotFoundError:
        return False


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="planner")
def cli() -> None:
    """Decide how to split work across LLM agents.

    \b
    planner suggest "Understand this codebase: structure, conventions, build system"
    planner lint plans/
    planner render review.plan.yaml --format mermaid

    Shell completion: eval "$(_PLANNER_COMPLETE=bash_source planner)"
    (zsh_source and fish_source work the same way).
    """


# A write that failed for reasons of the machine, not of planner: a full disk
# or quota, a file over the size limit, a device error, a read-only folder.
_ENVIRONMENT_ERRNOS = frozenset(
    getattr(errno, name)
    for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EROFS", "ENXIO")
    if hasattr(errno, name)
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    from planner import classcache

    # The command line owns its process: the value classes it imports next
    # reuse their compiled methods from earlier runs.
    classcache.install()
    code = _run(list(sys.argv[1:] if argv is None else argv))
    if argv is None:  # run as the program: the interpreter shuts down next
        _before_shutdown()
    return code


def _before_shutdown() -> None:
    """Spare the interpreter's shutdown its garbage collections.

    Shutting down, Python runs the cyclic garbage collector over every object
    still alive (the imported libraries, the rules, the syntax model), and
    more than once: about a sixth of the processor time of a whole `planner
    suggest` process, spent looking for garbage in a process about to give
    all its memory back. Frozen objects are left out of those collections;
    everything else about shutdown stays as it was (atexit handlers, flushing
    the standard streams and open files, tearing the modules down). Only for
    the program itself: called from Python, ``main`` leaves its caller's
    collector alone.
    """
    gc.freeze()


def _run(args: list[str]) -> int:
    try:
        result: Any = cli.main(args=args, prog_name="planner", standalone_mode=False)
        _flush_stdout()
    except click.exceptions.Abort:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        if getattr(exc, "stdout", False):
            _silence_stdout()  # what could not be written must not fail again at exit
        if isinstance(exc, click.UsageError):
            _show_usage_error(exc)
        else:
            _say(exc.format_message())
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Output piped into `head` and the like: not an error worth a traceback.
        _silence_stdout()
        return 0
    except OSError as exc:
        if exc.errno not in _ENVIRONMENT_ERRNOS:
            return _internal(exc)
        _silence_stdout()
        where = f"{os.fsdecode(exc.filename)}: " if exc.filename else ""
        _say(f"cannot write: {where}{exc.strerror or exc}")
        return EXIT_USAGE
    except Exception as exc:  # the last line of defence: exit 3, not a traceback
        return _internal(exc)
    return result if isinstance(result, int) else 0


def _flush_stdout() -> None:
    """Flush now, so a full disk behind ``> file`` is reported here rather than at exit."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        from planner.cli.terminal import OutputError

        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}", stdout=True) from None


def _say(message: str) -> None:
    """One line on stderr, cleaned: messages quote file names, keys and task text."""
    from planner.display import printable

    with contextlib.suppress(OSError):  # stderr itself is gone: the exit code still tells
        click.echo(f"planner: {printable(message)}", err=True)


def _show_usage_error(exc: click.UsageError) -> None:
    import io

    from planner.display import printable

    buffer = io.StringIO()
    exc.show(file=buffer)
    with contextlib.suppress(OSError):
        click.echo(printable(buffer.getvalue(), keep="\n"), err=True, nl=False)


def _internal(exc: BaseException) -> int:
    if os.environ.get("PLANNER_DEBUG"):
        import traceback  # only on this path: it costs milliseconds at every start

        traceback.print_exc()
    else:
        _say(
            f"internal error: {type(exc).__name__}: {exc} (set PLANNER_DEBUG=1 for the traceback)"
        )
    return EXIT_INTERNAL


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


__all__ = ["EXIT_USAGE", "cli", "main"]
