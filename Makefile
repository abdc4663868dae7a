# One command runs the assistant, one runs the tests; both set up what they need.
#   make run    environments, database, model (trained if missing or stale), every process
#   make test   environments, PostgreSQL, Chromium, then lint, types, data checks and all tests

SHELL := /bin/bash
UV := .tools/bin/uv
UV_VERSION := 0.13.9
RASA := .venv-rasa/bin/rasa
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv

.PHONY: run test setup train validate check-data lint clean cluster

run: setup
	.venv/bin/python -m supervisor.launcher

test: setup
	bash scripts/test.sh

# Rasa's production shape on this machine (docs/scaling.md): REPLICAS Rasa servers and action
# servers behind nginx, Redis as the lock store, PostgreSQL for conversations and cases.
REPLICAS ?= 2
cluster: setup
	.venv/bin/python -m supervisor.cluster --replicas $(REPLICAS)

setup: $(UV) bot/web/node_modules/.package-lock.json
	@# The project's own environment: Python 3.11+, current libraries, locked.
	$(UV) sync --frozen --quiet
	@# The Rasa engine's environment: Python 3.10, Rasa 3.6.21 and its own pins, locked.
	cd engine && UV_PROJECT_ENVIRONMENT=$(CURDIR)/.venv-rasa \
		../$(UV) sync --frozen --quiet --python "$$(bash ../scripts/python310.sh)"

# The web widget (rasa-webchat) from the npm registry, as locked; again only when the lock changes.
bot/web/node_modules/.package-lock.json: bot/web/package-lock.json
	cd bot/web && npm ci --omit=peer --ignore-scripts --no-audit --no-fund --silent

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

train: setup
	.venv/bin/python -c "from training.model import ensure_model; print(ensure_model())"

validate: setup
	RASA_TELEMETRY_ENABLED=false $(RASA) data validate

# For FAQ maintainers: names exactly what is wrong with a change to data/ or domain.yml.
check-data: setup
	.venv/bin/python scripts/check_data.py --rasa

lint: setup
	.venv/bin/ruff check .
	.venv/bin/mypy

clean:
	rm -rf .tools .venv .venv-rasa models var .rasa
