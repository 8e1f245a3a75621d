#!/usr/bin/env bash
# Packs the workspace packages that make up an MCR install into npm tarballs in DEST (default
# packaging/tarballs): `npm install DEST/*.tgz` in an empty directory then gives `npx mcrd`.
# Needs `npm run build` and the prebuilds (scripts/prebuild.sh); @mcr/engine's prepack checks.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
dest=$(mkdir -p "${1:-$repo_root/packaging/tarballs}" && cd "${1:-$repo_root/packaging/tarballs}" && pwd)
workspaces=(@mcr/contract @mcr/model @mcr/store @mcr/engine @mcr/mcrd @mcr/mcrctl)

args=()
for workspace in "${workspaces[@]}"; do args+=(-w "$workspace"); done
cd "$repo_root"
rm -f "$dest"/mcr-*.tgz
npm pack "${args[@]}" --pack-destination "$dest" --silent >/dev/null
(cd "$dest" && ls -l mcr-*.tgz | awk '{ printf "pack: %-24s %9d bytes\n", $NF, $5 }')
