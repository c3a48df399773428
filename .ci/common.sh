# shellcheck shell=bash
# What the C stages (.ci/c-tests.sh, .ci/cmake.sh, .ci/windows.sh) share, sourced once they have set OUT (their
# scratch directory): failures recorded in FAILURES, apt-get installs, and the checks of crc64.h's API and of
# examples/c (crc64file, crc64verify).
FAILURES=()

header() { printf '\n==== %s\n' "$*"; }
fail() {
    echo "!!!! FAILED: $*"
    FAILURES+=("$*")
}
run() { # run COMMAND...: echo it, run it, record a failure
    echo "\$ $*"
    "$@" || {
        fail "$*"
        return 1
    }
}
apt_install() {
    local SUDO=()
    if [ "$(id -u)" != 0 ]; then SUDO=(sudo); fi
    echo "installing $* with apt-get"
    "${SUDO[@]}" apt-get update -q >/dev/null &&
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" \
            >/dev/null || fail "apt-get install $*"
}

# api_functions: every function crc64.h declares (LIBCRC64_API ... libcrc64_name(...)), sorted, into $OUT/api.txt:
# what a built libcrc64 must export, no more and no less.
api_functions() {
    sed -n 's/^LIBCRC64_API[^(]*[ *]\([a-z0-9_]*\)(.*/\1/p' Sources/CCRC64/include/crc64.h | sort >"$OUT/api.txt"
    echo "crc64.h declares $(wc -l <"$OUT/api.txt") functions"
    [ "$(wc -l <"$OUT/api.txt")" -ge 20 ] ||
        fail "found only $(wc -l <"$OUT/api.txt") LIBCRC64_API declarations in crc64.h"
    if grep -v '^libcrc64_' "$OUT/api.txt"; then
        fail "crc64.h declares functions without the libcrc64_ prefix (above)"
    fi
}

# CRC-64/XZ bit at a time, from the model's definition (not from the library), for the examples' expected values.
reference_crc() {
    python3 - "$1" <<'EOF'
import sys
crc = 0xFFFFFFFFFFFFFFFF
for byte in open(sys.argv[1], "rb").read():
    crc ^= byte
    for _ in range(8):
        crc = (crc >> 1) ^ (0xC96C5795D7870F42 if crc & 1 else 0)
print(crc ^ 0xFFFFFFFFFFFFFFFF)
EOF
}

# example_inputs: the files check_example hashes, and their values.
example_inputs() {
    printf 123456789 >"$OUT/check.txt"
    python3 -c 'import random; random.seed(14); open("'"$OUT"'/random.bin", "wb").write(random.randbytes(150001))'
    CHECK_VALUE=11051210869376104954 # the catalogue's check value of CRC-64/XZ
    RANDOM_VALUE=$(reference_crc "$OUT/random.bin")
    [ "$(reference_crc "$OUT/check.txt")" = "$CHECK_VALUE" ] || fail "the Python reference CRC is wrong"
}

# check_example NAME BINARY: examples/c's crc64file: its values and its answers to bad input.
check_example() {
    local name=$1 bin=$2 out rc
    out=$("$bin" "$OUT/check.txt" "$OUT/random.bin")
    rc=$?
    if [ $rc = 0 ] && [ "$out" = "$CHECK_VALUE  $OUT/check.txt
$RANDOM_VALUE  $OUT/random.bin" ]; then
        echo "$name: $out"
    else
        fail "$name: exit $rc, output '$out' (expected $CHECK_VALUE and $RANDOM_VALUE)"
    fi
    out=$("$bin" "$OUT/missing-file" 2>&1)
    rc=$?
    [ $rc = 1 ] && [[ $out == *"missing-file: No such file or directory"* ]] ||
        fail "$name on a missing file: exit $rc, '$out' (expected 1 and the reason)"
    "$bin" >/dev/null 2>&1
    rc=$?
    [ $rc = 2 ] || fail "$name without arguments: exit $rc (expected 2)"
}

# check_verify NAME BINARY: crc64verify (libcrc64_parse and libcrc64_format) on header values typed in from the
# catalogue: CRC-64/XZ of "123456789" in decimal, CRC-64/NVME's in base64.
check_verify() {
    local name=$1 bin=$2 out rc failures=${#FAILURES[@]}
    out=$("$bin" oss "$CHECK_VALUE" "$OUT/check.txt") && [ "$out" = "$OUT/check.txt: OK" ] &&
        out=$("$bin" s3 rosUhgp5mIg= "$OUT/check.txt") && [ "$out" = "$OUT/check.txt: OK" ] ||
        { fail "$name: a matching header value is not OK: '$out'"; return; }
    out=$("$bin" oss "$RANDOM_VALUE" "$OUT/check.txt")
    rc=$?
    [ $rc = 1 ] && [ "$out" = "$OUT/check.txt: MISMATCH: computed $CHECK_VALUE, expected $RANDOM_VALUE" ] ||
        fail "$name: a mismatch gave exit $rc and '$out'"
    out=$("$bin" s3 rosUhgp5mIh= "$OUT/check.txt" 2>&1)
    rc=$?
    [ $rc = 2 ] && [ "$out" = "crc64verify: 'rosUhgp5mIh=' is not a base64 value: not canonical" ] ||
        fail "$name: a non-canonical base64 value gave exit $rc and '$out'"
    [ ${#FAILURES[@]} = "$failures" ] && echo "$name: crc64verify ok"
}
