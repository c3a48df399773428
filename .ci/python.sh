#!/usr/bin/env bash
# The Python package (Bindings/python) as a user gets it: `pip install Bindings/python` into a fresh venv, its
# unittest suite beside crcmod (with its C extension) and numpy, the suite again on an ASan+UBSan build of the
# extension, then `pip wheel Bindings/python` and an import of the wheel in a second venv. Runs from anywhere; installs python3-venv / python3-dev with apt-get when missing.
#
# Environment: PYTHON  the interpreter to build for (default python3)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
ROOT=$PWD
OUT=$ROOT/.build-python
rm -rf "$OUT" Bindings/python/build
mkdir -p "$OUT"

has_headers='import os, sys, sysconfig; sys.exit(not os.path.exists(sysconfig.get_paths()["include"] + "/Python.h"))'
if ! "$PYTHON" -m venv "$OUT/probe" >/dev/null 2>&1 || ! "$PYTHON" -c "$has_headers"; then
    echo "python.sh: installing python3-venv and python3-dev"
    apt-get update -qq && apt-get install -y -qq python3-venv python3-dev >/dev/null
fi
rm -rf "$OUT/probe"

echo "--- pip install Bindings/python (fresh venv, $("$PYTHON" --version))"
"$PYTHON" -m venv "$OUT/venv"
PY=$OUT/venv/bin/python
"$PY" -m pip install -q Bindings/python
"$PY" -m pip install -q crcmod numpy # for the tests only: crcmod side by side, numpy arrays as buffers

echo "--- unittest"
# From a directory without the package's sources, so that the installed package is the one imported.
status=0
LOG=$OUT/unittest.log
(cd "$OUT" && "$PY" -m unittest discover -s "$ROOT/Bindings/python/tests" -v 2>&1) | tee "$LOG" || status=$?
# unittest before Python 3.12 exits 0 when no test ran, and a skipped test would hide a missing crcmod or numpy.
if [ "$status" -ne 0 ] || ! grep -Eq '^Ran [1-9][0-9]* tests? in' "$LOG" || ! tail -n 1 "$LOG" | grep -qx 'OK'; then
    echo "python.sh: the unittest suite failed, ran no tests, or skipped some (see above)" >&2
    exit 1
fi

echo "--- the suite again on a build under AddressSanitizer and UndefinedBehaviorSanitizer (gcc)"
# The extension only (Python itself is not instrumented: its runtime is preloaded). Freed memory stays out of reuse
# for a while under ASan (its quarantine), which the suite's test that models free their tables would count.
ASAN_LIB=$(gcc -print-file-name=libasan.so)
UBSAN_LIB=$(gcc -print-file-name=libubsan.so)
rm -rf Bindings/python/build
CC=gcc CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g" \
    LDFLAGS="-fsanitize=address,undefined" "$PY" -m pip install -q --no-deps --target "$OUT/asan" Bindings/python
rm -rf Bindings/python/build
(cd "$OUT" && PYTHONPATH="$OUT/asan" LD_PRELOAD="$ASAN_LIB:$UBSAN_LIB" \
    ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$PY" -c 'import crc64, sys; assert "/asan/" in crc64.__file__, crc64.__file__' &&
    PYTHONPATH="$OUT/asan" LD_PRELOAD="$ASAN_LIB:$UBSAN_LIB" \
    ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$PY" -m unittest discover -s "$ROOT/Bindings/python/tests" 2>&1) | tee "$OUT/unittest-asan.log" || status=$?
if [ "$status" -ne 0 ] || ! tail -n 1 "$OUT/unittest-asan.log" | grep -qx 'OK'; then
    echo "python.sh: the suite failed under ASan/UBSan (see above)" >&2
    exit 1
fi

echo "--- pip wheel Bindings/python"
"$PY" -m pip wheel -q --no-deps Bindings/python -w "$OUT/wheels"
"$PYTHON" -m venv "$OUT/wheel-venv"
"$OUT/wheel-venv/bin/python" -m pip install -q "$OUT"/wheels/crc64-*.whl
(cd "$OUT" && "$OUT/wheel-venv/bin/python" -c '
import crc64, crc64.crcmod as crcmod
f = crcmod.mkCrcFun(0x142F0E1EBA9EA3693, initCrc=0, xorOut=0xffffffffffffffff, rev=True)
assert str(f(b"123456789")) == "11051210869376104954" == crc64.to_decimal(crc64.xz(b"123456789"))
print("wheel", crc64.__version__, "kernel", crc64.active_kernel(), "OK")')
ls "$OUT"/wheels
