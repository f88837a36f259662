#!/usr/bin/env bash
# The README's test command: installs missing packages, builds weft (warnings are errors)
# and runs the unit and CLI tests. Ends with one line "N passed, N failed" counting test
# cases. Usage: tools/dev/test.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}

tools/dev/setup-debian.sh
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" -Dwerror=true -Dtests=enabled
fi
meson compile -C "$build"
status=0
meson test -C "$build" --suite unit --suite integration --suite cli --print-errorlogs || status=$?
python3 tools/dev/test_summary.py "$build/meson-logs/testlog.json"
exit $status
