#!/usr/bin/env bash
# C-level tests of Sources/CCRC64, without Swift: the kernel property suite (Tests/CDriver/crc64_driver.c) built
# straight from the C target's sources
#   1. natively with gcc and clang (-O2, full matrix), plus one --quick run per lower kernel forced by CRC64_KERNEL;
#   2. under UBSan (and ASan+UBSan) with clang, --quick; under TSan, the first-use race (--race) ten times;
#   3. cross-compiled for aarch64 (gcc -static, and clang -static) and run --quick under qemu-user three ways:
#      -cpu max (PMULL + SHA3: pmull-eor3), -cpu cortex-a57 (PMULL, no SHA3), and CRC64_KERNEL=slice16 (PMULL hidden);
#      plus --race under -cpu max, and a clang build with -fsanitize=undefined -fsanitize-trap=undefined (no runtime
#      needed) under -cpu max;
#   4. a compile-only check for arm64 macOS, arm64 iOS and x86_64 macOS against Tests/CDriver/apple-stubs.
# Runs from anywhere; installs the aarch64 cross toolchain and qemu with apt-get when missing.
#
# Environment:
#   CC                  native compiler for the main run (default gcc, else clang)
#   CLANG               clang for the sanitizer, clang and Apple builds (default: clang on PATH, e.g. the Swift toolchain's)
#   CRC64_ARM_STRICT=0  only warn (instead of fail) when qemu -cpu max / cortex-a57 do not report pmull-eor3 / pmull
#   C_TESTS_SKIP_QEMU=1 skip the aarch64 section (e.g. on a machine without apt)
#   DRIVER_ARGS         extra driver arguments for every run (e.g. "--seed 42")
#   CCRC64_SRC          the C target's directory (default Sources/CCRC64), for testing a snapshot
set -uo pipefail
cd "$(dirname "$0")/.."

SRC=${CCRC64_SRC:-Sources/CCRC64}
DRIVER=Tests/CDriver/crc64_driver.c
OUT=.build-ctests
mkdir -p "$OUT"
rm -f "$OUT"/*.log
read -r -a EXTRA <<<"${DRIVER_ARGS:-}"
CFLAGS=(-std=c11 -Wall -Wextra -Werror -I"$SRC/include")
SOURCES=("$SRC"/*.c "$DRIVER" -pthread) # -pthread: the driver's --race mode (needed before glibc 2.34)

if [ -z "${CC:-}" ]; then
    if command -v gcc >/dev/null; then CC=gcc; else CC=clang; fi
fi
CLANG=${CLANG:-$(command -v clang || true)}
LLD=()
if [ -n "$CLANG" ] && command -v ld.lld >/dev/null; then LLD=(-fuse-ld=lld); fi

# The kernels this CPU must run come from the OS's view of it (/proc/cpuinfo), which the driver compares with the
# library's own detection (--cpu-flags); an inherited CRC64_KERNEL would narrow every run.
unset CRC64_KERNEL
CPU_FLAGS=()
if [ -r /proc/cpuinfo ]; then
    CPU_FLAGS=(--cpu-flags "$(sed -n 's/^\(flags\|Features\)[[:space:]]*: *//p' /proc/cpuinfo | head -1)")
fi

SUMMARY=()
T_START=$(date +%s)
# shellcheck source=common.sh
. .ci/common.sh

logfile() { printf '%s/%s.log' "$OUT" "$(printf '%s' "$1" | tr -cs 'A-Za-z0-9=.+\n' '-' | sed 's/-$//')"; }

# run_driver NAME CMD...: runs the driver, keeps its log, records its result line and "kernels tested".
run_driver() {
    local name=$1
    shift
    local log t0 rc
    log=$(logfile "$name")
    t0=$(date +%s%N)
    echo "\$ $*"
    "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    local secs kernels
    local ms=$((($(date +%s%N) - t0) / 1000000))
    secs=$((ms / 1000)).$((ms % 1000 / 100))
    kernels=$(sed -n 's/^kernels tested: *//p' "$log" | head -1)
    local counts
    counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
    SUMMARY+=("$(printf '%-36s %-4s %6ss  %-28s kernels: %s' "$name" "$([ "$rc" = 0 ] && echo ok || echo FAIL)" "$secs" "${counts:-no result line}" "${kernels:-?}")")
    if [ "$rc" != 0 ]; then
        fail "$name (exit $rc; log $log)"
        if [ "$rc" -ge 128 ]; then echo "     (killed by signal $((rc - 128)))"; fi
    fi
    return 0
}

build() { # build NAME CMD...
    local name=$1
    shift
    echo "\$ $*"
    if ! "$@"; then
        fail "build $name"
        return 1
    fi
}

# -------------------------------------------------------------------------------------------------------------------
header "[1/6] native: $CC -O2, full matrix"
"$CC" --version | head -1
if build native-$CC "$CC" -O2 "${CFLAGS[@]}" "${SOURCES[@]}" -o "$OUT/driver-native"; then
    run_driver "native $CC (full)" "$OUT/driver-native" "${CPU_FLAGS[@]}" "${EXTRA[@]}"
fi
NATIVE_KERNELS=$(sed -n 's/^kernels tested: *//p' "$(logfile "native $CC (full)")" 2>/dev/null | head -1)

if [ -n "$CLANG" ] && [ "$(basename "$CC")" != clang ]; then
    header "[1/6] native: clang -O2, full matrix (the compiler SwiftPM uses)"
    "$CLANG" --version | head -1
    if build native-clang "$CLANG" -O2 "${CFLAGS[@]}" "${LLD[@]}" "${SOURCES[@]}" -o "$OUT/driver-clang"; then
        run_driver "native clang (full)" "$OUT/driver-clang" "${CPU_FLAGS[@]}" "${EXTRA[@]}"
    fi
fi

header "[1/6] native: CRC64_KERNEL=<each lower kernel> --quick (masking contract; combine through that kernel)"
if [ -x "$OUT/driver-native" ] && [ -n "$NATIVE_KERNELS" ]; then
    read -r -a nk <<<"$NATIVE_KERNELS"
    for k in "${nk[@]:1}"; do
        run_driver "native CRC64_KERNEL=$k (quick)" env CRC64_KERNEL="$k" "$OUT/driver-native" --quick \
            "${CPU_FLAGS[@]}" "${EXTRA[@]}"
    done
else
    fail "native kernel list unknown (native build or run failed)"
fi

# -------------------------------------------------------------------------------------------------------------------
header "[2/6] sanitizers: clang UBSan and ASan+UBSan (--quick), TSan (--race x10)"
if [ -n "$CLANG" ]; then
    SAN_COMMON=(-O1 -g -fno-omit-frame-pointer "${CFLAGS[@]}" "${LLD[@]}")
    if build ubsan "$CLANG" "${SAN_COMMON[@]}" -fsanitize=undefined -fno-sanitize-recover=undefined \
        "${SOURCES[@]}" -o "$OUT/driver-ubsan"; then
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 run_driver "ubsan (quick)" "$OUT/driver-ubsan" --quick "${EXTRA[@]}"
    fi
    if build asan "$CLANG" "${SAN_COMMON[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all \
        "${SOURCES[@]}" -o "$OUT/driver-asan"; then
        # allow_user_segv_handler: the guard-page test reports an out-of-bounds read through its own handler.
        ASAN_OPTIONS=allow_user_segv_handler=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
            run_driver "asan+ubsan (quick)" "$OUT/driver-asan" --quick "${EXTRA[@]}"
    fi
    # The Swift toolchain's TSan runtime carries libdispatch interceptors: link its libdispatch when present.
    TSAN_LIBS=()
    swift_libs="$(dirname "$CLANG")/../lib/swift/linux"
    if [ -e "$swift_libs/libdispatch.so" ]; then
        TSAN_LIBS=(-L"$swift_libs" -Wl,-rpath,"$swift_libs" -ldispatch -lBlocksRuntime)
    fi
    if build tsan "$CLANG" "${SAN_COMMON[@]}" -fsanitize=thread -pthread "${SOURCES[@]}" "${TSAN_LIBS[@]}" \
        -o "$OUT/driver-tsan"; then
        race_ok=1
        for i in 1 2 3 4 5 6 7 8 9 10; do
            if ! TSAN_OPTIONS=halt_on_error=1 "$OUT/driver-tsan" --race >"$OUT/tsan-race-$i.out" 2>&1; then
                race_ok=0
                cat "$OUT/tsan-race-$i.out"
                fail "tsan --race (run $i; log $OUT/tsan-race-$i.out)"
                break
            fi
        done
        tail -2 "$OUT/tsan-race-1.out"
        SUMMARY+=("$(printf '%-36s %-4s %6s   %s' "tsan first-use race (x10)" "$([ $race_ok = 1 ] && echo ok || echo FAIL)" "" "$(tail -1 "$OUT/tsan-race-1.out")")")
    fi
else
    fail "no clang found for the sanitizer builds"
fi

# -------------------------------------------------------------------------------------------------------------------
header "[3/6] aarch64: cross-compiled, static, under qemu-user (--quick)"
if [ "${C_TESTS_SKIP_QEMU:-0}" = 1 ]; then
    echo "skipped (C_TESTS_SKIP_QEMU=1)"
    SUMMARY+=("aarch64/qemu: SKIPPED (C_TESTS_SKIP_QEMU=1)")
else
    QEMU=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
    if ! command -v aarch64-linux-gnu-gcc >/dev/null || [ -z "$QEMU" ] ||
        [ ! -e /usr/aarch64-linux-gnu/include/stdio.h ]; then
        apt_install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
        QEMU=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
    fi
    if command -v aarch64-linux-gnu-gcc >/dev/null && [ -n "$QEMU" ]; then
        aarch64-linux-gnu-gcc --version | head -1
        "$QEMU" --version | head -1
        if [ "${CRC64_ARM_STRICT:-1}" = 1 ]; then WANT=--expect; else WANT=--want; fi
        if build aarch64-gcc aarch64-linux-gnu-gcc -O2 -static "${CFLAGS[@]}" "${SOURCES[@]}" -o "$OUT/driver-aarch64"; then
            run_driver "qemu -cpu max (gcc)" "$QEMU" -cpu max "$OUT/driver-aarch64" --quick \
                $WANT pmull-eor3,pmull "${EXTRA[@]}"
            run_driver "qemu -cpu cortex-a57 (gcc)" "$QEMU" -cpu cortex-a57 "$OUT/driver-aarch64" --quick \
                $WANT pmull --absent pmull-eor3 "${EXTRA[@]}"
            run_driver "qemu -cpu max CRC64_KERNEL=slice16" env CRC64_KERNEL=slice16 "$QEMU" -cpu max \
                "$OUT/driver-aarch64" --quick --absent pmull-eor3,pmull "${EXTRA[@]}"
            run_driver "qemu -cpu max --race" "$QEMU" -cpu max "$OUT/driver-aarch64" --race
        fi
        # SwiftPM builds the C target with clang: run its aarch64 code generation too (links with the gcc cross
        # toolchain's libc and binutils).
        if [ -n "$CLANG" ]; then
            if build aarch64-clang "$CLANG" --target=aarch64-linux-gnu -O2 -static "${CFLAGS[@]}" "${SOURCES[@]}" \
                -o "$OUT/driver-aarch64-clang"; then
                run_driver "qemu -cpu max (clang)" "$QEMU" -cpu max "$OUT/driver-aarch64-clang" --quick \
                    $WANT pmull-eor3,pmull "${EXTRA[@]}"
                run_driver "qemu -cpu cortex-a57 (clang)" "$QEMU" -cpu cortex-a57 "$OUT/driver-aarch64-clang" --quick \
                    $WANT pmull --absent pmull-eor3 "${EXTRA[@]}"
            fi
            # UB checks in the aarch64 code: trapping UBSan needs no runtime library (a trap shows as SIGILL).
            if build aarch64-clang-ubsan "$CLANG" --target=aarch64-linux-gnu -O1 -static -fsanitize=undefined \
                -fsanitize-trap=undefined "${CFLAGS[@]}" "${SOURCES[@]}" -o "$OUT/driver-aarch64-ubsan"; then
                run_driver "qemu -cpu max (clang, UBSan trap)" "$QEMU" -cpu max "$OUT/driver-aarch64-ubsan" --quick \
                    "${EXTRA[@]}"
            fi
        fi
    else
        fail "aarch64 cross toolchain or qemu-user not available"
    fi
fi

# -------------------------------------------------------------------------------------------------------------------
header "[4/6] big-endian: s390x cross-compiled, static, under qemu-user (--quick)"
# The portable kernel must be right on a big-endian host too; s390x is the big-endian Linux that qemu-user and
# Debian's cross compilers both serve. Only slice16 runs there (the SIMD families compile out).
if [ "${C_TESTS_SKIP_QEMU:-0}" = 1 ]; then
    echo "skipped (C_TESTS_SKIP_QEMU=1)"
    SUMMARY+=("s390x/qemu: SKIPPED (C_TESTS_SKIP_QEMU=1)")
else
    if ! command -v s390x-linux-gnu-gcc >/dev/null || ! command -v qemu-s390x-static >/dev/null ||
        [ ! -e /usr/s390x-linux-gnu/include/stdio.h ]; then
        apt_install gcc-s390x-linux-gnu libc6-dev-s390x-cross qemu-user-static
    fi
    if command -v s390x-linux-gnu-gcc >/dev/null && command -v qemu-s390x-static >/dev/null; then
        if build s390x-gcc s390x-linux-gnu-gcc -O2 -static "${CFLAGS[@]}" "${SOURCES[@]}" -o "$OUT/driver-s390x"; then
            run_driver "qemu-s390x (big-endian)" qemu-s390x-static "$OUT/driver-s390x" --quick --expect slice16 \
                "${EXTRA[@]}"
        fi
    else
        fail "s390x cross toolchain or qemu-user not available"
    fi
fi

# -------------------------------------------------------------------------------------------------------------------
header "[5/6] compile-only: arm64 macOS, arm64 iOS and x86_64 macOS (clang -fsyntax-only)"
# There is no macOS SDK on this machine. -nostdlibinc drops the host's libc headers, keeping clang's own resource
# headers (stdint/stddef/stdbool/stdatomic/arm_neon/immintrin/cpuid), which are the real ones for the target, and
# Tests/CDriver/apple-stubs supplies only the SDK declarations our sources use (string.h, stdlib.h, stdio.h,
# sys/sysctl.h). This checks our code on the Apple targets — the __APPLE__ branches, target attributes, intrinsics,
# -Wall -Wextra -Werror — but not the SDK's headers themselves, and nothing is linked or run.
if [ -n "$CLANG" ]; then
    for target in arm64-apple-macosx11.0 arm64-apple-ios13.0 x86_64-apple-macosx10.13; do
        ok=1
        for f in "$SRC"/*.c; do
            if ! "$CLANG" --target=$target -fsyntax-only "${CFLAGS[@]}" -nostdlibinc \
                -isystem Tests/CDriver/apple-stubs "$f"; then
                ok=0
                fail "compile-only $target: $f"
            fi
        done
        SUMMARY+=("$(printf '%-36s %s' "syntax $target" "$([ $ok = 1 ] && echo ok || echo FAIL)")")
        [ $ok = 1 ] && echo "$target: ok"
    done
else
    fail "no clang found for the Apple compile-only check"
fi

# -------------------------------------------------------------------------------------------------------------------
header "[6/6] summary ($(($(date +%s) - T_START)) s)"
printf '%s\n' "${SUMMARY[@]}"
if [ ${#FAILURES[@]} -ne 0 ]; then
    echo
    echo "FAILED (${#FAILURES[@]}):"
    printf '  - %s\n' "${FAILURES[@]}"
    echo "logs: $OUT/*.log (every FAIL line carries the seed; rerun with DRIVER_ARGS=\"--seed N\")"
    exit 1
fi
echo "all C tests passed"
