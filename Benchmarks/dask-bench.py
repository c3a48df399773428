"""crc64.dask on this machine (perf-reports/2026-12-04-dask.md): a page-cached file hashed by one process, by
crc64sum, on Dask's threads and on LocalClusters of one and two worker processes; what a part costs the schedulers;
and the fold's cost for 10^3 to 10^6 parts. Medians of interleaved repetitions; every value is checked against
crc64.xz of the whole file.

Needs crc64[dask] (e.g. the venv that .ci/dask.sh makes, .build-dask/venv). Usage:
    python Benchmarks/dask-bench.py [--size 1G] [--repetitions 7] [--crc64sum PATH]
"""

import argparse
import logging
import mmap
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

import crc64
import crc64.dask
from crc64.dask import _FAN_IN, _fold, _Source
from distributed import Client, LocalCluster

MiB = 1 << 20


def timed(function):
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def interleaved(candidates, repetitions, expected):
    """{name: [seconds]}: every candidate once per repetition, in a fresh random order each time."""
    times = {name: [] for name in candidates}
    for _ in range(repetitions):
        for name in random.sample(list(candidates), len(candidates)):
            seconds, value = timed(candidates[name])
            if value != expected:
                sys.exit(f"{name}: {value!r}, expected {expected!r}")
            times[name].append(seconds)
    return times


def cluster(workers):
    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                        silence_logs=logging.ERROR)


def whole_file(path, size, repetitions, crc64sum, clients):
    with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        expected = crc64.xz(mapped)
        candidates = {"crc64.xz, one thread (mmap)": lambda: crc64.xz(mapped)}
        if crc64sum:
            candidates["crc64sum (2 threads)"] = lambda: int(
                subprocess.run([crc64sum, "--format", "dec", path], capture_output=True, text=True, check=True)
                .stdout.split()[0])
        for part_size in (64 * MiB, 256 * MiB):
            candidates[f"crc64.dask, Dask's threads (2), {part_size // MiB} MiB parts"] = (
                lambda p=part_size: crc64.dask.checksum(path, part_size=p).value)
        for workers, client in clients.items():
            for part_size in (8 * MiB, 64 * MiB, 256 * MiB):
                candidates[f"crc64.dask, LocalCluster {workers} worker{'s' * (workers > 1)}, "
                           f"{part_size // MiB} MiB parts"] = (
                    lambda c=client, p=part_size: crc64.dask.checksum(path, part_size=p, client=c).value)
        times = interleaved(candidates, repetitions, expected)
    print(f"\n### A page-cached file of {size // MiB} MiB, {repetitions} interleaved repetitions\n")
    print("| how | median s | min–max s | GB/s (median) |\n|---|---:|---:|---:|")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"| {name} | {median:.3f} | {min(samples):.3f}–{max(samples):.3f} | {size / median / 1e9:.1f} |")


def per_part(workdir, repetitions, clients):
    print(f"\n### What a part costs: 4 KiB parts, the whole run over the part count ({repetitions} repetitions)\n")
    print("| parts | Dask's threads: s (µs a part) | LocalCluster 2 workers: s (µs a part) |\n|---:|---:|---:|")
    for count in (10**3, 10**4):
        data = random.Random(count).randbytes(count * 4096)
        path = os.path.join(workdir, f"parts-{count}.bin")
        with open(path, "wb") as file:
            file.write(data)
        runs = {"threads": lambda: crc64.dask.checksum(path, part_size=4096).value,
                "cluster": lambda: crc64.dask.checksum(path, part_size=4096, client=clients[2]).value}
        times = interleaved(runs, repetitions, crc64.xz(data))
        cells = [f"{statistics.median(times[k]):.2f} ({statistics.median(times[k]) / count * 1e6:.0f})" for k in runs]
        print(f"| {count:,} | {cells[0]} | {cells[1]} |")


def fold_graph(source, pieces):
    """The fold tasks alone, with the parts' values as literals in the first level's tasks."""
    graph, keys, level = {}, None, 0
    while keys is None or len(keys) > 1:
        level += 1
        inputs = pieces if keys is None else keys
        folds = [((f"fold-{level}", i // _FAN_IN), (_fold, source, list(inputs[i:i + _FAN_IN])))
                 for i in range(0, len(inputs), _FAN_IN)]
        graph.update(folds)
        keys = [key for key, _ in folds]
    return graph, keys[0]


def fold_in_process(source, pieces):
    while len(pieces) > 1:
        pieces = [_fold(source, pieces[i:i + _FAN_IN]) for i in range(0, len(pieces), _FAN_IN)]
    return pieces[0]


def fold_cost(clients):
    import dask.threaded

    source = _Source(None, "", "", crc64.models["CRC-64/XZ"])
    print("\n### The fold: 32-way tree of combine calls over parts of 64 MiB, median of 3\n")
    print("| parts | fold tasks | combine calls, one process | on Dask's threads | on LocalCluster 2 workers |")
    print("|---:|---:|---:|---:|---:|")
    for count in (10**3, 10**4, 10**5, 10**6):
        rng = random.Random(count)
        pieces = [(rng.getrandbits(64), 64 * MiB) for _ in range(count)]
        graph, root = fold_graph(source, pieces)
        expected = fold_in_process(source, pieces)
        runs = {"process": lambda: fold_in_process(source, pieces),
                "threads": lambda: dask.threaded.get(graph, root),
                "cluster": lambda: clients[2].get(graph, root)}
        times = interleaved(runs, 3, expected)
        cells = [f"{statistics.median(times[k]) * 1e3:.1f} ms" for k in runs]
        print(f"| {count:,} | {len(graph):,} | " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1024, help="MiB (default 1024)")
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--crc64sum", help="a crc64sum binary to compare with")
    options = parser.parse_args()
    print(f"crc64 {crc64.__version__}, kernel {crc64.active_kernel()}, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="crc64-dask-bench-") as workdir:
        path = os.path.join(workdir, "data.bin")
        rng = random.Random(22)
        with open(path, "wb") as file:
            for _ in range(options.size // 16):
                file.write(rng.randbytes(16 * MiB))
        subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)  # into the page cache
        clusters = {workers: cluster(workers) for workers in (1, 2)}
        clients = {workers: Client(made, set_as_default=False) for workers, made in clusters.items()}
        try:
            whole_file(path, options.size * MiB, options.repetitions, options.crc64sum, clients)
            per_part(workdir, options.repetitions, clients)
            fold_cost(clients)
        finally:
            for made in list(clients.values()) + list(clusters.values()):
                made.close()
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
