# Two commands set everything up on a fresh machine with Python 3.11:
#   make demo   creates .venv, installs silkchain, runs the main job on the bundled data
#   make test   the same set-up with the test extras, then the whole suite
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
OUT    ?= results
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test lint bench clean browser

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[all]"
	touch $@

$(TSTAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP) $@

# Debian's Chromium for the browser tests (never a downloaded browser).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  fi; \
	fi

demo: $(STAMP)
	$(VENV)/bin/silkchain report wiod2013 --group bri64 --output $(OUT)

test: $(TSTAMP) browser
	$(PY) -m pytest -n 2 -q

lint: $(TSTAMP)
	$(VENV)/bin/ruff check src tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build src/*.egg-info
