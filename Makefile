# The two commands a newcomer needs: `make run` and `make test`.
# Each sets up what is missing (system packages, the virtual environment) first.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS ?=
# Interface strings (Qt's translation system). The staff area stays English: not translated.
UI_SOURCES := $(filter-out ui/staff/%,$(wildcard ui/*.py ui/*/*.py))
TS := assets/i18n/kiosk_es.ts
QM := $(TS:.ts=.qm)

.PHONY: run test faults sign-content bench bench-peers bytecode translations screenshots system-deps system-deps-test system-deps-screenshots system-deps-peers clean

run: system-deps $(STAMP) $(QM) bytecode
	$(PY) main.py $(ARGS)

test: system-deps-test $(STAMP) $(QM)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(ARGS)

# The fault-injection suite with its heavy trial counts (200 kill -9s, 100 speech-worker
# kills, ...); it prints what it measured. `make test` runs the same tests with a few each.
faults: system-deps-test $(STAMP) $(QM)
	FAULT_TRIALS=full QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/faults -p no:cacheprovider $(ARGS)

# The fleet benchmark starts a PostgreSQL server of its own: the test packages have it.
bench: system-deps-test $(STAMP) $(QM) bytecode
	QT_QPA_PLATFORM=offscreen $(PY) -m bench $(ARGS)

# The peers `make bench` compares the kiosk's start and memory with: Debian's Chromium (run
# as --kiosk on Xvfb, on the same topic as HTML). The bare PySide6 window needs nothing more.
bench-peers: system-deps-peers bench

# Compile the kiosk's own modules as an installed kiosk has them (pip does this for its
# packages); without it every start recompiles them, ~80 ms (PYTHONDONTWRITEBYTECODE or not).
bytecode:
	$(PY) -m compileall -q -j 0 kiosk ui main.py

# After adding or changing a self.tr() string: collect it into the .ts (translations kept,
# strings no longer in the code dropped), then translate it there (tests fail until then).
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $(UI_SOURCES) -ts $(TS) -source-language en -target-language es -no-obsolete

# The compiled translation the kiosk loads (not committed): rebuilt whenever the .ts changes.
$(QM): $(TS) | $(STAMP)
	$(VENV)/bin/pyside6-lrelease $(TS) -qm $@

# After changing anything in content/: sign it again (tests fail until then). The key is a
# development key kept out of git; a machine without it makes a new pair and ships the new
# public half in assets/. Clinics sign their own bundles with their own key.
DEV_KEY_DIR := build/dev-content-key
sign-content: $(STAMP)
	test -f $(DEV_KEY_DIR)/content-signing.key || $(PY) main.py content keygen --output $(DEV_KEY_DIR)
	$(PY) -c "import sys; from kiosk.content.bundle import load_private_key, public_key_text; print(public_key_text(load_private_key(__import__('pathlib').Path(sys.argv[1]))))" $(DEV_KEY_DIR)/content-signing.key > assets/content-signing.pub
	$(PY) main.py content sign content --key $(DEV_KEY_DIR)/content-signing.key

screenshots: system-deps-screenshots $(STAMP)
	scripts/screenshots.sh

system-deps:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

system-deps-screenshots:
	@scripts/system-deps.sh screenshots

system-deps-peers:
	@scripts/system-deps.sh peers

# A venv without pip (ensurepip was missing when it was made) is made again, not reused.
# The dev tools come at the exact versions of constraints-dev.txt.
$(STAMP): pyproject.toml constraints-dev.txt | system-deps
	test -x $(VENV)/bin/pip || $(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints-dev.txt -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
