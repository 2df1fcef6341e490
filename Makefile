# Bolyst — two commands on a fresh machine with only python3 and make:
#   make serve   creates .venv, installs, builds bolyst.db, serves Datasette on http://127.0.0.1:8001
#   make test    creates .venv, installs with test extras, runs the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= bolyst.db
PORT ?= 8001
HOST ?= 127.0.0.1

.PHONY: serve build test bench bench-100k site clean help browser check-qualcoder

help:
	@echo "make serve   build the knowledge base and serve it on http://127.0.0.1:8001 (PORT=… HOST=… to change)"
	@echo "make test    run the test suite"
	@echo "make build   (re)build $(DB) only"
	@echo "make site    write the static site to _site/"
	@echo "make bench   time the build, searches and pages, and at 1k and 10k SYNTHETIC excerpts; writes BENCHMARKS.md"
	@echo "make bench-100k   the scale part at 1k, 10k and 100k SYNTHETIC excerpts (long: tens of minutes)"
	@echo "make check-qualcoder  export $(DB) as .qdpx, open it in the real QualCoder and import QualCoder's export back"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/bolyst build --db $(DB)

serve: $(STAMP)
	$(BIN)/bolyst serve --db $(DB) --host $(HOST) --port $(PORT)

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

# Headless Chromium for the browser tests (pytest -m browser), from Debian's packages; needs root.
browser:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } || \
	  echo "make: Debian's chromium is not installed and could not be (needs root): browser tests will be skipped"

site: $(STAMP)
	$(BIN)/bolyst site build _site --db $(DB)

# The .qdpx through the real QualCoder (../shared/tools/qualcoder-check, set up as its README says) and
# QualCoder's own export back through `bolyst import`; prints the figures, fails below issue 13's bar.
QUALCODER_CHECK ?= $(firstword $(wildcard ../shared/tools/qualcoder-check/qualcoder_import.py \
                     ../../shared/tools/qualcoder-check/qualcoder_import.py))
check-qualcoder: $(STAMP)
	@test -n "$(QUALCODER_CHECK)" || { echo "make: no ../shared/tools/qualcoder-check (QualCoder check) here"; exit 2; }
	@test -f $(DB) || $(BIN)/bolyst build --db $(DB)
	$(BIN)/python tests/devtools/qualcoder_check.py --db $(DB) --check $(QUALCODER_CHECK)

bench: $(STAMP)
	$(BIN)/python -m tests.bench.run --out BENCHMARKS.md --sizes 1000,10000

bench-100k: $(STAMP)
	$(BIN)/python -m tests.bench.run --out BENCHMARKS.md --scale-only --sizes 1000,10000,100000 --runs 3

clean:
	rm -rf $(VENV) $(DB) _site build *.egg-info
