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

# Debian packages the tests use: Chromium for the browser tests (never a downloaded
# browser) and LibreOffice Calc, headless, to open the workbooks silkchain writes.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT  := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
browser:
	@if [ ! -x "$(CHROMIUM)" ] || ! command -v soffice >/dev/null 2>&1; then \
	  $(SUDO) apt-get update -qq; \
	fi
	@[ -x "$(CHROMIUM)" ] || $(APT) chromium >/dev/null
	@command -v soffice >/dev/null 2>&1 || \
	  $(APT) --no-install-recommends libreoffice-calc-nogui >/dev/null

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
