#!/usr/bin/env bash
# Builds the addon with cmake-js. cmake-js configures only a fresh build directory, so a build
# configured before clang and libbpf-dev were installed (CI: npm ci, then the setup stage) would
# keep the eBPF datapath out for good: such a build is reconfigured once they are present.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=build/CMakeCache.txt
if [ -f "$cache" ] && grep -q '^MCR_EBPF:INTERNAL=OFF' "$cache" && command -v clang >/dev/null &&
  [ -f /usr/include/bpf/libbpf.h ]; then
  echo "build-addon: clang and libbpf are here now; reconfiguring to build the eBPF datapath in"
  rm -f "$cache"
fi
exec npx --no-install cmake-js compile --out build "$@"
