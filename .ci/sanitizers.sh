#!/usr/bin/env bash
# The Swift test suite under AddressSanitizer and ThreadSanitizer, each in its own scratch path (.build-asan,
# .build-tsan; gitignored) so neither invalidates the normal .build. Builds first, then runs the already-built tests,
# and prints the time of each step.
#
# Environment:
#   SANITIZERS        which to run, in order (default "address thread")
#   ASAN_FILTER       `swift test --filter` for the ASan run (default: none, the whole suite)
#   TSAN_FILTER       `swift test --filter` for the TSan run (default: none, the whole suite)
#   ASAN_SKIP         `swift test --skip` regex for the ASan run (default: none); TSAN_SKIP likewise
# Tests can tell they run under a sanitizer from CRC64_SANITIZER (address or thread), exported here; the few that
# cannot mean anything there (an RSS ceiling, a timing-dependent poller) disable themselves with it, and those are
# the only skips .ci/swift-test.sh accepts here (any other skip fails the run).
# LeakSanitizer is on, with the Swift toolchain's own leaks (XCTest runner, Foundation.Process) suppressed.
#   SWIFT_LOCK        if set, every swift command runs under `flock $SWIFT_LOCK` (shared build machines)
#   SWIFT_TEST_ARGS   extra arguments for every `swift test` (e.g. --parallel)
set -uo pipefail
cd "$(dirname "$0")/.."

read -r -a EXTRA <<<"${SWIFT_TEST_ARGS:-}"
LOCK=()
if [ -n "${SWIFT_LOCK:-}" ]; then LOCK=(flock "$SWIFT_LOCK"); fi
mkdir -p .build-asan
LSAN_SUPP=$PWD/.build-asan/lsan-suppressions.txt
cat >"$LSAN_SUPP" <<'EOF'
# Leaks of the Swift toolchain's libraries, not of this package (seen with Swift 6.x on Linux).
leak:libXCTest.so
leak:libFoundation.so
EOF
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$LSAN_SUPP:print_suppressions=0}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

FAILURES=()
SUMMARY=()
T_START=$(date +%s)

timed() { # timed LABEL CMD...: runs CMD, records its duration and status
    local label=$1 t0 rc
    shift
    echo "\$ $*"
    t0=$(date +%s)
    "$@"
    rc=$?
    SUMMARY+=("$(printf '%-28s %-5s %5ss' "$label" "$([ $rc = 0 ] && echo ok || echo FAIL)" "$(($(date +%s) - t0))")")
    if [ $rc != 0 ]; then FAILURES+=("$label (exit $rc)"); fi
    return $rc
}

swift --version 2>&1 | head -1
n=0
for san in ${SANITIZERS:-address thread}; do
    n=$((n + 1))
    case $san in
    address) scratch=.build-asan filter=${ASAN_FILTER:-} skip=${ASAN_SKIP:-} ;;
    thread) scratch=.build-tsan filter=${TSAN_FILTER:-} skip=${TSAN_SKIP:-} ;;
    *) scratch=.build-$san filter= skip= ;;
    esac
    # The tests that disable themselves under a sanitizer (see above), and the > 4 GiB file unless asked for.
    allowed="peak memory does not grow with the file"
    if [ "$san" = thread ]; then allowed+=$'\n'"a file that shrinks while it is read gives an error, never a digest"; fi
    if [ "${CRC64_LARGE_TESTS:-}" != 1 ]; then allowed+=$'\n'"a whole file of more than 4 GiB"; fi
    FILTER=()
    if [ -n "$filter" ]; then FILTER+=(--filter "$filter"); fi
    if [ -n "$skip" ]; then FILTER+=(--skip "$skip"); fi
    printf '\n==== [%s] swift test --sanitize=%s --scratch-path %s%s%s\n' "$n" "$san" "$scratch" \
        "${filter:+ --filter $filter}" "${skip:+ --skip $skip}"
    if timed "build ($san)" "${LOCK[@]}" swift build --build-tests --sanitize="$san" --scratch-path "$scratch"; then
        CRC64_SANITIZER=$san ALLOWED_SKIPS=$allowed timed "test ($san)" bash .ci/swift-test.sh "${LOCK[@]}" \
            swift test --skip-build --sanitize="$san" --scratch-path "$scratch" "${FILTER[@]}" "${EXTRA[@]}"
    fi
done

printf '\n==== summary (%s s)\n' "$(($(date +%s) - T_START))"
printf '%s\n' "${SUMMARY[@]}"
if [ ${#FAILURES[@]} -ne 0 ]; then
    echo "FAILED: ${FAILURES[*]}"
    exit 1
fi
echo "sanitizer runs passed"
