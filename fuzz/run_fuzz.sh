#!/usr/bin/env bash
# run_fuzz.sh TARGET SEED_DIR WORK_DIR SECONDS [LIBFUZZER_FLAG...]
# Runs a libFuzzer target for SECONDS over the seed corpus (read-only) and a work corpus
# in the build directory (where new inputs go), with any extra libFuzzer flags given.
# Exits non-zero on any crash, leak or sanitizer report; the reproducer is left in
# WORK_DIR/../crash-*.
set -euo pipefail
target=$1 seeds=$2 work=$3 seconds=$4
shift 4
mkdir -p "$work"
cd "$(dirname "$work")"
exec "$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 "$@" "$work" "$seeds"
