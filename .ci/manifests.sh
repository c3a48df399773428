#!/usr/bin/env bash
# The two package manifests, for the Swift versions adopters use:
#   1. Package@swift-6.2.swift (read by Swift 6.2 and later) is Package.swift (tools version 6.0, read by 6.0 and
#      6.1) plus the frame-pointer flag and its comment, and nothing else;
#   2. with Package@swift-6.2.swift removed, Package.swift resolves as tools version 6.0 and the whole package builds
#      (tests included) with this toolchain, in a copy of the tracked files.
# This toolchain is newer than 6.0: step 2 proves the manifest and the `#if compiler(>=6.2)` guards compile here, not
# that a 6.0 or 6.1 compiler accepts the code; the GitHub workflow's swift:6.0 and swift:6.1 jobs do that.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0

# Strip each manifest's own header comment (before `import`) and, from the 6.2 one, the flag and its comment.
strip_header() { awk 'f || /^import /{ f = 1; print }' "$1"; }
diff <(strip_header Package.swift) \
    <(strip_header Package@swift-6.2.swift | grep -v -e 'momit-leaf-frame-pointer' |
        awk '/^ *\/\/ SwiftPM builds C with frame pointers/ { skip = 4 } skip { skip--; next } { print }') &&
    echo "ok   Package@swift-6.2.swift is Package.swift plus the frame-pointer flag" ||
    { echo "FAIL the manifests differ in more than the frame-pointer flag (above)"; status=1; }

copy=$(mktemp -d "${TMPDIR:-/tmp}/manifest-6.0.XXXXXX")
trap 'rm -rf "$copy"' EXIT
git ls-files -z | grep -zv '^Package@swift-6.2.swift$' | xargs -0 cp --parents -t "$copy"
tools=$(cd "$copy" && swift package tools-version)
if [ "$tools" = 6.0.0 ]; then echo "ok   without Package@swift-6.2.swift the tools version is $tools"; else
    echo "FAIL tools version '$tools' without Package@swift-6.2.swift (expected 6.0.0)"
    status=1
fi
if (cd "$copy" && swift build --build-tests 2>&1 | tail -3); then
    echo "ok   the package builds from Package.swift (tools version 6.0) alone"
else
    echo "FAIL the package does not build from Package.swift alone"
    status=1
fi
exit $status
