# The Hub's front door: `make run` and `make test` work from a fresh clone.
# Python: the first 3.12+ that runs, the lock files' own 3.12 first. pyenv's shims are on
# PATH even for versions it has not activated (they then fail), so each candidate is run,
# and pyenv's installed versions are tried after PATH. PYTHON=... overrides.
ifndef PYTHON
PYTHON := $(or $(shell for python in python3.12 python3.13 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
	$$python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& command -v $$python && break; done),python3)
endif
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
NPM_STAMP := node_modules/.installed

.PHONY: run serve varnish worker bench bench-mixed wrk test test-django6 lint format migrate \
	demo browser clean messages lock screenshot fonts

# Installs the pinned, hash-checked versions in the lock files. Re-runs only when a
# lock file changes, so a second `make run` installs nothing.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "The Hub needs Python 3.12 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)

# A .venv made before the move to 3.12 would install the locks into the wrong Python.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	@$(BIN)/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "$(VENV) runs Python < 3.12: `make clean`, then try again")'
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# After editing requirements.txt or requirements-dev.txt: pin the new versions, with hashes.
# The pins are resolved for the Python that runs pip-compile: the production one, 3.12.
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links
lock: $(VENV)/.installed-dev
	@$(BIN)/python -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else "Lock under Python 3.12: make clean lock PYTHON=python3.12")'
	$(PIP_COMPILE) -o requirements.lock requirements.txt
	$(PIP_COMPILE) -o requirements-dev.lock requirements-dev.txt
	$(PIP_COMPILE) -o requirements-django6.lock requirements-django6.txt

# The HTML validator (vnu-jar, run on Java) for the test suite.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The headline serif, Source Serif 4 (SIL Open Font License), from npm's @fontsource
# package: its Latin subset (English, Spanish, French, German) at one weight, copied into
# static/ with its licence. The copies are committed, so `make run` needs no npm; run
# this after changing the package's version in package.json.
FONT_DIR := node_modules/@fontsource/source-serif-4
fonts: $(NPM_STAMP)
	cp $(FONT_DIR)/files/source-serif-4-latin-600-normal.woff2 static/fonts/
	cp $(FONT_DIR)/LICENSE static/fonts/source-serif-4-OFL.txt

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput

# Tasks run at once here too: the demo's pictures get their sizes as they are drawn.
demo: migrate
	HUB_TASKS_IMMEDIATE="$${HUB_TASKS_IMMEDIATE:-on}" $(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_superuser

# Links in emails sent outside a request (newsletter digests) point at this server.
# Background tasks (emails) run at once, in the server, so there is no worker to start;
# HUB_TASKS_IMMEDIATE=off queues them for `make worker` instead, as production does.
run: demo
	DJANGO_BASE_URL="$${DJANGO_BASE_URL:-http://127.0.0.1:$(PORT)}" \
		HUB_TASKS_IMMEDIATE="$${HUB_TASKS_IMMEDIATE:-on}" \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production profile on this machine: PostgreSQL, Redis, gunicorn and the task
# worker (see bin/serve; SERVE_PORT, WORKERS, DATABASE_URL, REDIS_URL override).
serve: $(VENV)/.installed varnish
	bin/serve

# Debian's Varnish with the xkey module, the HTTP cache in front of `make serve`.
varnish:
	@ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish varnish-modules >/dev/null) \
		|| echo "Could not install varnish: the proxy tests will be skipped."

# The background worker: sends queued emails and runs digest batches until stopped.
worker: migrate
	DJANGO_BASE_URL="$${DJANGO_BASE_URL:-http://127.0.0.1:$(PORT)}" \
		$(BIN)/python manage.py db_worker

# Load figures against a bare WSGI app (docs/performance.md), and the mixed minute.
wrk:
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
bench: $(VENV)/.installed wrk
	$(BIN)/python bench/load.py
bench-mixed: $(VENV)/.installed
	$(BIN)/python bench/mixed.py

# Debian's chromium for the browser tests; Playwright cannot download browsers here.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
				|| echo "Could not install chromium: browser tests will be skipped."; \
		else \
			echo "No /usr/bin/chromium and no root apt-get: browser tests will be skipped."; \
		fi; \
	fi

# Lighthouse times the pages on this machine's CPU, so it runs alone, after the rest
# (exit 5 is pytest's "no test selected", when PYTEST_ARGS picks other tests).
test: $(VENV)/.installed-dev $(NPM_STAMP) browser varnish
	$(BIN)/python -m pytest -n auto -m "not lighthouse" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m lighthouse $(PYTEST_ARGS) || [ $$? -eq 5 ]

# The suite on the next Django, before an upgrade finds what breaks: a second venv with
# requirements-dev.lock's pins and Django 6.0 from requirements-django6.lock, on SQLite.
# The browser and Lighthouse tests are left out: they drive our own templates, scripts
# and CSS, which `make test` covers, and would double the job's time.
VENV6 := .venv-django6
$(VENV6)/.installed: requirements-dev.lock requirements-django6.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Django 6 needs Python 3.12 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV6)
	$(VENV6)/bin/python -m pip install --quiet --upgrade pip
	$(VENV6)/bin/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(VENV6)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements-django6.lock
	$(VENV6)/bin/python -m pip check
	touch $@

test-django6: $(VENV6)/.installed $(NPM_STAMP)
	env -u DATABASE_URL $(VENV6)/bin/python -m pytest -n auto -m "not browser and not lighthouse" \
		$(PYTEST_ARGS)

# The README's picture of an article page (docs/screenshots/article.png), from the demo.
screenshot: $(VENV)/.installed-dev browser
	HUB_README_SCREENSHOT=docs/screenshots/article.png \
		$(BIN)/python -m pytest -p no:xdist -q tests/browser/test_readme_screenshot.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the translation catalogues after changing interface strings, translate
# the new entries in locale/*/LC_MESSAGES/django.po, then compile (the .mo files
# are committed, so a fresh clone needs no gettext tools).
MAKEMESSAGES := makemessages -l es -l fr -l de --ignore=.venv --ignore=node_modules \
	--ignore=tests --ignore=bench --ignore=var --ignore=$(VENV6)
messages: $(VENV)/.installed
	$(BIN)/python manage.py $(MAKEMESSAGES)
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=$(VENV6)

clean:
	rm -rf $(VENV) $(VENV6) node_modules var
