#!/usr/bin/env bash
# The side-by-side race of issue 7: the js-libp2p gossipsub anchor and `weft-bench gossip`,
# same configurations, interleaved run by run so that the machine's load weighs on both
# alike. Results: $OUT/{js,weft}/{latency,throughput}.jsonl, then the comparison table
# (`weft-bench gossip-compare`) in $OUT/comparison.md.
#
#   tools/weft-bench/gossip_race.sh [build dir, default build-bench]
#   REPS=3 OUT=/tmp/race ANCHOR=../shared/anchors/js-gossipsub tools/weft-bench/gossip_race.sh
#
# The anchor needs `npm ci` in its folder once (Node 20); this script runs it when
# node_modules is missing. Each run is bounded twice (--max-run-s inside, timeout(1) outside).
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build-bench}
BENCH="$BUILD/tools/weft-bench/weft-bench"
ANCHOR=${ANCHOR:-../shared/anchors/js-gossipsub}
REPS=${REPS:-1}
OUT=${OUT:-/tmp/weft-gossip-race-$(date -u +%Y%m%dT%H%M%SZ)}
[ -x "$BENCH" ] || { echo "no $BENCH: meson setup $BUILD -Dbench=true --buildtype=release && ninja -C $BUILD" >&2; exit 2; }
[ -f "$ANCHOR/gossip_bench.mjs" ] || { echo "no anchor at $ANCHOR (set ANCHOR=)" >&2; exit 2; }
[ -d "$ANCHOR/node_modules" ] || (cd "$ANCHOR" && npm ci --no-audit --no-fund >&2) || exit 1
mkdir -p "$OUT/js" "$OUT/weft"

run_js () {
  echo "== $(date -u +%T) js $*" >> "$OUT/stderr.log"
  (cd "$ANCHOR" && timeout -k 5 210 node gossip_bench.mjs "$@") 2>> "$OUT/stderr.log"
}
run_weft () {
  echo "== $(date -u +%T) weft $*" >> "$OUT/stderr.log"
  timeout -k 5 420 "$BENCH" gossip --max-run-s 400 "$@" 2>> "$OUT/stderr.log"
}
both () { # $1: latency | throughput; the rest: flags shared by both benchmarks
  local file=$1; shift
  run_js "$@" >> "$OUT/js/$file.jsonl"
  run_weft "$@" >> "$OUT/weft/$file.jsonl"
}

for rep in $(seq 1 "$REPS"); do
  for config in "16 1024" "32 1024" "64 1024" "64 16384"; do
    set -- $config
    both latency --nodes "$1" --size "$2" --count 200 --rate 20 --seed 1
  done
  for N in 16 32; do
    both throughput --mode throughput --nodes "$N" --size 1024 --seed 1
  done
done
"$BENCH" gossip-compare "$OUT/js" "$OUT/weft" | tee "$OUT/comparison.md"
