#!/usr/bin/env bash
# libcrc64 on Windows x86_64, proven the one way this machine can: mingw-w64 cross builds run under Wine, which runs
# them on this very CPU.
#   1. setup: mingw-w64, Wine and cmake, a fresh WINEPREFIX, and the CMake configuration for Windows, whose tests
#      expect the kernels that /proc/cpuinfo allows, as every run below does (the driver's --cpu-flags);
#   2. the C driver (Tests/CDriver) built with x86_64-w64-mingw32-gcc and with clang for x86_64-w64-mingw32: the full
#      matrix with every kernel this CPU has (guard pages from VirtualAlloc/VirtualProtect included), each of those
#      kernels forced through CRC64_KERNEL (--quick, gcc), and the first-use race on Win32 threads;
#   3. the guard pages trap: two scratch builds that read one byte past either end of the caller's buffer must be
#      stopped by the guard-page test, reported as an access violation, with exit status 1;
#   4. CMake: libcrc64.dll, libcrc64.dll.a and libcrc64.a; ctest under Wine (CMAKE_CROSSCOMPILING_EMULATOR); install;
#      the DLL exports exactly crc64.h's functions (objdump -p) and imports only system DLLs, the static library's
#      global symbols are all libcrc64_* (nm);
#   5. examples/c against the installed DLL through find_package(crc64), run under Wine; a consumer of the installed
#      package's crc64::crc64_static target, which must carry LIBCRC64_STATIC (crc64::crc64 carries nothing);
#   6. compile only: the MSVC code paths (clang for x86_64-pc-windows-msvc with __clang__ undefined, so that it takes
#      MSVC's branch, against Tests/CDriver/msvc-stubs) and clang-cl's, and Windows on arm64 (clang for
#      aarch64-w64-mingw32 with mingw-w64's headers: objects only, no aarch64 Windows runtime to link or run).
# Runs from anywhere; installs what it needs with apt-get. Environment: CLANG (default: clang on PATH, e.g. the Swift
# toolchain's).
set -uo pipefail
cd "$(dirname "$0")/.."

ROOT=$PWD
OUT=$ROOT/.build-windows
rm -rf "$OUT"
mkdir -p "$OUT"
CLANG=${CLANG:-$(command -v clang || true)}
T_START=$(date +%s)
SUMMARY=()
# shellcheck source=common.sh
. .ci/common.sh
unset CRC64_KERNEL # the unforced runs must dispatch as the CPU allows
MINGW=x86_64-w64-mingw32
CFLAGS=(-O2 -std=c11 -Wall -Wextra -Werror -ISources/CCRC64/include)
# The driver links the library's sources in: a static use, so crc64.h must not declare them dllimport.
DRIVER=(-DLIBCRC64_STATIC Sources/CCRC64/*.c Tests/CDriver/crc64_driver.c)

# -------------------------------------------------------------------------------------------------------------------
header "[1/6] setup: mingw-w64, Wine, a fresh WINEPREFIX, the CMake configuration"
find_wine() {
    local w
    for w in /usr/lib/wine/wine64 "$(command -v wine64)" "$(command -v wine)"; do
        [ -x "$w" ] && echo "$w" && return
    done
}
WINE=$(find_wine)
if ! command -v $MINGW-gcc >/dev/null || [ -z "$WINE" ] || ! command -v cmake >/dev/null; then
    apt_install gcc-mingw-w64-x86-64 wine64 cmake
    WINE=$(find_wine)
fi
if ! command -v $MINGW-gcc >/dev/null || [ -z "$WINE" ]; then
    fail "mingw-w64 or Wine is not available"
    exit 1
fi
$MINGW-gcc --version | head -1
echo "wine: $WINE ($("$WINE" --version))"
cmake --version | head -1
export WINEPREFIX=$OUT/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" # no Mono or Gecko prompts
t0=$(date +%s)
run "$WINE" wineboot -i
"$(dirname "$WINE")/wineserver" -w 2>/dev/null || true
echo "WINEPREFIX $WINEPREFIX made in $(($(date +%s) - t0)) s"

# wine_wrapper NAME EXE: a script $OUT/NAME that runs EXE under Wine with Unix line ends, keeping its exit status.
wine_wrapper() {
    cat >"$OUT/$1" <<EOF
#!/usr/bin/env bash
"$WINE" "$2" "\$@" 2> >(tr -d '\r' >&2) | tr -d '\r'
exit "\${PIPESTATUS[0]}"
EOF
    chmod +x "$OUT/$1"
}

B=$OUT/cmake
run cmake -S . -B "$B" -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/$MINGW.cmake" -DCMAKE_CROSSCOMPILING_EMULATOR="$WINE" \
    >"$OUT/cmake-configure.log" || cat "$OUT/cmake-configure.log"
grep 'libcrc64' "$OUT/cmake-configure.log"
# What each run must find comes from the OS's view of this CPU, which the driver compares with the library's own
# detection (--cpu-flags): Wine runs the Windows build on this very CPU. An inherited CRC64_KERNEL would narrow it.
unset CRC64_KERNEL
CPU_FLAGS=$(sed -n 's/^flags[[:space:]]*: *//p' /proc/cpuinfo | head -1)
[ -n "$CPU_FLAGS" ] || fail "no flags line in /proc/cpuinfo"
grep -q "the tests expect the kernels that /proc/cpuinfo's features allow" "$OUT/cmake-configure.log" ||
    fail "the CMake configuration does not give ctest this CPU's features (see $OUT/cmake-configure.log)"

# run_wine NAME [VAR=VALUE...] -- EXE ARGS...: one driver run under Wine, logged; its result line goes to the summary.
run_wine() {
    local name=$1 log rc t0 env=()
    shift
    while [ "$1" != -- ]; do env+=("$1"); shift; done
    shift
    log=$OUT/$(printf '%s' "$name" | tr -cs 'A-Za-z0-9=.+\n' '-').log
    echo "\$ ${env[*]}${env[*]:+ }wine $*"
    t0=$(date +%s)
    env "${env[@]}" "$WINE" "$@" 2>&1 | tr -d '\r' >"$log"
    rc=${PIPESTATUS[0]}
    tail -8 "$log"
    SUMMARY+=("$(printf '%-34s %-4s %4ss  %-26s kernels: %s' "$name" "$([ "$rc" = 0 ] && echo ok || echo FAIL)" \
        "$(($(date +%s) - t0))" "$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)" \
        "$(sed -n 's/^kernels tested: *//p' "$log" | head -1)")")
    [ "$rc" = 0 ] || fail "$name (exit $rc; log $log)"
}

# -------------------------------------------------------------------------------------------------------------------
header "[2/6] the C driver under Wine: full matrix (gcc, clang), every kernel forced (--quick), first-use race"
LLD=()
if [ -n "$CLANG" ] && command -v ld.lld >/dev/null; then LLD=(-fuse-ld=lld); fi
run $MINGW-gcc "${CFLAGS[@]}" "${DRIVER[@]}" -o "$OUT/driver-gcc.exe" &&
    run_wine "driver gcc (full)" -- "$OUT/driver-gcc.exe" --cpu-flags "$CPU_FLAGS"
if [ -n "$CLANG" ]; then
    "$CLANG" --version | head -1
    run "$CLANG" --target=$MINGW "${LLD[@]}" "${CFLAGS[@]}" "${DRIVER[@]}" -o "$OUT/driver-clang.exe" &&
        run_wine "driver clang (full)" -- "$OUT/driver-clang.exe" --cpu-flags "$CPU_FLAGS"
else
    fail "no clang found for the clang build"
fi
if [ -e "$OUT/driver-gcc.exe" ]; then
    # Every kernel this CPU runs, forced in turn: the driver checks that it runs and the ones above it are masked.
    read -r -a SUPPORTED < <("$WINE" "$OUT/driver-gcc.exe" --list-kernels | tr -d '\r' |
        awk -F'\t' '$2 == "supported" { printf "%s ", $1 }')
    echo "this CPU runs: ${SUPPORTED[*]}"
    [ ${#SUPPORTED[@]} -ge 2 ] || fail "the driver lists fewer than two supported kernels: ${SUPPORTED[*]}"
    for k in "${SUPPORTED[@]}"; do
        run_wine "driver CRC64_KERNEL=$k (quick)" CRC64_KERNEL="$k" -- "$OUT/driver-gcc.exe" --quick \
            --cpu-flags "$CPU_FLAGS"
    done
    for i in 1 2 3 4 5; do run_wine "driver --race (run $i)" -- "$OUT/driver-gcc.exe" --race; done
fi

# -------------------------------------------------------------------------------------------------------------------
header "[3/6] the guard pages trap: a read one byte outside the buffer is reported and fails the run"
# A scratch copy of the library whose libcrc64_update_kernel (what the guard-page test calls) also reads the byte at
# buf[len] or buf[-1]. The earlier sections' buffers have slack around them, so the first fault is the guard's.
for side in end:len:"END against the trailing guard page" start:-1:"START right after the leading guard page"; do
    IFS=: read -r where index expected <<<"$side"
    S=$OUT/overread-$where
    cp -r Sources/CCRC64 "$S"
    read_outside="if (buf) (void)((const volatile uint8_t *)buf)[(ptrdiff_t)$index]; /* over-read */"
    sed -i "s|^    \*result = k->update(&model->consts, crc, buf, len);|    $read_outside\n&|" "$S/crc64_dispatch.c"
    if ! grep -q 'over-read' "$S/crc64_dispatch.c"; then
        fail "the over-read could not be planted in crc64_dispatch.c (libcrc64_update_kernel changed?)"
        continue
    fi
    run $MINGW-gcc "${CFLAGS[@]/Sources\/CCRC64/$S}" -DLIBCRC64_STATIC "$S"/*.c Tests/CDriver/crc64_driver.c \
        -o "$OUT/overread-$where.exe" || continue
    "$WINE" "$OUT/overread-$where.exe" --quick 2>&1 | tr -d '\r' >"$OUT/overread-$where.log"
    rc=${PIPESTATUS[0]}
    line=$(grep -m1 'access violation, out-of-bounds read' "$OUT/overread-$where.log")
    echo "buf[$index] read: exit $rc: $line"
    if [ "$rc" = 1 ] && [[ $line == *"guard: buffer $expected"* ]]; then
        SUMMARY+=("$(printf '%-34s ok   exit 1: %s' "guard traps a read past the $where" "${line#FAIL seed=* }")")
    else
        fail "a read of buf[$index] was not caught by the guard page (exit $rc; log $OUT/overread-$where.log)"
    fi
done

# -------------------------------------------------------------------------------------------------------------------
header "[4/6] CMake: libcrc64.dll and libcrc64.a, ctest under Wine, install, exports"
P=$OUT/prefix
run cmake --build "$B" >"$OUT/cmake-build.log" || cat "$OUT/cmake-build.log"
(cd "$B" && ctest --output-on-failure 2>&1 | tr -d '\r'; exit "${PIPESTATUS[0]}") | tee "$OUT/ctest.log"
rc=${PIPESTATUS[0]}
SUMMARY+=("$(printf '%-34s %-4s %s' "ctest under Wine" "$([ "$rc" = 0 ] && echo ok || echo FAIL)" \
    "$(grep -E 'tests passed|tests failed' "$OUT/ctest.log")")")
[ "$rc" = 0 ] || fail "ctest under Wine"
run cmake --install "$B" --prefix "$P" >/dev/null
(cd "$P" && find . -type f | sort) >"$OUT/installed.txt"
printf './%s\n' bin/libcrc64.dll include/crc64.h lib/libcrc64.a lib/libcrc64.dll.a lib/pkgconfig/crc64.pc \
    lib/cmake/crc64/crc64{Config,ConfigVersion,Targets,Targets-release}.cmake | sort >"$OUT/expected-installed.txt"
if diff "$OUT/expected-installed.txt" "$OUT/installed.txt"; then echo "installed files: ok"; else
    fail "the installed files differ from the expected list"
fi

api_functions
# The DLL's export table (objdump -p: "[Ordinal/Name Pointer] Table", one "[ n] name" a line).
$MINGW-objdump -p "$P/bin/libcrc64.dll" | sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/p' |
    awk '/^\t\[/ { print $NF }' | sort >"$OUT/exports.txt"
if diff "$OUT/api.txt" "$OUT/exports.txt"; then
    echo "libcrc64.dll exports the $(wc -l <"$OUT/exports.txt") functions of crc64.h and nothing else"
else
    fail "libcrc64.dll does not export exactly crc64.h's functions (< only in crc64.h, > only exported)"
fi
# Nothing to ship beside it: no libgcc or winpthread DLL.
imports=$($MINGW-objdump -p "$P/bin/libcrc64.dll" | sed -n 's/^\tDLL Name: //p' | sort | tr '\n' ' ')
echo "libcrc64.dll imports: $imports"
for dll in $imports; do
    [[ ${dll,,} =~ ^(kernel32|msvcrt|ucrtbase|api-ms-win-.*)\.dll$ ]] || fail "libcrc64.dll imports $dll"
done
# The static library's global symbols: all prefixed. mingw-w64 GCC adds .refptr.<symbol>, link-once pointers to the
# library's own data named after it, which can only merge with themselves.
$MINGW-nm -g --defined-only "$P/lib/libcrc64.a" | awk 'NF == 3 { print $3 }' | sort -u >"$OUT/static-globals.txt"
unprefixed=$(grep -Ev '^(\.refptr\.)?libcrc64_' "$OUT/static-globals.txt" | tr '\n' ' ')
missing=$(comm -23 "$OUT/api.txt" "$OUT/static-globals.txt" | tr '\n' ' ')
if [ -z "$unprefixed" ] && [ -z "$missing" ]; then
    echo "libcrc64.a: $(wc -l <"$OUT/static-globals.txt") global symbols, all libcrc64_*, crc64.h's functions too"
else
    fail "libcrc64.a: globals without the libcrc64_ prefix: '$unprefixed'; crc64.h functions missing: '$missing'"
fi

# -------------------------------------------------------------------------------------------------------------------
header "[5/6] examples/c through find_package(crc64) against the installed DLL, and the static target, under Wine"
example_inputs
summarize_example() { # summarize_example NAME BINARY: check_example, with a summary line
    local before=${#FAILURES[@]}
    check_example "$1" "$2"
    SUMMARY+=("$(printf '%-34s %s' "$1" "$([ ${#FAILURES[@]} = "$before" ] && echo "ok (values, missing file, usage)" ||
        echo FAIL)")")
}
# Wine finds the DLL through WINEPATH, as Windows through PATH.
export WINEPATH
WINEPATH=$("$WINE" winepath -w "$P/bin" 2>/dev/null | tr -d '\r')
TOOLCHAIN=(-DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/$MINGW.cmake" -Dcrc64_DIR="$P/lib/cmake/crc64")
if run cmake -S examples/c -B "$OUT/examples" "${TOOLCHAIN[@]}" -DCMAKE_C_FLAGS="-Wall -Wextra -Werror" \
    >"$OUT/examples-configure.log" && run cmake --build "$OUT/examples" >"$OUT/examples-build.log"; then
    if $MINGW-objdump -p "$OUT/examples/crc64file.exe" | grep 'DLL Name: libcrc64.dll' >/dev/null; then
        wine_wrapper crc64file-dll "$OUT/examples/crc64file.exe"
        summarize_example "examples/c, libcrc64.dll" "$OUT/crc64file-dll"
        wine_wrapper crc64verify-dll "$OUT/examples/crc64verify.exe"
        check_verify "examples/c crc64verify, libcrc64.dll" "$OUT/crc64verify-dll"
    else
        fail "examples/c's crc64file.exe does not import libcrc64.dll"
    fi
else
    cat "$OUT/examples-configure.log" "$OUT/examples-build.log" 2>/dev/null
fi
# The package's static target: LIBCRC64_STATIC on its interface (no dllimport, or the link fails), nothing on the DLL's.
mkdir -p "$OUT/consumer-src"
cat >"$OUT/consumer-src/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.16)
project(crc64_consumer LANGUAGES C)
find_package(crc64 0.2 CONFIG REQUIRED)
foreach(target crc64::crc64 crc64::crc64_static)
    get_target_property(definitions \${target} INTERFACE_COMPILE_DEFINITIONS)
    message(STATUS "\${target} INTERFACE_COMPILE_DEFINITIONS: \${definitions}")
endforeach()
add_executable(crc64file_static "$ROOT/examples/c/crc64file.c")
target_link_libraries(crc64file_static PRIVATE crc64::crc64_static)
EOF
if run cmake -S "$OUT/consumer-src" -B "$OUT/consumer" "${TOOLCHAIN[@]}" >"$OUT/consumer-configure.log"; then
    grep 'INTERFACE_COMPILE_DEFINITIONS' "$OUT/consumer-configure.log"
    grep -q 'crc64::crc64 INTERFACE_COMPILE_DEFINITIONS: definitions-NOTFOUND' "$OUT/consumer-configure.log" &&
        grep -q 'crc64::crc64_static INTERFACE_COMPILE_DEFINITIONS: LIBCRC64_STATIC$' "$OUT/consumer-configure.log" ||
        fail "the installed package's targets do not carry the expected macros (above)"
    if run cmake --build "$OUT/consumer" >"$OUT/consumer-build.log"; then
        if $MINGW-objdump -p "$OUT/consumer/crc64file_static.exe" | grep 'DLL Name: libcrc64.dll' >/dev/null; then
            fail "crc64file_static.exe imports libcrc64.dll"
        fi
        wine_wrapper crc64file-static "$OUT/consumer/crc64file_static.exe"
        summarize_example "crc64file, crc64::crc64_static" "$OUT/crc64file-static"
    else
        cat "$OUT/consumer-build.log"
    fi
else
    cat "$OUT/consumer-configure.log"
fi

# -------------------------------------------------------------------------------------------------------------------
header "[6/6] compile only: MSVC's code paths, clang-cl's, Windows on arm64"
if [ -n "$CLANG" ]; then
    # No MSVC here: clang compiles the sources as MSVC would see them (_MSC_VER, no __clang__: crc64_internal.h's MSVC
    # branch, no target attributes) and as clang-cl does, against stand-ins for the SDK's headers. The probe makes
    # sure the MSVC branch is the one taken, with every x86 kernel in.
    printf '%s\n' '#include "crc64_x86.c"' '#if !CRC64_MSVC || !CRC64_AVX512_KERNEL || !CRC64_AVX2_KERNEL' \
        '#error not the MSVC branch with every x86 kernel' '#endif' >"$OUT/msvc-probe.c"
    MSVC_MODE=(--target=x86_64-pc-windows-msvc -std=c11 -Wall -Wextra -Werror -fsyntax-only -nostdlibinc
        -isystem Tests/CDriver/msvc-stubs -ISources/CCRC64/include)
    for mode in msvc clang-cl; do
        extra=()
        [ $mode = msvc ] && extra=(-U__clang__)
        ok=1
        for f in Sources/CCRC64/*.c; do
            "$CLANG" "${MSVC_MODE[@]}" "${extra[@]}" "$f" || { ok=0; fail "$mode syntax: $f"; }
        done
        [ $mode = msvc ] && { "$CLANG" "${MSVC_MODE[@]}" "${extra[@]}" -ISources/CCRC64 "$OUT/msvc-probe.c" ||
            { ok=0; fail "the MSVC syntax check does not take the MSVC branch"; }; }
        SUMMARY+=("$(printf '%-34s %s' "syntax windows-msvc ($mode)" "$([ $ok = 1 ] && echo ok || echo FAIL)")")
    done
    # Windows on arm64: the aarch64 kernels and IsProcessorFeaturePresent detection, compiled to objects.
    ok=1
    for f in Sources/CCRC64/*.c; do
        "$CLANG" --target=aarch64-w64-mingw32 "${CFLAGS[@]}" -isystem /usr/$MINGW/include -c "$f" \
            -o "$OUT/arm64-$(basename "$f" .c).obj" || { ok=0; fail "aarch64-w64-mingw32: $f"; }
    done
    OBJDUMP=$(dirname "$CLANG")/llvm-objdump
    if [ $ok = 1 ] && [ -x "$OBJDUMP" ]; then
        dis=$("$OBJDUMP" -dr "$OUT/arm64-crc64_arm.obj")
        pmull=$(grep -c 'pmull' <<<"$dis")
        eor3=$(grep -c 'eor3' <<<"$dis")
        detect=$(grep -c 'IsProcessorFeaturePresent' <<<"$dis")
        echo "crc64_arm.c for arm64 Windows: $pmull pmull, $eor3 eor3, $detect IsProcessorFeaturePresent calls"
        [ "$pmull" -gt 0 ] && [ "$eor3" -gt 0 ] && [ "$detect" -gt 0 ] ||
            { ok=0; fail "the arm64 Windows object lacks the kernels or the feature detection"; }
    fi
    SUMMARY+=("$(printf '%-34s %s' "compile aarch64-w64-mingw32" "$([ $ok = 1 ] && echo ok || echo FAIL) (objects)")")
else
    fail "no clang found for the compile-only checks"
fi

"$(dirname "$WINE")/wineserver" -k 2>/dev/null || true # this WINEPREFIX's server, done with

# -------------------------------------------------------------------------------------------------------------------
header "summary ($(($(date +%s) - T_START)) s)"
printf '%s\n' "${SUMMARY[@]}"
if [ ${#FAILURES[@]} -ne 0 ]; then
    echo
    echo "FAILED (${#FAILURES[@]}):"
    printf '  - %s\n' "${FAILURES[@]}"
    exit 1
fi
echo "all Windows checks passed"
