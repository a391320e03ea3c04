# Civility — the two commands that matter on a fresh machine: `make serve` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8080
DATA ?= ../shared/data

.PHONY: install serve test train eval bench clean docs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

serve: install
	$(BIN)/civility db upgrade
	CIVILITY_HOST=$(HOST) CIVILITY_PORT=$(PORT) $(BIN)/civility serve

test: install
	$(BIN)/python -m pytest -q

# Rebuilds models/linear-en-1 from $(DATA) (official test splits are never used for training).
train: install
	$(BIN)/civility train linear --data-dir $(DATA)

# Evaluates the committed model on the held-out splits and prints the table (writes metrics.json and MODEL_CARD.md).
eval: install
	$(BIN)/civility eval models/linear-en-1 --data-dir $(DATA) --write-card

clean:
	rm -rf $(VENV) var .pytest_cache

# Regenerates the generated parts of the docs (a test fails when they are stale).
docs: install
	{ sed '/^| setting |/,$$d' docs/settings.md; $(BIN)/civility config --markdown; } > docs/settings.md.new && mv docs/settings.md.new docs/settings.md
