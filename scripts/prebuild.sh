#!/usr/bin/env bash
# Builds every binary @mcr/engine ships (the Node-API addon, mcrgen, mcrsink) for linux-x64 and
# linux-arm64 (glibc), portable and reproducible, into libs/engine/prebuilds/<platform>-<arch>/.
# arm64 is cross-compiled with Debian's g++-aarch64-linux-gnu (scripts/setup-test-host.sh installs it).
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
prebuilds="$repo_root/libs/engine/prebuilds"
cmake_js="$repo_root/node_modules/cmake-js/bin/cmake-js"
shipped=(mcr_engine.node mcrgen mcrsink)

# Same sources, same bytes: timestamps and paths are the only build inputs that differ by machine.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$repo_root" log -1 --format=%ct 2>/dev/null || echo 0)}"
export LC_ALL=C

host_arch() {
  case "$(uname -m)" in
    x86_64) echo x64 ;;
    aarch64) echo arm64 ;;
    *) echo "prebuild: unsupported build host $(uname -m); prebuilds are made on x86-64 Debian" >&2; exit 1 ;;
  esac
}

# Cross toolchain file for a target that is not the build host ("" = native build).
toolchain_for() {
  local arch=$1
  if [ "$arch" = "$(host_arch)" ]; then echo ""; return; fi
  case "$arch" in
    arm64)
      command -v aarch64-linux-gnu-g++ >/dev/null || {
        echo "prebuild: aarch64-linux-gnu-g++ not found: apt-get install g++-aarch64-linux-gnu (scripts/setup-test-host.sh does)" >&2
        exit 1
      }
      echo "$repo_root/cmake/toolchain-aarch64-linux-gnu.cmake" ;;
    *) echo "prebuild: no cross toolchain for $arch on $(host_arch)" >&2; exit 1 ;;
  esac
}

build_one() {
  local arch=$1 toolchain out dest log
  toolchain=$(toolchain_for "$arch")
  out="$repo_root/native/build-prebuild-linux-$arch"
  dest="$prebuilds/linux-$arch"
  local args=(compile --directory "$repo_root/native" --out "$out" --arch "$arch" --CDMCR_PORTABLE=ON)
  [ -n "$toolchain" ] && args+=("--CDCMAKE_TOOLCHAIN_FILE=$toolchain")
  echo "prebuild: linux-$arch${toolchain:+ (cross: $(basename "$toolchain"))}"
  log=$(mktemp -t "mcr-prebuild-linux-$arch.XXXXXX.log")
  (cd "$repo_root/native" && node "$cmake_js" "${args[@]}" >"$log" 2>&1) || {
    tail -n 40 "$log" >&2
    echo "prebuild: linux-$arch failed; full log in $log" >&2
    exit 1
  }
  rm -f "$log"
  rm -rf "$dest"
  mkdir -p "$dest"
  for file in "${shipped[@]}"; do install -m 0755 "$out/Release/$file" "$dest/$file"; done
  (cd "$dest" && sha256sum "${shipped[@]}" >SHA256SUMS)
}

mkdir -p "$prebuilds"
for arch in x64 arm64; do build_one "$arch"; done
for arch in x64 arm64; do
  echo "prebuild: linux-$arch:"
  sed 's/^/  /' "$prebuilds/linux-$arch/SHA256SUMS"
done
