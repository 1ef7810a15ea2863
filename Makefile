# Two entry points matter (see README "Quick start"):
#   make suggest   runs planner suggest on an example task
#   make test      runs the whole suite (ruff, mypy, pytest)
# Both create the virtualenv and install what they need when it is missing.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The frameworks the exports target (LangGraph, CrewAI, Google ADK, the Claude
# Agent SDK) are heavy: only `make test` installs them, `make suggest` does not.
FW_STAMP := $(VENV)/.frameworks
TASK   ?= Understand this codebase: structure, conventions, build system
# Exact versions of everything installed, the ones CI tested (see `make lock`).
# Given as PIP_CONSTRAINT so they also pin the isolated build of the package.
LOCK   := constraints.txt
PIN    := PIP_CONSTRAINT="$(CURDIR)/$(LOCK)"

.PHONY: suggest test lint typecheck pytest bench eval wheel-smoke train clean system-deps lock

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIN) $(BIN)/python -m pip install --quiet --upgrade pip
	$(PIN) $(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

$(FW_STAMP): $(STAMP)
	$(PIN) $(BIN)/python -m pip install --quiet -e '.[dev,frameworks]'
	@touch $(FW_STAMP)

# Refresh constraints.txt: resolve pyproject.toml's ranges afresh in a scratch
# virtualenv and pin every package that lands in it. Commit the result once
# `make test` passes with it.
LOCK_VENV := .lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	# hatchling too: the pins also hold for the isolated build of the package itself.
	$(LOCK_VENV)/bin/python -m pip install --quiet -e '.[dev,frameworks]' hatchling
	{ echo "# Exact versions for the development environment and CI; refresh with 'make lock'."; \
	  echo "# Made with $$($(LOCK_VENV)/bin/python -V) from the ranges in pyproject.toml."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --all --exclude-editable | LC_ALL=C sort -f; } > $(LOCK).new
	@if grep -q -e '@' -e '://' $(LOCK).new; then \
	  echo "$(LOCK).new names a location instead of a version; not used"; exit 1; fi
	mv $(LOCK).new $(LOCK)
	rm -rf $(LOCK_VENV)

suggest: $(STAMP)
	$(BIN)/planner suggest "$(TASK)"

# Graphviz `dot` is used by the tests to check every DOT output; PostgreSQL
# (Debian's package: initdb and pg_ctl under /usr/lib/postgresql/<version>/bin)
# by the dbos engine's tests, which start a throwaway cluster of their own.
system-deps:
	@command -v dot >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq graphviz >/dev/null; \
	  else echo "graphviz 'dot' is missing and apt-get is unavailable; DOT tests will skip"; fi; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; \
	  else echo "PostgreSQL is missing and apt-get is unavailable; the dbos engine's PostgreSQL tests will skip"; fi; }

test: $(STAMP) $(FW_STAMP) system-deps
	$(BIN)/ruff check planner tests benchmarks
	$(BIN)/mypy
	HYPOTHESIS_PROFILE=ci $(BIN)/pytest -q -p no:cacheprovider -n auto --maxprocesses 4 --dist loadgroup

bench: $(STAMP) system-deps
	$(BIN)/python -m benchmarks

# The second line scores the syntax model (UPOS, lemma, UAS, LAS) on the
# treebank's test split and on the project's own sealed task sentences.
# Evaluation figures (never part of `make test`): the shared evaluation files
# (already tuned on: training figures), the project's annotated corpus by
# writer (corpus/sealed: writers never used to build or tune anything), and
# the syntax model on the treebank's test split and the sealed task sentences,
# and how often the suggested plan is right inside, by writer (sealed ones last,
# aggregates only).
eval: $(STAMP)
	$(BIN)/planner eval ../shared/eval
	$(BIN)/planner eval corpus/tasks
	$(BIN)/planner eval corpus/sealed
	$(BIN)/python -m benchmarks.right_inside
	$(BIN)/python -m benchmarks.right_inside --sealed
	$(BIN)/planner train patterns --cross-validate
	$(BIN)/planner eval ../shared/data/ud-english-ewt/en_ewt-ud-test.conllu corpus/syntax/sealed.conllu

# Retrains every learned model: roles, syntax (about half an hour in pure
# Python), steps and patterns (`planner train NAME` does one). The shipped step
# and order models were fitted with `planner train steps --writers w1,w2,w3,w5`
# (rules/step_model.json says so): a bare refit on every writer moves some parse
# cases the readings decide.
train: $(STAMP)
	$(BIN)/planner train

wheel-smoke: $(STAMP)
	$(BIN)/python tests/smoke_wheel.py

clean:
	rm -rf $(VENV) $(LOCK_VENV) build dist .mypy_cache .ruff_cache .pytest_cache
