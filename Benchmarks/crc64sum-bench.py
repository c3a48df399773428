#!/usr/bin/env python3
"""crc64sum on a page-cached file, side by side with `cat FILE > /dev/null` and the OSS guide's crcmod function.

    python3 Benchmarks/crc64sum-bench.py [--size 1G] [--repetitions 7] [--markdown FILE] [--keep]

Builds crc64sum (release) and writes a file of pseudo-random bytes into $TMPDIR, so that the whole file is in the
page cache as the kernel holds freshly written data (a file read back in from disk can be held in smaller pieces
and map more slowly). Then it times, interleaved in every repetition: crc64sum (all cores and --threads 1),
`cat`, and two `dd` reading the file's halves at once with 1 MiB reads and computing nothing (how fast the
file's bytes can be copied out to two cores; crc64sum maps them instead). crcmod (its C extension, installed with
pip into a virtual environment in $TMPDIR when missing) is timed in process on the same bytes already in memory,
which favours it. Every value is checked against crcmod's before timing. Medians in seconds. The file is deleted
at the end unless --keep.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TMP = tempfile.gettempdir()
VENV = os.path.join(TMP, "swift-crc64-crcmod-venv")
IN_VENV = "SWIFT_CRC64_BENCH_IN_VENV"


def size_argument(text):
    match = re.fullmatch(r"(\d+)([KMG]?)(iB)?", text.strip(), re.IGNORECASE)
    if not match or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (digits, then K, M or G)")
    return int(match.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[match.group(2).upper()]


def crcmod_function():
    """The OSS guide's function, from crcmod's C extension (pip-installed into a venv when this Python lacks it)."""
    try:
        import crcmod
    except ImportError:
        if os.environ.get(IN_VENV):
            sys.exit(f"crcmod does not import in {VENV} even after pip installed it")
        python = os.path.join(VENV, "bin", "python3")
        if not os.path.exists(python):
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        if subprocess.run([python, "-c", "import crcmod"], capture_output=True).returncode != 0:
            subprocess.run([python, "-m", "pip", "install", "-q", "crcmod"], check=True)
        os.execve(python, [python] + sys.argv, dict(os.environ, **{IN_VENV: "1"}))
    if not sys.modules["crcmod.crcmod"]._usingExtension:
        sys.exit("crcmod is installed without its C extension: the comparison would flatter crc64sum")
    return crcmod.mkCrcFun(0x142F0E1EBA9EA3693, initCrc=0, xorOut=0xFFFFFFFFFFFFFFFF, rev=True)


def build_crc64sum():
    with open(os.path.join(TMP, "swift-build.lock"), "w") as lock:
        subprocess.run(["flock", lock.name, "swift", "build", "-c", "release", "--product", "crc64sum"], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "release", "crc64sum")


def write_test_file(path, size):
    block = bytearray(os.urandom(1 << 20))
    with open(path, "wb") as f:
        for offset in range(0, size, len(block)):
            block[:8] = offset.to_bytes(8, "little")  # no two MiB alike
            f.write(block[: min(len(block), size - offset)])


def run_seconds(argv):
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def two_dd_seconds(path, size):
    half = size // 2
    start = time.perf_counter()
    procs = [subprocess.Popen(["dd", f"if={path}", "of=/dev/null", "bs=1M", "iflag=skip_bytes,count_bytes",
                               f"skip={offset}", f"count={length}"], stderr=subprocess.DEVNULL)
             for offset, length in ((0, half), (half, size - half))]
    codes = [p.wait() for p in procs]
    elapsed = time.perf_counter() - start
    if any(codes):
        sys.exit("dd failed")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=size_argument, default="1G", help="file size: digits, then K, M or G")
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--markdown", help="also write the report to this file")
    parser.add_argument("--keep", action="store_true", help="keep the test file in $TMPDIR")
    args = parser.parse_args()
    crc = crcmod_function()
    tool = build_crc64sum()
    path = os.path.join(TMP, f"swift-crc64-bench-{args.size}.bin")
    try:
        write_test_file(path, args.size)
        with open(path, "rb") as f:
            data = f.read()
        expected = f"{crc(data):016x}"
        for argv in ([tool, path], [tool, "--threads", "1", path]):
            got = subprocess.run(argv, check=True, capture_output=True, text=True).stdout.split()[0]
            if got != expected:
                sys.exit(f"{' '.join(argv)} gives {got}, crcmod {expected}")

        def crcmod_seconds():
            start = time.perf_counter()
            crc(data)
            return time.perf_counter() - start

        candidates = {
            "crc64sum FILE": lambda: run_seconds([tool, path]),
            "crc64sum --threads 1 FILE": lambda: run_seconds([tool, "--threads", "1", path]),
            "cat FILE > /dev/null": lambda: run_seconds(["cat", path]),
            "two dd over the halves at once, nothing computed": lambda: two_dd_seconds(path, args.size),
            "crcmod (C extension), bytes in memory": crcmod_seconds,
        }
        times = {name: [] for name in candidates}
        for _ in range(args.repetitions):
            for name, fn in candidates.items():
                times[name].append(fn())
    finally:
        if not args.keep and os.path.exists(path):
            os.remove(path)
    med = {name: statistics.median(t) for name, t in times.items()}
    crcmod_time = med["crcmod (C extension), bytes in memory"]

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    lines = [
        f"# crc64sum benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"crc64sum on a freshly written, page-cached file of {args.size} bytes; {os.cpu_count()} CPUs ({cpu}, Linux "
        f"{os.uname().release}); commit {commit}; command `python3 Benchmarks/crc64sum-bench.py "
        f"{' '.join(sys.argv[1:])}`; medians of {args.repetitions} interleaved repetitions; crc64sum's value (also "
        f"with --threads 1) equals crcmod's, {expected}.",
        "",
        "| command | seconds | GB/s | crcmod time / this |",
        "|---|---:|---:|---:|",
    ]
    for name, t in med.items():
        lines.append(f"| {name} | {t:.3f} | {args.size / t / 1e9:.1f} | {crcmod_time / t:.1f}x |")
    lines += [
        "",
        f"crc64sum is {med['cat FILE > /dev/null'] / med['crc64sum FILE']:.2f}x as fast as cat and "
        f"{crcmod_time / med['crc64sum FILE']:.1f}x as fast as crcmod (the goal: faster than cat, 100x crcmod).",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
