#!/usr/bin/env bash
# Creates the Python virtual environment of the API fuzzing (.venv-fuzz, schemathesis from PyPI at
# the version pinned in scripts/fuzz/requirements.txt). Run by `npm test` before the fuzz stage;
# does nothing when the environment already matches the pinned requirements.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-fuzz
requirements=scripts/fuzz/requirements.txt
# A copy of the requirements the environment was built from: a changed pin rebuilds it.
stamp=$venv/requirements.installed

if [ -x "$venv/bin/schemathesis" ] && cmp -s "$requirements" "$stamp"; then
  echo "setup-fuzz: $venv is current"
  exit 0
fi
echo "setup-fuzz: creating $venv from $requirements"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
cp "$requirements" "$stamp"
"$venv/bin/schemathesis" --version
