"""Tests of the crc64 package (standard library unittest only; crcmod and numpy are used when installed).

Every value is checked against a bit-at-a-time CRC written below from the Rocksoft model's definition, never from
the library's code, and the crcmod drop-in side by side with crcmod itself. Random inputs come from a fixed seed,
printed with every failure (CRC64_TEST_SEED overrides it).

Run from anywhere but Bindings/python (so that the installed package is imported):
    python -m unittest discover -s Bindings/python/tests -v
"""

import array
import importlib.metadata
import mmap
import os
import pathlib
import random
import re
import subprocess
import sys
import threading
import time
import unittest

import crc64
import crc64.crcmod

try:
    import crcmod as real_crcmod

    # The package's __init__ rebinds the name "crcmod" to the function module's contents; the module is here.
    REAL_CRCMOD_MODULE = sys.modules["crcmod.crcmod"]
except ImportError:
    real_crcmod = None

try:
    import numpy
except ImportError:
    numpy = None

SEED = int(os.environ.get("CRC64_TEST_SEED", "20261202"))
MASK = (1 << 64) - 1
if real_crcmod is None:
    CRCMOD_STATE = "not installed"
else:
    CRCMOD_STATE = "with" if REAL_CRCMOD_MODULE._usingExtension else "without"
    CRCMOD_STATE += " its C extension"
print(f"crc64 tests: CRC64_TEST_SEED={SEED}, kernel {crc64.active_kernel()}, crcmod {CRCMOD_STATE}, "
      f"numpy {'not installed' if numpy is None else numpy.__version__}", file=sys.stderr)
HEADER = pathlib.Path(__file__).resolve().parents[3] / "Sources" / "CCRC64" / "include" / "crc64.h"

# The catalogue (reveng): name -> (poly, init, xorout, reflected, check).
CATALOGUE = {
    "CRC-64/XZ": (0x42F0E1EBA9EA3693, MASK, MASK, True, 0x995DC9BBDF1939FA),
    "CRC-64/NVME": (0xAD93D23594C93659, MASK, MASK, True, 0xAE8B14860A799888),
    "CRC-64/ECMA-182": (0x42F0E1EBA9EA3693, 0, 0, False, 0x6C40DF5F0B497347),
    "CRC-64/GO-ISO": (0x000000000000001B, MASK, MASK, True, 0xB90956C775A41001),
    "CRC-64/WE": (0x42F0E1EBA9EA3693, MASK, MASK, False, 0x62EC59E3F1A4F00A),
    "CRC-64/MS": (0x259C84CBA6426349, MASK, 0, True, 0x75D4B74F024ECEEA),
    "CRC-64/REDIS": (0xAD93D23594C935A9, 0, 0, True, 0xE9C6D914C4B8D9CA),
}


def reflect(value, bits):
    result = 0
    for _ in range(bits):
        result = result << 1 | value & 1
        value >>= 1
    return result


def reference(poly, init, xorout, reflected, data, crc=None):
    """The Rocksoft model, one bit at a time: the register starts at init (or at the register behind a previous
    final value `crc`), takes each byte most significant bit first (reflected: least significant first), and the
    final value is the register (reflected: reversed) XOR xorout."""
    if crc is None:
        register = init
    else:
        register = crc ^ xorout
        if reflected:
            register = reflect(register, 64)
    for byte in bytes(data):
        if reflected:
            byte = reflect(byte, 8)
        register ^= byte << 56
        for _ in range(8):
            register = ((register << 1) ^ poly if register >> 63 else register << 1) & MASK
    if reflected:
        register = reflect(register, 64)
    return register ^ xorout


def ref_model(model, data, crc=None):
    return reference(model.poly, model.init, model.xorout, model.reflected, data, crc)


class SeededTestCase(unittest.TestCase):
    def setUp(self):
        self.rng = random.Random(SEED)

    def assertCrc(self, actual, expected, what):
        self.assertEqual(actual, expected, f"{what}: got {actual:#018x}, expected {expected:#018x} (seed {SEED})")


class TestReference(unittest.TestCase):
    def test_reference_gives_the_catalogue_check_values(self):
        for name, (poly, init, xorout, reflected, check) in CATALOGUE.items():
            self.assertEqual(reference(poly, init, xorout, reflected, b"123456789"), check, name)


class TestPresets(SeededTestCase):
    def test_catalogue(self):
        self.assertEqual(list(crc64.models), list(CATALOGUE))
        for name, (poly, init, xorout, reflected, check) in CATALOGUE.items():
            model = crc64.models[name]
            self.assertIsInstance(model, crc64.Model)
            self.assertEqual((model.name, model.poly, model.init, model.xorout, model.reflected, model.check),
                             (name, poly, init, xorout, reflected, check))
            self.assertEqual(model(b"123456789"), check, name)
            self.assertEqual(model.empty, reference(poly, init, xorout, reflected, b""), name)
        with self.assertRaises(TypeError):
            crc64.models["mine"] = crc64.models["CRC-64/XZ"]

    def test_every_preset_against_the_reference(self):
        base = self.rng.randbytes(600)
        for name, model in crc64.models.items():
            for length in list(range(0, 130)) + [self.rng.randrange(130, 520) for _ in range(12)]:
                offset = self.rng.randrange(0, 64)
                view = memoryview(base)[offset:offset + length]
                expected = ref_model(model, view)
                self.assertCrc(model(view), expected, f"{name} length {length} offset {offset}")
                self.assertCrc(model.update(view), expected, f"{name} update")
                prior = self.rng.getrandbits(64)
                self.assertCrc(model(view, prior), ref_model(model, view, prior), f"{name} continued")
                self.assertCrc(model.update(view, crc=prior), ref_model(model, view, prior), f"{name} crc=")

    def test_xz_and_nvme_follow_zlib(self):
        xz, nvme = crc64.models["CRC-64/XZ"], crc64.models["CRC-64/NVME"]
        self.assertEqual(crc64.xz(b""), 0)
        self.assertEqual(crc64.xz(b"123456789"), 11051210869376104954)
        self.assertEqual(crc64.nvme(b"123456789"), 0xAE8B14860A799888)
        for _ in range(200):
            data = self.rng.randbytes(self.rng.randrange(0, 3000))
            prior = self.rng.getrandbits(64)
            self.assertEqual(crc64.xz(data), xz(data))
            self.assertEqual(crc64.xz(data, prior), xz(data, prior))
            self.assertEqual(crc64.xz(data, crc=prior), xz(data, prior))
            self.assertEqual(crc64.nvme(data), nvme(data))
            self.assertEqual(crc64.nvme(data, crc=prior), nvme(data, prior))
        # The OSS guide's checks: a whole object from its parts, and an append.
        part_1, part_2 = self.rng.randbytes(1 << 20), self.rng.randbytes(1 << 20)
        self.assertEqual(crc64.xz(part_2, crc64.xz(part_1)), crc64.xz(part_1 + part_2))
        self.assertEqual(crc64.combine(crc64.xz(part_1), crc64.xz(part_2), len(part_2)), crc64.xz(part_1 + part_2))


class TestCustomModels(SeededTestCase):
    def random_models(self, count):
        yield crc64.Model(0, 0, 0, True)  # P = x**64
        yield crc64.Model(0, MASK, MASK, False)
        yield crc64.Model(0x8000000000000000, 0, MASK, True)
        yield crc64.Model(2, 0x123, 0, False)  # even polynomials: x**64 + x
        for _ in range(count):
            yield crc64.Model(self.rng.getrandbits(64), self.rng.getrandbits(64), self.rng.getrandbits(64),
                              self.rng.random() < 0.5)

    def test_random_models_against_the_reference(self):
        base = self.rng.randbytes(1200)
        for model in self.random_models(24):
            self.assertIsNone(model.name)
            self.assertEqual(model.empty, ref_model(model, b""), repr(model))
            self.assertEqual(model.check, ref_model(model, b"123456789"), repr(model))
            for length in [0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1023, 1024,
                           1025, self.rng.randrange(0, 1100)]:
                offset = self.rng.randrange(0, 64)
                data = memoryview(base)[offset:offset + length]
                self.assertCrc(model(data), ref_model(model, data), f"{model!r} length {length}")
                prior = self.rng.getrandbits(64)
                self.assertCrc(model(data, prior), ref_model(model, data, prior), f"{model!r} continued")

    def test_streaming_and_combine_identities(self):
        for model in list(crc64.models.values()) + list(self.random_models(6)):
            for _ in range(12):
                data = self.rng.randbytes(self.rng.choice([self.rng.randrange(0, 300), self.rng.randrange(0, 70000)]))
                whole = model(data)
                cuts = sorted(self.rng.randrange(0, len(data) + 1) for _ in range(self.rng.randrange(0, 5)))
                value, start = model.empty, 0
                for cut in cuts + [len(data)]:
                    value = model(data[start:cut], value)
                    start = cut
                self.assertCrc(value, whole, f"{model!r} streamed at {cuts}")
                split = self.rng.randrange(0, len(data) + 1)
                combined = model.combine(model(data[:split]), model(data[split:]), len(data) - split)
                self.assertCrc(combined, whole, f"{model!r} combined at {split} of {len(data)}")
                self.assertEqual(crc64.combine(model(data[:split]), model(data[split:]), len(data) - split, model),
                                 whole)
            self.assertEqual(model.combine(model(b"abc"), model.empty, 0), model(b"abc"))
            # A zero second length returns the first value whatever the second is (never the empty CRC here): the
            # rule of every CRC-64 combine, not zlib 1.2.12's crc1 ^ crc2.
            for _ in range(8):
                first, second = self.rng.getrandbits(64), self.rng.getrandbits(64) | 1
                if second == model.empty:
                    second ^= 2
                self.assertEqual(model.combine(first, second, 0), first, f"{model!r} combine(a, b, 0)")
                self.assertEqual(crc64.combine(first, second, 0, model), first, f"{model!r} crc64.combine(a, b, 0)")

    def test_equality_hash_and_repr(self):
        xz = crc64.models["CRC-64/XZ"]
        same = crc64.Model(xz.poly, xz.init, xz.xorout, True)
        named = crc64.Model(xz.poly, xz.init, xz.xorout, True, name="mine")
        self.assertEqual(same, xz)
        self.assertEqual(named, xz)
        self.assertEqual(hash(same), hash(xz))
        self.assertEqual(len({xz, same, named}), 1)
        self.assertNotEqual(crc64.Model(xz.poly, xz.init, xz.xorout, False), xz)
        self.assertNotEqual(xz, (xz.poly, xz.init, xz.xorout, True))
        self.assertEqual(named.name, "mine")
        self.assertEqual(same(b"123456789"), xz.check)
        self.assertEqual(eval(repr(named), {"crc64": crc64}), named)
        self.assertEqual(repr(xz), "crc64.Model(poly=0x42f0e1eba9ea3693, init=0xffffffffffffffff, "
                                   "xorout=0xffffffffffffffff, reflected=True, name='CRC-64/XZ')")
        custom = crc64.Model(1, 2, 3, reflected=False)
        self.assertEqual(repr(custom), "crc64.Model(poly=0x0000000000000001, init=0x0000000000000002, "
                                       "xorout=0x0000000000000003, reflected=False)")

    def test_models_are_immutable(self):
        model = crc64.Model(5, 0, 0, True)
        for attribute in ("poly", "init", "xorout", "reflected", "name", "empty", "check"):
            with self.assertRaises(AttributeError, msg=attribute):
                setattr(model, attribute, 1)
        with self.assertRaises(TypeError):
            type("Sub", (crc64.Model,), {})

    @unittest.skipUnless(os.path.exists("/proc/self/statm"), "needs /proc/self/statm")
    def test_custom_models_free_their_tables(self):
        def rss():
            with open("/proc/self/statm") as statm:
                return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

        crc64.Model(7, 0, 0, True)(b"warm up")
        before = rss()
        for i in range(1500):  # about 97 KiB of tables each: 140 MiB if they leaked
            model = crc64.Model(0x1234 + 2 * i, i, 0, i % 2 == 0)
            model(b"x")
        del model
        self.assertLess(rss() - before, 40 << 20)

    def test_bad_parameters(self):
        cases = [
            ((-1, 0, 0, True), ValueError,
             "poly must be in the range 0..18446744073709551615 (64 bits unsigned), got -1"),
            ((1 << 64, 0, 0, True), ValueError, "poly must be in the range 0..18446744073709551615"),
            ((0, 1 << 64, 0, True), ValueError, "init must be in the range"),
            ((0, 0, -2, True), ValueError, "xorout must be in the range"),
            ((1.0, 0, 0, True), TypeError, "poly must be an int, not 'float'"),
            ((0, "0", 0, True), TypeError, "init must be an int, not 'str'"),
            ((0, 0, 0, 1), TypeError, "reflected must be True or False, not 'int'"),
            ((0, 0, 0), TypeError, "missing required argument 'reflected'"),
        ]
        for args, error, message in cases:
            with self.assertRaises(error, msg=args) as caught:
                crc64.Model(*args)
            self.assertIn(message, str(caught.exception))
        with self.assertRaisesRegex(TypeError, "name must be a str or None, not 'int'"):
            crc64.Model(0, 0, 0, True, name=5)
        with self.assertRaises(TypeError):
            crc64.Model(0, 0, 0, True, "positional name")

    def test_bad_arguments(self):
        model = crc64.models["CRC-64/NVME"]
        for function in (crc64.xz, crc64.nvme, model, model.update):
            with self.assertRaisesRegex(ValueError, r"crc must be in the range 0\.\.18446744073709551615 "
                                                    r"\(64 bits unsigned\), got -1"):
                function(b"", -1)
            with self.assertRaisesRegex(ValueError, "got 18446744073709551616"):
                function(b"", crc=1 << 64)
            with self.assertRaisesRegex(TypeError, "crc must be an int, not 'float'"):
                function(b"", 1.0)
            with self.assertRaisesRegex(TypeError, "unexpected keyword argument 'seed'"):
                function(b"", seed=1)
            with self.assertRaisesRegex(TypeError, "got multiple values for argument 'crc'"):
                function(b"", 1, crc=1)
            with self.assertRaisesRegex(TypeError, r"takes the data and an optional crc \(0 arguments given\)"):
                function()
            with self.assertRaisesRegex(TypeError, r"\(3 arguments given\)"):
                function(b"", 0, 0)
        self.assertEqual(model(b"abc", None), model(b"abc"))
        self.assertEqual(model(b"abc", True), model(b"abc", 1))  # an int subclass
        with self.assertRaisesRegex(TypeError, r"combine\(\) takes crc1, crc2 and len2 \(2 arguments given\)"):
            model.combine(0, 0)
        with self.assertRaisesRegex(ValueError, "len2 must be in the range 0..18446744073709551615"):
            model.combine(0, 0, -1)
        with self.assertRaisesRegex(ValueError, "crc2 must be in the range"):
            crc64.combine(0, 1 << 64, 1)


class TestBuffers(SeededTestCase):
    def test_every_buffer_kind(self):
        data = self.rng.randbytes(5000)
        expected = crc64.xz(data)
        self.assertEqual(crc64.xz(bytearray(data)), expected)
        self.assertEqual(crc64.xz(memoryview(data)), expected)
        self.assertEqual(crc64.xz(memoryview(bytearray(data))), expected)
        self.assertEqual(crc64.xz(array.array("B", data)), expected)
        self.assertEqual(crc64.xz(array.array("I", data[:4000])), crc64.xz(data[:4000]))
        self.assertEqual(crc64.xz(memoryview(data).cast("Q")[1:100]), crc64.xz(data[8:800]))
        with mmap.mmap(-1, len(data)) as mapping:
            mapping.write(data)
            self.assertEqual(crc64.xz(mapping), expected)
            self.assertEqual(crc64.xz(memoryview(mapping)[17:4001]), crc64.xz(data[17:4001]))
        for offset in range(0, 70):
            for length in (0, 1, 15, 16, 64, 100, 4095, 4096, 4097):
                view = memoryview(data)[offset:offset + length]
                self.assertEqual(crc64.xz(view), ref_model(crc64.models["CRC-64/XZ"], view) if length < 200
                                 else crc64.xz(bytes(view)), f"offset {offset} length {length}")

    def test_non_contiguous_buffers_are_rejected(self):
        data = bytes(range(256)) * 4
        with self.assertRaisesRegex(BufferError, "not C-contiguous"):
            crc64.xz(memoryview(data)[::2])
        with self.assertRaisesRegex(BufferError, "not C-contiguous"):
            crc64.models["CRC-64/WE"](memoryview(data)[::-1])
        with self.assertRaisesRegex(BufferError, "not C-contiguous"):
            crc64.crcmod.mkCrcFun(0x142F0E1EBA9EA3693)(memoryview(data).cast("I")[::3])

    def test_contiguous_multidimensional_buffers_hash_their_bytes_in_order(self):
        data = bytes(range(256)) * 4
        self.assertEqual(crc64.xz(memoryview(data).cast("B", (32, 32))), crc64.xz(data))

    @unittest.skipIf(numpy is None, "numpy is not installed")
    def test_numpy_arrays(self):
        values = numpy.arange(30000, dtype=numpy.uint32).reshape(100, 300)
        self.assertEqual(crc64.xz(values), crc64.xz(values.tobytes()))
        self.assertEqual(crc64.nvme(values[10:20]), crc64.nvme(values[10:20].tobytes()))
        self.assertEqual(crc64.xz(values.astype(numpy.float64)), crc64.xz(values.astype(numpy.float64).tobytes()))
        for strided in (values.T, values[:, ::2], values[::2], values[:, 1:]):
            with self.assertRaisesRegex(BufferError, r"one C-contiguous block of bytes, and this buffer is not "
                                                     r"\(ndarray is not C-contiguous\)") as caught:
                crc64.xz(strided)
            self.assertIsInstance(caught.exception.__cause__, ValueError)
        self.assertEqual(crc64.xz(numpy.ascontiguousarray(values.T)), crc64.xz(values.T.tobytes()))
        self.assertEqual(crc64.xz(numpy.zeros(0, dtype=numpy.uint8)), 0)

    def test_non_buffers_are_rejected(self):
        for function in (crc64.xz, crc64.models["CRC-64/MS"], crc64.crcmod.mkCrcFun(0x142F0E1EBA9EA3693)):
            with self.assertRaisesRegex(TypeError, "^Strings must be encoded before hashing$"):
                function("123456789")
            for value in (None, 5, [1, 2], 1.5):
                with self.assertRaisesRegex(TypeError, "bytes-like object is required"):
                    function(value)

    def test_a_buffer_cannot_be_resized_while_hashed(self):
        # The buffer is held for the whole call; a resize from another thread meanwhile must fail, not race.
        data = bytearray(self.rng.randbytes(64 << 20))
        expected = crc64.xz(bytes(data))
        outcome = []

        def resize():
            try:
                data.extend(b"x")
                outcome.append("resized")
            except BufferError:
                outcome.append("refused")

        results = []
        hasher = threading.Thread(target=lambda: results.append(crc64.xz(data)))
        hasher.start()
        resize()
        hasher.join()
        # Either the resize came first (and the CRC covers the longer buffer) or it was refused while hashing.
        self.assertIn(results[0], (expected, crc64.xz(bytes(data))))
        self.assertEqual(len(outcome), 1)


class TestThreads(SeededTestCase):
    def test_threads_hashing_their_own_buffers(self):
        size = 4 * crc64._crc64.GIL_RELEASE_MIN + 3  # above the GIL release threshold
        buffers = [self.rng.randbytes(size + i) for i in range(6)]
        custom = crc64.Model(0x1B, 0, MASK, False)  # one shared custom model
        expected = [(crc64.xz(b), crc64.nvme(b), custom(b), crc64.models["CRC-64/WE"](b)) for b in buffers]
        errors = []

        def work(index):
            data = memoryview(buffers[index])
            for _ in range(300):
                got = (crc64.xz(data), crc64.nvme(data), custom(data), crc64.models["CRC-64/WE"](data))
                if got != expected[index]:
                    errors.append((index, got))

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(buffers))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])

    def test_the_gil_is_released_while_hashing(self):
        # While one thread hashes a large buffer, this one keeps running Python: the longest pause it sees is far
        # shorter than the call. Holding the GIL would pause it for the whole call. (bytes(n) is calloc'ed zero
        # pages: hashing them reads the kernel's zero page, without 1 GiB of memory.)
        data = bytes(1 << 30)
        for function in (crc64.xz, crc64.models["CRC-64/WE"], crc64.crcmod.mkCrcFun(GUIDE_POLY)):
            function(data)  # maps the pages
            start = time.perf_counter()
            function(data)
            duration = time.perf_counter() - start
            hasher = threading.Thread(target=function, args=(data,))
            longest, last = 0.0, time.perf_counter()
            hasher.start()
            while True:
                now = time.perf_counter()  # before the check, so that a pause up to the end is counted
                longest, last = max(longest, now - last), now
                if not hasher.is_alive():
                    break
            hasher.join()
            self.assertLess(longest, duration / 2, f"{function!r}: a {duration * 1e3:.1f} ms call paused this "
                                                   f"thread for {longest * 1e3:.1f} ms")

    def test_threads_creating_and_using_models(self):
        errors = []

        def work(seed):
            rng = random.Random(seed)
            for _ in range(20):
                model = crc64.Model(rng.getrandbits(64), rng.getrandbits(64), rng.getrandbits(64), rng.random() < .5)
                data = rng.randbytes(rng.randrange(0, 40000))
                split = rng.randrange(0, len(data) + 1)
                if model.combine(model(data[:split]), model(data[split:]), len(data) - split) != model(data):
                    errors.append(model)
                if model.check != ref_model(model, b"123456789"):
                    errors.append(model)

        threads = [threading.Thread(target=work, args=(SEED + i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])


class TestVersionAndKernels(unittest.TestCase):
    def test_version(self):
        self.assertEqual(crc64.__version__, crc64.version())
        self.assertRegex(crc64.version(), r"^\d+\.\d+\.\d+$")
        self.assertEqual(importlib.metadata.version("crc64"), crc64.version())
        if HEADER.exists():  # in a checkout: the header is the single source of truth
            match = re.search(r'#define LIBCRC64_VERSION_STRING "([^"]+)"', HEADER.read_text())
            self.assertEqual(crc64.version(), match.group(1))

    def test_every_kernel_gives_the_same_values(self):
        self.assertIn(crc64.active_kernel(), ("avx512", "avx2", "pclmul", "pmull-eor3", "pmull", "slice16"))
        script = (
            "import crc64, random\n"
            "rng = random.Random(7)\n"
            "data = rng.randbytes(70000)\n"
            "m = crc64.Model(0x1234567, 99, 5, False)\n"
            "print(crc64.active_kernel(), [f(data[:n], c) for n in (0, 1, 15, 16, 17, 64, 255, 1024, 4097, 70000)"
            " for c in (0, 12345) for f in (crc64.xz, crc64.nvme, m, crc64.models['CRC-64/ECMA-182'])])\n"
        )
        outputs = {}
        for kernel in ("avx512", "avx2", "pclmul", "pmull-eor3", "pmull", "slice16"):
            env = dict(os.environ, CRC64_KERNEL=kernel)
            run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
            active, values = run.stdout.split(" ", 1)
            if active == kernel:
                outputs[kernel] = values
        self.assertIn("slice16", outputs)
        self.assertGreaterEqual(len(outputs), 2 if crc64.active_kernel() != "slice16" else 1)
        self.assertEqual(len(set(outputs.values())), 1, sorted(outputs))


class TestDigestFormats(SeededTestCase):
    def test_forms(self):
        value = 0x995DC9BBDF1939FA
        self.assertEqual(crc64.to_decimal(value), "11051210869376104954")
        self.assertEqual(crc64.to_hex(value), "995dc9bbdf1939fa")
        self.assertEqual(crc64.to_base64(value), "mV3Ju98ZOfo=")
        self.assertEqual(crc64.to_base64(crc64.nvme(b"123456789")), "rosUhgp5mIg=")
        self.assertEqual(crc64.to_hex(0), "0000000000000000")
        self.assertEqual(crc64.to_decimal(0), "0")
        self.assertEqual(crc64.to_base64(0), "AAAAAAAAAAA=")
        self.assertEqual(crc64.to_base64(MASK), "//////////8=")
        self.assertEqual(crc64.from_decimal("0000011051210869376104954"), value)
        self.assertEqual(crc64.from_hex("995DC9bbdf1939FA"), value)
        self.assertEqual(crc64.from_base64("mV3Ju98ZOfo="), value)
        self.assertEqual(crc64.from_decimal("18446744073709551615"), MASK)

    def test_round_trips(self):
        import base64

        for value in [0, 1, MASK, 1 << 63] + [self.rng.getrandbits(self.rng.randrange(1, 65)) for _ in range(2000)]:
            self.assertEqual(crc64.from_decimal(crc64.to_decimal(value)), value)
            self.assertEqual(crc64.from_hex(crc64.to_hex(value)), value)
            self.assertEqual(crc64.from_base64(crc64.to_base64(value)), value)
            self.assertEqual(crc64.to_base64(value), base64.b64encode(value.to_bytes(8, "big")).decode())

    def test_bad_values(self):
        for function in (crc64.to_decimal, crc64.to_hex, crc64.to_base64):
            with self.assertRaisesRegex(ValueError, "a CRC-64 value is in the range 0..18446744073709551615, got -1"):
                function(-1)
            with self.assertRaisesRegex(ValueError, "got 18446744073709551616"):
                function(1 << 64)
            with self.assertRaisesRegex(TypeError, "a CRC-64 value must be an int, not 'str'"):
                function("1")
            with self.assertRaisesRegex(TypeError, "not 'bool'"):
                function(True)

    def test_parse_errors(self):
        cases = [
            (crc64.from_decimal, "", "empty string: expected a CRC-64 decimal value (digits 0-9)"),
            (crc64.from_decimal, "-1", '"-1" is negative: a CRC-64 decimal value is unsigned'),
            (crc64.from_decimal, "+1", 'invalid character "+" at offset 0 in "+1": expected a CRC-64 decimal value '
                                       "(digits 0-9)"),
            (crc64.from_decimal, " 12", 'invalid character " " at offset 0 in " 12"'),
            (crc64.from_decimal, "1_000", 'invalid character "_" at offset 1 in "1_000"'),
            (crc64.from_decimal, "12\n", 'invalid character "\\n" at offset 2 in "12\\n"'),
            (crc64.from_decimal, "١٢", 'invalid character "١" at offset 0 in "١٢"'),  # Arabic-Indic digits
            (crc64.from_decimal, "0x12", 'invalid character "x" at offset 1 in "0x12"'),
            (crc64.from_decimal, "18446744073709551616",
             '"18446744073709551616" is out of range: a CRC-64 decimal value is at most 18446744073709551615'),
            (crc64.from_hex, "", "empty string: expected a CRC-64 hex value (16 digits 0-9, a-f or A-F)"),
            (crc64.from_hex, "0x995dc9bbdf1939fa", 'invalid character "x" at offset 1 in "0x995dc9bbdf1939fa": '
                                                   "expected a CRC-64 hex value (16 digits 0-9, a-f or A-F)"),
            (crc64.from_hex, "995dc9bbdf1939f", '"995dc9bbdf1939f" has 15 characters: a CRC-64 hex value has '
                                                "exactly 16"),
            (crc64.from_hex, "0995dc9bbdf1939fa", "has 17 characters"),
            (crc64.from_hex, 'ab"\\\t\x01\x7f', 'invalid character "\\"" at offset 2 in "ab\\"\\\\\\t\\u{1}\\u{7f}"'),
            (crc64.from_base64, "", 'empty string: expected a CRC-64 base64 value (12 characters, standard alphabet, '
                                    'one "=")'),
            (crc64.from_base64, "mV3Ju98ZOfo", '"mV3Ju98ZOfo" has 11 characters: a CRC-64 base64 value has exactly 12'),
            (crc64.from_base64, "mV3Ju98ZOfo==", "has 13 characters"),
            (crc64.from_base64, "mV3Ju98ZOf==", '"mV3Ju98ZOf==" has invalid padding'),
            (crc64.from_base64, "mV3Ju98ZOf=o", '"mV3Ju98ZOf=o" has invalid padding: CRC-64 base64 is 11 characters '
                                                'and one "="'),
            (crc64.from_base64, "mV3Ju98ZOfoA", 'has invalid padding'),
            (crc64.from_base64, "mV3Ju98ZOfp=", '"mV3Ju98ZOfp=" is not canonical base64: the unused low bits of its '
                                                "11th character are not zero"),
            (crc64.from_base64, "mV3Ju98Z-fo=", 'invalid character "-" at offset 8 in "mV3Ju98Z-fo=": expected a '
                                                'CRC-64 base64 value (12 characters, standard alphabet, one "=")'),
            (crc64.from_base64, "mV3Ju98Z_fo=", 'invalid character "_" at offset 8'),
        ]
        for function, text, message in cases:
            with self.assertRaises(crc64.DigestParseError, msg=(function.__name__, text)) as caught:
                function(text)
            self.assertIsInstance(caught.exception, ValueError)
            self.assertIn(message, str(caught.exception), (function.__name__, text))
            self.assertEqual(caught.exception.input, text)
            self.assertEqual(caught.exception.format, function.__name__[len("from_"):])
        for function in (crc64.from_decimal, crc64.from_hex, crc64.from_base64):
            with self.assertRaisesRegex(TypeError, "must be a str, not 'bytes'"):
                function(b"0")


GUIDE_POLY = 0x142F0E1EBA9EA3693


@unittest.skipIf(real_crcmod is None, "crcmod is not installed")
class TestCrcmodCompatibility(SeededTestCase):
    POLYS = [GUIDE_POLY, 0x1000000000000001B, 0x1AD93D23594C935A9, 0x1AD93D23594C93659, 0x10000000000000000,
             0x1FFFFFFFFFFFFFFFF, 0x10000000000000002]
    INITS = [0, ~0, MASK, 0x123456789ABCDEF0, -5, (1 << 70) | 3, 1]
    XOROUTS = [0, ~0, MASK, 0xDEADBEEF, 1 << 63]

    def parameter_sets(self):
        for poly in self.POLYS:
            for rev in (True, False):
                for init in self.INITS:
                    for xor_out in self.XOROUTS:
                        yield poly, init, rev, xor_out

    def test_real_crcmod_uses_its_c_extension(self):
        if not REAL_CRCMOD_MODULE._usingExtension:
            self.skipTest("crcmod runs without its C extension (crcmod._crcfunext)")
        self.assertEqual(REAL_CRCMOD_MODULE._crcfun.__name__, "crcmod._crcfunext")

    def test_the_guide_function(self):
        ours = crc64.crcmod.mkCrcFun(GUIDE_POLY, initCrc=0, xorOut=0xFFFFFFFFFFFFFFFF, rev=True)
        theirs = real_crcmod.mkCrcFun(GUIDE_POLY, initCrc=0, xorOut=0xFFFFFFFFFFFFFFFF, rev=True)
        self.assertEqual(ours.__self__, crc64.models["CRC-64/XZ"])
        part_1, part_2 = self.rng.randbytes(1 << 20), self.rng.randbytes((1 << 20) + 13)
        self.assertEqual(ours(part_1), theirs(part_1))
        self.assertEqual(str(ours(part_2, ours(part_1))), str(theirs(part_2, theirs(part_1))))
        self.assertEqual(ours(part_2, crc=ours(part_1)), crc64.xz(part_1 + part_2))
        self.assertEqual(ours(b"123456789"), 11051210869376104954)

    def test_mkCrcFun_side_by_side(self):
        for poly, init, rev, xor_out in self.parameter_sets():
            ours = crc64.crcmod.mkCrcFun(poly, initCrc=init, rev=rev, xorOut=xor_out)
            theirs = real_crcmod.mkCrcFun(poly, initCrc=init, rev=rev, xorOut=xor_out)
            what = f"mkCrcFun({poly:#x}, initCrc={init:#x}, rev={rev}, xorOut={xor_out:#x})"
            for length in (0, 1, 9, 64, self.rng.randrange(0, 2000)):
                data = self.rng.randbytes(length)
                self.assertEqual(ours(data), theirs(data), what)
                for prior in (self.rng.getrandbits(64), 0, -1, -self.rng.getrandbits(64), 1 << 64 | 5):
                    self.assertEqual(ours(data, prior), theirs(data, prior), f"{what} crc={prior:#x}")
                    self.assertEqual(ours(data, crc=prior), theirs(data, crc=prior), what)
        # crcmod's positional order is (poly, initCrc, rev, xorOut).
        self.assertEqual(crc64.crcmod.mkCrcFun(GUIDE_POLY, 0, True, MASK)(b"abc"),
                         real_crcmod.mkCrcFun(GUIDE_POLY, 0, True, MASK)(b"abc"))
        self.assertEqual(crc64.crcmod.mkCrcFun(GUIDE_POLY)(b"abc"), real_crcmod.mkCrcFun(GUIDE_POLY)(b"abc"))
        self.assertEqual(crc64.crcmod.mkCrcFun(GUIDE_POLY, rev=0)(b"abc"),
                         real_crcmod.mkCrcFun(GUIDE_POLY, rev=0)(b"abc"))

    def test_large_inputs_side_by_side(self):
        data = self.rng.randbytes(3 << 20)
        for poly, init, rev, xor_out in [(GUIDE_POLY, 0, True, MASK), (0x1AD93D23594C935A9, ~0, False, 0),
                                         (0x1000000000000001B, 7, True, 0xABC)]:
            ours = crc64.crcmod.mkCrcFun(poly, init, rev, xor_out)
            theirs = real_crcmod.mkCrcFun(poly, init, rev, xor_out)
            for length in ((1 << 20) + self.rng.randrange(0, 4096), len(data) - self.rng.randrange(0, 100)):
                offset = self.rng.randrange(0, 64)
                view = memoryview(data)[offset:offset + length]
                self.assertEqual(ours(view), theirs(view))
                self.assertEqual(ours(view, 12345), theirs(view, 12345))

    def test_Crc_side_by_side(self):
        for poly, init, rev, xor_out in self.parameter_sets():
            ours = crc64.crcmod.Crc(poly, initCrc=init, rev=rev, xorOut=xor_out)
            theirs = real_crcmod.Crc(poly, initCrc=init, rev=rev, xorOut=xor_out)
            self.assertCrcEqual(ours, theirs)
            for _ in range(3):
                data = self.rng.randbytes(self.rng.randrange(0, 300))
                ours.update(data)
                theirs.update(data)
                self.assertCrcEqual(ours, theirs)
            ours_copy, theirs_copy = ours.copy(), theirs.copy()
            self.assertCrcEqual(ours_copy, theirs_copy)
            ours_copy.update(b"more")
            theirs_copy.update(b"more")
            self.assertCrcEqual(ours_copy, theirs_copy)
            self.assertCrcEqual(ours, theirs)  # the originals did not move
            self.assertCrcEqual(ours.new(), theirs.new())
            self.assertCrcEqual(ours.new(b"123456789"), theirs.new(b"123456789"))
            self.assertCrcEqual(ours.new(arg=b""), theirs.new(arg=b""))
            ours.crcValue = theirs.crcValue = self.rng.getrandbits(64)
            ours.update(b"after an assignment")
            theirs.update(b"after an assignment")
            self.assertCrcEqual(ours, theirs)

    def assertCrcEqual(self, ours, theirs):
        for attribute in ("crcValue", "digest_size", "initCrc", "xorOut", "poly", "reverse"):
            self.assertEqual(getattr(ours, attribute), getattr(theirs, attribute), attribute)
        self.assertEqual(ours.digest(), theirs.digest())
        self.assertEqual(ours.hexdigest(), theirs.hexdigest())
        self.assertEqual(str(ours), str(theirs))

    def test_bad_polynomials(self):
        for poly in (0x11021, 0x104C11DB7, 0x1000000AF, 0x107, (1 << 65), 0xFFFFFFFFFFFFFFFF, 0, -1):
            for factory in (crc64.crcmod.mkCrcFun, crc64.crcmod.Crc):
                with self.assertRaises(ValueError) as caught:
                    factory(poly)
                self.assertIn("crc64.crcmod supports 64-bit CRCs only: poly must be a degree-64 polynomial written "
                              "with its x**64 term, 0x10000000000000000 <= poly <= 0x1ffffffffffffffff; got "
                              + hex(poly), str(caught.exception))
        with self.assertRaisesRegex(ValueError, "got 1.5"):
            crc64.crcmod.mkCrcFun(1.5)

    def test_bad_data_and_crc(self):
        ours = crc64.crcmod.mkCrcFun(GUIDE_POLY, initCrc=0, xorOut=MASK)
        with self.assertRaisesRegex(TypeError, "Strings must be encoded before hashing"):
            ours("text")
        with self.assertRaisesRegex(TypeError, "crc must be an int, not 'float'"):
            ours(b"", 1.0)
        with self.assertRaisesRegex(TypeError, "crc must be an int, not 'NoneType'"):
            ours(b"", None)
        with self.assertRaises(TypeError):  # as in crcmod: initCrc & mask
            crc64.crcmod.Crc(GUIDE_POLY, initCrc=1.0)


if __name__ == "__main__":
    unittest.main()
