#!/usr/bin/env bash
# The Python package (Bindings/python) as an index user gets it: `python -m build` makes the sdist and, from it, a
# wheel; the sdist alone, copied to an empty folder, is installed with pip on CPython 3.10, 3.11, 3.12 and 3.13 (from
# pyenv; where pyenv has none of them, $PYTHON alone) and the unittest suite runs on each beside crcmod (with its C
# extension, whose own test.py the suite runs against crc64.crcmod) and numpy; then the suite again on the test build
# of the extension (-DCRC64_TEST_HOOKS, for the GIL and buffer tests), which on Linux with gcc's libasan is also built
# with ASan+UBSan; then the wheel in a fresh venv. Runs from anywhere; installs python3-venv, python3-dev and gcc with
# apt-get when missing.
#
# A run passes only if every unittest run ends in OK and skips exactly the tests expected to skip there (listed
# below); a test that skips anywhere else fails the stage.
#
# Environment: PYTHON  the interpreter for the build tools, and for the suite when there is no pyenv (default python3)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
ROOT=$PWD
OUT=$ROOT/.build-python
rm -rf "$OUT" Bindings/python/build Bindings/python/src/*.egg-info
mkdir -p "$OUT"
OS=$(uname -s)

. .ci/python-common.sh
need_build_tools

# The tests that skip by design: those that need the test build skip in the shipped one, and the one that reads
# /proc/self/statm skips where there is none. Every other skip is a failure.
HOOK_TESTS="test_a_bytearray_cannot_be_resized_while_hashed test_the_gil_is_held_below_the_threshold
test_the_gil_is_released_from_the_threshold_on"
PLATFORM_SKIPS=""
[ -r /proc/self/statm ] || PLATFORM_SKIPS="test_custom_models_free_their_tables"
# The dispatch against the OS's view of the CPU needs Linux's /proc/cpuinfo.
[ -r /proc/cpuinfo ] || PLATFORM_SKIPS+=" test_kernels_match_the_cpu"
TESTS=$ROOT/Bindings/python/tests


echo "--- python -m build Bindings/python (sdist, then a wheel from the sdist)"
"$PYTHON" -m venv "$OUT/tools"
"$OUT/tools/bin/python" -m pip install -q build
"$OUT/tools/bin/python" -m build --outdir "$OUT/dist" Bindings/python >"$OUT/build.log" 2>&1 || {
    cat "$OUT/build.log"
    exit 1
}
rm -rf Bindings/python/build Bindings/python/src/*.egg-info
SDIST=$(ls "$OUT"/dist/crc64-*.tar.gz)
VERSION=$(sed -n 's/^#define LIBCRC64_VERSION_STRING "\(.*\)"/\1/p' Sources/CCRC64/include/crc64.h)
if [ "$(basename "$SDIST")" != "crc64-$VERSION.tar.gz" ]; then
    echo "python.sh: $SDIST is not version $VERSION (crc64.h)" >&2
    exit 1
fi
# The sdist carries the C library (the repository's one copy, collected) and the license; no build leftovers.
tar tzf "$SDIST" >"$OUT/sdist.txt"
(cd Sources/CCRC64 && find . -type f | sed 's|^\./||' | sort) >"$OUT/library.txt"
sed -n "s|^crc64-$VERSION/CCRC64/\(.*[^/]\)$|\1|p" "$OUT/sdist.txt" | sort >"$OUT/sdist-library.txt"
diff "$OUT/library.txt" "$OUT/sdist-library.txt" || { echo "python.sh: the sdist's CCRC64/ differs" >&2; exit 1; }
for file in LICENSE pyproject.toml setup.py tests/test_crc64.py; do
    grep -qx "crc64-$VERSION/$file" "$OUT/sdist.txt" || { echo "python.sh: no $file in the sdist" >&2; exit 1; }
done
if grep -E '/build/|\.so$|\.o$|__pycache__' "$OUT/sdist.txt"; then
    echo "python.sh: build leftovers in the sdist" >&2
    exit 1
fi
ls -l "$OUT/dist"

# The CPython versions to test: 3.10-3.13 from pyenv, all four required where pyenv has any of them (a machine set up
# for this, like CI's); elsewhere (a pyenv without them, or none) $PYTHON alone, said so.
PYTHONS=()
missing=()
if command -v pyenv >/dev/null; then
    for minor in 3.10 3.11 3.12 3.13; do
        found=$(pyenv_python "$minor")
        if [ -n "$found" ]; then PYTHONS+=("$found"); else missing+=("$minor"); fi
    done
fi
if [ ${#PYTHONS[@]} -eq 0 ]; then
    echo "python.sh: no CPython 3.10-3.13 under pyenv: testing $("$PYTHON" --version) only"
    PYTHONS+=("$PYTHON")
elif [ ${#missing[@]} -gt 0 ]; then
    echo "python.sh: pyenv has no CPython ${missing[*]}: install them (pyenv install), all four are tested" >&2
    exit 1
fi

for interpreter in "${PYTHONS[@]}"; do
    name=$("$interpreter" -c 'import sys; print("py%d.%d" % sys.version_info[:2])')
    echo "--- pip install crc64-$VERSION.tar.gz alone, in an empty folder ($("$interpreter" --version))"
    mkdir -p "$OUT/$name/empty"
    cp "$SDIST" "$OUT/$name/empty/"
    "$interpreter" -m venv "$OUT/$name/venv"
    PY=$OUT/$name/venv/bin/python
    # Not from pip's cache, which keeps the wheel it built from an sdist by the sdist's path and would install that
    # of an earlier build at the same path.
    (cd "$OUT/$name/empty" && "$PY" -m pip install -q --no-cache-dir "crc64-$VERSION.tar.gz")
    "$PY" -m pip install -q crcmod numpy # for the tests only: crcmod side by side, numpy arrays as buffers
    # The suite checks the dispatched kernel against /proc/cpuinfo (test_kernels_match_the_cpu).
    echo "dispatched kernel: $(cd "$OUT" && "$PY" -c 'import crc64; print(crc64.active_kernel())')"
    run_suite "$OUT/$name/unittest.log" "$TESTS" "$HOOK_TESTS $PLATFORM_SKIPS" "$PY"
done
PY=$OUT/$name/venv/bin/python # the last one, for the test build

# The test build: the hooks for the GIL and buffer tests, and on Linux with gcc's libasan also AddressSanitizer and
# UndefinedBehaviorSanitizer. The extension only: Python itself is not instrumented, its runtime is preloaded.
# Freed memory stays out of reuse for a while under ASan (its quarantine), which the test that models free their
# tables would count.
ASAN_LIB=$(gcc -print-file-name=libasan.so 2>/dev/null || true)
UBSAN_LIB=$(gcc -print-file-name=libubsan.so 2>/dev/null || true)
if [ "$OS" = Linux ] && [ -f "$ASAN_LIB" ] && [ -f "$UBSAN_LIB" ]; then
    echo "--- the suite on the test build, under AddressSanitizer and UndefinedBehaviorSanitizer (gcc)"
    CC=gcc CFLAGS="-DCRC64_TEST_HOOKS -fsanitize=address,undefined -fno-sanitize-recover=undefined \
-fno-omit-frame-pointer -g" LDFLAGS="-fsanitize=address,undefined" \
        "$PY" -m pip install -q --no-deps --target "$OUT/test-build" Bindings/python
    SANITIZERS="LD_PRELOAD=$ASAN_LIB:$UBSAN_LIB ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=1"
    SANITIZERS+=" UBSAN_OPTIONS=print_stacktrace=1"
else
    echo "--- the suite on the test build (no ASan here: that needs Linux and gcc's libasan)"
    CFLAGS="-DCRC64_TEST_HOOKS" "$PY" -m pip install -q --no-deps --target "$OUT/test-build" Bindings/python
    SANITIZERS=""
fi
rm -rf Bindings/python/build Bindings/python/src/*.egg-info
# shellcheck disable=SC2086 # SANITIZERS is a list of assignments
TEST_BUILD=(env PYTHONPATH="$OUT/test-build" $SANITIZERS "$PY")
(cd "$OUT" && "${TEST_BUILD[@]}" -c 'import crc64; assert "/test-build/" in crc64.__file__, crc64.__file__
assert hasattr(crc64._crc64, "_test_arm"), "not the test build"')
run_suite "$OUT/unittest-test-build.log" "$TESTS" "$PLATFORM_SKIPS" "${TEST_BUILD[@]}"

echo "--- the wheel that python -m build made, in a fresh venv"
"$PYTHON" -m venv "$OUT/wheel-venv"
"$OUT/wheel-venv/bin/python" -m pip install -q "$OUT"/dist/crc64-*.whl
(cd "$OUT" && "$OUT/wheel-venv/bin/python" -c '
import crc64, crc64.crcmod as crcmod, crc64.crcmod.predefined
f = crcmod.mkCrcFun(0x142F0E1EBA9EA3693, initCrc=0, xorOut=0xffffffffffffffff, rev=True)
assert str(f(b"123456789")) == "11051210869376104954" == crc64.to_decimal(crc64.xz(b"123456789"))
assert crc64.crcmod.predefined.mkPredefinedCrcFun("crc-32")(b"123456789") == 0xCBF43926
print("wheel", crc64.__version__, "kernel", crc64.active_kernel(), "OK")')
echo "python.sh: all passed"
