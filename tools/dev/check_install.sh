#!/usr/bin/env bash
# Installs a build into a scratch prefix and builds examples/dial_target.cpp and
# examples/embed_minimal.cpp (two weft::Nodes in one process) against it with nothing but
# pkg-config — what an embedder does — and runs them. Usage: check_install.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --destdir "$dest" >/dev/null
prefix=$(meson introspect "$build" --buildoptions | python3 -c \
  'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
root="$dest$prefix"
for f in "$root/include/weft/multiaddr.hpp" "$root/include/weft/node.hpp" "$root/bin/weft"; do
  [ -e "$f" ] || { echo "check_install: $f was not installed" >&2; exit 1; }
done
pcdir=$(dirname "$(find "$root" -name weft.pc | head -n 1)")
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$dest"
# shellcheck disable=SC2046
c++ -std=c++20 examples/dial_target.cpp -o "$dest/dial_target" $(pkg-config --cflags --libs --static weft)
out=$("$dest/dial_target" /ip4/127.0.0.1/tcp/4001)
[ "$out" = "host 127.0.0.1 port 4001" ] || { echo "check_install: unexpected output: $out" >&2; exit 1; }
# shellcheck disable=SC2046
c++ -std=c++20 examples/embed_minimal.cpp -o "$dest/embed_minimal" $(pkg-config --cflags --libs --static weft)
out=$("$dest/embed_minimal")
[ "$out" = "reply: hello from the embedder" ] || { echo "check_install: unexpected output: $out" >&2; exit 1; }
"$root/bin/weft" --version >/dev/null
echo "check_install: headers, library, weft.pc and weft binary install and link"
