#!/usr/bin/env bash
# The whole test suite, on SQLite and PostgreSQL, after setting up what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
