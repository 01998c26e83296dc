# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000

.PHONY: run test lint format migration bench clean wheel-check prod-check

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

## Bring up the whole service on http://127.0.0.1:$(PORT) (SQLite + bundled Redis). Ctrl-C stops it.
run: $(VENV)/.installed
	PORT=$(PORT) $(BIN)/sar serve

## Lint, check the import layering and the types, then run the suite on SQLite, then on
## PostgreSQL too when TEST_DATABASE_URL is set.
test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	SAR_TEST_BACKEND=sqlite $(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$TEST_DATABASE_URL) =="; \
		SAR_TEST_BACKEND=postgresql $(BIN)/pytest $(PYTEST_ARGS); \
	else \
		echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## New Alembic revision from the models: make migration m="add notifications"
migration: $(VENV)/.installed
	$(BIN)/python -m sar_service.devtools.migration "$(m)"

## Build the wheel, install it in a fresh virtualenv outside the checkout, serve from it.
wheel-check:
	$(PYTHON) .ci/wheel-check

## The production topology for real: PostgreSQL, Redis, gunicorn x4, 2 workers, cron, SMTP.
prod-check: $(VENV)/.installed-test
	$(BIN)/python deploy/prod_check.py

bench: $(VENV)/.installed-test
	for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) instance .pytest_cache

## Translations (parent side): extract marked strings, update each language, compile .mo files.
BABEL_KEYWORDS := -k _l -k N_ -k lazy_gettext
CATALOGUES     := sar_service/translations

.PHONY: i18n-extract i18n-update i18n-compile
i18n-extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --sort-output --no-location --add-comments=TRANSLATORS: \
		--project="SAR Service" -o $(CATALOGUES)/messages.pot .

i18n-update: i18n-extract
	$(BIN)/pybabel update -i $(CATALOGUES)/messages.pot -d $(CATALOGUES) --no-fuzzy-matching

i18n-compile: $(VENV)/.installed
	$(BIN)/pybabel compile -d $(CATALOGUES) --statistics
