#!/usr/bin/env python3
"""Where releasing the GIL pays: builds the crc64 extension at several GIL_RELEASE_MIN thresholds and times, per
input size, one thread against two threads each hashing its own buffer, for every build, interleaved.

    python Benchmarks/python-gil-threshold.py [--thresholds 4096,8192,16384,65536,never] [--sizes ...] [--reps 5]

Each build is `pip install --target` of Bindings/python with CFLAGS=-DGIL_RELEASE_MIN=N (setup.py keeps -O3), loaded
under its own module name. A figure of 2.0x means two threads did twice the work of one; 1.0x, the same work (the
GIL serialized them); below 1.0x, contention made them slower together than one alone. On a shared machine run it
when the other core is free: python-bench.py's control (the C loop in two processes) says whether it is.
"""

import argparse
import glob
import importlib.machinery
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "Bindings", "python")
NEVER = (1 << 63) - 1


def build(threshold, workdir):
    """The xz function of a build releasing the GIL from `threshold` bytes on."""
    target = os.path.join(workdir, str(threshold))
    # setuptools reuses Bindings/python/build when it looks up to date: start each build from nothing.
    shutil.rmtree(os.path.join(PACKAGE, "build"), ignore_errors=True)
    env = dict(os.environ, CFLAGS=f"-DGIL_RELEASE_MIN={threshold}")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", target, PACKAGE],
                   env=env, check=True)
    shutil.rmtree(os.path.join(PACKAGE, "build"), ignore_errors=True)
    path = glob.glob(os.path.join(target, "crc64", "_crc64*"))[0]
    name = f"gil_{threshold}._crc64"
    loader = importlib.machinery.ExtensionFileLoader(name, path)
    module = importlib.util.module_from_spec(importlib.util.spec_from_file_location(name, path, loader=loader))
    loader.exec_module(module)
    assert module.GIL_RELEASE_MIN == threshold, (module.GIL_RELEASE_MIN, threshold)
    return module.xz


def load_bench():
    """python-bench.py as a module: its thread timing serves here too."""
    spec = importlib.util.spec_from_file_location("python_bench", os.path.join(ROOT, "Benchmarks", "python-bench.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--thresholds", default="4096,8192,16384,65536,never")
    parser.add_argument("--sizes", default="4096,8192,16384,32768,65536,1048576")
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    thresholds = [NEVER if t == "never" else int(t) for t in args.thresholds.split(",")]
    bench = load_bench()
    with tempfile.TemporaryDirectory() as workdir:
        functions = {t: build(t, workdir) for t in thresholds}
        label = {t: "never" if t == NEVER else str(t) for t in thresholds}
        print("two threads' work over one thread's (medians of per-repetition ratios); single-thread ns per call")
        print()
        print("| size | " + " | ".join(f"release from {label[t]}" for t in thresholds) + " |")
        print("|---:|" + "---:|" * len(thresholds))
        for size in [int(s) for s in args.sizes.split(",")]:
            buffers = [os.urandom(size), os.urandom(size)]
            calls = max(20, int(20e6 / (size / 20 + 100)))  # about 20 ms a timing
            runs = {t: [] for t in thresholds}
            for _ in range(args.reps):
                for t, function in functions.items():
                    one = bench.threads_rate(1, function, buffers[:1], calls)
                    runs[t].append((one, bench.threads_rate(2, function, buffers, calls)))
            cells = []
            for t in thresholds:
                ratio = statistics.median(two / one for one, two in runs[t])
                ns = size / statistics.median(one for one, two in runs[t])
                cells.append(f"{ratio:.2f}x ({ns:.0f} ns)")
            print(f"| {size} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
