#!/usr/bin/env bash
# `import CRC64Kit` must have no side effects beyond computing, and must not bring Foundation or the system's POSIX
# interface along (the README promises both):
#   1. the objects of CRC64Kit and of the C core reference no pthread_create, sigaction or mmap (those belong to
#      CRC64Files, which is checked to reference them, so that the check cannot pass by looking at the wrong files);
#   2. every function they call outside the library and the Swift runtime is one of the C standard library's few that
#      the core needs (allocation, getenv, fprintf for the CRC64_KERNEL warning, mem*, strcmp): no POSIX call;
#   3. CRC64Kit imports no Foundation module, read from the compiler's own dependency files (the test support module,
#      which imports Foundation, is the control).
# Builds the debug products first (fast when `swift test` ran).
set -uo pipefail
cd "$(dirname "$0")/.."
swift build --target CRC64Files >/dev/null && swift build --target CRC64TestSupport >/dev/null ||
    { echo "pure-core: swift build failed"; exit 1; }
bin=$(swift build --show-bin-path)
forbidden='^(pthread_create|sigaction|signal|mmap|mmap64)$'
# What the C core and CRC64Kit may call besides their own libcrc64_* symbols and the Swift runtime (swift_*, $s...):
# a few C standard functions, the platform's CPU query, and what the Swift standard library's inlined code calls
# (malloc_usable_size: the size of a heap block, for withUnsafeTemporaryAllocation and buffers that grow).
allowed='^(aligned_alloc|free|getenv|fprintf|stderr|memcpy|memmove|memset|strcmp|getauxval|__stack_chk_fail'
allowed+='|malloc_usable_size|malloc_size)$'
status=0
passed=0
pass() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; status=1; }

undefined() { nm -u "$@" 2>/dev/null | awk 'NF {print $NF}' | grep -v ':$' | sed 's/@.*//' | sort -u; }

for module in CRC64Kit CCRC64 CRC64Files; do
    objects=("$bin/$module.build"/*.o)
    if [ ! -e "${objects[0]}" ]; then
        echo "pure-core: no objects in $bin/$module.build"
        exit 1
    fi
    found=$(undefined "${objects[@]}" | grep -E "$forbidden" | tr '\n' ' ')
    case $module in
    CRC64Files)
        if [ -z "$found" ]; then
            fail "CRC64Files references none of pthread_create, sigaction, mmap: the check looks at the wrong files"
        else
            pass "CRC64Files references: $found(as it should)"
        fi
        ;;
    *)
        if [ -n "$found" ]; then fail "$module references: $found"; else
            pass "$module references no thread, signal or mapping call (${#objects[@]} objects)"
        fi
        others=$(undefined "${objects[@]}" | grep -v -e '^libcrc64_' -e '^swift_' -e '^\$s' -e '^_swift' |
            grep -Ev "$allowed" | tr '\n' ' ')
        if [ -n "$others" ]; then fail "$module calls outside the C standard library's allowed few: $others"; else
            pass "$module calls nothing outside the library, the Swift runtime and a few C standard functions"
        fi
        ;;
    esac
done

# The modules a target imports, as the compiler recorded them in its dependency files.
imported() {
    cat "$bin/$1.build"/*.d 2>/dev/null | tr ' ' '\n' | sed -n 's|.*/\([A-Za-z_]*\)\.swiftmodule/.*|\1|p' | sort -u
}
control=$(imported CRC64TestSupport | grep -c '^Foundation')
found=$(imported CRC64Kit | grep '^Foundation' | tr '\n' ' ')
if [ "$control" = 0 ]; then
    fail "CRC64TestSupport's dependency files name no Foundation module: the check reads the wrong files"
elif [ -n "$found" ]; then
    fail "CRC64Kit imports $found"
else
    pass "CRC64Kit imports no Foundation module (the control, CRC64TestSupport, imports $control)"
fi
if [ $status = 0 ]; then echo "pure-core: $passed passed, 0 failed"; else echo "pure-core: check failed"; fi
exit $status
