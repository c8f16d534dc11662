# Plain runner for Emergence Atlas. `make site` builds the site, `make test` runs every test.
# Both set up a virtual environment in .venv first (Python 3.11+).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export NO_MKDOCS_2_WARNING := 1

.PHONY: setup site site-zensical docs serve serve-zensical test test-fast check lint schema export clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

site: $(STAMP)  ## build the static site into build/site
	$(BIN)/mkdocs build --strict

docs: $(STAMP)  ## assemble build/docs (hand-written + generated pages) and its config build/docs.yml, for engines without plugins
	$(BIN)/emergence-atlas docs build/docs

site-zensical: docs  ## build the same site with Zensical from build/docs into build/docs-site
	$(BIN)/zensical build --strict -f build/docs.yml

serve-zensical: docs  ## live preview with Zensical: docs --watch keeps build/docs current while zensical serves it
	$(BIN)/emergence-atlas docs build/docs --watch & watcher=$$!; \
	trap 'kill -INT $$watcher 2>/dev/null' EXIT INT TERM; \
	$(BIN)/zensical serve -f build/docs.yml

serve: $(STAMP)  ## live preview on http://127.0.0.1:8000/emergence-atlas/ (the path of site_url; dev_addr in mkdocs.yml)
	$(BIN)/mkdocs serve

# Tests run in parallel, one worker per CPU (pytest-xdist); the files that share the built site
# run in one worker, so the site is built once (see tests/conftest.py).
PYTEST_PARALLEL := -n auto --dist loadfile

test: $(STAMP)  ## type check, style check, then every test (browser tests need Debian's chromium)
	$(BIN)/python -m mypy
	$(BIN)/python -m ruff check
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

test-fast: $(STAMP)  ## the edit-test loop: every test that builds no site, wheel or venv and drives no browser
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not slow and not browser"

check: $(STAMP)  ## only the type and style checks (strict mypy on the package, ruff)
	$(BIN)/python -m mypy
	$(BIN)/python -m ruff check

lint: $(STAMP)
	$(BIN)/emergence-atlas lint

schema: $(STAMP)
	$(BIN)/emergence-atlas schema

export: $(STAMP)
	mkdir -p build/export
	$(BIN)/emergence-atlas export --format json -o build/export/catalog.json
	$(BIN)/emergence-atlas export --format csv -o build/export/catalog.csv
	$(BIN)/emergence-atlas export --format curves-json -o build/export/curves.json
	$(BIN)/emergence-atlas export --format curves-csv -o build/export/curves.csv
	$(BIN)/emergence-atlas export --format bibtex -o build/export/references.bib

clean:
	rm -rf build dist .pytest_cache
