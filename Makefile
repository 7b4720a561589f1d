# make book: build the site into _build/html.  make test: every check.
# Both make .venv and install requirements.txt first, when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: book test unit notebooks build-strict bench clean

$(INSTALLED): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $(INSTALLED)

book: $(INSTALLED)
	$(BIN)/jupyter-book build .
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"

test: unit notebooks build-strict

unit: $(INSTALLED)
	$(BIN)/python -m pytest tests --ignore=tests/notebooks

notebooks: $(INSTALLED)
	$(BIN)/python -m pytest tests/notebooks book

build-strict: $(INSTALLED)
	$(BIN)/jupyter-book build . -n -W --keep-going

bench: $(INSTALLED)
	cd benchmarks && ../$(BIN)/python run_all.py

clean:
	rm -rf _build
