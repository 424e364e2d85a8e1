# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SYSTEM_STAMP := $(VENV)/.system-packages
# Debian packages: Pango and fonts for WeasyPrint's PDF reports; Chromium for the browser tests.
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core chromium
PO := $(wildcard src/buicasus/locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
export DJANGO_SETTINGS_MODULE := buicasus.settings
# The make targets are for development and CI; production sets SECRET_KEY and DEBUG itself.
export DEBUG ?= true

.PHONY: run test lint audit bench loadtest fuzz install messages makemessages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(SYSTEM_STAMP): $(STAMP)
	@dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q --no-install-recommends $(DEBIAN_PACKAGES); }
	touch $@

install: $(STAMP) $(SYSTEM_STAMP) $(NODE_STAMP) messages

%.mo: %.po $(STAMP)
	$(BIN)/buicasus compile-messages --quiet

messages: $(MO)

makemessages: $(STAMP)
	cd src/buicasus && ../../$(BIN)/buicasus makemessages --no-obsolete --no-location -l en -l fr -l es -l sv -l lv

run: install
	$(BIN)/buicasus migrate --no-input -v 0
	$(BIN)/buicasus search-reindex -v 0
	$(BIN)/buicasus load-reference
	$(BIN)/buicasus load-framework
	$(BIN)/buicasus load-regional-gdp --if-empty -v 0
	$(BIN)/buicasus load-demo
	@# Its matching vectors (minutes on two cores) are computed by the worker while the server runs.
	$(BIN)/buicasus load-open-data --sample
	$(BIN)/buicasus embed --queue -v 0
	@echo ""
	@echo "  BuiCaSuS is served on http://127.0.0.1:8000"
	@echo "  Demo login: admin / demo-buicasus (also coordinator-lv, editor-es, contributor-fr, viewer-se)"
	@echo "  (a background worker embeds the open-data sample for matching: var/worker.log)"
	@echo ""
	@# One background worker runs beside the server (imports, embeddings, reports…) and stops with it.
	$(BIN)/buicasus worker > $${BUICASUS_DATA_DIR:-var}/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(BIN)/buicasus serve 127.0.0.1:8000

# Each pass spreads the tests over one pytest-xdist worker per core (TEST_WORKERS=0: none);
# every worker has its own test database, named by pytest-django.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --durations=10

test: install
	$(PYTEST)
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$(TEST_POSTGRES_URL)" 2>/dev/null; then \
		echo "== PostgreSQL pass ($(TEST_POSTGRES_URL)) =="; \
		DATABASE_URL="$(TEST_POSTGRES_URL)" $(PYTEST); \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL is unreachable at $(TEST_POSTGRES_URL) and CI is set: failing."; exit 1; \
	else \
		echo "PostgreSQL pass SKIPPED: no server at $(TEST_POSTGRES_URL) (set CI=1 to make it mandatory)."; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

fuzz: install
	# The long API and import-reader fuzzing runs; `make test` runs bounded ones.
	BUICASUS_FUZZ_EXAMPLES=$${BUICASUS_FUZZ_EXAMPLES:-200} BUICASUS_FUZZ_COVERAGE=1 $(BIN)/pytest -q -p no:cacheprovider tests/api/test_fuzzing.py
	BUICASUS_READER_FUZZ_EXAMPLES=$${BUICASUS_READER_FUZZ_EXAMPLES:-2000} BUICASUS_READER_FUZZ_RANDOM=1 $(BIN)/pytest -q -p no:cacheprovider tests/importer/test_reader_fuzz.py

audit: $(STAMP)
	$(BIN)/python .ci/audit_dependencies.py

loadtest: install
	# gunicorn + locust, 50 users for 60 s, on PostgreSQL then SQLite (about 10 minutes).
	$(BIN)/python benchmarks/bench_load.py

bench: install
	@for script in $(filter-out benchmarks/bench_load.py,$(wildcard benchmarks/bench_*.py)); do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache .mypy_cache
