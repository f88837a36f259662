#!/usr/bin/env bash
# The README's run command: installs missing packages, builds weft, and runs it with
# defaults. Until the node exists this creates a fresh identity and inspects an example
# multiaddr that carries its PeerId. Usage: tools/dev/run.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}

tools/dev/setup-debian.sh
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build"
fi
meson compile -C "$build" weft >/dev/null
weft="$build/tools/weft/weft"

keydir=$(mktemp -d)
trap 'rm -rf "$keydir"' EXIT
peer_id=$("$weft" id new --out "$keydir/identity.key")
echo "new identity: $peer_id"
"$weft" multiaddr inspect "/ip4/127.0.0.1/tcp/4001/p2p/$peer_id"
