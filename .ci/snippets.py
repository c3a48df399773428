#!/usr/bin/env python3
"""Every code snippet a user copies from the README and the DocC articles compiles as shown.

  ```c      a complete program: compiled with gcc and clang (C99, -Wall -Wextra -Wpedantic -Werror) together with the C
            library's sources, then run; it must exit 0 (the README's programs check their own values).
  ```swift  type-checked against the package's debug build (swift build must have run): each snippet becomes the body
            of a throwing function, its imports go to the top of the file, and the names a snippet leaves to the
            reader (`bytes`, `pointer`, `path`...) are declared once below in PLACEHOLDERS, with the types the text
            gives them. Package.swift fragments (`.package(...)`, `.target(...)`) are type-checked as a manifest.
  other     (sh, cmake, python, text) not compiled here: the CMake and Python stages run those paths for real.

Run from the repository root: python3 .ci/snippets.py [markdown files...]
"""

import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The getting-started articles are not here: they walk through calls to an object store's client, which this package
# does not have, so their snippets would need a mock SDK rather than placeholders.
DOCUMENTS = ["README.md", "Sources/CRC64Kit/Documentation.docc/ReplacingYourOwnCRC64.md"]

# What the prose around the Swift snippets says these names are.
PLACEHOLDERS = """
let body: [UInt8] = [], bytes: [UInt8] = [], chunk: [UInt8] = [], appended: [UInt8] = []
let download: [[UInt8]] = [], chunks: [[UInt8]] = []
let pointer: UnsafeRawPointer? = nil, count = 0
let buffer = UnsafeRawBufferPointer(start: nil, count: 0)
let previousObjectCRC: UInt64 = 0, crcOfPart1: UInt64 = 0, crcOfPart2: UInt64 = 0, crc1: UInt64 = 0, crc2: UInt64 = 0
let len2: UInt64 = 0, fullSizeParts: [UInt64] = [], fullSizedPartValues: [UInt64] = []
let ossHeader = "", s3Header = "", path = "", headers: [String: String] = [:]
var crc: UInt64 = 0
"""

FENCE = re.compile(r"^```(\w*)\s*$")
DECLARATION = re.compile(r"^(public |internal |final )*(struct|class|enum|extension|actor) ", re.MULTILINE)


def snippets(path):
    """(language, first line number, text) of every fenced block."""
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    block, language, start = None, None, 0
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if block is None:
            match = FENCE.match(stripped)
            if match:
                block, language, start = [], match.group(1), number + 1
        elif stripped == "```":
            yield language, start, "\n".join(block) + "\n"
            block = None
        else:
            block.append(line)


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        print("$ " + " ".join(map(str, command)))
        print(result.stdout + result.stderr)
    return result.returncode == 0


def check_c(label, text, work):
    source = work / "snippet.c"
    source.write_text(text)
    library = sorted(str(p) for p in (ROOT / "Sources/CCRC64").glob("*.c"))
    include = ["-I", str(ROOT / "Sources/CCRC64/include")]
    for compiler in ("gcc", "clang"):
        if not shutil.which(compiler):
            print(f"{label}: {compiler} not found")
            return False
        # The snippet as C99, the oldest C a user is likely to compile it with; the library as it is built (C11).
        snippet_object, binary = work / f"snippet-{compiler}.o", work / f"snippet-{compiler}"
        if not (run([compiler, "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Werror", *include, "-c", str(source),
                     "-o", str(snippet_object)])
                and run([compiler, "-std=c11", "-O1", *include, *library, str(snippet_object), "-o", str(binary)])
                and run([str(binary)])):
            return False
    return True


def swift_flags():
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    modules = pathlib.Path(bin_path) / "Modules"
    if not (modules / "CRC64Kit.swiftmodule").exists():
        modules = pathlib.Path(bin_path)
    if not (modules / "CRC64Kit.swiftmodule").exists():
        sys.exit(f"snippets: no CRC64Kit module under {bin_path}: run swift build first")
    module_map = pathlib.Path(bin_path) / "CCRC64.build" / "module.modulemap"
    return ["-I", str(modules), "-Xcc", f"-fmodule-map-file={module_map}",
            "-Xcc", "-I" + str(ROOT / "Sources/CCRC64/include")]


def check_swift(label, text, work, flags):
    if text.lstrip().startswith((".package(", ".target(", ".product(")):
        return check_manifest(label, text, work)
    source = work / "snippet.swift"
    if DECLARATION.search(text):
        # A file of its own (a type that replaces an SDK's): compiled as it stands, with its own imports.
        source.write_text(text)
        return run(["swiftc", "-typecheck", "-parse-as-library", "-swift-version", "6", *flags, str(source)])
    # Statements: the body of a function, inside a block of their own, so that they may shadow the placeholders.
    imports = [line for line in text.splitlines() if line.startswith("import ")]
    body = "\n".join("        " + line for line in text.splitlines() if not line.startswith("import "))
    placeholders = "\n".join("    " + line for line in PLACEHOLDERS.strip().splitlines())
    source.write_text("\n".join([
        "import CRC64Kit", "import CRC64Files", *imports,
        "@available(macOS 10.14.4, iOS 12.2, watchOS 5.2, tvOS 12.2, visionOS 1.0, *)",
        "func snippet(span: RawSpan) throws {", placeholders, "    do {", body, "    }", "}", ""]))
    return run(["swiftc", "-typecheck", "-parse-as-library", "-swift-version", "6", *flags, str(source)])


def check_manifest(label, text, work):
    """A Package.swift fragment: dependencies and targets entries, placed in a manifest and type-checked."""
    dependencies = [line for line in text.splitlines() if line.strip().startswith(".package(")]
    targets = text if not dependencies else ""
    manifest = work / "Package.swift"
    manifest.write_text("\n".join([
        "import PackageDescription",
        "let package = Package(name: \"App\",",
        "    dependencies: [", *dependencies, "    ],",
        "    targets: [", targets, "    ])", ""]))
    swift = pathlib.Path(shutil.which("swift")).resolve()
    manifest_api = swift.parent.parent / "lib" / "swift" / "pm" / "ManifestAPI"
    return run(["swiftc", "-typecheck", "-swift-version", "6", "-I", str(manifest_api),
                "-package-description-version", "6.0", str(manifest)])


def main():
    documents = sys.argv[1:] or DOCUMENTS
    flags = None
    checked, failed = 0, []
    with tempfile.TemporaryDirectory(prefix="snippets-") as directory:
        work = pathlib.Path(directory)
        for document in documents:
            for language, line, text in snippets(document):
                label = f"{document}:{line} ({language or 'plain'})"
                if language == "c":
                    ok = check_c(label, text, work)
                elif language == "swift":
                    flags = flags or swift_flags()
                    ok = check_swift(label, text, work, flags)
                else:
                    continue
                checked += 1
                print(f"{'ok  ' if ok else 'FAIL'} {label}")
                if not ok:
                    failed.append(label)
    print(f"snippets: {checked} compiled, {len(failed)} failed")
    if checked == 0:
        print("snippets: no C or Swift snippet found: the extraction is broken")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
