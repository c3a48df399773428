#!/usr/bin/env bash
# Bounded libFuzzer run of Tests/Fuzz/crc64_fuzz.c over the C target, with ASan and UBSan (clang).
# Every supported kernel is compared with slice16 and a bit-serial reference; streaming, combine and zero
# extension identities are checked; any mismatch abort()s. The committed seeds in Tests/Fuzz/corpus run first
# (a regression check); new inputs go to .build-fuzz/corpus (scratch), crash/timeout/leak reproducers to
# ./fuzz-artifacts/ (gitignored). Exit status non-zero on a crash or mismatch, with the reproducer printed.
#
# Environment: FUZZ_SECONDS (default 60), CLANG (default clang on PATH, e.g. the Swift toolchain's),
#              CCRC64_SRC (the C target's directory, default Sources/CCRC64), FUZZ_ARGS (extra libFuzzer flags).
set -uo pipefail
cd "$(dirname "$0")/.."

SRC=${CCRC64_SRC:-Sources/CCRC64}
SECS=${FUZZ_SECONDS:-60}
OUT=.build-fuzz
ART=fuzz-artifacts
CLANG=${CLANG:-$(command -v clang || true)}
read -r -a EXTRA <<<"${FUZZ_ARGS:-}"
LLD=()
if command -v ld.lld >/dev/null; then LLD=(-fuse-ld=lld); fi
mkdir -p "$OUT/corpus" "$ART"
T_START=$(date +%s)

printf '\n==== [1/3] build: clang -fsanitize=fuzzer,address,undefined\n'
if [ -z "$CLANG" ]; then
    echo "FAILED: clang not found (need one with libFuzzer, such as the Swift toolchain's: put its bin directory on PATH)"
    exit 1
fi
"$CLANG" --version | head -1
set -x
"$CLANG" -g -O1 -std=c11 -Wall -Wextra -Werror -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined "${LLD[@]}" \
    -I"$SRC/include" "$SRC"/*.c Tests/Fuzz/crc64_fuzz.c -o "$OUT/crc64_fuzz" || { set +x; echo "FAILED: build"; exit 1; }
{ set +x; } 2>/dev/null

printf '\n==== [2/3] fuzz for %ss (-max_len=8192), seeds: Tests/Fuzz/corpus\n' "$SECS"
marker=$(mktemp)
"$OUT/crc64_fuzz" -max_total_time="$SECS" -max_len=8192 -timeout=20 -use_value_profile=1 -print_final_stats=1 \
    -artifact_prefix="$ART/" "${EXTRA[@]}" "$OUT/corpus" Tests/Fuzz/corpus 2>&1 | tee "$OUT/fuzz.log"
rc=${PIPESTATUS[0]}

printf '\n==== [3/3] result (%s s)\n' "$(($(date +%s) - T_START))"
grep -E '^crc64_fuzz: kernels|^stat::number_of_executed_units|^stat::average_exec_per_sec|^stat::peak_rss_mb' "$OUT/fuzz.log" || true
echo "corpus: $(find "$OUT/corpus" -type f | wc -l) inputs in $OUT/corpus (scratch), $(find Tests/Fuzz/corpus -type f | wc -l) committed seeds"
mapfile -t found < <(find "$ART" -type f -newer "$marker" | sort)
rm -f "$marker"
if [ "$rc" != 0 ] || [ ${#found[@]} -ne 0 ]; then
    echo "FAILED: the fuzzer exited with status $rc"
    grep -E 'CRC64 MISMATCH|^  kernel=|^  len=|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error|SUMMARY' \
        "$OUT/fuzz.log" | head -20
    for f in "${found[@]}"; do
        echo "reproducer: $f"
        echo "  rerun:    $OUT/crc64_fuzz $f"
        echo "  minimize: $OUT/crc64_fuzz -minimize_crash=1 -runs=10000 $f"
    done
    exit 1
fi
echo "fuzzing passed: no crash or mismatch"
