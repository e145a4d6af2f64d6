# Fuhai — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format i18n check-deploy clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

## run: web + Celery worker + beat with demo data (SQLite and an embedded broker unless
##      DATABASE_URL / CELERY_BROKER_URL are set) at http://127.0.0.1:$(PORT) (8000 unless
##      `make run PORT=8001`). Ctrl-C stops all.
PORT ?= 8000
# DEBUG is off unless set (production); the demo, the catalogue and the tests run with it on.
run i18n: export DEBUG ?= true
run: $(VENV)/.runtime
	mkdir -p var/broker/processed var/broker/control
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start --port $(PORT)

## test: system packages, PostgreSQL and Redis (started if stopped), lint, the whole suite.
test: $(VENV)/.dev
	scripts/install-system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	scripts/with-services $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## i18n: refresh the zh-Hans catalogue from the source and compile it.
i18n: $(VENV)/.dev
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --no-location -i ".venv/*" -i "staticfiles/*"
	$(BIN)/python manage.py compilemessages -l zh_Hans -i ".venv"

## bench: the performance goals P1–P10 (README, "Performance") on a district generated in the
##        throwaway database fuhai_bench: 100k items in 20 communities, or `make bench SCALE=district`
##        (1M items in 110 communities). Prints one line per goal (`P6 sweep_items_per_s=… ok`), a table.
SCALE ?= default
bench: $(VENV)/.dev
	scripts/bench suite $(SCALE)

clean:
	rm -rf $(VENV) staticfiles var db.sqlite3 test-artifacts
