#!/usr/bin/env bash
# Builds crcbench in release mode and writes a dated report of this machine into perf-reports/:
#   perf-reports/YYYY-MM-DD-<short commit>.{md,json,svg}
# crcbench reads the commit itself and notes uncommitted changes to Sources/ or Package.swift in the report.
# Extra arguments go to crcbench (e.g. --quick). Then replace the machine's previous report in perf-reports/README.md
# and remove its files (git keeps them).
set -euo pipefail
cd "$(dirname "$0")/.."
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
base="perf-reports/$(date -u +%F)-$commit"
lock=/tmp/swift-build.lock
flock "$lock" swift build -c release --product crcbench
.build/release/crcbench --markdown "$base.md" --json "$base.json" --svg "$base.svg" "$@"
echo "report: $base.md"
