# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: install run test bench messages check prod

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The compiled catalogues (.mo) are committed, so a machine without GNU gettext runs
# in Chinese too; after editing a .po file, run this (needs msgfmt).
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --no-obsolete --no-location
	$(BIN)/python manage.py compilemessages --ignore=.venv

run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --history
	$(BIN)/python manage.py runportal 127.0.0.1:8000

# Files are handed to the two workers in the order tests/conftest.py sorts them: the heavy ones
# (pytest.mark.heavy) first, longest first, so that both workers end together.
test: install
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder

bench: install
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python -m bench.run

# Structure and static checks (and a valid OpenAPI schema without warnings); .ci/run runs this
# before the tests.
check: install
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check --no-cache .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	@# Catalogues merged from parallel branches: no duplicate or malformed entry, and the committed
	@# .mo compiled from the .po as it is (needs GNU gettext; skipped where it is not installed).
	@mkdir -p var; if command -v msgfmt >/dev/null; then for po in locale/*/LC_MESSAGES/django.po; do \
	  msgfmt --check -o var/check.mo $$po && cmp -s var/check.mo $${po%.po}.mo \
	  || { echo "$$po: malformed, or its .mo is stale (make messages)"; exit 1; }; done; rm -f var/check.mo; fi
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

# The production process set on this machine (Procfile: gunicorn, Celery worker, beat) under
# honcho, with PORTAL_ENV=production: it stops at once if SECRET_KEY, ALLOWED_HOSTS,
# DATABASE_URL, REDIS_URL or SITE_URL is missing or weak (README, "Production").
prod: install
	mkdir -p var
	PORTAL_ENV=production $(BIN)/python manage.py check --deploy --fail-level ERROR
	PORTAL_ENV=production $(BIN)/python manage.py migrate --noinput
	PORTAL_ENV=production $(BIN)/python manage.py collectstatic --noinput
	PORTAL_ENV=production PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile
