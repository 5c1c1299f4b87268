# The README's commands. Each target sets up what it needs first (see scripts/setup.sh),
# so `make serve` and `make test` work on a fresh clone.

VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help setup setup-test serve build test check lint figures figures-preview facts lock clean audit bench publish format new-page

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: ## Install the Python dependencies and Graphviz
	@bash scripts/setup.sh site

setup-test: ## Install everything `make test` needs (adds Chromium)
	@bash scripts/setup.sh test

serve: setup ## Serve the site with live reload on http://127.0.0.1:8000/nutshell/
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: setup ## Build the site into site/ and fail on any warning
	$(BIN)/mkdocs build --strict

figures: setup ## Render the figures into .cache/ (no site build)
	$(BIN)/python -m figure_pipeline render

figures-preview: setup-test ## PNGs of every figure, light + dark, at 688 and 390 px, before/after vs main (ARGS=--against REF)
	$(BIN)/python scripts/figures_preview.py $(ARGS)

test: setup-test ## Run the whole test suite
	$(BIN)/pytest $(PYTEST_ARGS)

check: setup-test ## Lint plus the tests for what changed since main (under a minute); then make test
	$(BIN)/python scripts/check.py

new-page: setup ## Scaffold a page, its figure and nav entry: SECTION=kubernetes NAME=operators TITLE="..."
	@$(BIN)/python scripts/new_page.py --section "$(SECTION)" --name "$(NAME)" --title "$(TITLE)"

facts: setup ## List the volatile facts (data/facts.yml) with their age (ARGS="--stale 90" for the old ones)
	$(BIN)/python scripts/facts.py $(ARGS)

lint: setup-test ## The pre-commit hooks (ruff, mypy --strict, codespell, Markdown, YAML, file hygiene), actionlint and zizmor
	$(BIN)/pytest -q -p no:cacheprovider tests/test_lint.py tests/test_workflows.py

format: setup ## Fix Python formatting and the lint findings ruff can fix
	$(BIN)/ruff format src tests tools diagrams scripts
	$(BIN)/ruff check --fix src tests tools diagrams scripts

VERSION ?= dev
publish: ## Publish VERSION (dev, or an edition vYYYY.MM) into the local gh-pages branch; never pushes
	@bash scripts/publish.sh --check "$(VERSION)"
	@$(MAKE) --no-print-directory build
	@bash scripts/publish.sh "$(VERSION)"

lock: setup ## Refresh requirements.lock after editing pyproject.toml
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --all-extras --universal --python-version 3.10 \
		--generate-hashes --no-header -o requirements.lock

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf site .cache .pytest_cache .ruff_cache figures-preview

audit: setup-test ## Lighthouse (mobile), ours vs stock Material paired per page (ARGS="--runs 5 --page glossary/ --lcp --variant no-abbr")
	cd tools/audit && { [ -d node_modules/lighthouse ] || npm ci --no-audit --no-fund; }
	$(BIN)/python -m tools.audit $(ARGS)

bench: setup-test ## Time builds against a no-pipeline floor, mkdocs-diagrams and at scale (ARGS=--quick|--record)
	$(BIN)/python -m tools.bench $(ARGS)
