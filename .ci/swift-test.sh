#!/usr/bin/env bash
# `swift test` that cannot pass by skipping: runs the given command (by default `swift test`), and fails unless it
# succeeds, reports a finished test run, and skips no test but those named in ALLOWED_SKIPS.
#
#   ALLOWED_SKIPS   test names (the text Swift Testing prints in `Test "NAME" skipped`), one per line, that this run
#                   may skip; every other skip is a failure. Tests skip only through .enabled(if:) / .disabled(if:)
#                   traits, which Swift Testing reports, never by returning early.
#
#   bash .ci/swift-test.sh [COMMAND...]
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- swift test
log=$(mktemp)
trap 'rm -f "$log"' EXIT

"$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Swift Testing prints `➜ Test "a whole file of more than 4 GiB" skipped: "set CRC64_LARGE_TESTS=1"` (or `skipped.`
# without a reason); a test without a display name appears as `Test name()`.
skipped=$(sed -n -E 's/^.*Test (".*"|[^ ]+) skipped(: ".*")?\.?$/\1/p' "$log" | sed 's/^"\(.*\)"$/\1/' | sort -u)
allowed=$(printf '%s\n' "${ALLOWED_SKIPS:-}" | sed '/^$/d' | sort -u)
unexpected=$(comm -23 <(printf '%s\n' "$skipped" | sed '/^$/d') <(printf '%s\n' "$allowed"))

echo
echo "---- swift-test.sh: $*"
if [ -n "$skipped" ]; then printf 'skipped: %s\n' "$skipped" | sed '2,$s/^/         /'; fi
ok=1
if [ "$status" -ne 0 ]; then echo "FAIL the test command exited with status $status"; ok=0; fi
if ! grep -Eq 'Test run with [0-9]+ tests? .*passed' "$log"; then
    echo "FAIL no 'Test run with N tests ... passed' line: the run did not finish or did not pass"
    ok=0
fi
if [ -n "$unexpected" ]; then
    echo "FAIL skipped, and not in ALLOWED_SKIPS:"
    printf '%s\n' "$unexpected" | sed 's/^/  /'
    ok=0
fi
[ $ok = 1 ] && echo "ok   passed, with $(printf '%s' "$skipped" | grep -c .) expected skips"
[ $ok = 1 ]
