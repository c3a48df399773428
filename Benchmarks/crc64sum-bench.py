#!/usr/bin/env python3
"""crc64sum on a page-cached file, side by side with `cat FILE > /dev/null` and the OSS guide's crcmod function.

    python3 Benchmarks/crc64sum-bench.py [--size 1G] [--repetitions 7] [--markdown FILE]

Builds crc64sum (release), writes a file of pseudo-random bytes in $TMPDIR (kept for the next run), reads it once so
that it is in the page cache, then times, interleaved in every repetition: crc64sum (all cores and --threads 1),
`cat`, and two `dd` reading the file's halves at once (1 MiB reads, nothing computed: no tool that reads the file
does better on this machine). crcmod (its C extension, installed with pip into a
virtual environment in $TMPDIR when missing) is timed in process on the same bytes already in memory, which
favours it; its value must equal crc64sum's. Medians in seconds; the ratios are the issue's figures.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TMP = tempfile.gettempdir()


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(text[:-1]) * units[text[-1].upper()] if text[-1].upper() in units else int(text)


def build_crc64sum():
    with open(os.path.join(TMP, "swift-build.lock"), "w") as lock:
        subprocess.run(["flock", lock.name, "swift", "build", "-c", "release", "--product", "crc64sum"], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "release", "crc64sum")


def crcmod_function():
    """The OSS guide's function, from crcmod's C extension (pip-installed into a venv when this Python lacks it)."""
    try:
        import crcmod
    except ImportError:
        venv = os.path.join(TMP, "swift-crc64-crcmod-venv")
        python = os.path.join(venv, "bin", "python3")
        if not os.path.exists(python):
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "crcmod"], check=True)
        os.execv(python, [python] + sys.argv)  # run again inside the venv
    if not getattr(sys.modules["crcmod.crcmod"], "_usingExtension", False):
        sys.exit("crcmod is installed without its C extension: the comparison would flatter crc64sum")
    return crcmod.mkCrcFun(0x142F0E1EBA9EA3693, initCrc=0, xorOut=0xFFFFFFFFFFFFFFFF, rev=True)


def test_file(size):
    path = os.path.join(TMP, f"swift-crc64-bench-{size}.bin")
    if not os.path.exists(path) or os.path.getsize(path) != size:
        block = bytearray(os.urandom(1 << 20))
        with open(path + ".part", "wb") as f:
            for i in range(0, size, len(block)):
                block[:8] = i.to_bytes(8, "little")  # no two MiB alike
                f.write(block[: min(len(block), size - i)])
        os.replace(path + ".part", path)
    with open(path, "rb") as f:  # into the page cache
        while f.read(1 << 24):
            pass
    return path


def run_seconds(argv, stdout=subprocess.DEVNULL):
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=stdout)
    return time.perf_counter() - start


def read_only_seconds(path, size, parts=2):
    """The file read into memory on `parts` cores at once (dd, 1 MiB reads, one process per part): nothing is
    computed, so no tool that reads the file can be faster on this machine."""
    mib = size >> 20
    start = time.perf_counter()
    procs = [subprocess.Popen(["dd", f"if={path}", "of=/dev/null", "bs=1M", f"skip={i * mib // parts}",
                               f"count={(i + 1) * mib // parts - i * mib // parts}"], stderr=subprocess.DEVNULL)
             for i in range(parts)]
    for p in procs:
        if p.wait() != 0:
            sys.exit("dd failed")
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1G")
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--markdown")
    args = parser.parse_args()
    crc = crcmod_function()
    size = parse_size(args.size)
    tool = build_crc64sum()
    path = test_file(size)

    digest = subprocess.run([tool, path], check=True, capture_output=True, text=True).stdout.split()[0]
    with open(path, "rb") as f:
        data = f.read()
    if f"{crc(data):016x}" != digest:
        sys.exit(f"crcmod gives {crc(data):016x}, crc64sum {digest}")

    candidates = {
        "crc64sum FILE": lambda: run_seconds([tool, path]),
        "crc64sum --threads 1 FILE": lambda: run_seconds([tool, "--threads", "1", path]),
        "cat FILE > /dev/null": lambda: run_seconds(["cat", path]),
        "two dd over the halves, nothing computed": lambda: read_only_seconds(path, size),
        "crcmod (C extension), bytes in memory": lambda: (lambda t: (crc(data), time.perf_counter() - t)[1])(
            time.perf_counter()),
    }
    times = {name: [] for name in candidates}
    for _ in range(args.repetitions):
        for name, fn in candidates.items():
            times[name].append(fn())
    med = {name: statistics.median(t) for name, t in times.items()}

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    lines = [
        f"# crc64sum benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"crc64sum on a page-cached {args.size} file, {os.cpu_count()} CPUs ({cpu}, {os.uname().release}); "
        f"commit {commit}; command `python3 Benchmarks/crc64sum-bench.py {' '.join(sys.argv[1:])}`; medians of "
        f"{args.repetitions} interleaved repetitions; crcmod's value and crc64sum's are equal ({digest}).",
        "",
        "| command | seconds | GB/s | crcmod time / this |",
        "|---|---:|---:|---:|",
    ]
    for name, t in med.items():
        lines.append(f"| {name} | {t:.3f} | {size / t / 1e9:.1f} | {med['crcmod (C extension), bytes in memory'] / t:.1f}x |")
    lines += [
        "",
        f"crc64sum / cat: {med['cat FILE > /dev/null'] / med['crc64sum FILE']:.2f}x faster; "
        f"crc64sum / crcmod: {med['crcmod (C extension), bytes in memory'] / med['crc64sum FILE']:.1f}x faster "
        "(goal: faster than cat and 100x crcmod).",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
