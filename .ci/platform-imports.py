#!/usr/bin/env python3
"""No Swift toolchain for Windows runs here, so this checks what can be checked without one: every import of a
system module that Windows lacks (Glibc, Musl, Darwin) sits inside an #if that rules Windows out, either
`canImport(<that module>)` or `!os(Windows)`, in every Swift file of the package (the targets CRC64Kit's users
build, its tools, tests and benchmarks), and CRC64Kit imports no system module at all.

Run from the repository root: python3 .ci/platform-imports.py
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
POSIX_MODULES = {"Glibc", "Musl", "Darwin"}
IMPORT = re.compile(r"^\s*(?:@\w+\s+)*(?:(?:public|internal|package|private|fileprivate)\s+)?import\s+(\w+)")


def guards_windows(condition, module):
    return f"canImport({module})" in condition or "!os(Windows)" in condition


def check(path):
    problems = []
    stack = []  # the conditions of the enclosing #if / #elseif branches
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("#if "):
            stack.append(stripped[4:])
        elif stripped.startswith("#elseif "):
            stack[-1] = stripped[8:]
        elif stripped.startswith("#else"):
            stack[-1] = "!(" + stack[-1] + ")"
        elif stripped.startswith("#endif"):
            stack.pop()
        match = IMPORT.match(line)
        if not match or match.group(1) not in POSIX_MODULES:
            continue
        module = match.group(1)
        if "Sources/CRC64Kit/" in str(path):
            problems.append(f"{path}:{number}: CRC64Kit imports {module}")
        elif not any(guards_windows(condition, module) for condition in stack):
            problems.append(f"{path}:{number}: import {module} is not under #if canImport({module}) or !os(Windows)")
    return problems


def main():
    files = sorted(p for folder in ("Sources", "Tests", "Benchmarks") for p in (ROOT / folder).rglob("*.swift"))
    problems = [problem for path in files for problem in check(path)]
    for problem in problems:
        print(problem)
    print(f"platform imports: {len(files)} Swift files, {len(problems)} unguarded")
    return 1 if problems or not files else 0


if __name__ == "__main__":
    sys.exit(main())
