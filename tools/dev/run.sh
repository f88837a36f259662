#!/usr/bin/env bash
# The README's run command: installs missing packages, builds weft, and runs a node with
# its defaults (listening on /ip4/0.0.0.0/tcp/4001, identity in ~/.weft/identity.key,
# created on first start) until Ctrl-C. Extra arguments go to `weft node run`.
# Usage: tools/dev/run.sh [node run flags...]   (build directory: $WEFT_BUILD or build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${WEFT_BUILD:-build}

tools/dev/setup-debian.sh
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build"
fi
meson compile -C "$build" weft >/dev/null
exec "$build/tools/weft/weft" node run "$@"
