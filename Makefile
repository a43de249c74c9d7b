# Schéma des services aux familles — publication pipeline (any project laid out like this one).
# `make` sets itself up (virtual environment from pyproject.toml) and builds build/;
# `make test` runs the tests. `make help` lists every target. Whether build/ is out of date
# is decided by the pipeline from the inputs themselves (pipeline/inputs.py), not by timestamps.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.DELETE_ON_ERROR:
.PHONY: all help setup check build test lint bench clean system-deps extraits signatures \
	edition verify-edition relecture preview exemple-suivi site donnees

all: build ## Build every publication into build/ (default)

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

setup: $(STAMP) ## Create the virtual environment and install dependencies

system-deps: ## Check (and, as root, install) the system libraries WeasyPrint and tests need
	@sh tools/system-deps.sh

check: $(STAMP) ## Validate content/ without rendering (fast; spelling and consistency warnings)
	$(PY) -m pipeline check

preview: $(STAMP) ## Live preview on http://127.0.0.1:8000/ (PORT=… to change), reloaded on every edit
	$(PY) -m pipeline preview $(if $(PORT),--port $(PORT))

relecture: $(STAMP) ## The editorial committee's review pack: build/relecture/relecture.pdf
	$(PY) -m pipeline relecture

build: $(STAMP) ## Build the publications (the pipeline skips it when no input changed; FORCE=1 rebuilds)
	@$(PY) -m pipeline build $(if $(FORCE),--force)

test: build ## Run the test suite (builds first)
	$(PY) -m pytest

bench: build ## Time a bare WeasyPrint render against our builds (ratio-core, ratio-all)
	$(PY) tools/bench.py

extraits: build ## Build the axis and pilot extracts (with everything else)

signatures: build ## Build the standalone signature page (with everything else)

exemple-suivi: $(STAMP) ## Build the fictional worked example of fiches and bilans (examples/suivi/build/)
	@$(PY) -m pipeline build --root examples/suivi $(if $(FORCE),--force)

site: build ## The web edition build/site/ (with everything else); open it: python -m http.server -d build/site

donnees: build ## The open data build/donnees/ (with everything else)

edition: $(STAMP) ## Build the archival edition named in content/edition.yml (build/editions/<version>/)
	$(PY) -m pipeline edition

verify-edition: $(STAMP) ## Verify an archived edition: make verify-edition [VERSION=1.0]
	$(PY) -m pipeline verify-edition $(if $(VERSION),--version $(VERSION))

lint: $(STAMP) ## ruff and mypy
	$(VENV)/bin/ruff check pipeline tests
	$(VENV)/bin/mypy

clean: ## Remove build/ but its archived editions (and keep the virtual environment)
	@if [ -d build ]; then find build -mindepth 1 -maxdepth 1 ! -name editions -exec rm -rf {} +; fi
