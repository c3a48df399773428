#!/usr/bin/env python3
"""Times the crc64 Python package side by side with the other Python CRC libraries that are installed, and with a
C loop over the same library.

    .ci/python.sh                                  # then, in a venv with the package and any peers installed:
    .build-python/py3.11/venv/bin/python -m pip install fastcrc anycrc crc64fast   # crcmod is there already
    .build-python/py3.11/venv/bin/python Benchmarks/python-bench.py [--reps 11] [--quick] [--markdown FILE]

The script installs nothing: it times whichever of fastcrc, anycrc, crc64fast and crcmod (or crcmod-plus, which
installs under the same name; one of the two per venv) it can import, and says which it left out.

Contenders, one buffer per call, independent calls (what hashing many objects sees), all on the same bytes object:
  crc64.xz          the package's function: crc64.xz(buf)
  crc64.crcmod      the OSS guide's function through the drop-in: crcmod.mkCrcFun(0x142F0E1EBA9EA3693, initCrc=0,
                    xorOut=0xffffffffffffffff, rev=True) with `import crc64.crcmod as crcmod`
  fastcrc           fastcrc.crc64.xz(buf) (Rust crc-fast)
  anycrc            anycrc.Model("CRC64-XZ").calc(buf)
  crc64fast         crc64fast.crc64fast(), .update(buf), .digest(): its only model is CRC-64/NVME, so its ratio is
                    against crc64.nvme, timed beside it
  crcmod            the guide's line with crcmod itself (its C extension; refused without it)
  C                 `acc ^= libcrc64_xz(0, buf, n)` in a C loop built by this script from Sources/CCRC64/*.c with the
                    compiler and flags Python builds extensions with (the package's build), run as a coprocess
  len()             a C builtin with one argument through the same Python loop: the floor of any Python call
  noise             crc64.xz timed again as if it were another contender: the ratio that noise alone gives
Then the narrower CRCs crcmod users compute (CRC-8, 16, 24, 32 through crc64.crcmod.predefined against crcmod's, with
fastcrc, anycrc and zlib.crc32 where they have the model), the cost of releasing the GIL (just below and at the size
from which the package releases it), and two threads, each hashing its own 4 MiB buffer over and over, against one.

Every repetition times each contender once, in turn (interleaved); figures are medians over repetitions and ratios
(peer time / crc64 time, above 1 when crc64 is faster) are medians of per-repetition ratios.
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


def load_peers():
    """The peers that import here: name -> (distribution and version, module). crcmod must have its C extension."""
    found, missing = {}, []
    for name in ("fastcrc", "anycrc", "crc64fast", "crcmod"):
        try:
            module = __import__(name)
        except ImportError:
            missing.append(name if name != "crcmod" else "crcmod (or crcmod-plus)")
            continue
        if name == "crcmod":
            import crcmod.predefined  # noqa: F401 -- the narrow widths' section uses it

            if not sys.modules["crcmod.crcmod"]._usingExtension:
                sys.exit("python-bench.py: crcmod runs without its C extension; the comparison would be unfair")
            distributions = [d for d in ("crcmod-plus", "crcmod") if has_distribution(d)]
            name_version = f"{distributions[0]} {importlib.metadata.version(distributions[0])}"
        else:
            name_version = f"{name} {importlib.metadata.version(name)}"
        found[name] = (name_version, module)
    return found, missing


def has_distribution(name):
    try:
        importlib.metadata.version(name)
        return True
    except importlib.metadata.PackageNotFoundError:
        return False


def interleaved(contenders, data, reps, seconds):
    """Per contender, the ns per call of each repetition, timing every contender once per repetition in turn."""
    counts = {name: iterations_for(seconds, f, data) for name, f in contenders.items()}
    samples = {name: [] for name in contenders}
    for _ in range(reps):
        for name, f in contenders.items():
            samples[name].append(time_calls(f, data, counts[name]))
    return samples


def ratio(samples, peer, ours):
    """The median over repetitions of the peer's time over ours: above 1 when ours is faster."""
    return statistics.median(p / o for p, o in zip(samples[peer], samples[ours]))


def crc64fast_nvme(crc64fast):
    def nvme(data):
        hasher = crc64fast.crc64fast()
        hasher.update(data)
        return hasher.digest()

    return nvme


def section_xz(sizes, peers, reps, seconds, harness):
    """CRC-64/XZ (and NVME for crc64fast) against every peer; returns the ratios for the goals."""
    import crc64
    import crc64.crcmod

    contenders = {"crc64.xz": crc64.xz, "crc64.crcmod": crc64.crcmod.mkCrcFun(GUIDE_POLY, **GUIDE)}
    if "fastcrc" in peers:
        contenders["fastcrc"] = peers["fastcrc"][1].crc64.xz
    if "anycrc" in peers:
        contenders["anycrc"] = peers["anycrc"][1].Model("CRC64-XZ").calc
    if "crcmod" in peers:
        contenders["crcmod"] = peers["crcmod"][1].mkCrcFun(GUIDE_POLY, **GUIDE)
    if "crc64fast" in peers:
        contenders["crc64.nvme"] = crc64.nvme
        contenders["crc64fast"] = crc64fast_nvme(peers["crc64fast"][1])
    contenders["len()"] = len
    # The same function under a second name: its ratio to crc64.xz is what this run's noise alone gives a ratio.
    contenders["crc64.xz again"] = crc64.xz
    probe = os.urandom(1000)
    for name, f in contenders.items():
        if name not in ("len()", "crc64.xz again"):
            expected = crc64.nvme(probe) if "nvme" in name or name == "crc64fast" else crc64.xz(probe)
            value = f(probe)
            assert (int.from_bytes(value, "big") if isinstance(value, bytes) else value) == expected, name

    peer_names = [name for name in ("fastcrc", "anycrc", "crc64fast", "crcmod") if name in contenders]
    out("| size | crc64.xz ns (GB/s) | crc64.crcmod ns | " + " | ".join(f"{n} ns (GB/s)" for n in peer_names)
        + " | C loop ns (GB/s) | len() ns | " + " | ".join(f"vs {n}" for n in peer_names) + " | noise |")
    out("|---:|" + "---:|" * (5 + 2 * len(peer_names)))
    ratios = {name: {} for name in peer_names}
    for size in sizes:
        data = os.urandom(size)
        samples = interleaved(contenders, data, reps, seconds)
        c_count = max(1, int(seconds * 1e9 / max(harness.time(size, 1000 if size < 1 << 16 else 3), 0.1)))
        c_ns = statistics.median(harness.time(size, c_count) for _ in range(reps))
        med = {name: statistics.median(v) for name, v in samples.items()}
        for name in peer_names:
            ratios[name][size] = ratio(samples, name, "crc64.nvme" if name == "crc64fast" else "crc64.xz")
        out(f"| {format_size(size)} | {med['crc64.xz']:.1f} ({gbps(size, med['crc64.xz']):.2f}) "
            f"| {med['crc64.crcmod']:.1f} | "
            + " | ".join(f"{med[n]:.1f} ({gbps(size, med[n]):.2f})" for n in peer_names)
            + f" | {c_ns:.1f} ({gbps(size, c_ns):.2f}) | {med['len()']:.1f} | "
            + " | ".join(f"{ratios[n][size]:.2f}x" for n in peer_names)
            + f" | {ratio(samples, 'crc64.xz again', 'crc64.xz'):.2f}x |")
    return ratios


# The narrow CRCs crcmod users compute most: (label, crcmod.predefined name, fastcrc function, anycrc model).
NARROW = [
    ("CRC-8/SMBUS", "crc-8", "crc8.smbus", "CRC8-SMBUS"),
    ("CRC-16/XMODEM", "xmodem", "crc16.xmodem", "CRC16-XMODEM"),
    ("CRC-24/OPENPGP", "crc-24", None, "CRC24-OPENPGP"),
    ("CRC-32/ISO-HDLC", "crc-32", "crc32.iso_hdlc", "CRC32-ISO-HDLC"),
]


def section_narrow(sizes, peers, reps, seconds):
    """crc64.crcmod.predefined's narrow CRCs against crcmod's (and fastcrc, anycrc, zlib where they have them);
    returns the ratios against crcmod."""
    import zlib

    import crc64.crcmod.predefined

    ratios = {}
    out("| CRC | size | crc64.crcmod ns (GB/s) | crcmod | fastcrc | anycrc | zlib.crc32 | vs crcmod | vs fastcrc |")
    out("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, crcmod_name, fastcrc_name, anycrc_name in NARROW:
        contenders = {"crc64.crcmod": crc64.crcmod.predefined.mkPredefinedCrcFun(crcmod_name)}
        if "crcmod" in peers:
            contenders["crcmod"] = sys.modules["crcmod.predefined"].mkPredefinedCrcFun(crcmod_name)
        if "fastcrc" in peers and fastcrc_name:
            group, function = fastcrc_name.split(".")
            contenders["fastcrc"] = getattr(getattr(peers["fastcrc"][1], group), function)
        if "anycrc" in peers and anycrc_name in peers["anycrc"][1].models:
            contenders["anycrc"] = peers["anycrc"][1].Model(anycrc_name).calc
        if crcmod_name == "crc-32":
            contenders["zlib.crc32"] = zlib.crc32
        probe = os.urandom(1000)
        assert len({f(probe) for f in contenders.values()}) == 1, label
        for size in sizes:
            data = os.urandom(size)
            samples = interleaved(contenders, data, reps, seconds)
            med = {name: statistics.median(v) for name, v in samples.items()}

            def cell(name):
                return f"{med[name]:.1f}" if name in med else ""

            vs = {n: ratio(samples, n, "crc64.crcmod") for n in ("crcmod", "fastcrc") if n in samples}
            ratios[(label, size)] = vs.get("crcmod")
            ours = med["crc64.crcmod"]
            vs_cells = [f"{vs[n]:.2f}x" if n in vs else "" for n in ("crcmod", "fastcrc")]
            out(f"| {label} | {format_size(size)} | {ours:.1f} ({gbps(size, ours):.2f}) | {cell('crcmod')} "
                f"| {cell('fastcrc')} | {cell('anycrc')} | {cell('zlib.crc32')} | {' | '.join(vs_cells)} |")
    return ratios


def section_gil(reps, seconds, harness):
    """The package releases the GIL from GIL_RELEASE_MIN bytes on: the step between one byte below and at that size,
    beyond the C loop's own step, is what the release costs a call."""
    import crc64

    edge = crc64._crc64.GIL_RELEASE_MIN
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


def section_threads(reps, quick, harness, binary, peers):
    """Two threads, each hashing its own 4 MiB buffer, against one; the control is the C loop in two processes."""
    import crc64

    out("Two threads, each hashing its own 4 MiB buffer over and over, against one thread (aggregate GB/s); "
        "the control is the C loop in one process against two at once")
    out()
    out("| function | 1 thread GB/s | 2 threads GB/s | 2 threads / 1 thread | over the control's ratio |")
    out("|---|---:|---:|---:|---:|")
    size = 4 << 20
    buffers = [os.urandom(size), os.urandom(size)]
    functions = {"crc64.xz": crc64.xz}
    if "fastcrc" in peers:
        functions["fastcrc"] = peers["fastcrc"][1].crc64.xz
    if "crcmod" in peers:
        functions["crcmod"] = peers["crcmod"][1].mkCrcFun(GUIDE_POLY, **GUIDE)
    second = CHarness(binary)
    burst = 0.25 if not quick else 0.08
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

    samples = {name: [] for name in list(functions) + ["C loop (control)"]}
    calls = {name: max(1, int(burst * 1e9 / time_calls(f, buffers[0], 3))) for name, f in functions.items()}
    for _ in range(reps):
        # Each repetition: the control, then each function, so that every ratio has a control beside it.
        control = c_rates()
        samples["C loop (control)"].append((control, control))
        for name, f in functions.items():
            rates = (threads_rate(1, f, buffers, calls[name]), threads_rate(2, f, buffers, calls[name]))
            samples[name].append((rates, control))
    for name, runs in samples.items():
        one = statistics.median(r[0] for r, c in runs)
        two = statistics.median(r[1] for r, c in runs)
        ratio_ = statistics.median(r[1] / r[0] for r, c in runs)
        relative = statistics.median((r[1] / r[0]) / (c[1] / c[0]) for r, c in runs)
        out(f"| {name} | {one:.2f} | {two:.2f} | {ratio_:.2f}x | {relative:.2f} |")
    second.close()


def section_goals(xz_ratios, narrow_ratios):
    """Issue 19's goals, from the figures above."""
    out("| goal | measured (this run) | |")
    out("|---|---|---|")

    def row(goal, values, bar):
        if not values:
            out(f"| {goal} | peer not installed | not measured |")
            return
        low = min(values.values())
        detail = ", ".join(f"{k}: {v:.2f}x" for k, v in values.items())
        out(f"| {goal} | {detail} | {'met' if low >= bar else 'NOT met'} (lowest {low:.2f}x) |")

    fastcrc = xz_ratios.get("fastcrc", {})
    row("at least 1.0x fastcrc at every size", {format_size(k): v for k, v in fastcrc.items()}, 1.0)
    row("at least 1.3x fastcrc at 16 B and 1 KiB",
        {format_size(k): v for k, v in fastcrc.items() if k in (16, 1024)}, 1.3)
    row("at least 3x anycrc", {format_size(k): v for k, v in xz_ratios.get("anycrc", {}).items()}, 3.0)
    row("8/16/32-bit widths at least 1.0x crcmod's C extension",
        {f"{label} {format_size(size)}": v for (label, size), v in narrow_ratios.items() if v is not None
         and "24" not in label}, 1.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=11, help="repetitions (default 11)")
    parser.add_argument("--quick", action="store_true", help="3 repetitions of shorter timings")
    parser.add_argument("--sizes", default="16,64,256,1024,4096,16384,65536,262144,1048576,4194304,16777216,67108864",
                        help="sizes in bytes of the CRC-64 section")
    parser.add_argument("--narrow-sizes", default="16,1024,65536,1048576", help="sizes of the narrow CRCs' section")
    parser.add_argument("--markdown", metavar="FILE", help="also write the report to FILE")
    args = parser.parse_args()
    reps, seconds = (3, 0.02) if args.quick else (args.reps, 0.05)

    try:
        import crc64
    except ImportError as error:
        sys.exit(f"python-bench.py: {error}: run it with a Python where Bindings/python is installed "
                 "(e.g. .build-python/py3.11/venv/bin/python after .ci/python.sh)")
    peers, missing = load_peers()

    with tempfile.TemporaryDirectory() as workdir:
        binary, command = build_harness(workdir)
        harness = CHarness(binary)
        out(f"# crc64 Python package benchmark — {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC")
        out()
        out(f"{platform.python_implementation()} {platform.python_version()}; crc64 {crc64.__version__}, kernel "
            f"{crc64.active_kernel()}; peers: {', '.join(v for v, m in peers.values()) or 'none'}"
            f"{'; not installed: ' + ', '.join(missing) if missing else ''}; {cpu_name()}, {os.cpu_count()} logical "
            f"CPUs; commit {commit()}; command `python {' '.join(sys.argv)}`; {reps} interleaved repetitions, "
            "medians; ratios are medians of per-repetition ratios (peer time / crc64 time); ns per call through a "
            "Python loop, one bytes object per size shared by all.")
        out()
        out("C loop: `" + " ".join(os.path.relpath(a, ROOT) if a.startswith(ROOT) else
                                   "harness.c" if a.endswith("harness.c") else a for a in command) + "`")
        out()
        out("## CRC-64/XZ (crc64fast: CRC-64/NVME, against crc64.nvme)")
        out()
        xz_ratios = section_xz([int(s) for s in args.sizes.split(",")], peers, reps, seconds, harness)
        out()
        out("## Narrower CRCs through crc64.crcmod.predefined")
        out()
        narrow_ratios = section_narrow([int(s) for s in args.narrow_sizes.split(",")], peers, reps, seconds)
        out()
        out("## Against the goals")
        out()
        section_goals(xz_ratios, narrow_ratios)
        out()
        out("## The GIL")
        out()
        section_gil(reps, seconds, harness)
        out()
        section_threads(reps, args.quick, harness, binary, peers)
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
