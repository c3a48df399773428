#!/usr/bin/env bash
# `import CRC64Kit` must have no side effects beyond computing: its objects and the C core's reference no
# pthread_create, sigaction or mmap (those belong to CRC64Files, which is checked to reference them, so that the
# check cannot pass by looking at the wrong files). Builds the debug products first (fast when `swift test` ran).
set -uo pipefail
cd "$(dirname "$0")/.."
swift build --target CRC64Files >/dev/null || { echo "pure-core: swift build failed"; exit 1; }
bin=$(swift build --show-bin-path)
forbidden='^(pthread_create|sigaction|signal|mmap|mmap64)$'
status=0
for module in CRC64Kit CCRC64 CRC64Files; do
    objects=("$bin/$module.build"/*.o)
    if [ ! -e "${objects[0]}" ]; then
        echo "pure-core: no objects in $bin/$module.build"
        exit 1
    fi
    found=$(nm -u "${objects[@]}" 2>/dev/null | awk '{print $NF}' | sed 's/@.*//' | grep -E "$forbidden" | sort -u | tr '\n' ' ')
    case $module in
    CRC64Files)
        if [ -z "$found" ]; then
            echo "FAIL CRC64Files references none of pthread_create, sigaction, mmap: the check looks at the wrong files"
            status=1
        else
            echo "ok   CRC64Files references: $found(as it should)"
        fi
        ;;
    *)
        if [ -n "$found" ]; then
            echo "FAIL $module references: $found"
            status=1
        else
            echo "ok   $module references no thread, signal or mapping call (${#objects[@]} objects)"
        fi
        ;;
    esac
done
if [ $status = 0 ]; then echo "pure-core: 3 passed, 0 failed"; else echo "pure-core: check failed"; fi
exit $status
