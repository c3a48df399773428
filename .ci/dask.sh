#!/usr/bin/env bash
# crc64[dask] (crc64.dask and python -m crc64) on real parts: the sdist, made by `python -m build`, is installed with
# its dask extra (pip install "crc64[dask] @ file://...crc64-VERSION.tar.gz") into a fresh venv on CPython 3.13 (from
# pyenv; else $PYTHON), with what only the tests use beside it: s3fs, moto's S3 server, boto3 and awscrt (botocore's
# CRC64NVME). Then Bindings/python/tests-dask runs, without a skip: Dask's threads, a LocalCluster of two worker
# processes (256 MiB in 8 MiB parts against crc64.xz and crc64sum, workers that die once and every time), objects in
# moto's S3 server with their x-amz-checksum-crc64nvme, and the command. A stage of its own, not part of python.sh:
# that one tests the package as it is without extras, on four interpreters and under ASan; this one needs about
# 100 MB of other packages and one interpreter (the extra is pure Python over the same extension).
#
# Environment: CRC64SUM  a crc64sum binary to compare with (default: the one `swift build` made, which .ci/run's
#                        first stage builds: $(swift build --show-bin-path)/crc64sum)
#              PYTHON    the interpreter where pyenv has no CPython 3.13 (default python3)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
ROOT=$PWD
OUT=$ROOT/.build-dask
rm -rf "$OUT" Bindings/python/build Bindings/python/src/*.egg-info
mkdir -p "$OUT"
. .ci/python-common.sh

if [ -z "${CRC64SUM:-}" ] && command -v swift >/dev/null; then CRC64SUM=$(swift build --show-bin-path)/crc64sum; fi
if [ ! -x "${CRC64SUM:-}" ]; then
    echo "dask.sh: no crc64sum binary at '${CRC64SUM:-}': set CRC64SUM, or build it first (swift build)" >&2
    exit 1
fi
export CRC64SUM
INTERPRETER=$(pyenv_python 3.13)
if [ -z "$INTERPRETER" ]; then
    INTERPRETER=$PYTHON
    need_build_tools
fi
echo "dask.sh: $("$INTERPRETER" --version), crc64sum at $CRC64SUM"

echo "--- python -m build --sdist Bindings/python"
"$INTERPRETER" -m venv "$OUT/tools"
"$OUT/tools/bin/python" -m pip install -q build
"$OUT/tools/bin/python" -m build --sdist --outdir "$OUT/dist" Bindings/python >"$OUT/build.log" 2>&1 || {
    cat "$OUT/build.log"
    exit 1
}
rm -rf Bindings/python/build Bindings/python/src/*.egg-info
SDIST=$(ls "$OUT"/dist/crc64-*.tar.gz)

echo "--- pip install \"crc64[dask] @ file://$SDIST\", then s3fs, moto[server], boto3 and awscrt for the tests"
"$INTERPRETER" -m venv "$OUT/venv"
PY=$OUT/venv/bin/python
# With the sdist's hash in the URL: pip caches the wheel it builds from an sdist by the URL alone otherwise, and would
# install the wheel of an earlier sdist at the same path.
(cd "$OUT" && "$PY" -m pip install -q "crc64[dask] @ file://$SDIST#sha256=$(sha256sum "$SDIST" | cut -d' ' -f1)")
# What the extra brought, before the test packages add to it (the suite checks the declared extra too).
(cd "$OUT" && "$PY" -c 'import dask, distributed, fsspec, crc64.dask
print("crc64", crc64.__version__, "dask", dask.__version__, "distributed", distributed.__version__, "fsspec",
      fsspec.__version__)')
"$PY" -m pip install -q s3fs "moto[server]" boto3 awscrt
"$PY" -m pip check

run_suite "$OUT/unittest.log" "$ROOT/Bindings/python/tests-dask" "" "$PY"
echo "dask.sh: all passed"
