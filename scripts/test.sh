#!/usr/bin/env bash
# The whole test suite, on SQLite and PostgreSQL, after setting up what it needs.
# Lint and types first: the same commands as .pre-commit-config.yaml (tests/test_tooling.py keeps them equal).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# Two workers, a file per worker at a time: fixtures that start servers stay within one worker.
.venv/bin/python -m pytest -q -p no:cacheprovider -n 2 --dist loadfile "$@"
