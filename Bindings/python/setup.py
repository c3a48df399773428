"""Builds the crc64 package: a CPython extension compiled from this repository's C library, Sources/CCRC64.

The C sources are referenced where they live (../../Sources/CCRC64/*.c), never copied, so the package runs the
same kernels as the Swift package and libcrc64; the version is read from crc64.h, the library's single source of
truth. That makes this directory buildable in place only -- `pip install Bindings/python` and
`pip wheel Bindings/python` from a checkout -- and not as a standalone sdist.

No -m flags: each kernel carries its own __attribute__((target(...))) and is chosen at run time.
"""

import glob
import os
import re

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
LIBRARY = os.path.join("..", "..", "Sources", "CCRC64")


def header_version():
    with open(os.path.join(HERE, LIBRARY, "include", "crc64.h"), encoding="utf-8") as header:
        match = re.search(r'^#define LIBCRC64_VERSION_STRING "([^"]+)"', header.read(), re.MULTILINE)
    if not match:
        raise RuntimeError("LIBCRC64_VERSION_STRING not found in " + os.path.join(LIBRARY, "include", "crc64.h"))
    return match.group(1)


# By glob, so that files added to the library are compiled in without touching this script. Absolute paths: with
# "../.." in a source's path setuptools would put its object file outside build/ (build/temp.../../../Sources/...).
library_sources = sorted(glob.glob(os.path.join(HERE, LIBRARY, "*.c")))
# setuptools relinks when a source or one of these is newer than the built module.
library_headers = sorted(
    glob.glob(os.path.join(HERE, LIBRARY, "*.h")) + glob.glob(os.path.join(HERE, LIBRARY, "include", "*.h"))
)
if not library_sources:
    raise RuntimeError("no C sources in " + LIBRARY + ": build from a checkout of swift-crc64")

setup(
    name="crc64",
    version=header_version(),
    description="Fast CRC-64 (XZ/OSS, NVME/S3 and any 64-bit model), with a drop-in crcmod replacement",
    long_description=open(os.path.join(HERE, "README.md"), encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    package_dir={"": "src"},
    packages=["crc64"],
    package_data={"crc64": ["py.typed", "*.pyi"]},
    ext_modules=[
        Extension(
            "crc64._crc64",
            sources=[os.path.join("src", "_crc64.c")] + library_sources,
            include_dirs=[os.path.join(LIBRARY, "include")],
            # The library is linked into the extension, not imported from a DLL (crc64.h's Windows declarations).
            define_macros=[("LIBCRC64_STATIC", "1")],
            depends=library_headers,
            # Python's own CFLAGS carry -O3, but a CFLAGS in the environment replaces them (CFLAGS=-g gives -O0, and
            # kernels 4x slower at 256 KiB, measured): the kernels are always optimized.
            extra_compile_args=["-O3"],
        )
    ],
    zip_safe=False,
)
