# Two entry points matter (see README "Quick start"):
#   make suggest   runs planner suggest on an example task
#   make test      runs the whole suite (ruff, mypy, pytest)
# Both create the virtualenv and install what they need when it is missing.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TASK   ?= Understand this codebase: structure, conventions, build system

.PHONY: suggest test lint typecheck pytest bench eval wheel-smoke train clean system-deps

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

suggest: $(STAMP)
	$(BIN)/planner suggest "$(TASK)"

# Graphviz `dot` is used by the tests to check every DOT output.
system-deps:
	@command -v dot >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq graphviz >/dev/null; \
	  else echo "graphviz 'dot' is missing and apt-get is unavailable; DOT tests will skip"; fi; }

test: $(STAMP) system-deps
	$(BIN)/ruff check planner tests benchmarks
	$(BIN)/mypy
	HYPOTHESIS_PROFILE=ci $(BIN)/pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# The second line scores the syntax model (UPOS, lemma, UAS, LAS) on the
# treebank's test split and on the project's own sealed task sentences.
eval: $(STAMP)
	$(BIN)/planner eval ../shared/eval
	$(BIN)/planner eval ../shared/data/ud-english-ewt/en_ewt-ud-test.conllu corpus/syntax/sealed.conllu

# Retrains the role classifier and the syntax model (the latter takes about
# half an hour in pure Python; `planner train roles|syntax` does one).
train: $(STAMP)
	$(BIN)/planner train

wheel-smoke: $(STAMP)
	$(BIN)/python tests/smoke_wheel.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
