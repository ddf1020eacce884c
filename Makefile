# The two commands a newcomer needs: `make run` and `make test`.
# Each sets up what is missing (system packages, the virtual environment) first.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS ?=

.PHONY: run test bench bytecode screenshots system-deps system-deps-screenshots clean

run: system-deps $(STAMP) bytecode
	$(PY) main.py $(ARGS)

test: system-deps $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(ARGS)

bench: system-deps $(STAMP) bytecode
	QT_QPA_PLATFORM=offscreen $(PY) -m bench $(ARGS)

# Compile the kiosk's own modules as an installed kiosk has them (pip does this for its
# packages); without it every start recompiles them, ~80 ms (PYTHONDONTWRITEBYTECODE or not).
bytecode:
	$(PY) -m compileall -q -j 0 kiosk ui main.py

screenshots: system-deps-screenshots $(STAMP)
	scripts/screenshots.sh

system-deps:
	@scripts/system-deps.sh run

system-deps-screenshots:
	@scripts/system-deps.sh screenshots

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
