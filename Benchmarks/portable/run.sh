#!/usr/bin/env bash
# The portable kernel against crcutil's multiword kernel, ISA-L's byte-table kernel and liblzma, in one process
# (see bench.c). Built outside the package: the peers never reach the library.
#
#   bash Benchmarks/portable/run.sh [bench options: --model xz|ecma|we --rounds N --offset K]
#   CC=clang CXX=clang++   compilers (default cc, c++; SwiftPM builds the C target with clang)
#   BASELINE=<git rev>     also time crc64_slice16.c as it was at that revision (the "before" column); 3bcedb1
#                          or later: it is compiled against today's crc64_internal.h, whose kernel struct changed there
#   TASKSET="taskset -c 1" run pinned
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/Benchmarks/portable"
CC=${CC:-cc}
CXX=${CXX:-c++}

missing=()
[ -f /usr/include/crcutil/generic_crc.h ] || missing+=(libcrcutil-dev)
ldconfig -p | grep 'libisal\.so\.2 ' >/dev/null || missing+=(libisal2)
ldconfig -p | grep 'liblzma\.so\.5 ' >/dev/null || missing+=(liblzma5)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
flags=(-O2 -std=c11 -I"$root/Sources/CCRC64/include" -I"$root/Sources/CCRC64" -I"$root/Tests/CDriver"
    -I"$root/Benchmarks/CRCBenchSupport/include")
if [ -n "${BASELINE:-}" ]; then
    # The old kernel against today's constants: its `table` rows mean what they meant.
    git -C "$root" show "$BASELINE:Sources/CCRC64/crc64_slice16.c" |
        sed 's/libcrc64_kernel_slice16\b/libcrc64_kernel_slice16_baseline/' >"$out/baseline.c"
    "$CC" "${flags[@]}" -c "$out/baseline.c" -o "$out/baseline.o"
    flags+=(-DHAVE_BASELINE)
fi
for f in "$root"/Sources/CCRC64/*.c "$root/Benchmarks/CRCBenchSupport/CRCBenchSupport.c" "$here/bench.c"; do
    "$CC" "${flags[@]}" -c "$f" -o "$out/$(basename "$f" .c).o"
done
"$CXX" -O2 -c "$here/crcutil_peer.cc" -o "$out/crcutil_peer.o"
"$CXX" "$out"/*.o -lcrcutil -ldl -pthread -o "$out/bench"
commit=$(git -C "$root" rev-parse --short HEAD)
git -C "$root" diff --quiet HEAD -- Sources || commit+=" with uncommitted changes to Sources"
echo "$("$CC" --version | head -1); $(lscpu | sed -n 's/^Model name: *//p'); commit $commit${BASELINE:+; baseline $BASELINE}"
${TASKSET:-} "$out/bench" "$@"
