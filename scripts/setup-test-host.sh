#!/usr/bin/env bash
# Installs the Debian packages the test suites need (run by `npm test`; needs root).
# Thin glue: checks what is missing, installs only that.
set -euo pipefail

packages=(iproute2 procps util-linux binutils systemd g++ g++-aarch64-linux-gnu cmake ninja-build libgtest-dev valgrind
          clang libbpf-dev socat smcroute ethtool etcd-server etcd-client curl prometheus openssl chromium clang-format
          python3 python3-venv zsh)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup-test-host: all test packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-test-host: missing ${missing[*]}; run as root (the suites need root for network namespaces anyway)" >&2
  exit 1
fi
echo "setup-test-host: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
