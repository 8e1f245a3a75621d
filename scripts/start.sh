#!/usr/bin/env bash
# `npm start`: builds everything quietly (the build's output is shown only when it fails), then runs
# mcrd in the foreground, so the last start-up line is mcrd's own: where the API, /docs and
# /metrics are. Arguments go to mcrd (`npm start -- --help`).
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "npm start: building (npm run build)..."
if ! npm run build >"$log" 2>&1; then
  cat "$log" >&2
  echo "npm start: the build failed; its output is above" >&2
  exit 1
fi
rm -f "$log"
trap - EXIT
exec node apps/mcrd/dist/main.js "$@"
