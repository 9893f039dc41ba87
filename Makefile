# Larder: the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `run` needs Larder only; `test` adds the test tools and the real clients.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test test-deps lint format bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Larder needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,ldap]'
	touch $@ $(RUN_STAMP)

## run: migrate, ensure the admin user, serve on http://127.0.0.1:8000 (gunicorn + Celery)
run: $(RUN_STAMP)
	$(BIN)/larder migrate
	$(BIN)/larder createadmin
	$(BIN)/larder serve

## test-deps: the test tools, the LDAP extra (needs libldap2-dev and libsasl2-dev) and the
## real clients and servers the end-to-end tests drive (yarn, pnpm, oidc-provider)
test-deps: $(TEST_STAMP) tools/node_modules/.installed

tools/node_modules/.installed: tools/package.json tools/package-lock.json
	npm install --prefix tools --no-audit --no-fund --loglevel=error
	touch $@

## test: the whole suite against Postgres and Redis on 127.0.0.1 and real clients
test: test-deps
	$(BIN)/pytest -n 2

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(TEST_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) tools/node_modules data
