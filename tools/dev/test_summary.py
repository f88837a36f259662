#!/usr/bin/env python3
"""Prints "P passed, F failed" for one or more meson testlog.json files.

Counts test cases, not programs: a doctest runner contributes the counts of its
"[doctest] test cases: N | P passed | F failed | S skipped" line; a test that printed no
such line (a fuzz run, say) counts as one case, passed when its result is OK. A runner
whose result is not OK but whose doctest line shows no failure (it crashed, timed out or
leaked after its summary) counts one extra failure, so a bad run is never reported clean.
"""
import json
import re
import sys

DOCTEST = re.compile(r"\[doctest\] test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def count(path):
    passed = failed = 0
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if not line.strip():
                continue
            run = json.loads(line)
            ok = run.get("result") == "OK"
            matches = DOCTEST.findall(ANSI.sub("", run.get("stdout") or ""))
            if matches:
                _, p, f = (int(x) for x in matches[-1])
                passed += p
                failed += f
                if not ok and f == 0:
                    failed += 1
            elif ok:
                passed += 1
            else:
                failed += 1
    return passed, failed


def main(paths):
    if not paths:
        print("usage: test_summary.py testlog.json...", file=sys.stderr)
        return 2
    passed = failed = 0
    for path in paths:
        p, f = count(path)
        passed += p
        failed += f
    print(f"{passed} passed, {failed} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
