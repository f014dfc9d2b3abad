# Dialog CMS. Two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
export PYTHONDONTWRITEBYTECODE := 1
# Services started by infra/dev/*.sh; DATABASE_URL / ELASTICSEARCH_URL
# point at external servers instead.
PG_PORT ?= 54329
export DATABASE_URL ?= postgres://dialog:dialog@127.0.0.1:$(PG_PORT)/dialog
# Search uses Elasticsearch (infra/dev/elasticsearch.sh) when Java is present,
# otherwise PostgreSQL full-text search (docs/search.md).
ES_PORT ?= 9201
ES_LOCAL_URL := http://127.0.0.1:$(ES_PORT)
# The shared cache of production (Redis), for the tests of it.
REDIS_PORT ?= 63799
export DIALOG_TEST_REDIS_URL ?= redis://127.0.0.1:$(REDIS_PORT)/0
ifneq ($(shell command -v java 2>/dev/null),)
export ELASTICSEARCH_URL ?= $(ES_LOCAL_URL)
endif

.PHONY: demo test test-standalone check lint format services stop bench venv serve worker

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.lock
	@touch $@

services: venv
	@if [ -z "$$DIALOG_EXTERNAL_DB" ]; then bash infra/dev/postgres.sh start; fi
	@if [ "$$DIALOG_TEST_REDIS_URL" = "redis://127.0.0.1:$(REDIS_PORT)/0" ]; then \
	  REDIS_PORT=$(REDIS_PORT) bash infra/dev/redis.sh start >/dev/null; fi
	@if [ "$$ELASTICSEARCH_URL" = "$(ES_LOCAL_URL)" ]; then \
	  ELASTICSEARCH_PORT=$(ES_PORT) bash infra/dev/elasticsearch.sh start >/dev/null; fi

stop:
	-bash infra/dev/postgres.sh stop
	-bash infra/dev/elasticsearch.sh stop
	-REDIS_PORT=$(REDIS_PORT) bash infra/dev/redis.sh stop

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Quality gates that CI runs before the tests.
check: lint services
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=cms.settings.production DJANGO_SECRET_KEY=ci-dummy-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
	  DJANGO_ALLOWED_HOSTS=.example.org $(MANAGE) check --deploy --fail-level WARNING

test: check
	$(VENV)/bin/pytest
	$(MAKE) test-standalone

# The plugin alone: programmes/tests in a plain single-site Wagtail project
# (no django-tenants; its own database: <DIALOG_TEST_DB or test_dialog>_standalone).
test-standalone: services
	$(VENV)/bin/pytest -p no:cacheprovider --ds=tests.standalone.settings programmes/tests -q

demo: services
	DJANGO_SETTINGS_MODULE=cms.settings.dev bash infra/dev/demo.sh

serve: services
	$(MANAGE) runserver 127.0.0.1:8000

# Background tasks of every city and queue (search indexing, text extraction).
worker: services
	$(MANAGE) db_worker --queue-name '*'

bench: services
	$(PY) bench/provisioning.py --n 10
