#!/usr/bin/env bash
# Idempotent setup on a fresh machine: Debian packages the tests need, a venv, the project.
set -euo pipefail
cd "$(dirname "$0")/.."
APT_PACKAGES="dcmtk orthanc orthanc-dicomweb chromium chromium-driver tesseract-ocr"
missing=""
for pkg in $APT_PACKAGES; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ] && [ "${LIGHTBOX_SKIP_APT:-0}" != "1" ]; then
  echo "installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq $missing >/dev/null
fi
# PostgreSQL is started before sessions and CI; start it if it is down.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
# npm packages, each installed from its lock file, and again only when the lock file changed (the stamp is a
# copy of the lock that was installed): GraphiQL's files (admin_ui/graphiql, served at GET /graphql) and
# graphql-schema-linter (tools/schema-lint, run on schema.graphql by tests/schema/test_schema_lint.py) and the
# dicomweb-client npm package the DICOMweb tests run against a live server (tests/tooling/dicomweb-js).
for dir in admin_ui/graphiql tools/schema-lint tests/tooling/dicomweb-js; do
  lock=$dir/package-lock.json
  stamp=$dir/node_modules/.lightbox-installed-lock
  if ! cmp -s "$lock" "$stamp" 2>/dev/null; then
    if command -v npm >/dev/null 2>&1; then
      npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error
      cp "$lock" "$stamp"
    else
      echo "npm not found: $dir is not installed (GET /graphql answers 503; the schema lint test fails)" >&2
    fi
  fi
done
# The DICOM viewer (admin_ui/viewer, served at /ui/viewer/): Cornerstone3D installed from its lock file
# and bundled by esbuild into admin_ui/viewer/dist/ (not committed); rebuilt only when the lock file,
# the build script or the viewer's sources changed (the stamp is their digest).
viewer=admin_ui/viewer
digest=$(cat "$viewer/package-lock.json" "$viewer/build.mjs" "$viewer"/src/*.js | sha256sum | cut -d' ' -f1)
if [ "$(cat "$viewer/dist/.lightbox-built" 2>/dev/null)" != "$digest" ]; then
  if command -v npm >/dev/null 2>&1; then
    if ! cmp -s "$viewer/package-lock.json" "$viewer/node_modules/.lightbox-installed-lock" 2>/dev/null; then
      npm ci --prefix "$viewer" --ignore-scripts --no-audit --no-fund --loglevel=error
      cp "$viewer/package-lock.json" "$viewer/node_modules/.lightbox-installed-lock"
    fi
    (cd "$viewer" && node build.mjs)
    echo "$digest" > "$viewer/dist/.lightbox-built"
  else
    echo "npm not found: the reporting room shows server-rendered images until admin_ui/viewer is built" >&2
  fi
fi
