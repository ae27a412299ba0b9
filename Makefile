# Developer commands for khuyencong. `make help` lists them. Everything runs in .venv, which
# `make setup` creates with a Python >= 3.12 it finds by itself. DATABASE_URL and REDIS_URL pass
# through from the environment: without them the demo runs on SQLite with Celery tasks in-process.

.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
ARGS ?=
HOST ?= 127.0.0.1:8000

# Dummy but valid values for `manage.py check --deploy` with the production settings (not secrets).
DEPLOY_CHECK_ENV := DJANGO_SETTINGS_MODULE=khuyencong.settings.production \
	SECRET_KEY=deploy-check-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCD \
	DATABASE_URL=postgres://x@127.0.0.1/x \
	REDIS_URL=redis://127.0.0.1:6379/0 \
	ALLOWED_HOSTS=example.gov.vn \
	EMAIL_HOST=smtp.example.gov.vn

.PHONY: help setup demo test lint check worker beat lock clean

help: ## List the targets
	@echo "Usage: make <target>   (DATABASE_URL / REDIS_URL from the environment are used if set)"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: ## Create/update .venv (Python >= 3.12, pinned dependencies); fast when nothing changed
	@scripts/setup

demo: setup ## Migrate, load reference and demo data, run the site at http://127.0.0.1:8000
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference
	$(MANAGE) seed_demo
	$(MANAGE) runserver $(HOST)

test: setup ## Run the whole test suite (options via ARGS, e.g. make test ARGS="-x -k health")
	@$(VENV)/bin/pytest $(ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests; that is a failure." >&2; fi; \
	exit $$status

lint: setup ## Ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: setup ## Django system checks, missing migrations, production deploy checks
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_CHECK_ENV) $(MANAGE) check --deploy --fail-level WARNING

worker: setup ## Celery worker (needs REDIS_URL; without it tasks already run in-process)
	@test -n "$$REDIS_URL" || { echo "make worker: set REDIS_URL (e.g. redis://127.0.0.1:6379/0)." >&2; exit 1; }
	$(VENV)/bin/celery -A khuyencong worker -l info

beat: setup ## Celery beat, the scheduler of periodic tasks (needs REDIS_URL)
	@test -n "$$REDIS_URL" || { echo "make beat: set REDIS_URL (e.g. redis://127.0.0.1:6379/0)." >&2; exit 1; }
	@mkdir -p var
	$(VENV)/bin/celery -A khuyencong beat -l info --schedule var/celerybeat-schedule

lock: ## Re-resolve pyproject.toml in a throwaway venv and rewrite requirements.lock
	@set -euo pipefail; \
	python="$$(scripts/setup --print-python)"; \
	tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	echo "lock: resolving with $$python"; \
	"$$python" -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet --upgrade pip; \
	"$$tmp/venv/bin/python" -m pip install --quiet -e ".[dev]"; \
	{ echo '# Pinned versions of every dependency, used as pip constraints (pip install -c requirements.lock). Regenerate with `make lock` after changing pyproject.toml.'; \
	  "$$tmp/venv/bin/python" -m pip freeze --exclude-editable; } >"$$tmp/requirements.lock"; \
	mv "$$tmp/requirements.lock" requirements.lock; \
	echo "lock: requirements.lock rewritten; run make setup to install it."

clean: ## Remove .venv, caches and collected static files (keeps db.sqlite3)
	rm -rf $(VENV) staticfiles .ruff_cache .pytest_cache *.egg-info var/test-media var/celerybeat-schedule*
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

# locale/vi holds only Vietnamese for Django's own strings, kept by hand: `makemessages -l vi`
# would mark all of it obsolete (none of those msgids is in our sources), so it is not run.
messages:  ## Regenerate and compile the translations (English, and Vietnamese overrides of Django's own)
	.venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=demo --ignore=staticfiles
	.venv/bin/python manage.py compilemessages --ignore=.venv
