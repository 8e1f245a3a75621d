#!/usr/bin/env bash
# prepack/postpack of @mcr/engine: stages what the tarball carries besides dist/ and prebuilds/
# (the C++ sources, CMake files, the contract and its header generator, and README for a
# from-source install), and removes them after.
set -euo pipefail

package_root=$(cd "$(dirname "$0")/.." && pwd)
repo_root=$(cd "$package_root/../.." && pwd)
staged_list="$package_root/.staged-for-pack"

clean() {
  if [ -f "$staged_list" ]; then
    while IFS= read -r staged; do rm -rf "${package_root:?}/$staged"; done <"$staged_list"
    rm -f "$staged_list"
  fi
}

require_built() {
  [ -f "$package_root/dist/index.js" ] || { echo "stage-package: dist/ is not built: run npm run build first" >&2; exit 1; }
  # The build does this too; a plain `tsc` does not, and the tarball must not need @mcr/model or @mcr/contract.
  node "$package_root/scripts/bundle-workspace-libs.js"
  for tag in linux-x64 linux-arm64; do
    for file in mcr_engine.node mcrgen mcrsink; do
      [ -f "$package_root/prebuilds/$tag/$file" ] || {
        echo "stage-package: prebuilds/$tag/$file is missing: run scripts/prebuild.sh (npm run prebuilds) first" >&2; exit 1; }
    done
  done
}

stage_sources() {
  local native="$package_root/native"
  # Listed before copying, so --clean also removes a half-done stage.
  printf '%s\n' native cmake libs >"$staged_list"
  mkdir -p "$native" "$package_root/cmake"
  # The native build generates its contract header from these, found at ../libs/contract as in
  # the repository.
  local contract="$package_root/libs/contract"
  mkdir -p "$contract/src" "$contract/scripts"
  cp "$repo_root/libs/contract/src/contract.js" "$contract/src/"
  cp "$repo_root/libs/contract/scripts/generate-cpp-header.js" "$contract/scripts/"
  cp "$repo_root/native/CMakeLists.txt" "$native/"
  # src/ebpf: the eBPF datapath's program (*.bpf.c) and loader, built in where clang is present.
  (cd "$repo_root/native" && find src/net src/core src/binding src/compat src/ebpf tools -type f \( -name '*.cc' -o -name '*.h' -o -name '*.bpf.c' \) -print0 |
    xargs -0 cp --parents -t "$native")
  # cmake-js reads the Node-API version from package.json beside CMakeLists.txt.
  node -e '
    const manifest = require(process.argv[1]);
    const staged = { name: "@mcr/engine-native-sources", private: true, binary: manifest.binary };
    require("fs").writeFileSync(process.argv[2], JSON.stringify(staged, null, 2) + "\n");
  ' "$repo_root/native/package.json" "$native/package.json"
  find "$repo_root/cmake" -maxdepth 1 -name '*.cmake' ! -name 'toolchain-*' -exec cp -t "$package_root/cmake" {} +
  # A README written in libs/engine itself would win; otherwise ship packaging's.
  if [ ! -e "$package_root/README.md" ]; then
    cp "$repo_root/packaging/engine-README.md" "$package_root/README.md"
    echo README.md >>"$staged_list"
  fi
}

case "${1:-}" in
  --clean) clean ;;
  "") clean; require_built; stage_sources ;;
  *) echo "usage: stage-package.sh [--clean]" >&2; exit 2 ;;
esac
