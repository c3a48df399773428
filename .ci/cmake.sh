#!/usr/bin/env bash
# The CMake build of libcrc64 (CMakeLists.txt), as a C or C++ project without Swift uses it:
#   1. gcc and clang: configure, build, ctest (the C driver against libcrc64.so and libcrc64.a, with the kernel that
#      /proc/cpuinfo says must be dispatched), install to a temporary prefix; check the installed files, the SONAME,
#      that libcrc64.so exports exactly the functions crc64.h declares and libcrc64.a defines only libcrc64_* globals,
#      that crc64.h compiles warning-free from C89 to C11 and C++98 to C++17, and that libcrc64.a links beside other
#      CRC code's global crc64_* functions;
#   2. examples/c built against the installed library through pkg-config and find_package(crc64 CONFIG), and from the
#      source tree through add_subdirectory, run on files whose CRC-64/XZ comes from an independent bit-at-a-time
#      Python implementation, on header values typed in from the catalogue (crc64verify), and on bad input;
#   3. a compiler that cannot build some kernels (simulated by hiding the intrinsics headers): the configuration
#      leaves them out with a message and the library dispatches to the rest;
#   4. aarch64: cross-compiled with cmake/aarch64-linux-gnu.cmake, ctest under qemu-aarch64-static -cpu max
#      (pmull-eor3) and -cpu cortex-a57 (pmull).
# Runs from anywhere; installs cmake, pkg-config, the aarch64 cross toolchain and qemu with apt-get when missing.
#
# Environment: CLANG (default: clang on PATH, e.g. the Swift toolchain's); C_TESTS_SKIP_QEMU=1 skips the aarch64 section.
set -uo pipefail
cd "$(dirname "$0")/.."

ROOT=$PWD
OUT=$ROOT/.build-cmake
rm -rf "$OUT"
mkdir -p "$OUT"
CLANG=${CLANG:-$(command -v clang || true)}
T_START=$(date +%s)
# shellcheck source=common.sh
. .ci/common.sh

if ! command -v cmake >/dev/null || ! command -v pkg-config >/dev/null; then apt_install cmake pkg-config; fi
# g++ for the header check as C++ (clang++ comes with the Swift toolchain).
if ! command -v g++ >/dev/null; then apt_install g++; fi
cmake --version | head -1

api_functions
HEADER=Sources/CCRC64/include/crc64.h
MAJOR=$(sed -n 's/^#define LIBCRC64_VERSION_MAJOR \([0-9]*\)$/\1/p' "$HEADER")
MINOR=$(sed -n 's/^#define LIBCRC64_VERSION_MINOR \([0-9]*\)$/\1/p' "$HEADER")
VERSION=$MAJOR.$MINOR.$(sed -n 's/^#define LIBCRC64_VERSION_PATCH \([0-9]*\)$/\1/p' "$HEADER")
if [ "$MAJOR" = 0 ]; then SONAME=libcrc64.so.0.$MINOR; else SONAME=libcrc64.so.$MAJOR; fi

# check_exports LIBRARY: its dynamic symbol table defines exactly the functions of crc64.h.
check_exports() {
    # readelf works for any target's ELF; columns: Num Value Size Type Bind Vis Ndx Name
    readelf --dyn-syms -W "$1" |
        awk 'NR > 3 && $5 != "LOCAL" && $7 != "UND" && $8 != "" { sub(/@.*/, "", $8); print $8 }' |
        sort -u >"$OUT/exports.txt"
    if diff "$OUT/api.txt" "$OUT/exports.txt" >"$OUT/exports.diff"; then
        echo "$1 exports the $(wc -l <"$OUT/exports.txt") functions of crc64.h and nothing else"
    else
        echo "exports of $1 against crc64.h's functions (< only in crc64.h, > only exported):"
        cat "$OUT/exports.diff"
        fail "$1 does not export exactly crc64.h's API"
    fi
    local soname
    soname=$(readelf -d "$1" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
    if [ "$soname" = "$SONAME" ]; then echo "SONAME $soname"; else fail "$1: SONAME '$soname', expected $SONAME"; fi
}

# check_static ARCHIVE: every global symbol its objects define carries the prefix (a static link beside other CRC
# code cannot clash), and those of default visibility are exactly crc64.h's functions (the rest are the library's
# hidden internals).
check_static() {
    # readelf -s columns: Num Value Size Type Bind Vis Ndx Name
    readelf -s -W "$1" | awk '$5 == "GLOBAL" || $5 == "WEAK" { if ($7 != "UND") print $6, $8 }' | sort -u \
        >"$OUT/static-globals.txt"
    local unprefixed
    unprefixed=$(awk '$2 !~ /^libcrc64_/ { print $2 }' "$OUT/static-globals.txt")
    if [ -n "$unprefixed" ]; then
        fail "$1 defines global symbols without the libcrc64_ prefix: $unprefixed"
    fi
    awk '$1 == "DEFAULT" { print $2 }' "$OUT/static-globals.txt" | sort -u >"$OUT/static-exports.txt"
    if diff "$OUT/api.txt" "$OUT/static-exports.txt"; then
        echo "$1: $(wc -l <"$OUT/static-globals.txt") global symbols, all libcrc64_*; the visible ones are crc64.h's"
    else
        fail "$1: its visible global symbols are not exactly crc64.h's functions" \
            "(< only in crc64.h, > only in the archive)"
    fi
}

# check_header NAME PREFIX: the installed crc64.h compiles without a warning as C89, C99 and C11 and as C++98, C++11
# and C++17 (-Wall -Wextra -Wpedantic -Werror, with and without its short names), and a program that calls the
# short names and also links other CRC code's global crc64_combine, crc64_update and crc64_xz (as Redis and the OSS
# Ruby SDK define them) links with libcrc64.a and gets the right values.
check_header() {
    local name=$1 prefix=$2 cc cxx std ok=1
    case $name in gcc) cc=gcc cxx=g++ ;; *) cc=$CLANG cxx=${CLANG}++ ;; esac
    printf '%s\n' '#include <crc64.h>' \
        'int main(void) { return crc64_xz(0, "123456789", 9) != libcrc64_preset_check(LIBCRC64_PRESET_XZ); }' \
        >"$OUT/header.c"
    cp "$OUT/header.c" "$OUT/header.cpp"
    for std in c89 c99 c11; do
        for short in "" -DLIBCRC64_NO_SHORT_NAMES; do
            [ -n "$short" ] && sed -i 's/crc64_xz(/libcrc64_xz(/' "$OUT/header.c"
            run "$cc" -std=$std -Wall -Wextra -Wpedantic -Werror $short -fsyntax-only -I"$prefix/include" \
                "$OUT/header.c" || ok=0
            sed -i 's/libcrc64_xz(/crc64_xz(/' "$OUT/header.c"
        done
    done
    for std in c++98 c++11 c++17; do
        run "$cxx" -std=$std -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I"$prefix/include" "$OUT/header.cpp" ||
            ok=0
    done
    [ $ok = 1 ] && echo "$name: crc64.h compiles warning-free as C89/C99/C11 and C++98/C++11/C++17"
    cat >"$OUT/other-crc.c" <<'OTHER'
#include <stddef.h>
#include <stdint.h>
/* Global functions of other CRC-64 code bases (Redis src/crccombine.c, the OSS Ruby SDK's crcx extension, ...). */
uint64_t crc64_combine(uint64_t crc1, uint64_t crc2, uintmax_t len2, uint64_t poly, char bits) {
    (void)crc2; (void)len2; (void)poly; (void)bits; return crc1;
}
uint64_t crc64_update(uint64_t crc, const void *buf, size_t len) { (void)buf; (void)len; return crc; }
uint64_t crc64_xz(uint64_t crc, const void *buf, size_t len) { (void)buf; (void)len; return ~crc; }
OTHER
    cat >"$OUT/beside.c" <<'BESIDE'
#define LIBCRC64_NO_SHORT_NAMES
#include <crc64.h>
uint64_t crc64_xz(uint64_t crc, const void *buf, size_t len); /* the other library's */
int main(void) {
    return libcrc64_xz(0, "123456789", 9) != libcrc64_preset_check(LIBCRC64_PRESET_XZ) || crc64_xz(0, "", 0) != ~0ULL;
}
BESIDE
    if run "$cc" -std=c11 -Wall -Wextra -Werror -I"$prefix/include" "$OUT/beside.c" "$OUT/other-crc.c" \
        "$prefix/lib/libcrc64.a" -o "$OUT/beside" && run "$OUT/beside"; then
        echo "$name: libcrc64.a links beside other code's global crc64_combine, crc64_update and crc64_xz"
    fi
}

example_inputs

# ---------------------------------------------------------------------------------------------------------------------
for cc in gcc "$CLANG"; do
    [ -n "$cc" ] || {
        fail "no clang found"
        continue
    }
    name=$(basename "$cc")
    B=$OUT/$name
    P=$OUT/$name-prefix
    header "[1/4] $name: configure, build, ctest, install"
    run cmake -S . -B "$B" -DCMAKE_C_COMPILER="$cc" >"$OUT/$name-configure.log" ||
        { cat "$OUT/$name-configure.log"; continue; }
    grep 'libcrc64' "$OUT/$name-configure.log"
    run cmake --build "$B" -j2 >"$OUT/$name-build.log" || { cat "$OUT/$name-build.log"; continue; }
    run ctest --test-dir "$B" --output-on-failure --no-tests=error
    run cmake --install "$B" --prefix "$P" >/dev/null
    (cd "$P" && find . -type f -o -type l | sort) >"$OUT/$name-installed.txt"
    printf './%s\n' include/crc64.h lib/libcrc64.a lib/libcrc64.so "lib/$SONAME" "lib/libcrc64.so.$VERSION" \
        lib/pkgconfig/crc64.pc lib/cmake/crc64/crc64{Config,ConfigVersion,Targets,Targets-release}.cmake |
        sort >"$OUT/expected-installed.txt"
    if diff "$OUT/expected-installed.txt" "$OUT/$name-installed.txt"; then echo "installed files: ok"; else
        fail "$name: installed files differ from the expected list"
    fi
    cmp -s "$HEADER" "$P/include/crc64.h" || fail "$name: the installed crc64.h is not Sources/CCRC64/include/crc64.h"
    check_exports "$P/lib/libcrc64.so"
    check_static "$P/lib/libcrc64.a"
    check_header "$name" "$P"

    header "[2/4] $name: examples/c through pkg-config, find_package (installed) and add_subdirectory (source)"
    export PKG_CONFIG_PATH=$P/lib/pkgconfig
    echo "pkg-config --cflags --libs crc64: $(pkg-config --cflags --libs crc64)" \
        "(version $(pkg-config --modversion crc64))"
    # shellcheck disable=SC2046
    run "$cc" -std=c11 -Wall -Wextra -Werror examples/c/crc64file.c $(pkg-config --cflags --libs crc64) \
        -Wl,-rpath,"$(pkg-config --variable=libdir crc64)" -o "$OUT/$name-crc64file-pkgconfig" &&
        check_example "pkg-config build ($name)" "$OUT/$name-crc64file-pkgconfig"
    unset PKG_CONFIG_PATH
    run cmake -S examples/c -B "$OUT/$name-examples" -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$P" \
        >"$OUT/$name-examples-configure.log" &&
        run cmake --build "$OUT/$name-examples" >"$OUT/$name-examples-build.log" &&
        check_example "find_package build ($name)" "$OUT/$name-examples/crc64file" &&
        check_verify "find_package build ($name)" "$OUT/$name-examples/crc64verify"
    run cmake -S examples/c -B "$OUT/$name-subdirectory" -DCMAKE_C_COMPILER="$cc" -DCRC64_SOURCE_DIR="$ROOT" \
        >"$OUT/$name-subdirectory-configure.log" &&
        run cmake --build "$OUT/$name-subdirectory" -j2 >"$OUT/$name-subdirectory-build.log" &&
        check_example "add_subdirectory build ($name)" "$OUT/$name-subdirectory/crc64file" &&
        check_verify "add_subdirectory build ($name)" "$OUT/$name-subdirectory/crc64verify"
    # Under add_subdirectory libcrc64 is the kind BUILD_SHARED_LIBS asks for (static here), without tests or install.
    [ -e "$OUT/$name-subdirectory/crc64/libcrc64.a" ] && [ ! -e "$OUT/$name-subdirectory/crc64/libcrc64.so" ] &&
        [ ! -e "$OUT/$name-subdirectory/crc64/CTestTestfile.cmake" ] ||
        fail "$name: add_subdirectory did not build libcrc64.a alone"
done

# ---------------------------------------------------------------------------------------------------------------------
header "[3/4] a compiler that cannot build some kernels (intrinsics headers hidden), static library only"
# gcc's include guards: vpclmulqdqintrin.h (VPCLMULQDQ) and wmmintrin.h (PCLMULQDQ). Hiding one must leave out every
# kernel that needs that CPU feature (the library's own list, read through the driver), and ctest then checks that
# the library dispatches among the rest as /proc/cpuinfo allows.
KERNEL_LIST=$("$OUT/gcc/driver_shared" --list-kernels) || fail "driver_shared --list-kernels"
for case in _VPCLMULQDQINTRIN_H_INCLUDED:vpclmulqdq _WMMINTRIN_H_INCLUDED:pclmulqdq; do
    IFS=: read -r guard feature <<<"$case"
    out=$(awk -F'\t' -v f="$feature" '(" " $3 " ") ~ (" " f " ") { printf "%s%s", sep, $1; sep = " " }' \
        <<<"$KERNEL_LIST")
    B=$OUT/without-$guard
    run cmake -S . -B "$B" -DCMAKE_C_COMPILER=gcc -DBUILD_SHARED_LIBS=OFF -DCMAKE_C_FLAGS="-D$guard" \
        >"$OUT/without-$guard.log" 2>&1
    grep -A1 'libcrc64' "$OUT/without-$guard.log" | grep -v '^--$'
    [ -n "$out" ] && grep -q "left out (this compiler cannot build them): $out\." "$OUT/without-$guard.log" ||
        fail "-D$guard: the configuration did not report leaving out the kernels that need $feature ($out)"
    run cmake --build "$B" -j2 >"$OUT/without-$guard-build.log" || cat "$OUT/without-$guard-build.log"
    run ctest --test-dir "$B" --output-on-failure --no-tests=error
done

# ---------------------------------------------------------------------------------------------------------------------
header "[4/4] aarch64: cross-compiled with cmake/aarch64-linux-gnu.cmake, ctest under qemu-user"
if [ "${C_TESTS_SKIP_QEMU:-0}" = 1 ]; then
    echo "skipped (C_TESTS_SKIP_QEMU=1)"
else
    if ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v qemu-aarch64-static >/dev/null ||
        [ ! -e /usr/aarch64-linux-gnu/include/stdio.h ]; then
        apt_install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
    fi
    B=$OUT/aarch64
    for cpu in max:pmull-eor3 cortex-a57:pmull; do
        IFS=: read -r model kernel <<<"$cpu"
        echo "-- qemu-aarch64-static -cpu $model: expecting $kernel"
        run cmake -S . -B "$B" -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/aarch64-linux-gnu.cmake" \
            -DCMAKE_CROSSCOMPILING_EMULATOR="qemu-aarch64-static;-L;/usr/aarch64-linux-gnu;-cpu;$model" \
            -DCRC64_EXPECT_KERNEL="$kernel" >"$OUT/aarch64-configure.log" || {
            cat "$OUT/aarch64-configure.log"
            break
        }
        run cmake --build "$B" -j2 >"$OUT/aarch64-build.log" || { cat "$OUT/aarch64-build.log"; break; }
        run ctest --test-dir "$B" --output-on-failure --no-tests=error
    done
    check_exports "$B/libcrc64.so"
    check_static "$B/libcrc64.a"
fi

# ---------------------------------------------------------------------------------------------------------------------
header "summary ($(($(date +%s) - T_START)) s)"
if [ ${#FAILURES[@]} -ne 0 ]; then
    echo "FAILED (${#FAILURES[@]}):"
    printf '  - %s\n' "${FAILURES[@]}"
    exit 1
fi
echo "all CMake checks passed"
