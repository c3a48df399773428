#!/usr/bin/env python3
"""Times the crc64 Python package side by side with crcmod's C extension and with a C loop over the same library.

    .ci/python.sh                                            # or: pip install Bindings/python crcmod
    .build-python/venv/bin/python Benchmarks/python-bench.py [--reps 11] [--quick]

Contenders, CRC-64/XZ of one buffer per call, independent calls (what hashing many objects sees):
  crc64.xz          the package's function: crc64.xz(buf)
  crc64.crcmod      the OSS guide's function through the drop-in: crcmod.mkCrcFun(0x142F0E1EBA9EA3693, initCrc=0,
                    xorOut=0xffffffffffffffff, rev=True) with `import crc64.crcmod as crcmod`
  crcmod            the same line with crcmod itself (its C extension, crcmod._crcfunext; refused without it)
  C                 `acc ^= libcrc64_xz(0, buf, n)` in a C loop built by this script from Sources/CCRC64/*.c with the
                    compiler and flags Python builds extensions with (the package's build), run as a coprocess
  len()             a C builtin with one argument through the same Python loop: the floor of any Python call

Every repetition times each contender once, in turn (interleaved); figures are medians over repetitions and ratios
are medians of per-repetition ratios. Then: the cost of releasing the GIL (just below and at the size from which the
package releases it), and two threads, each hashing its own 4 MiB buffer over and over, against one.
"""

import argparse
import glob
import importlib.metadata
import itertools
import os
import platform
import shlex
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUIDE = dict(initCrc=0, xorOut=0xFFFFFFFFFFFFFFFF, rev=True)
GUIDE_POLY = 0x142F0E1EBA9EA3693

HARNESS = r"""
#include "crc64.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Reads "SIZE ITERATIONS" lines; for each, times ITERATIONS independent libcrc64_xz calls over one SIZE-byte buffer
 * and prints the nanoseconds per call (and the accumulated CRC, so that the calls cannot be dropped). */
int main(void) {
    size_t size, capacity = 0;
    long iterations;
    unsigned char *buffer = NULL;
    while (scanf("%zu %ld", &size, &iterations) == 2) {
        if (size > capacity) {
            free(buffer);
            capacity = (size + 63) & ~(size_t)63;
            buffer = aligned_alloc(64, capacity);
            if (!buffer) return 1;
            uint64_t x = 0x9e3779b97f4a7c15ULL;
            for (size_t i = 0; i < capacity; i++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                buffer[i] = (unsigned char)x;
            }
        }
        uint64_t acc = 0;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (long i = 0; i < iterations; i++) acc ^= libcrc64_xz(0, buffer, size);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
        printf("%.4f %llu\n", ns / (double)iterations, (unsigned long long)acc);
        fflush(stdout);
    }
    return 0;
}
"""


def build_harness(workdir):
    """Compiles the C loop like the extension (same compiler, same CFLAGS, no -m flags) from the same sources;
    returns the binary and the command line."""
    sources = sorted(glob.glob(os.path.join(ROOT, "Sources", "CCRC64", "*.c")))
    harness = os.path.join(workdir, "harness.c")
    with open(harness, "w") as f:
        f.write(HARNESS)
    cc = shlex.split(sysconfig.get_config_var("CC") or "cc")
    cflags = shlex.split(sysconfig.get_config_var("CFLAGS") or "") + ["-O3"]  # as setup.py does
    command = cc + cflags + ["-I", os.path.join(ROOT, "Sources", "CCRC64", "include"), harness] + sources
    binary = os.path.join(workdir, "harness")
    subprocess.run(command + ["-o", binary], check=True)
    return binary, command


class CHarness:
    """The C loop as a coprocess: one line in, one timing out."""

    def __init__(self, binary):
        self.process = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def start(self, size, iterations):
        self.process.stdin.write(f"{size} {iterations}\n")
        self.process.stdin.flush()

    def result(self):
        return float(self.process.stdout.readline().split()[0])

    def time(self, size, iterations):
        self.start(size, iterations)
        return self.result()

    def close(self):
        self.process.stdin.close()
        self.process.wait()


LINES = []


def out(line=""):
    """Prints a line of the report (and keeps it for --markdown)."""
    LINES.append(line)
    print(line, flush=True)


def commit():
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "Sources", "Bindings"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + (" (with uncommitted changes to Sources/ or Bindings/)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def time_calls(function, data, iterations):
    """Nanoseconds per call of function(data), through a Python loop."""
    loop = itertools.repeat(None, iterations)
    start = time.perf_counter_ns()
    for _ in loop:
        function(data)
    return (time.perf_counter_ns() - start) / iterations


def iterations_for(seconds, function, data):
    """Calls that take about `seconds`."""
    n = 1
    while True:
        t = time_calls(function, data, n) * n / 1e9
        if t > seconds / 10 or n >= 1 << 26:
            return max(1, int(n * seconds / max(t, 1e-9)))
        n *= 4


def gbps(size, ns):
    return size / ns if ns else float("nan")


def format_size(size):
    for unit, shift in (("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return f"{size >> shift} {unit}"
    return f"{size} B"


def threads_rate(count, function, buffers, calls):
    """Aggregate GB/s of `count` threads, thread i calling function(buffers[i]) `calls` times."""
    barrier = threading.Barrier(count + 1)

    def work(data):
        barrier.wait()
        for _ in itertools.repeat(None, calls):
            function(data)

    threads = [threading.Thread(target=work, args=(buffers[i],)) for i in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter_ns()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter_ns() - start
    return count * calls * len(buffers[0]) / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=11, help="repetitions (default 11)")
    parser.add_argument("--quick", action="store_true", help="3 repetitions of shorter timings")
    parser.add_argument("--sizes", default="16,64,256,1024,4096,16384,65536,1048576", help="sizes in bytes")
    parser.add_argument("--markdown", metavar="FILE", help="also write the report to FILE")
    args = parser.parse_args()
    reps, seconds = (3, 0.02) if args.quick else (args.reps, 0.05)

    try:
        import crc64
        import crc64.crcmod
        import crcmod
    except ImportError as error:
        sys.exit(f"python-bench.py: {error}: run it with a Python where Bindings/python and crcmod are installed "
                 "(e.g. .build-python/venv/bin/python after .ci/python.sh)")
    crcmod_module = sys.modules["crcmod.crcmod"]
    if not crcmod_module._usingExtension:
        sys.exit("python-bench.py: crcmod runs without its C extension; the comparison would be unfair")

    contenders = {
        "crc64.xz": crc64.xz,
        "crc64.crcmod": crc64.crcmod.mkCrcFun(GUIDE_POLY, **GUIDE),
        "crcmod": crcmod.mkCrcFun(GUIDE_POLY, **GUIDE),
        "len()": len,
    }
    probe = os.urandom(1000)
    assert len({f(probe) for name, f in contenders.items() if name != "len()"}) == 1

    with tempfile.TemporaryDirectory() as workdir:
        binary, command = build_harness(workdir)
        harness = CHarness(binary)
        out(f"# crc64 Python package benchmark — {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC")
        out()
        out(f"{platform.python_implementation()} {platform.python_version()}; crc64 {crc64.__version__}, kernel "
            f"{crc64.active_kernel()}; crcmod {importlib.metadata.version('crcmod')} with its C extension; "
            f"{cpu_name()}, {os.cpu_count()} logical CPUs; commit {commit()}; command `python "
            f"{' '.join(sys.argv)}`; {reps} interleaved repetitions, medians (ratios: medians of per-repetition "
            "ratios); ns per call through a Python loop.")
        out()
        out("C loop: `" + " ".join(os.path.relpath(a, ROOT) if a.startswith(ROOT) else
                                   "harness.c" if a.endswith("harness.c") else a for a in command) + "`")
        out()
        sizes = [int(s) for s in args.sizes.split(",")]
        out("| size | crc64.xz ns (GB/s) | crc64.crcmod ns | crcmod ns (GB/s) | C loop ns (GB/s) | len() ns "
              "| vs crcmod | crc64.xz / C speed |")
        out("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for size in sizes:
            data = os.urandom(size)
            counts = {name: iterations_for(seconds, f, data) for name, f in contenders.items()}
            c_count = max(1, int(seconds * 1e9 / max(harness.time(size, 1000) if size < 1 << 16 else
                                                     harness.time(size, 10), 0.1)))
            samples = {name: [] for name in list(contenders) + ["C"]}
            for _ in range(reps):
                for name, f in contenders.items():
                    samples[name].append(time_calls(f, data, counts[name]))
                samples["C"].append(harness.time(size, c_count))
            med = {name: statistics.median(v) for name, v in samples.items()}
            vs_crcmod = statistics.median(c / o for c, o in zip(samples["crcmod"], samples["crc64.xz"]))
            vs_c = statistics.median(c / o for c, o in zip(samples["C"], samples["crc64.xz"]))
            out(f"| {format_size(size)} | {med['crc64.xz']:.1f} ({gbps(size, med['crc64.xz']):.2f}) "
                  f"| {med['crc64.crcmod']:.1f} | {med['crcmod']:.1f} ({gbps(size, med['crcmod']):.2f}) "
                  f"| {med['C']:.1f} ({gbps(size, med['C']):.2f}) | {med['len()']:.1f} "
                  f"| {vs_crcmod:.1f}x | {vs_c:.3f} |")

        # The GIL: the package releases it from GIL_RELEASE_MIN bytes on; the step between one byte below and at
        # that size, beyond the C loop's own step, is what the release costs a call.
        edge = crc64._crc64.GIL_RELEASE_MIN
        out()
        out(f"GIL release from {edge} bytes on: ns per call just below and at that size")
        out()
        out("| size | crc64.xz ns | C loop ns | crc64.xz - C |")
        out("|---:|---:|---:|---:|")
        below, at = os.urandom(edge - 1), os.urandom(edge)
        rows = {edge - 1: ([], []), edge: ([], [])}
        for _ in range(reps):
            for data in (below, at):
                rows[len(data)][0].append(time_calls(crc64.xz, data, iterations_for(seconds, crc64.xz, data)))
                rows[len(data)][1].append(harness.time(len(data), 200000))
        for size, (ours, c) in rows.items():
            out(f"| {size} | {statistics.median(ours):.1f} | {statistics.median(c):.1f} "
                f"| {statistics.median(o - x for o, x in zip(ours, c)):.1f} |")

        # Threads: each hashes its own 4 MiB buffer over and over; aggregate GB/s of two threads over one. The
        # control is the C loop in two processes at once: what this shared machine gives two cores at the time.
        out()
        out("Two threads, each hashing its own 4 MiB buffer over and over, against one thread (aggregate GB/s); "
            "the control is the C loop in one process against two at once")
        out()
        out("| function | 1 thread GB/s | 2 threads GB/s | 2 threads / 1 thread | over the control's ratio |")
        out("|---|---:|---:|---:|---:|")
        size = 4 << 20
        buffers = [os.urandom(size), os.urandom(size)]
        second = CHarness(binary)
        burst = 0.25 if not args.quick else 0.08
        c_calls = max(1, int(burst * 1e9 / harness.time(size, 3)))

        def c_rates():
            # Wall time over both, as for the threads: each process's own timing would miss that they ran in turn.
            start = time.perf_counter_ns()
            harness.time(size, c_calls)
            alone = c_calls * size / (time.perf_counter_ns() - start)
            start = time.perf_counter_ns()
            harness.start(size, c_calls)
            second.start(size, c_calls)
            harness.result()
            second.result()
            return alone, 2 * c_calls * size / (time.perf_counter_ns() - start)

        samples = {name: [] for name in ("crc64.xz", "crcmod", "C loop (control)")}
        calls = {name: max(1, int(burst * 1e9 / time_calls(contenders[name], buffers[0], 3)))
                 for name in ("crc64.xz", "crcmod")}
        for _ in range(reps):
            # Each repetition: the control, then each function, so that every ratio has a control beside it.
            control = c_rates()
            samples["C loop (control)"].append((control, control))
            for name in ("crc64.xz", "crcmod"):
                rates = (threads_rate(1, contenders[name], buffers, calls[name]),
                         threads_rate(2, contenders[name], buffers, calls[name]))
                samples[name].append((rates, control))
        for name, runs in samples.items():
            one = statistics.median(r[0] for r, c in runs)
            two = statistics.median(r[1] for r, c in runs)
            ratio = statistics.median(r[1] / r[0] for r, c in runs)
            relative = statistics.median((r[1] / r[0]) / (c[1] / c[0]) for r, c in runs)
            out(f"| {name} | {one:.2f} | {two:.2f} | {ratio:.2f}x | {relative:.2f} |")
        second.close()
        harness.close()
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("\n".join(LINES) + "\n")


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


if __name__ == "__main__":
    main()
