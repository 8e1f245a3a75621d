#!/usr/bin/env bash
# Runs clang-format (style: .clang-format) over the C++ sources git knows of: `--check` fails on any file that
# differs, `--write` rewrites them. Build trees and installed copies of native/ are ignored by git, so never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang-format >/dev/null; then
  echo "clang-format: not installed; scripts/setup-test-host.sh installs it" >&2
  exit 1
fi
# Tracked files plus new ones not yet added, so a fresh file is checked before its first commit.
mapfile -t sources < <(git ls-files --cached --others --exclude-standard -- '*.cc' '*.cpp' '*.h' '*.hpp')

case "${1:-}" in
  --check) clang-format --dry-run -Werror "${sources[@]}" ;;
  --write) clang-format -i "${sources[@]}" ;;
  *) echo "usage: $0 --check | --write" >&2; exit 2 ;;
esac
