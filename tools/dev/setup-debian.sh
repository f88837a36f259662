#!/usr/bin/env bash
# Installs the Debian 12 packages weft needs to build, test and fuzz — only those missing,
# so a warm machine skips apt entirely. Needs root (or sudo) when something is missing.
set -euo pipefail

packages=(
  meson ninja-build pkg-config g++ clang libclang-rt-14-dev ccache python3
  libboost-dev libsodium-dev libprotobuf-dev protobuf-compiler libfmt-dev doctest-dev
  libspdlog-dev libcli11-dev libtomlplusplus-dev libsqlite3-dev libbenchmark-dev nlohmann-json3-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "weft: installing ${missing[*]}" >&2
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "weft: need root to install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
# libclang-rt-14-dev is only "recommended" by clang: name it and keep recommends on.
"${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
