#!/usr/bin/env bash
# Set up, seed a demo repository in ./var and serve it (GraphiQL at http://127.0.0.1:8000/graphql).
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTBOX_SKIP_APT=1 bash scripts/setup.sh
exec .venv/bin/lightbox demo "$@"
