# shellcheck shell=bash
# What .ci/python.sh and .ci/dask.sh share, sourced once they have set PYTHON, ROOT (the checkout) and OUT (their
# scratch folder): the build tools, pyenv's interpreters and the unittest run that must end in OK with exactly the
# expected skips. Messages name the script that sourced this file.

# need_build_tools: a venv module, Python's headers and a C compiler for $PYTHON, installed with apt-get if missing.
need_build_tools() {
    local has_headers='import os, sys, sysconfig
sys.exit(not os.path.exists(sysconfig.get_paths()["include"] + "/Python.h"))'
    if ! "$PYTHON" -m venv "$OUT/probe" >/dev/null 2>&1 || ! "$PYTHON" -c "$has_headers" || ! command -v cc >/dev/null
    then
        echo "$(basename "$0"): installing python3-venv, python3-dev and a C compiler"
        apt-get update -qq && apt-get install -y -qq python3-venv python3-dev gcc >/dev/null
    fi
    rm -rf "$OUT/probe"
}

# pyenv_python MINOR: the newest CPython MINOR.x that pyenv has (its bin/python3), or nothing.
pyenv_python() {
    command -v pyenv >/dev/null || return 0
    local found
    found=$(ls -d "$(pyenv root)/versions/$1".* 2>/dev/null | sort -t. -k3 -n | tail -n 1 || true)
    if [ -n "$found" ]; then echo "$found/bin/python3"; fi
}

# run_suite LOG TESTS "EXPECTED_SKIPS" COMMAND...: the unittest suite in the folder TESTS under COMMAND (a python,
# or env ... python), from $OUT (without the package's sources, so that the installed package is imported), then
# the check of its closing line and of its skips.
run_suite() {
    local log=$1 tests=$2 expected status=0
    expected=$(printf '%s\n' $3 | sed '/^$/d' | sort)
    shift 3
    (cd "$OUT" && "$@" -m unittest discover -s "$tests" -v 2>&1) | tee "$log" || status=$?
    local skipped ran ok
    skipped=$(sed -n "s/^\(test_[A-Za-z0-9_]*\) (.*) \.\.\. skipped .*/\1/p" "$log" | sort)
    ran=$(grep -Ec '^Ran [1-9][0-9]* tests? in' "$log" || true)
    if [ -z "$expected" ]; then ok='OK'; else ok="OK (skipped=$(printf '%s\n' "$expected" | wc -l | tr -d ' '))"; fi
    if [ "$status" -ne 0 ] || [ "$ran" -ne 1 ] || [ "$(tail -n 1 "$log")" != "$ok" ] || [ "$skipped" != "$expected" ]
    then
        echo "$(basename "$0"): the suite failed, ran no tests, or skipped other tests than expected" >&2
        echo "  expected skips: $(echo $expected)" >&2
        echo "  actual skips:   $(echo $skipped)" >&2
        exit 1
    fi
}
