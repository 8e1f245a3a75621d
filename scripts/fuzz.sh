#!/usr/bin/env bash
# Fuzzes mcrd from its committed OpenAPI document (apps/mcrd/openapi.json): schemathesis runs every
# operation, all checks on, with a fixed seed, against a real mcrd (built dist, real engine) that
# this script starts on loopback with both tokens set and a file store in a temporary directory.
# Exits non-zero on any failure. Usage: scripts/fuzz.sh [examples per operation, default 250].
# `npm test` runs the default (about 65 s on 2 cores, 4,500 requests); `npm run fuzz` runs 1000.
#
# Everything happens in a private network namespace (unshare --net, needs root): the relays the
# fuzzer creates on its own veth pairs cannot meet any other run's traffic or ports, and the
# namespace, its interfaces and the temporary store go away with the script.
set -euo pipefail
cd "$(dirname "$0")/.."

examples=${1:-250}
if [ -z "${MCR_FUZZ_IN_NETNS:-}" ]; then
  exec unshare --net env MCR_FUZZ_IN_NETNS=1 bash "$0" "$@"
fi
ip link set lo up
# The interfaces the document's examples name, so example relays are created (201) and the
# stateful phase can follow their ids into GET, PUT and DELETE.
ip link add eth0 type veth peer name eth1
ip link add wg0 type veth peer name wg0-peer
for interface in eth0 eth1 wg0 wg0-peer; do ip link set "$interface" up; done

port=8080
url="http://127.0.0.1:${port}"
work=$(mktemp -d)
write_token="fuzz-write-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
read_token="fuzz-read-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

MCR_HTTP_HOST=127.0.0.1 MCR_HTTP_PORT=$port MCR_STORE="file:${work}/relays.json" \
  MCR_API_TOKEN="$write_token" MCR_API_TOKEN_READ="$read_token" MCR_LOG_LEVEL=warn \
  node apps/mcrd/dist/main.js >"${work}/mcrd.log" 2>&1 &
mcrd=$!
cleanup() {
  kill "$mcrd" 2>/dev/null || true
  wait "$mcrd" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 100); do
  curl -fsS "${url}/readyz" >/dev/null 2>&1 && break
  kill -0 "$mcrd" 2>/dev/null || { cat "${work}/mcrd.log" >&2; echo "fuzz: mcrd did not start" >&2; exit 1; }
  sleep 0.2
done

status=0
.venv-fuzz/bin/schemathesis --config-file scripts/fuzz/schemathesis.toml run apps/mcrd/openapi.json \
  --url "$url" --checks all --seed 14 --max-examples "$examples" \
  --header "Authorization: Bearer ${write_token}" || status=$?
if [ "$status" -ne 0 ]; then
  echo "fuzz: failed; the last lines of mcrd's log:" >&2
  tail -n 40 "${work}/mcrd.log" >&2
fi
exit "$status"
