"""Builds the crc64 package: a CPython extension compiled from this repository's C library, Sources/CCRC64.

The repository keeps one copy of the C sources. A build from a checkout reads them in place, ../../Sources/CCRC64; the
sdist step below copies them into the sdist (as CCRC64/, with the repository's LICENSE), so that the sdist builds
anywhere on its own, and a build from an unpacked sdist reads that copy. The version is read from crc64.h, the
library's single source of truth. Everything else about the project is in pyproject.toml.

No -m flags: each kernel carries its own __attribute__((target(...))) and is chosen at run time.
"""

import glob
import os
import re
import shutil
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.sdist import sdist

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT_LIBRARY = os.path.join("..", "..", "Sources", "CCRC64")
CHECKOUT_LICENSE = os.path.join("..", "..", "LICENSE")
SDIST_LIBRARY = "CCRC64"  # the copy an sdist carries
LIBRARY = SDIST_LIBRARY if os.path.isdir(os.path.join(HERE, SDIST_LIBRARY)) else CHECKOUT_LIBRARY


def header_version():
    with open(os.path.join(HERE, LIBRARY, "include", "crc64.h"), encoding="utf-8") as header:
        match = re.search(r'^#define LIBCRC64_VERSION_STRING "([^"]+)"', header.read(), re.MULTILINE)
    if not match:
        raise RuntimeError("LIBCRC64_VERSION_STRING not found in " + os.path.join(LIBRARY, "include", "crc64.h"))
    return match.group(1)


def library_files(pattern):
    # Relative to HERE, with / separators: setuptools wants project-relative paths, and the sdist step below leaves
    # out those under ../.. (it copies the library instead). By glob, so that files added to the library are
    # compiled in without touching this script.
    paths = glob.glob(os.path.join(HERE, LIBRARY, pattern))
    return sorted(os.path.relpath(p, HERE).replace(os.sep, "/") for p in paths)


library_sources = library_files("*.c")
if not library_sources:
    raise RuntimeError("no C sources in " + LIBRARY + ": build from a checkout of swift-crc64 or from its sdist")


class CollectingSdist(sdist):
    """The sdist carries the C library and the license, which a checkout keeps outside this directory."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, [f for f in files if not f.replace(os.sep, "/").startswith("../")])
        if LIBRARY == CHECKOUT_LIBRARY:
            shutil.copytree(os.path.join(HERE, CHECKOUT_LIBRARY), os.path.join(base_dir, SDIST_LIBRARY))
            shutil.copyfile(os.path.join(HERE, CHECKOUT_LICENSE), os.path.join(base_dir, "LICENSE"))


class OptimizingBuildExt(build_ext):
    """The library's flags for each compiler, as its other two builds (Package@swift-6.2.swift, CMake) set them.

    GCC and Clang: -O3 whatever the environment says (Python's own CFLAGS carry it, but a CFLAGS in the environment
    replaces them: CFLAGS=-g gives -O0, and kernels 4x slower at 256 KiB, measured), and on Linux, where Python
    builds keep frame pointers, none in leaf functions: the kernels and the entry points that jump to them are
    leaves, and their frames cost 0.25-0.5 ns a call at 16-64 bytes. MSVC: C11 with its atomics (Visual Studio 2022
    17.5 or later), and setuptools' own /Ox."""

    def build_extensions(self):
        if self.compiler.compiler_type == "msvc":
            flags = ["/std:c11", "/experimental:c11atomics"]
        else:
            flags = ["-O3"] + (["-momit-leaf-frame-pointer"] if sys.platform.startswith("linux") else [])
        for extension in self.extensions:
            extension.extra_compile_args = extension.extra_compile_args + flags
        super().build_extensions()


setup(
    version=header_version(),
    ext_modules=[
        Extension(
            "crc64._crc64",
            sources=["src/_crc64.c"] + library_sources,
            include_dirs=[LIBRARY + "/include"],
            # The library is linked into the extension, not imported from a DLL (crc64.h's Windows declarations).
            define_macros=[("LIBCRC64_STATIC", "1")],
            # setuptools rebuilds when a source or one of these is newer than the built module.
            depends=library_files("*.h") + library_files("include/*.h"),
        )
    ],
    cmdclass={"sdist": CollectingSdist, "build_ext": OptimizingBuildExt},
)
