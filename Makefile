# make book: build the site into _build/html.  make test: every check.
# Both make .venv and install requirements.txt first, when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: book test unit notebooks build-strict browser bench clean

$(INSTALLED): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $(INSTALLED)

book: $(INSTALLED)
	$(BIN)/jupyter-book build .
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"

# browser comes last: it reads the _build/html that build-strict just made.
test: unit notebooks build-strict browser

unit: $(INSTALLED)
	$(BIN)/python -m pytest tests --ignore=tests/notebooks --ignore=tests/browser

# nbval runs every chapter; in lax mode it compares only the outputs of cells
# tagged nbval-check-output (see the README). Prints seconds per chapter and
# fails over 900 s in total (tests/notebooks/nb_timing.py).
notebooks: $(INSTALLED)
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=300 tests/notebooks book

build-strict: $(INSTALLED)
	$(BIN)/jupyter-book build . -n -W --keep-going

# The built site in headless Chromium; skips, saying why, when Chromium is missing.
browser: $(INSTALLED)
	$(BIN)/python -m pytest tests/browser

bench: $(INSTALLED)
	cd benchmarks && ../$(BIN)/python run_all.py

clean:
	rm -rf _build
