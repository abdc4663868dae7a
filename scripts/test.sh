#!/usr/bin/env bash
# The whole test suite, as `make test` runs it (after `make setup`).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k lost_passport`.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1

step() { printf '\n=== %s (%ss)\n' "$*" "$SECONDS"; }

step "services: PostgreSQL"
TEST_POSTGRES_URL="$(bash scripts/postgres.sh)"
export TEST_POSTGRES_URL REQUIRE_POSTGRES=1

step "lint and types"
.venv/bin/ruff check .
.venv/bin/mypy

step "training data (make check-data: rasa data validate + the maintainers' checks)"
.venv/bin/python scripts/check_data.py --rasa

step "model"
# The data was validated one step above: Rasa's own check before training is skipped.
.venv/bin/python -c "import logging; logging.basicConfig(level=logging.INFO); from training.model import ensure_model; ensure_model(validate=False)"

step "test stories"
model=$(.venv/bin/python -c "from training.model import model_path; print(model_path())")
.venv-rasa/bin/rasa test core --model "$model" --stories tests/stories \
  --fail-on-prediction-errors --out test-artifacts/stories

step "services: Chromium for the browser tests"
bash scripts/chromium.sh
export REQUIRE_BROWSER=1

step "pytest"
# The slowest tests, so that a slower suite shows where the time went.
.venv/bin/pytest --durations=15 "$@"
step "done"
