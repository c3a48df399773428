"""Tests of crc64.dask and python -m crc64 on real parts: Dask's threads, a LocalCluster of two worker processes,
and S3 objects in a moto server on 127.0.0.1, with workers that die and storage that misbehaves (fault_fs.py).

Needs crc64[dask], s3fs, moto[server], boto3 and awscrt (botocore's CRC64NVME), as .ci/dask.sh installs them, and
CRC64SUM, the path of a crc64sum binary, for the comparison with crc64sum. Every value is checked against crc64.xz or
crc64.nvme of the whole data in one process, against the value the S3 server computed (with awscrt), or against
crc64sum. Run from anywhere but Bindings/python:
    CRC64SUM=... python -m unittest discover -s Bindings/python/tests-dask -v
"""

import base64
import contextlib
import io
import json
import logging
import os
import pty
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import crc64
import crc64.dask
import dask
import fault_fs  # noqa: F401 -- registers crc64fault://
from distributed import Client, LocalCluster, get_task_stream

SEED = int(os.environ.get("CRC64_TEST_SEED", "20261204"))
MiB = 1 << 20
MODELS = [crc64.models["CRC-64/XZ"], crc64.models["CRC-64/NVME"], crc64.models["CRC-64/MS"],
          crc64.Model(0x1B, 0x123, 0x456, False)]
print(f"crc64.dask tests: CRC64_TEST_SEED={SEED}, dask {dask.__version__}, CRC64SUM={os.environ.get('CRC64SUM')}",
      file=sys.stderr)


def setUpModule():
    global WORKDIR
    WORKDIR = tempfile.mkdtemp(prefix="crc64-dask-")


def tearDownModule():
    for made in _cluster:
        made.close()
    shutil.rmtree(WORKDIR)


def write(name, data):
    path = os.path.join(WORKDIR, name)
    with open(path, "wb") as file:
        file.write(data)
    return path


def command(*arguments, env=None, **kwargs):
    """python -m crc64 ARGUMENTS, from the working folder (so that the installed package is imported)."""
    return subprocess.run([sys.executable, "-m", "crc64", *arguments], cwd=WORKDIR, capture_output=True, text=True,
                          env=env, **kwargs)


class TestImport(unittest.TestCase):
    def test_import_crc64_does_not_import_dask(self):
        code = "import sys, crc64; print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'fsspec')))"
        run = subprocess.run([sys.executable, "-c", code], cwd=WORKDIR, capture_output=True, text=True, check=True)
        self.assertEqual(run.stdout.strip(), "[]")
        run = subprocess.run([sys.executable, "-c", "import crc64.dask, sys; print('dask' in sys.modules)"],
                             cwd=WORKDIR, capture_output=True, text=True, check=True)
        self.assertEqual(run.stdout.strip(), "True")  # the probe can see an import

    def test_the_extra_is_declared(self):
        import importlib.metadata

        requires = importlib.metadata.requires("crc64")
        extra = sorted(re.match(r"[a-z]+", r)[0] for r in requires if 'extra == "dask"' in r)
        self.assertEqual(extra, ["dask", "distributed", "fsspec"])
        self.assertEqual([r for r in requires if "extra ==" not in r], [], "the base package has dependencies")


class TestThreads(unittest.TestCase):
    """Dask's local threaded scheduler, the default without a client."""

    @classmethod
    def setUpClass(cls):
        rng = random.Random(SEED)
        cls.data = rng.randbytes(3 * MiB + 17)
        cls.path = write("threads.bin", cls.data)
        cls.small = rng.randbytes(3001)
        cls.small_path = write("small.bin", cls.small)
        cls.empty_path = write("empty.bin", b"")

    def test_whole_object_for_every_model_and_part_size(self):
        for model in MODELS:
            for part_size in (MiB, 1000003, len(self.data), len(self.data) - 1, 64 * MiB):
                with self.subTest(model=model, part_size=part_size):
                    result = crc64.dask.checksum(self.path, model=model, part_size=part_size)
                    self.assertEqual(result, (model(self.data), len(self.data)))
                    self.assertIsInstance(result, crc64.dask.Checksum)
        self.assertEqual(crc64.dask.checksum(self.path).value, crc64.xz(self.data))  # the defaults: xz, 256 MiB
        self.assertEqual(crc64.dask.checksum(self.path, model="nvme", part_size=MiB).value, crc64.nvme(self.data))
        self.assertEqual(crc64.dask.checksum("file://" + self.path, model="CRC-64/NVME").value, crc64.nvme(self.data))

    def test_parts_where_the_size_does_not_divide_the_length(self):
        part_size = 1000003
        parts = crc64.dask.part_checksums(self.path, part_size=part_size)
        self.assertEqual([(p.offset, p.length) for p in parts],
                         [(0, part_size), (part_size, part_size), (2 * part_size, part_size),
                          (3 * part_size, len(self.data) - 3 * part_size)])
        for part in parts:
            self.assertEqual(part.value, crc64.xz(self.data[part.offset:part.offset + part.length]), part)
        whole = parts[0].value
        for part in parts[1:]:
            whole = crc64.combine(whole, part.value, part.length)
        self.assertEqual(whole, crc64.xz(self.data))

    def test_one_byte_parts(self):
        # 3001 parts: three levels of folds (3001 -> 94 -> 3 -> 1), the last fold of each level short.
        for model in MODELS[:3]:
            self.assertEqual(crc64.dask.checksum(self.small_path, model=model, part_size=1),
                             (model(self.small), len(self.small)))
        parts = crc64.dask.part_checksums(self.small_path, model="nvme", part_size=1)
        self.assertEqual(parts, [crc64.dask.PartChecksum(crc64.nvme(self.small[i:i + 1]), i, 1)
                                 for i in range(len(self.small))])

    def test_empty_object(self):
        for model in MODELS:
            self.assertEqual(crc64.dask.checksum(self.empty_path, model=model, part_size=1), (model.empty, 0))
            self.assertEqual(crc64.dask.part_checksums(self.empty_path, model=model),
                             [crc64.dask.PartChecksum(model.empty, 0, 0)])
        self.assertNotEqual(MODELS[2].empty, 0)  # CRC-64/MS: an empty object is not simply 0

    def test_ranges_are_read_in_bounded_chunks(self):
        log = os.path.join(WORKDIR, "reads.log")
        data = random.Random(SEED).randbytes(crc64.dask._CHUNK * 2 + 5)
        path = write("chunks.bin", data)
        result = crc64.dask.checksum("crc64fault://" + path, part_size=len(data), storage_options={"log": log})
        self.assertEqual(result.value, crc64.xz(data))
        with open(log) as reads:
            sizes = [int(line) for line in reads]
        self.assertEqual(sizes, [crc64.dask._CHUNK, crc64.dask._CHUNK, 5])

    def test_a_missing_object(self):
        url = os.path.join(WORKDIR, "no-such-file")
        for call in (crc64.dask.checksum, crc64.dask.part_checksums):
            with self.assertRaises(FileNotFoundError) as caught:
                call(url)
            self.assertEqual(str(caught.exception), f"{url}: no such object")
        with self.assertRaisesRegex(IsADirectoryError, "is a directory"):
            crc64.dask.checksum(WORKDIR)

    def test_bad_part_sizes_and_models(self):
        for part_size, error, message in [
            (0, ValueError, "part_size must be at least 1 byte, got 0"),
            (-5, ValueError, "part_size must be at least 1 byte, got -5"),
            (1.5, TypeError, "part_size must be an int, not 'float'"),
            ("64M", TypeError, "part_size must be an int, not 'str'"),
            (True, TypeError, "part_size must be an int, not 'bool'"),
        ]:
            with self.assertRaises(error) as caught:
                crc64.dask.checksum(self.path, part_size=part_size)
            self.assertEqual(str(caught.exception), message)
        with self.assertRaises(ValueError) as caught:
            crc64.dask.checksum(self.path, model="crc32")
        self.assertEqual(str(caught.exception),
                         "unknown model 'crc32': expected one of xz, nvme, ecma-182, go-iso, we, ms, redis")
        with self.assertRaisesRegex(TypeError, "a model name must be a str, not 'int'"):
            crc64.dask.checksum(self.path, model=64)

    def test_a_range_that_comes_back_short(self):
        url = "crc64fault://" + self.path
        with self.assertRaises(crc64.dask.ReadError) as caught:
            crc64.dask.checksum(url, part_size=MiB, storage_options={"extra_size": 10})
        self.assertEqual(str(caught.exception),
                         f"{url}: bytes {3 * MiB}-{3 * MiB + 26} (part 4 of 4): the range came back short, 17 of 27 "
                         "bytes: the object is shorter than when the run began")

    def test_a_failing_read_names_the_url_and_the_range(self):
        url = "crc64fault://" + self.path
        with self.assertRaises(crc64.dask.ReadError) as caught:
            crc64.dask.part_checksums(url, part_size=MiB, storage_options={"fail_at": MiB + 5})
        self.assertEqual(str(caught.exception),
                         f"{url}: bytes {MiB}-{2 * MiB - 1} (part 2 of 4): [Errno 5] injected I/O error")

    def test_an_object_that_changes_during_the_run(self):
        path = write("changing.bin", self.data)
        with self.assertRaisesRegex(crc64.dask.ReadError, re.escape(f"crc64fault://{path}: the object changed while "
                                                                    "it was read (before: {") + ".*'mtime'"):
            crc64.dask.checksum("crc64fault://" + path, part_size=MiB, storage_options={"touch_at": 2 * MiB})

    def test_progress_bar_on_standard_error(self):
        stderr, stdout = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
            result = crc64.dask.checksum(self.path, part_size=MiB, progress=True)
        self.assertEqual(result.value, crc64.xz(self.data))
        self.assertIn("100% Completed", stderr.getvalue())
        self.assertEqual(stdout.getvalue(), "")


def part_tasks(stream):
    """The leaf tasks, those that hashed parts, that a get_task_stream saw run on the cluster."""
    return [task for task in stream.data if task["key"][0].startswith("crc64-part-")]


_cluster = []


def cluster():
    """The tests' LocalCluster, made on first use: two worker processes of one thread each. A task whose worker
    dies is retried once (allowed-failures 1), then fails the call."""
    if not _cluster:
        dask.config.set({"distributed.scheduler.allowed-failures": 1})
        _cluster.append(LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                     silence_logs=logging.CRITICAL))
    return _cluster[0]


class TestLocalCluster(unittest.TestCase):
    """Two worker processes hashing a 256 MiB file, and workers that die."""

    @classmethod
    def setUpClass(cls):
        cls.cluster = cluster()
        cls.client = Client(cls.cluster, set_as_default=False)
        rng = random.Random(SEED + 1)
        cls.data = b"".join(rng.randbytes(16 * MiB) for _ in range(16))  # randbytes takes at most 2**28 - 1
        cls.path = write("big.bin", cls.data)
        cls.value = crc64.xz(cls.data)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def setUp(self):
        self.client.wait_for_workers(2, timeout=60)

    def test_256_MiB_in_8_MiB_parts_on_two_workers(self):
        with get_task_stream(self.client) as stream:
            result = crc64.dask.checksum(self.path, part_size=8 * MiB, client=self.client)
        self.assertEqual(result, (self.value, len(self.data)))
        leaves = part_tasks(stream)
        self.assertEqual(len(leaves), 32)
        self.assertEqual(len({task["worker"] for task in leaves}), 2, "the parts did not spread over both workers")
        parts = crc64.dask.part_checksums(self.path, part_size=8 * MiB, client=self.client)
        self.assertEqual([(p.offset, p.length) for p in parts], [(i * 8 * MiB, 8 * MiB) for i in range(32)])
        for part in parts:
            self.assertEqual(part.value, crc64.xz(self.data[part.offset:part.offset + part.length]))

    def test_the_same_value_as_crc64sum(self):
        crc64sum = os.environ.get("CRC64SUM")
        if not crc64sum:
            self.skipTest("CRC64SUM (a crc64sum binary) is not set")
        run = subprocess.run([crc64sum, "--format", "dec", self.path], capture_output=True, text=True, check=True)
        self.assertEqual(run.stdout, f"{self.value}  {self.path}\n")
        result = crc64.dask.checksum(self.path, part_size=8 * MiB, client=self.client)
        self.assertEqual(crc64.to_decimal(result.value), run.stdout.split()[0])

    def test_the_default_client(self):
        with self.client.as_current(), get_task_stream(self.client) as stream:
            result = crc64.dask.checksum(self.path, part_size=64 * MiB)
        self.assertEqual(result.value, self.value)
        self.assertEqual(len(part_tasks(stream)), 4)

    def test_a_worker_that_dies_mid_run_is_retried(self):
        marker = os.path.join(WORKDIR, "died-once")
        data = self.data[:64 * MiB]
        path = write("dies-once.bin", data)
        result = crc64.dask.checksum("crc64fault://" + path, part_size=4 * MiB, client=self.client,
                                     storage_options={"die_at": 9 * 4 * MiB + 100, "marker": marker})
        self.assertTrue(os.path.exists(marker), "no worker died")
        self.assertEqual(result, (crc64.xz(data), len(data)))

    def test_a_worker_that_dies_every_time_fails_the_call(self):
        url = "crc64fault://" + self.path
        with self.assertRaises(crc64.dask.ReadError) as caught:
            crc64.dask.checksum(url, part_size=8 * MiB, client=self.client,
                                storage_options={"die_at": 2 * 8 * MiB + 1})
        # Dask names the first part it gave up on, which may be one that was queued on both dead workers with part 3.
        match = re.fullmatch(f"{re.escape(url)}: bytes ([0-9]+)-([0-9]+) \\(part ([0-9]+) of 32\\): Dask gave up on "
                             "it after the workers that had it died 2 times: Attempted to run task (.*)",
                             str(caught.exception))
        self.assertIsNotNone(match, str(caught.exception))
        start, end, number = (int(group) for group in match.groups()[:3])
        self.assertEqual((start, end), ((number - 1) * 8 * MiB, number * 8 * MiB - 1))
        self.assertRegex(match[4], f"^\\('crc64-part-[0-9a-f]+', {number - 1}\\) on 2 different workers")

    def test_the_command_on_the_cluster(self):
        address = self.cluster.scheduler_address
        run = command("--scheduler", address, "--part-size", "8M", "--format", "dec", "--expect", str(self.value),
                      self.path)
        self.assertEqual((run.returncode, run.stdout, run.stderr),
                         (0, f"{self.path}: OK: computed {self.value}, expected {self.value}\n", ""))
        wrong = crc64.to_hex(self.value ^ 1)
        run = command("--scheduler", address, "--expect", wrong, self.path)
        self.assertEqual((run.returncode, run.stdout, run.stderr),
                         (1, f"{self.path}: FAILED: computed {crc64.to_hex(self.value)}, expected {wrong}\n", ""))

    def test_progress_on_a_terminal(self):
        self.assertEqual(run_on_terminal("--scheduler", self.cluster.scheduler_address, "--part-size", "16M",
                                         self.path),
                         (0, f"{crc64.to_hex(self.value)}  {self.path}\n"))


def run_on_terminal(*arguments):
    """python -m crc64 with standard error on a terminal: asserts that a progress bar was drawn there; returns the
    exit status and standard output."""
    controller, terminal = pty.openpty()
    with subprocess.Popen([sys.executable, "-m", "crc64", *arguments], cwd=WORKDIR, stdout=subprocess.PIPE,
                          stderr=terminal, text=True) as process:
        os.close(terminal)
        shown = b""
        with contextlib.suppress(OSError):  # EIO once the process closed the terminal
            while chunk := os.read(controller, 4096):
                shown += chunk
        stdout = process.stdout.read()
    os.close(controller)
    assert b"100% Completed" in shown, shown
    return process.returncode, stdout


class TestCommand(unittest.TestCase):
    """python -m crc64 on Dask's threads: what it prints, its exit statuses and its progress display."""

    @classmethod
    def setUpClass(cls):
        cls.data = random.Random(SEED + 2).randbytes(5 * MiB + 3)
        cls.path = write("command.bin", cls.data)

    def test_prints_the_value_as_crc64sum_does(self):
        value = crc64.xz(self.data)
        for options, shown in [((), crc64.to_hex(value)), (("--format", "dec"), str(value)),
                               (("--format", "BASE64", "--part-size", "1m"), crc64.to_base64(value))]:
            run = command(*options, self.path)
            self.assertEqual((run.returncode, run.stdout, run.stderr), (0, f"{shown}  {self.path}\n", ""), options)
        nvme = crc64.nvme(self.data)
        run = command("--model", "nvme", "--format", "base64", "--part-size", "1000K", self.path)
        self.assertEqual(run.stdout, f"{crc64.to_base64(nvme)}  {self.path}\n")
        odd = write("odd\\name", self.data)
        run = command(odd)
        self.assertEqual(run.stdout, f"\\{crc64.to_hex(value)}  {odd.replace(chr(92), chr(92) * 2)}\n")

    def test_expect(self):
        value = crc64.xz(self.data)
        for expected, computed in [(str(value), str(value)), (crc64.to_hex(value), crc64.to_hex(value)),
                                   ("0x" + crc64.to_hex(value).upper(), crc64.to_hex(value)),
                                   (crc64.to_base64(value), crc64.to_base64(value))]:
            run = command("--expect", expected, self.path)
            self.assertEqual((run.returncode, run.stdout, run.stderr),
                             (0, f"{self.path}: OK: computed {computed}, expected {expected}\n", ""))
        run = command("--expect", "1234567890123456", self.path)
        self.assertEqual((run.returncode, run.stdout), (1, f"{self.path}: FAILED: computed {crc64.to_hex(value)} "
                                                           f"(hex) = {value} (decimal), expected 1234567890123456\n"))
        run = command("--model", "nvme", "--expect", crc64.to_base64(value), self.path)
        self.assertEqual((run.returncode, run.stdout), (1, f"{self.path}: FAILED: computed "
                                                           f"{crc64.to_base64(crc64.nvme(self.data))}, expected "
                                                           f"{crc64.to_base64(value)}\n"))
        quoted = write("it's here", self.data)
        run = command("--expect", "1", quoted)
        self.assertEqual(run.stdout, f'"{quoted}": FAILED: computed {value}, expected 1\n')

    def test_trouble_is_one_line_and_status_2(self):
        missing = os.path.join(WORKDIR, "missing.bin")
        for arguments, message in [
            ((missing,), f"crc64: {missing}: no such object\n"),
            (("--expect", "1", missing), f"crc64: {missing}: no such object\n"),
            (("--scheduler", "tcp://127.0.0.1:1", self.path), "crc64: cannot reach the scheduler at "
                                                              "tcp://127.0.0.1:1: "),
        ]:
            env = dict(os.environ, DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="2s")
            run = command(*arguments, env=env)
            self.assertEqual((run.returncode, run.stdout), (2, ""), arguments)
            self.assertTrue(run.stderr.startswith(message), run.stderr)
            self.assertEqual(run.stderr.count("\n"), 1, run.stderr)

    @unittest.skipUnless(os.path.exists("/dev/full"), "needs /dev/full")
    def test_a_write_error_is_trouble(self):
        # A full disk and a closed pipe: one line and status 2, as crc64sum, not a traceback.
        with open("/dev/full", "w") as full:
            run = subprocess.run([sys.executable, "-m", "crc64", self.path], cwd=WORKDIR, stdout=full,
                                 stderr=subprocess.PIPE, text=True)
        self.assertEqual((run.returncode, run.stderr), (2, "crc64: write error: No space left on device\n"))
        with subprocess.Popen([sys.executable, "-m", "crc64", self.path], cwd=WORKDIR, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) as process:
            process.stdout.close()  # before the value is printed: the command computes for a while first
            self.assertEqual((process.wait(), process.stderr.read()), (2, "crc64: write error: Broken pipe\n"))

    def test_a_short_range_in_the_command(self):
        # crc64fault:// is registered by importing fault_fs first; FSSPEC_CRC64FAULT is fsspec's configuration.
        url = "crc64fault://" + self.path
        env = dict(os.environ, FSSPEC_CRC64FAULT='{"extra_size": 1}', PYTHONPATH=os.path.dirname(__file__))
        code = "import fault_fs, runpy; runpy.run_module('crc64', run_name='__main__', alter_sys=True)"
        run = subprocess.run([sys.executable, "-c", code, url], cwd=WORKDIR, capture_output=True, text=True, env=env)
        size = len(self.data)
        self.assertEqual((run.returncode, run.stdout, run.stderr),
                         (2, "", f"crc64: {url}: bytes 0-{size} (part 1 of 1): the range came back short, {size} of "
                                 f"{size + 1} bytes: the object is shorter than when the run began\n"))

    def test_progress_on_a_terminal_only(self):
        self.assertEqual(run_on_terminal("--part-size", "1M", self.path),
                         (0, f"{crc64.to_hex(crc64.xz(self.data))}  {self.path}\n"))
        run = command("--part-size", "1M", self.path)  # standard error not a terminal: nothing drawn
        self.assertEqual(run.stderr, "")


class TestS3(unittest.TestCase):
    """Objects in moto's S3 server on 127.0.0.1, uploaded by boto3 with CRC-64/NVME checksums (which botocore and
    moto compute with awscrt), read back through s3:// by s3fs."""

    @classmethod
    def setUpClass(cls):
        import boto3
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a line per request otherwise
        cls.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        cls.server.start()
        host, port = cls.server.get_host_and_port()
        cls.endpoint = f"http://{host}:{port}"
        credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        cls.s3 = boto3.client("s3", endpoint_url=cls.endpoint, region_name="us-east-1", **credentials)
        cls.s3.create_bucket(Bucket="crc64")
        cls.options = {"endpoint_url": cls.endpoint, "key": "testing", "secret": "testing"}
        cls.data = random.Random(SEED + 3).randbytes(12 * MiB + 7)
        cls.url = "s3://crc64/object.bin"
        cls.header = cls.put("object.bin", cls.data)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    @classmethod
    def put(cls, key, data):
        """Uploads data with ChecksumAlgorithm="CRC64NVME"; the server's x-amz-checksum-crc64nvme, also on HEAD."""
        response = cls.s3.put_object(Bucket="crc64", Key=key, Body=data, ChecksumAlgorithm="CRC64NVME")
        header = response["ResponseMetadata"]["HTTPHeaders"]["x-amz-checksum-crc64nvme"]
        head = cls.s3.head_object(Bucket="crc64", Key=key, ChecksumMode="ENABLED")
        assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-checksum-crc64nvme"] == header, head
        return header

    def test_the_server_value(self):
        self.assertEqual(len(base64.b64decode(self.header)), 8)
        result = crc64.dask.checksum(self.url, model="nvme", part_size=5 * MiB, storage_options=self.options)
        self.assertEqual((crc64.to_base64(result.value), result.length), (self.header, len(self.data)))
        xz = crc64.dask.checksum(self.url, part_size=MiB, storage_options=self.options)
        self.assertEqual(xz.value, crc64.xz(self.data))

    def test_the_server_value_on_the_cluster(self):
        # The workers read S3 with the storage options the client resolved, shipped with the file system.
        with Client(cluster(), set_as_default=False) as client:
            result = crc64.dask.checksum(self.url, model="nvme", part_size=MiB, storage_options=self.options,
                                         client=client)
        self.assertEqual(crc64.to_base64(result.value), self.header)

    def test_an_empty_object(self):
        header = self.put("empty", b"")
        result = crc64.dask.checksum("s3://crc64/empty", model="nvme", storage_options=self.options)
        self.assertEqual((crc64.to_base64(result.value), result.length), (header, 0))

    def test_multipart_parts_and_the_whole(self):
        # S3 takes parts of at least 5 MiB but the last; with CRC64NVME the whole object's value is FULL_OBJECT.
        key, part_size = "multipart.bin", 5 * MiB
        data = random.Random(SEED + 4).randbytes(3 * part_size + 12345)
        upload = self.s3.create_multipart_upload(Bucket="crc64", Key=key, ChecksumAlgorithm="CRC64NVME",
                                                 ChecksumType="FULL_OBJECT")
        parts = []
        for number, offset in enumerate(range(0, len(data), part_size), start=1):
            response = self.s3.upload_part(Bucket="crc64", Key=key, UploadId=upload["UploadId"], PartNumber=number,
                                           Body=data[offset:offset + part_size], ChecksumAlgorithm="CRC64NVME")
            parts.append({"PartNumber": number, "ETag": response["ETag"],
                          "ChecksumCRC64NVME": response["ChecksumCRC64NVME"]})
        self.s3.complete_multipart_upload(Bucket="crc64", Key=key, UploadId=upload["UploadId"],
                                          MultipartUpload={"Parts": parts})
        head = self.s3.head_object(Bucket="crc64", Key=key, ChecksumMode="ENABLED")
        self.assertEqual(head["ChecksumType"], "FULL_OBJECT")
        whole = head["ChecksumCRC64NVME"]
        ours = crc64.dask.part_checksums("s3://crc64/" + key, model="nvme", part_size=part_size,
                                         storage_options=self.options)
        self.assertEqual([crc64.to_base64(part.value) for part in ours], [part["ChecksumCRC64NVME"] for part in parts])
        self.assertEqual([(part.offset, part.length) for part in ours],
                         [(0, part_size), (part_size, part_size), (2 * part_size, part_size), (3 * part_size, 12345)])
        result = crc64.dask.checksum("s3://crc64/" + key, model="nvme", part_size=2 * MiB,
                                     storage_options=self.options)
        self.assertEqual(crc64.to_base64(result.value), whole)

    def test_a_missing_object(self):
        with self.assertRaises(FileNotFoundError) as caught:
            crc64.dask.checksum("s3://crc64/no-such-key", storage_options=self.options)
        self.assertEqual(str(caught.exception), "s3://crc64/no-such-key: no such object")

    def test_the_command(self):
        # The command reads its storage options from fsspec's configuration, here FSSPEC_S3.
        env = dict(os.environ, FSSPEC_S3=json.dumps(self.options))
        run = command("--model", "nvme", "--part-size", "5M", "--expect", self.header, self.url, env=env)
        self.assertEqual((run.returncode, run.stdout, run.stderr),
                         (0, f"{self.url}: OK: computed {self.header}, expected {self.header}\n", ""))
        run = command("--model", "nvme", "--format", "base64", self.url, env=env)
        self.assertEqual((run.returncode, run.stdout), (0, f"{self.header}  {self.url}\n"))
        wrong = crc64.to_base64(crc64.from_base64(self.header) ^ 1 << 63)
        run = command("--model", "nvme", "--expect", wrong, self.url, env=env)
        self.assertEqual((run.returncode, run.stdout),
                         (1, f"{self.url}: FAILED: computed {self.header}, expected {wrong}\n"))
        run = command("--model", "nvme", "s3://crc64/no-such-key", env=env)
        self.assertEqual((run.returncode, run.stdout, run.stderr),
                         (2, "", "crc64: s3://crc64/no-such-key: no such object\n"))
