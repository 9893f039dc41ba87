# Larder: the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-deps lint format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

## run: migrate, ensure the admin user, serve on http://127.0.0.1:8000 (gunicorn + Celery)
run: $(STAMP)
	$(BIN)/larder migrate
	$(BIN)/larder createadmin
	$(BIN)/larder serve

## test-deps: the real clients the end-to-end tests drive (yarn, pnpm; Playwright's driver)
test-deps: $(STAMP) tools/node_modules/.installed

tools/node_modules/.installed: tools/package.json
	npm install --prefix tools --no-audit --no-fund --loglevel=error
	touch $@

## test: the whole suite against Postgres and Redis on 127.0.0.1 and real clients
test: test-deps
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) tools/node_modules data
