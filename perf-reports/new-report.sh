#!/usr/bin/env bash
# Builds crcbench in release mode and writes a dated report of this machine into perf-reports/:
#   perf-reports/YYYY-MM-DD-<short commit>.{md,json,svg}   (and .png when rsvg-convert is installed)
# crcbench reads the commit itself and notes uncommitted changes to Sources/ or Package.swift in the report.
# Extra arguments go to crcbench (e.g. --quick). Then point perf-reports/README.md's "Latest" link at the new .md.
set -euo pipefail
cd "$(dirname "$0")/.."
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
base="perf-reports/$(date -u +%F)-$commit"
lock=/tmp/swift-build.lock
flock "$lock" swift build -c release --product crcbench
.build/release/crcbench --markdown "$base.md" --json "$base.json" --svg "$base.svg" "$@"
if command -v rsvg-convert >/dev/null; then rsvg-convert "$base.svg" -o "$base.png"; fi
echo "report: $base.md"
