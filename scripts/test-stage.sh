#!/usr/bin/env bash
# Runs one stage of `npm test` (a name, then its command) and prints how long it took, passed or failed,
# so a slow or broken stage is visible in a CI log without reading timestamps. Exits with the command's status.
set -uo pipefail

name=$1
shift
echo "==> stage ${name}: $*"
start=$(date +%s%N)
"$@"
status=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
seconds=$(printf '%d.%01d' $((elapsed / 1000)) $((elapsed % 1000 / 100)))
if [ "$status" -eq 0 ]; then
  echo "<== stage ${name}: passed in ${seconds} s"
else
  echo "<== stage ${name}: FAILED (exit ${status}) after ${seconds} s"
fi
exit "$status"
