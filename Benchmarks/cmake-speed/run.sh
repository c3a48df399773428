#!/usr/bin/env bash
# Is libcrc64 from CMake as fast as from SwiftPM? Builds it four ways — SwiftPM (swift build -c release --product crc64,
# clang), CMake with gcc (cc, what a CMake user gets by default) and with clang, each installed to a temporary prefix —
# and runs cmake_speed (this directory) over them side by side with ISA-L: the shared libraries dlopened, gcc's
# libcrc64.a linked into the harness. Arguments go to cmake_speed, e.g. --reps 21 --sizes 64,4K,1M.
# Needs libisal-dev (apt-get install libisal-dev) and the Swift toolchain on PATH.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=$PWD/.build-cmake-speed
mkdir -p "$OUT"

flock /tmp/swift-build.lock swift build -c release --product crc64 >"$OUT/swiftpm-build.log" 2>&1 ||
    { cat "$OUT/swiftpm-build.log"; exit 1; }
for cc in gcc clang; do
    cmake -S . -B "$OUT/$cc" -DCMAKE_C_COMPILER=$cc -DBUILD_TESTING=OFF >"$OUT/$cc-configure.log"
    cmake --build "$OUT/$cc" -j2 >"$OUT/$cc-build.log"
    rm -rf "$OUT/$cc-prefix"
    cmake --install "$OUT/$cc" --prefix "$OUT/$cc-prefix" >/dev/null
done
gcc -O2 -std=c11 -IBenchmarks/CRCBenchSupport/include -I"$OUT/gcc-prefix/include" Benchmarks/cmake-speed/cmake_speed.c \
    Benchmarks/CRCBenchSupport/CRCBenchSupport.c "$OUT/gcc-prefix/lib/libcrc64.a" -ldl -pthread -o "$OUT/cmake_speed"
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p')"
"$OUT/cmake_speed" "$@" swiftpm="$PWD/.build/release/libcrc64.so" cmake-gcc="$OUT/gcc-prefix/lib/libcrc64.so" \
    cmake-clang="$OUT/clang-prefix/lib/libcrc64.so"
