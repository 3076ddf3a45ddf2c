# Two commands from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUM := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
RUN_STAMP := $(VENV)/.installed-run-$(SUM)
TEST_STAMP := $(VENV)/.installed-test-$(SUM)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: messages run test install install-run migrate seed lint format bench clean venia venia-serve

# Running needs only the project's dependencies; the test extras (pytest, Playwright, ruff...)
# are installed by `make test`/`make install`.
$(RUN_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	rm -f $(VENV)/.installed-*
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

install-run: $(RUN_STAMP)

install: $(TEST_STAMP)

# The storefront's translations (locale/*/django.po) compiled to .mo (not committed).
messages: install-run
	$(PY) -m shop.translations

migrate: install-run messages
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install messages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) -m bench

# Magento's Venia PWA (issue 19), packed from npm and built against this shop in build/venia/
# (see scripts/venia.sh); venia-serve runs its UPWARD server, proxying /graphql and /media to
# the shop at VENIA_BACKEND (default: this Makefile's HOST:PORT).
VENIA_PORT ?= 8090
VENIA_BACKEND ?=
venia: install-run
	PY=$(PY) VENIA_BACKEND=$(VENIA_BACKEND) scripts/venia.sh

venia-serve:
	cd build/venia/app && MAGENTO_BACKEND_URL=$(or $(VENIA_BACKEND),http://$(HOST):$(PORT)/) \
	  STAGING_SERVER_HOST=127.0.0.1 STAGING_SERVER_PORT=$(VENIA_PORT) npx buildpack serve .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
