"""Tests of the crc64 package (standard library unittest only; crcmod and numpy are used when installed).

Every value is checked against a bit-at-a-time CRC written below from the Rocksoft model's definition, never from
the library's code, and the crcmod drop-in side by side with crcmod itself. Random inputs come from a fixed seed,
printed with every failure (CRC64_TEST_SEED overrides it).

Run from anywhere but Bindings/python (so that the installed package is imported):
    python -m unittest discover -s Bindings/python/tests -v
"""

import array
import binascii
import importlib.metadata
import io
import json
import mmap
import os
import pathlib
import random
import re
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import unittest
import zlib

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
GUIDE_POLY = 0x142F0E1EBA9EA3693  # the OSS guide's crcmod polynomial: CRC-64/XZ
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


def reference(poly, init, xorout, reflected, data, crc=None, width=64):
    """The Rocksoft model, one bit at a time, for a CRC of `width` bits (poly without its x**width term): the
    register starts at init (or at the register behind a previous final value `crc`), takes each byte most
    significant bit first (reflected: least significant first), and the final value is the register (reflected:
    reversed) XOR xorout."""
    mask = (1 << width) - 1
    if crc is None:
        register = init
    else:
        register = crc ^ xorout
        if reflected:
            register = reflect(register, width)
    for byte in bytes(data):
        if reflected:
            byte = reflect(byte, 8)
        for bit in range(7, -1, -1):
            top = (register >> (width - 1) ^ byte >> bit) & 1
            register = (register << 1 & mask) ^ (poly if top else 0)
    if reflected:
        register = reflect(register, width)
    return register ^ xorout


def crcmod_reference(poly, initCrc, rev, xorOut, data, crc=None):
    """crcmod's function from its parameters, by the Rocksoft model: poly carries its top term, initCrc is the CRC
    of no data, and initCrc, xorOut and crc are taken modulo 2**width."""
    width = poly.bit_length() - 1
    mask = (1 << width) - 1
    start = (initCrc if crc is None else crc) & mask
    return reference(poly & mask, None, xorOut & mask, bool(rev), data, crc=start, width=width)


def ref_model(model, data, crc=None):
    return reference(model.poly, model.init, model.xorout, model.reflected, data, crc)


def run_threads(work, arguments):
    """Runs work(argument) on a thread of its own for each argument, all at once, waits for them, and raises the first
    exception a thread raised (a thread's exception would otherwise only be printed)."""
    failures = []

    def run(argument):
        try:
            work(argument)
        except BaseException as error:  # noqa: BLE001 -- handed to the test's thread below
            failures.append(error)

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


class SeededTestCase(unittest.TestCase):
    def setUp(self):
        self.rng = random.Random(SEED)

    def assertCrc(self, actual, expected, what):
        self.assertEqual(actual, expected, f"{what}: got {actual:#018x}, expected {expected:#018x} (seed {SEED})")


class TestReference(unittest.TestCase):
    def test_reference_gives_the_catalogue_check_values(self):
        for name, (poly, init, xorout, reflected, check) in CATALOGUE.items():
            self.assertEqual(reference(poly, init, xorout, reflected, b"123456789"), check, name)
        # Narrower CRCs of the same catalogue: name -> (width, poly, init, xorout, reflected, check).
        narrow = {
            "CRC-8/SMBUS": (8, 0x07, 0, 0, False, 0xF4),
            "CRC-8/MAXIM-DOW": (8, 0x31, 0, 0, True, 0xA1),
            "CRC-16/XMODEM": (16, 0x1021, 0, 0, False, 0x31C3),
            "CRC-16/KERMIT": (16, 0x1021, 0, 0, True, 0x2189),
            "CRC-16/IBM-SDLC": (16, 0x1021, 0xFFFF, 0xFFFF, True, 0x906E),
            "CRC-24/OPENPGP": (24, 0x864CFB, 0xB704CE, 0, False, 0x21CF02),
            "CRC-32/ISO-HDLC": (32, 0x04C11DB7, 0xFFFFFFFF, 0xFFFFFFFF, True, 0xCBF43926),
            "CRC-32/BZIP2": (32, 0x04C11DB7, 0xFFFFFFFF, 0xFFFFFFFF, False, 0xFC891918),
            "CRC-32/ISCSI": (32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, True, 0xE3069283),
        }
        for name, (width, poly, init, xorout, reflected, check) in narrow.items():
            self.assertEqual(reference(poly, init, xorout, reflected, b"123456789", width=width), check, name)
        # zlib's CRC-32 is an independent implementation of CRC-32/ISO-HDLC.
        data = random.Random(SEED).randbytes(300)
        self.assertEqual(reference(0x04C11DB7, MASK >> 32, MASK >> 32, True, data, width=32), zlib.crc32(data))
        self.assertEqual(crcmod_reference(0x104C11DB7, 0, True, MASK >> 32, data), zlib.crc32(data))


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
        # One exception for every exporter, both what memoryview raises and what numpy raises.
        with self.assertRaises(crc64.NotContiguousError) as caught:
            crc64.xz(memoryview(data)[::2])
        self.assertIsInstance(caught.exception, BufferError)
        self.assertIsInstance(caught.exception, ValueError)
        self.assertIsInstance(caught.exception.__cause__, BufferError)

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

        run_threads(work, range(len(buffers)))
        self.assertEqual(errors, [])

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

        run_threads(work, [SEED + i for i in range(4)])
        self.assertEqual(errors, [])


    def test_threads_making_and_using_crcmod_functions(self):
        # Every width at once from several threads: the shared model cache, Crc objects and their tables.
        params = [(poly, rev) for polys in CRCMOD_POLYS.values() for poly in polys[:3] for rev in (True, False)]
        data = self.rng.randbytes(3 * crc64._crc64.GIL_RELEASE_MIN)
        expected = {(poly, rev): crcmod_reference(poly, 0, rev, -1, data[:300]) for poly, rev in params}
        errors = []

        def work(seed):
            rng = random.Random(seed)
            for poly, rev in rng.sample(params, len(params)) * 3:
                function = crc64.crcmod.mkCrcFun(poly, 0, rev, -1)
                crc = crc64.crcmod.Crc(poly, 0, rev, -1)
                crc.update(data[:300])
                if function(data[:300]) != expected[(poly, rev)] or crc.crcValue != expected[(poly, rev)]:
                    errors.append((poly, rev))
                if function(data) != function(data[200:], function(data[:200])) or len(crc.new().table) != 256:
                    errors.append((poly, rev, "long"))

        run_threads(work, [SEED + i for i in range(4)])
        self.assertEqual(errors, [])

    def test_first_use_raced_by_threads_in_a_new_interpreter(self):
        # A fresh interpreter, where importing crc64 has chosen no kernel and built no table: eight threads, released
        # together, make its first calls (the kernel choice, the presets' tables, crcmod's models), each long enough
        # to hash with the GIL released.
        script = textwrap.dedent("""
            import json, threading, crc64, crc64.crcmod
            data = bytes(range(251)) * (crc64._crc64.GIL_RELEASE_MIN // 251 + 2)
            barrier = threading.Barrier(8)
            results = [None] * 8
            def work(i):
                barrier.wait()
                results[i] = [crc64.xz(data), crc64.nvme(data)] + [m(data) for m in crc64.models.values()] + [
                    crc64.crcmod.mkCrcFun(poly, 0, rev, -1)(data) for poly, rev in CRCMOD]
            threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            print(json.dumps([crc64.active_kernel(), results]))
        """).replace("CRCMOD", repr(FIRST_USE_CRCMOD))
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        kernel, results = json.loads(run.stdout)
        data = bytes(range(251)) * (crc64._crc64.GIL_RELEASE_MIN // 251 + 2)
        expected = [reference(*CATALOGUE[name][:4], data) for name in ("CRC-64/XZ", "CRC-64/NVME")]
        expected += [reference(*CATALOGUE[name][:4], data) for name in CATALOGUE]
        expected += [crcmod_reference(poly, 0, rev, -1, data) for poly, rev in FIRST_USE_CRCMOD]
        self.assertEqual(kernel, crc64.active_kernel())
        self.assertEqual(results, [expected] * 8)


FIRST_USE_CRCMOD = [(0x104C11DB7, True), (0x11021, False), (0x1864CFB, False), (0x107, True), (GUIDE_POLY, False)]
HOOKS = crc64._crc64 if hasattr(crc64._crc64, "_test_arm") else None


@unittest.skipUnless(HOOKS, "needs the test build of the extension (-DCRC64_TEST_HOOKS; .ci/python.sh makes it)")
class TestWhileHashing(SeededTestCase):
    """What holds while a call hashes, seen without timing anything. In the test build an armed call waits inside
    the kernel until this thread opens a gate (or an armed wait runs out), and records whether its thread held the
    GIL there. This thread can only see the call inside the kernel if it runs Python meanwhile: if the GIL is
    released. Just below GIL_RELEASE_MIN the call must hold it, from GIL_RELEASE_MIN on release it."""

    def functions(self):
        yield "crc64.xz", crc64.xz
        yield "a custom Model", crc64.Model(0x1B, 0, MASK, False)
        yield "crcmod 64-bit", crc64.crcmod.mkCrcFun(GUIDE_POLY)
        yield "crcmod 32-bit", crc64.crcmod.mkCrcFun(0x104C11DB7)
        yield "crcmod 16-bit normal", crc64.crcmod.mkCrcFun(0x11021, rev=False)
        yield "Crc.update 24-bit", crc64.crcmod.Crc(0x1864CFB, rev=False).update

    def call_armed(self, function, data, wait_ms, while_inside=None):
        """Calls function(data) in another thread with the hook armed, and `while_inside` from this thread if it
        sees the call inside the kernel; returns whether it did, the hook's (in_kernel, held_gil, timed_out) after
        the call, and the call's results."""
        HOOKS._test_arm(wait_ms)
        results = []
        caller = threading.Thread(target=lambda: results.append(function(data)))
        caller.start()
        saw_inside = False
        try:
            while caller.is_alive() and not saw_inside:
                saw_inside = HOOKS._test_state()[0] == 1
            if saw_inside and while_inside:
                while_inside()
        finally:
            HOOKS._test_open_gate()
            caller.join()
        return saw_inside, HOOKS._test_state(), results

    def assert_gil(self, sizes, released):
        for size in sizes:
            data = self.rng.randbytes(size)
            for name, function in self.functions():
                expected = function(data) if name != "Crc.update 24-bit" else None
                # Released, the call waits for this thread to open the gate, and the long wait only bounds how long a
                # build that holds the GIL takes to fail here. Held, the call keeps this thread out until its wait
                # runs out: however long that is, this thread cannot see it inside the kernel.
                saw_inside, (_, held_gil, timed_out), results = self.call_armed(function, data,
                                                                                20000 if released else 150)
                what = f"{name}, {size} bytes"
                self.assertEqual(saw_inside, released, f"{what}: did this thread run while the call hashed?")
                self.assertEqual(held_gil, 0 if released else 1, f"{what}: did the caller hold the GIL in the kernel?")
                self.assertEqual(timed_out, 0 if released else 1, what)
                self.assertEqual(results, [expected], what)

    def test_the_gil_is_released_from_the_threshold_on(self):
        self.assert_gil((crc64._crc64.GIL_RELEASE_MIN, crc64._crc64.GIL_RELEASE_MIN + 1, 1 << 20), released=True)

    def test_the_gil_is_held_below_the_threshold(self):
        self.assert_gil((crc64._crc64.GIL_RELEASE_MIN - 1, 64), released=False)

    def test_a_bytearray_cannot_be_resized_while_hashed(self):
        # The buffer stays exported for the whole call: resizing it from another thread meanwhile is refused, not
        # raced. (Below the threshold no other thread runs during a call.)
        for name, function in self.functions():
            original = self.rng.randbytes(crc64._crc64.GIL_RELEASE_MIN + 5)
            data = bytearray(original)
            expected = function(original) if name != "Crc.update 24-bit" else None
            refusals = []

            def resize():
                for attempt in (lambda: data.__delitem__(0), lambda: data.extend(b"x"), lambda: data.clear()):
                    try:
                        attempt()
                    except BufferError:
                        refusals.append(attempt)

            saw_inside, (_, _, timed_out), results = self.call_armed(function, data, 20000, while_inside=resize)
            self.assertTrue(saw_inside, name)
            self.assertEqual(len(refusals), 3, f"{name}: a resize went through while the call hashed the buffer")
            self.assertEqual(timed_out, 0, name)
            self.assertEqual(bytes(data), original, name)
            self.assertEqual(results, [expected], name)


class TestVersionAndKernels(unittest.TestCase):
    def test_version(self):
        self.assertEqual(crc64.__version__, crc64.version())
        self.assertRegex(crc64.version(), r"^\d+\.\d+\.\d+$")
        self.assertEqual(importlib.metadata.version("crc64"), crc64.version())
        if HEADER.exists():  # in a checkout: the header is the single source of truth
            match = re.search(r'#define LIBCRC64_VERSION_STRING "([^"]+)"', HEADER.read_text())
            self.assertEqual(crc64.version(), match.group(1))

    def test_kernels_match_the_cpu(self):
        """The library's own detection against the OS's view of the CPU (/proc/cpuinfo): a kernel is supported exactly
        when the CPU has every feature the library says it needs (an inherited CRC64_KERNEL would mask some)."""
        kernels = crc64._crc64.kernels()
        self.assertIn(crc64.active_kernel(), [name for name, _, supported in kernels if supported])
        self.assertEqual([name for name, _, supported in kernels if supported][0], crc64.active_kernel())
        if not os.path.exists("/proc/cpuinfo") or os.environ.get("CRC64_KERNEL"):
            self.skipTest("no /proc/cpuinfo (Linux) to compare with, or CRC64_KERNEL is set")
        with open("/proc/cpuinfo") as cpuinfo:
            flags = next(line for line in cpuinfo if re.match(r"(flags|Features)\s*:", line)).split(":")[1].split()
        for name, features, supported in kernels:
            self.assertEqual(supported, set(features.split()) <= set(flags), f"{name} needs {features!r}")

    def test_every_kernel_gives_the_same_values(self):
        script = (
            "import crc64, crc64.crcmod, random\n"
            "rng = random.Random(7)\n"
            "data = rng.randbytes(70000)\n"
            "m = crc64.Model(0x1234567, 99, 5, False)\n"
            "narrow = [crc64.crcmod.mkCrcFun(p, 0, r, -1) for p, r in [(0x104C11DB7, True), (0x11021, False),"
            " (0x1864CFB, False), (0x131, True), (0x100, False)]]\n"
            "print(crc64.active_kernel(), [f(data[:n], c) for n in (0, 1, 15, 16, 17, 64, 255, 1024, 4097, 70000)"
            " for c in (0, 12345) for f in [crc64.xz, crc64.nvme, m, crc64.models['CRC-64/ECMA-182']] + narrow])\n"
        )
        supported = [name for name, _, runs in crc64._crc64.kernels() if runs]
        outputs = {}
        for kernel in supported:
            env = dict(os.environ, CRC64_KERNEL=kernel)
            run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
            active, values = run.stdout.split(" ", 1)
            self.assertEqual(active, kernel, "CRC64_KERNEL did not force a supported kernel")
            outputs[kernel] = values
        self.assertIn("slice16", outputs)
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



class TestCommandLine(unittest.TestCase):
    """python -m crc64 without Dask: its help, its usage errors (read before Dask is imported) and what it says
    when Dask is missing. Its runs on Dask are tested in tests-dask/ (.ci/dask.sh)."""

    # Runs the command with `import dask` failing, as where Dask is not installed, whatever this environment has.
    WITHOUT_DASK = ("import runpy, sys; sys.modules['dask'] = None; "
                    "runpy.run_module('crc64', run_name='__main__', alter_sys=True)")

    def run_command(self, *arguments):
        with tempfile.TemporaryDirectory() as workdir:  # not Bindings/python: the installed package is imported
            return subprocess.run([sys.executable, "-c", self.WITHOUT_DASK, *arguments], cwd=workdir,
                                  capture_output=True, text=True)

    def test_help(self):
        run = self.run_command("--help")
        self.assertEqual((run.returncode, run.stderr), (0, ""))
        self.assertTrue(run.stdout.startswith("usage: python -m crc64 [-h] [--scheduler ADDRESS] [--part-size SIZE] "
                                              "[--model NAME] [--format FORMAT] [--expect VALUE] URL\n"), run.stdout)
        for text in ('pip install "crc64[dask]"', "--expect VALUE", "xz, nvme, ecma-182, go-iso, we, ms, redis",
                     "Exit status: 0 if all is well; 1 if the value did not match --expect; 2 for trouble"):
            self.assertIn(text, run.stdout)

    def test_without_dask(self):
        with tempfile.NamedTemporaryFile() as file:
            run = self.run_command("--expect", "0", file.name)
        self.assertEqual((run.returncode, run.stdout), (2, ""))
        self.assertRegex(run.stderr, r'^crc64: this command needs Dask: pip install "crc64\[dask\]" \(.*dask.*\)\n$')
        script = "import sys; sys.modules['dask'] = None\ntry:\n import crc64.dask\nexcept ImportError as e: print(e)"
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        self.assertEqual(run.stdout, 'crc64.dask needs Dask: pip install "crc64[dask]"\n')

    def test_usage_errors(self):
        cases = [
            ((), "the following arguments are required: URL"),
            (("--part-size", "0", "f"), "invalid part size '0': must be at least 1 byte"),
            (("--part-size", "0K", "f"), "invalid part size '0K': must be at least 1 byte"),
            (("--part-size", "1.5M", "f"), "invalid part size '1.5M': expected a number of bytes, optionally with K, "
                                           "M, G or T (at most 2^64 - 1)"),
            (("--part-size", "-1", "f"), "invalid part size '-1': expected a number of bytes, optionally with K, "
                                         "M, G or T (at most 2^64 - 1)"),
            (("--part-size",), "argument --part-size: expected one argument"),
            (("--part-size", "16E", "f"), "invalid part size '16E': expected a number of bytes, optionally with K, "
                                          "M, G or T (at most 2^64 - 1)"),
            (("--part-size", "16777216T", "f"), "invalid part size '16777216T': expected a number of bytes, "
                                                "optionally with K, M, G or T (at most 2^64 - 1)"),
            (("--model", "crc32", "f"), "unknown model 'crc32': expected one of xz, nvme, ecma-182, go-iso, we, ms, "
                                        "redis"),
            (("--format", "octal", "f"), "invalid format 'octal': expected hex, dec or base64"),
            (("--expect", "0x", "f"), 'invalid value: invalid character "x" at offset 1 in "0x": expected a CRC-64 '
                                      "decimal value (digits 0-9) (a value is 16 hex digits, 0x and hex digits, an "
                                      "unsigned decimal, or 12 base64 characters)"),
            (("--expect", "0x12345678901234567", "f"), "invalid value '0x12345678901234567': after 0x, 1 to 16 "
                                                       "hexadecimal digits"),
            (("--expect", "rosUhgp5mIh=", "f"), 'invalid value: "rosUhgp5mIh=" is not canonical base64: the unused '
                                                "low bits of its 11th character are not zero (a value is 16 hex "
                                                "digits, 0x and hex digits, an unsigned decimal, or 12 base64 "
                                                "characters)"),
            (("--threads", "f"), "unrecognized arguments: --threads"),
            (("f", "g"), "unrecognized arguments: g"),
        ]
        for arguments, message in cases:
            run = self.run_command(*arguments)
            self.assertEqual((run.returncode, run.stdout, run.stderr), (2, "", f"crc64: {message}\n"), arguments)

    def test_byte_counts_as_crc64sum_reads_them(self):
        from crc64.__main__ import UsageError, byte_count

        for text, count in [("1", 1), ("64B", 64), ("4k", 4096), ("4KB", 4096), ("4KiB", 4096), ("8M", 8 << 20),
                            ("1g", 1 << 30), ("2TB", 2 << 40), ("18446744073709551615", MASK),
                            ("16777215T", 16777215 << 40)]:
            self.assertEqual(byte_count(text, "size"), count, text)
        for text in ("", "K", "4iB", "4 K", "4KiBB", "0x10", "\u0664", "18446744073709551616", "+4"):
            with self.assertRaises(UsageError, msg=text):
                byte_count(text, "size")


# crcmod's parameters by width: polynomials (with the top term) including x**W alone and all ones.
CRCMOD_POLYS = {
    8: [0x107, 0x131, 0x19B, 0x100, 0x1FF],
    16: [0x11021, 0x18005, 0x13D65, 0x10000, 0x1FFFF],
    24: [0x1864CFB, 0x15D6DCB, 0x1000000, 0x1FFFFFF],
    32: [0x104C11DB7, 0x11EDC6F41, 0x1814141AB, 0x100000000, 0x1FFFFFFFF],
    64: [GUIDE_POLY, 0x1000000000000001B, 0x1AD93D23594C935A9, 0x1AD93D23594C93659, 0x10000000000000000,
         0x1FFFFFFFFFFFFFFFF, 0x10000000000000002],
}
CRCMOD_INITS = [0, ~0, MASK, 0x123456789ABCDEF0, -5, (1 << 70) | 3, 1]
CRCMOD_XOROUTS = [0, ~0, MASK, 0xDEADBEEF, 1 << 63]


def c_compiler():
    """The compiler command Python builds extensions with, if it runs here."""
    import shlex
    import sysconfig

    command = shlex.split(sysconfig.get_config_var("CC") or "cc")
    try:
        subprocess.run(command + ["--version"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return command


class TestCrcmod(SeededTestCase):
    """crc64.crcmod against the bit-at-a-time reference, with or without crcmod installed."""

    def test_every_width_against_the_reference(self):
        for width, polys in CRCMOD_POLYS.items():
            for poly in polys + [(1 << width) | self.rng.getrandbits(width) for _ in range(3)]:
                for rev in (True, False):
                    init, xor_out = self.rng.choice(CRCMOD_INITS), self.rng.choice(CRCMOD_XOROUTS)
                    function = crc64.crcmod.mkCrcFun(poly, init, rev, xor_out)
                    what = f"mkCrcFun({poly:#x}, {init:#x}, {rev}, {xor_out:#x})"
                    self.assertEqual(function.__self__.reflected, rev)
                    for length in (0, 1, 15, 16, 17, 63, 64, 65, 255, self.rng.randrange(256, 1100)):
                        data = self.rng.randbytes(length)
                        expected = crcmod_reference(poly, init, rev, xor_out, data)
                        self.assertEqual(function(data), expected, f"{what}, {length} bytes")
                        for prior in (self.rng.getrandbits(width), -self.rng.getrandbits(70), 1 << 70 | 9):
                            self.assertEqual(function(data, prior),
                                             crcmod_reference(poly, init, rev, xor_out, data, prior), what)
                            self.assertEqual(function(data, crc=prior),
                                             crcmod_reference(poly, init, rev, xor_out, data, prior), what)
                    crc = crc64.crcmod.Crc(poly, init, rev, xor_out)
                    data = self.rng.randbytes(300)
                    crc.update(data[:100])
                    crc.update(memoryview(data)[100:])
                    expected = crcmod_reference(poly, init, rev, xor_out, data)
                    self.assertEqual(crc.crcValue, expected, what)
                    self.assertEqual(crc.digest_size, width // 8)
                    self.assertEqual(crc.digest(), expected.to_bytes(width // 8, "big"))
                    self.assertEqual(crc.hexdigest(), format(expected, f"0{width // 4}X"))
                    self.assertEqual(crc.table, [reference(poly & ((1 << width) - 1), None, 0, rev, bytes((b,)),
                                                           crc=0, width=width) for b in range(256)], what)

    def test_large_inputs_against_the_model_of_crc64(self):
        # Past the GIL threshold and through every fold of the kernels, where the reference is too slow: one call
        # against the same function continued over 1000-byte pieces (the sizes checked against the reference above),
        # CRC-32 against zlib and CRC-16/XMODEM against binascii.
        data = self.rng.randbytes(3 << 20)
        for poly, rev in [(0x104C11DB7, True), (0x11021, False), (0x1864CFB, False), (0x131, True)]:
            function = crc64.crcmod.mkCrcFun(poly, 0, rev, -1)
            value = function(b"")
            for start in range(0, len(data), 1000):
                value = function(data[start:start + 1000], value)
            self.assertEqual(function(data), value, f"{poly:#x}")
            if poly == 0x104C11DB7:
                self.assertEqual(function(data), zlib.crc32(data))
        self.assertEqual(crc64.crcmod.mkCrcFun(0x11021, 0, False, 0)(data), binascii.crc_hqx(data, 0))

    def test_predefined_against_the_reference(self):
        names = [d["name"] for d in crc64.crcmod.predefined._crc_definitions]
        self.assertEqual(len(names), 41)
        for d in crc64.crcmod.predefined._crc_definitions:
            self.assertEqual(set(d), {"name", "identifier", "poly", "reverse", "init", "xor_out", "check"})
            # The typed-in table is checked here against the reference, not against itself.
            self.assertEqual(crcmod_reference(d["poly"], d["init"], d["reverse"], d["xor_out"], b"123456789"),
                             d["check"], d["name"])
            for spelling in (d["name"], d["name"].upper(), d["name"].replace("-", ""), d["identifier"]):
                self.assertEqual(crc64.crcmod.predefined.mkPredefinedCrcFun(spelling)(b"123456789"), d["check"])
                self.assertEqual(crc64.crcmod.predefined.mkCrcFun(spelling)(b"123456789"), d["check"])
            crc = crc64.crcmod.predefined.PredefinedCrc(d["name"])
            crc.update(b"123456789")
            self.assertEqual(crc.crcValue, d["check"])
            self.assertIsInstance(crc, crc64.crcmod.Crc)
            self.assertEqual(crc.new().crcValue, d["init"])
        self.assertIs(crc64.crcmod.predefined.Crc, crc64.crcmod.predefined.PredefinedCrc)
        self.assertEqual(crc64.crcmod.predefined.__all__, ["PredefinedCrc", "mkPredefinedCrcFun"])
        with self.assertRaisesRegex(KeyError, "unknown CRC name 'crc-31'; crcmod.predefined has crc-8, "):
            crc64.crcmod.predefined.mkPredefinedCrcFun("crc-31")
        with self.assertRaises(KeyError):
            crc64.crcmod.predefined.PredefinedCrc("crc-32-posix")

    def test_crc_objects(self):
        crc = crc64.crcmod.Crc(0x1864CFB, initCrc=0xB704CE, rev=False)
        self.assertEqual(str(crc), "poly = 0x1864CFB\nreverse = False\ninitCrc  = 0xB704CE\nxorOut   = 0x000000\n"
                                   "crcValue = 0xB704CE")
        copy = crc.copy()
        crc.update(b"123456789")
        self.assertEqual((crc.crcValue, crc.hexdigest(), crc.digest()), (0x21CF02, "21CF02", b"\x21\xcf\x02"))
        self.assertEqual(copy.crcValue, 0xB704CE)  # copies are independent
        self.assertEqual(crc.copy().crcValue, 0x21CF02)
        self.assertEqual(crc.new(b"123456789").crcValue, 0x21CF02)
        self.assertEqual(crc.new().crcValue, 0xB704CE)
        crc.crcValue = 0x123456
        crc.update(b"")
        self.assertEqual(crc.crcValue, 0x123456)
        crc.crcValue = -1  # assignable to anything, as in crcmod; the digests take it modulo 2**width
        self.assertEqual((crc.hexdigest(), crc.digest()), ("FFFFFF", b"\xff\xff\xff"))
        empty = crc64.crcmod.Crc(None, initialize=False)  # crcmod's way to make an object to fill in
        self.assertFalse(hasattr(empty, "crcValue"))
        predefined = crc64.crcmod.predefined.PredefinedCrc("xmodem")
        self.assertIsInstance(predefined.new(), crc64.crcmod.predefined.PredefinedCrc)

    @unittest.skipIf(c_compiler() is None, "needs the C compiler Python builds extensions with")
    def test_generated_code_computes_the_same_function(self):
        cases = []
        for width, polys in CRCMOD_POLYS.items():
            for poly in polys[:2]:
                for rev in (True, False):
                    cases.append(crc64.crcmod.Crc(poly, self.rng.getrandbits(width + 2), rev,
                                                  self.rng.choice([0, self.rng.getrandbits(width)])))
        data = self.rng.randbytes(1000)
        with tempfile.TemporaryDirectory() as workdir:
            source = io.StringIO()
            source.write("#include <stdio.h>\n#include <stdint.h>\n"
                         "typedef uint8_t UINT8; typedef uint16_t UINT16; typedef uint32_t UINT32;\n"
                         "typedef uint64_t UINT64;\n")
            for i, crc in enumerate(cases):
                crc.generateCode(f"crc_{i}", source)
            source.write("static UINT8 data[] = {" + ",".join(map(str, data)) + "};\nint main(void) {\n")
            for i, crc in enumerate(cases):
                for length, start in ((0, "initCrc"), (1000, "initCrc"), (37, "other")):
                    value = crc.initCrc if start == "initCrc" else 12345 & ((1 << 8 * crc.digest_size) - 1)
                    source.write(f'    printf("%llu\\n", (unsigned long long)crc_{i}(data, {length}, {value}ULL));\n')
            source.write("    return 0;\n}\n")
            path = os.path.join(workdir, "generated.c")
            with open(path, "w") as f:
                f.write(source.getvalue())
            binary = os.path.join(workdir, "generated")
            subprocess.run(c_compiler() + ["-Wall", "-Werror", path, "-o", binary], check=True, capture_output=True)
            printed = subprocess.run([binary], capture_output=True, text=True, check=True).stdout.split()
        expected = []
        for crc in cases:
            function = crc._crc
            expected += [function(b""), function(data), function(data[:37], 12345)]
        self.assertEqual([int(v) for v in printed], expected)
        out = io.StringIO()
        crc64.crcmod.Crc(0x104C11DB7).generateCode("crc32", out, dataType="unsigned char", crcType="uint32_t")
        self.assertIn("uint32_t\ncrc32(unsigned char *data, int len, uint32_t crc)\n", out.getvalue())

    def test_widths_crcmod_rejects(self):
        for poly in (0, 1, 0xFF, 0x1FFF, 0x3FFFF, 1 << 40, 1 << 65, (1 << 65) - 1 + (1 << 65), -1, -0x104C11DB7, 1.5):
            for factory in (crc64.crcmod.mkCrcFun, crc64.crcmod.Crc):
                with self.assertRaises(ValueError, msg=poly) as caught:
                    factory(poly)
                self.assertIn("poly must be a polynomial of degree 8, 16, 24, 32 or 64 written with its top term, as "
                              "crcmod takes it (CRC-32: 0x104C11DB7, CRC-64/XZ: 0x142F0E1EBA9EA3693); got ",
                              str(caught.exception))
        with self.assertRaisesRegex(ValueError, "got 0xFF$"):
            crc64.crcmod.mkCrcFun(0xFF)
        for poly in ("0x107", 256.0, None):  # in range but not an int, or not a number: TypeError, as in crcmod
            with self.assertRaises(TypeError, msg=poly):
                crc64.crcmod.mkCrcFun(poly)

    def test_bad_data_and_values(self):
        for width, function in ((8, crc64.crcmod.mkCrcFun(0x107)), (16, crc64.crcmod.mkCrcFun(0x11021, rev=False)),
                                (64, crc64.crcmod.mkCrcFun(GUIDE_POLY, initCrc=0, xorOut=MASK))):
            with self.assertRaisesRegex(TypeError, "^Strings must be encoded before hashing$"):
                function("text")
            with self.assertRaisesRegex(TypeError, "a bytes-like object is required"):
                function(None)
            with self.assertRaisesRegex(crc64.NotContiguousError, "one C-contiguous block of bytes"):
                function(memoryview(b"abcdef")[::2])
            with self.assertRaisesRegex(TypeError, "crc must be an int, not 'float'"):
                function(b"", 1.0)
            with self.assertRaisesRegex(TypeError, "crc must be an int, not 'NoneType'"):
                function(b"", None)
            with self.assertRaisesRegex(TypeError, "crcfun\\(\\) takes the data and an optional crc"):
                function(b"", 0, 0)
            # crcmod takes any int as a previous CRC, modulo 2**width: negative and oversized values are not errors.
            self.assertEqual(function(b"ab", -1), function(b"ab", (1 << width) - 1))
            self.assertEqual(function(b"ab", 5 + (7 << width)), function(b"ab", 5))
        with self.assertRaises(TypeError):  # as in crcmod: initCrc & mask
            crc64.crcmod.Crc(GUIDE_POLY, initCrc=1.0)
        with self.assertRaises(TypeError):
            crc64.crcmod.mkCrcFun(0x104C11DB7, xorOut="1")
        with self.assertRaisesRegex(TypeError, "crc_name must be a str, not 'int'"):
            crc64.crcmod.predefined.mkPredefinedCrcFun(32)


@unittest.skipIf(real_crcmod is None, "crcmod is not installed")
class TestCrcmodCompatibility(SeededTestCase):
    """crc64.crcmod side by side with crcmod itself."""

    def parameter_sets(self):
        for width, polys in CRCMOD_POLYS.items():
            for poly in polys:
                for rev in (True, False):
                    for init in CRCMOD_INITS if width == 64 else self.rng.sample(CRCMOD_INITS, 3):
                        for xor_out in CRCMOD_XOROUTS if width == 64 else self.rng.sample(CRCMOD_XOROUTS, 2):
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
        for poly in (GUIDE_POLY, 0x104C11DB7, 0x11021):
            self.assertEqual(crc64.crcmod.mkCrcFun(poly, 0, True, MASK)(b"abc"),
                             real_crcmod.mkCrcFun(poly, 0, True, MASK)(b"abc"))
            self.assertEqual(crc64.crcmod.mkCrcFun(poly)(b"abc"), real_crcmod.mkCrcFun(poly)(b"abc"))
            self.assertEqual(crc64.crcmod.mkCrcFun(poly, rev=0)(b"abc"), real_crcmod.mkCrcFun(poly, rev=0)(b"abc"))

    def test_large_inputs_side_by_side(self):
        data = self.rng.randbytes(3 << 20)
        for poly, init, rev, xor_out in [(GUIDE_POLY, 0, True, MASK), (0x1AD93D23594C935A9, ~0, False, 0),
                                         (0x1000000000000001B, 7, True, 0xABC), (0x104C11DB7, 0, True, ~0),
                                         (0x11021, 0x1D0F, False, 0), (0x15D6DCB, 0xABCDEF, False, 0),
                                         (0x19B, 0, True, 0)]:
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
            self.assertEqual(ours.table, theirs.table)

    def assertCrcEqual(self, ours, theirs):
        for attribute in ("crcValue", "digest_size", "initCrc", "xorOut", "poly", "reverse"):
            self.assertEqual(getattr(ours, attribute), getattr(theirs, attribute), attribute)
        self.assertEqual(ours.digest(), theirs.digest())
        self.assertEqual(ours.hexdigest(), theirs.hexdigest())
        self.assertEqual(str(ours), str(theirs))

    def test_the_predefined_table_is_crcmods(self):
        import crcmod.predefined

        self.assertEqual(crc64.crcmod.predefined._crc_definitions, crcmod.predefined._crc_definitions)
        for d in crcmod.predefined._crc_definitions:
            ours, theirs = crc64.crcmod.predefined.PredefinedCrc(d["name"]), crcmod.predefined.PredefinedCrc(d["name"])
            data = self.rng.randbytes(500)
            ours.update(data)
            theirs.update(data)
            self.assertCrcEqual(ours, theirs)
            self.assertEqual(crc64.crcmod.predefined.mkCrcFun(d["identifier"])(data),
                             crcmod.predefined.mkCrcFun(d["identifier"])(data))

    def test_the_same_exception_types_as_crcmod(self):
        def raised(call):
            try:
                call()
            except Exception as error:  # noqa: BLE001 -- the type is what is compared
                return error
            self.fail(f"{call} raised nothing")

        cases = [
            lambda m: m.mkCrcFun(0x1FFF), lambda m: m.mkCrcFun(-1), lambda m: m.mkCrcFun(1 << 65),
            lambda m: m.mkCrcFun(1.5), lambda m: m.mkCrcFun(256.0), lambda m: m.mkCrcFun("0x107"),
            lambda m: m.Crc(0x104C11DB7, initCrc=1.0), lambda m: m.mkCrcFun(0x104C11DB7, xorOut="1"),
        ]
        for width in (8, 16, 24, 32, 64):
            poly = CRCMOD_POLYS[width][0]
            for xor_out in (0, 5):
                cases += [
                    lambda m, p=poly, x=xor_out: m.mkCrcFun(p, xorOut=x)("text"),
                    lambda m, p=poly, x=xor_out: m.mkCrcFun(p, xorOut=x)(5),
                    lambda m, p=poly, x=xor_out: m.mkCrcFun(p, xorOut=x)(memoryview(b"abcdef")[::2]),
                    lambda m, p=poly, x=xor_out: m.mkCrcFun(p, xorOut=x)(b"", 1.0),
                    lambda m, p=poly, x=xor_out: m.mkCrcFun(p, xorOut=x)(b"", None),
                    lambda m, p=poly: m.Crc(p).update("text"),
                ]
                if numpy is not None:
                    strided = numpy.arange(100, dtype=numpy.uint32).reshape(10, 10).T
                    cases.append(lambda m, p=poly, x=xor_out, a=strided: m.mkCrcFun(p, xorOut=x)(a))
        cases += [lambda m: m.predefined.mkPredefinedCrcFun("crc-31"), lambda m: m.predefined.PredefinedCrc("no")]
        for case in cases:
            ours, theirs = raised(lambda: case(crc64.crcmod)), raised(lambda: case(real_crcmod))
            self.assertIsInstance(ours, type(theirs), f"ours: {ours!r}, crcmod's: {theirs!r}")

    def test_crcmods_own_tests(self):
        # crcmod's unit tests, read from the installed crcmod (not vendored), with their imports pointed at
        # crc64.crcmod. They import crcmod's _usingExtension and predefined._crc_definitions too.
        path = pathlib.Path(REAL_CRCMOD_MODULE.__file__).with_name("test.py")
        source = path.read_text()
        rewritten = re.sub(r"(?m)^from \.(crcmod|predefined) import", r"from crc64.crcmod.\1 import", source)
        self.assertNotRegex(rewritten, r"(?m)^\s*(from|import) (\.|crcmod)", "an import still points at crcmod")
        module = type(sys)("crcmod_own_tests")
        exec(compile(rewritten, str(path), "exec"), module.__dict__)
        self.assertIs(module.mkCrcFun, crc64.crcmod.mkCrcFun)
        self.assertIs(module.PredefinedCrc, crc64.crcmod.predefined.PredefinedCrc)
        output = io.StringIO()
        result = unittest.TextTestRunner(stream=output, verbosity=2).run(
            unittest.defaultTestLoader.loadTestsFromModule(module))
        self.assertEqual(result.testsRun, len(re.findall(r"(?m)^    def test_", source)), output.getvalue())
        self.assertGreaterEqual(result.testsRun, 12)
        self.assertTrue(result.wasSuccessful(), output.getvalue())
        self.assertEqual(result.skipped, [])

    def test_sys_modules_swap_for_code_written_against_crcmod(self):
        # A stand-in for a library that imports crcmod in every way crcmod allows and computes 8- to 64-bit CRCs
        # (the OSS SDKs compute CRC-32 with crcmod.Crc and CRC-64 with crcmod.mkCrcFun). Run once with crcmod, once
        # with sys.modules["crcmod"] = crc64.crcmod set before it is imported: the same results. The second run also
        # runs crcmod's own test.py, unmodified, as crcmod.test.
        library = textwrap.dedent("""
            import crcmod
            import crcmod.crcmod
            import crcmod.predefined
            from crcmod.crcmod import Crc as CrcClass
            from crcmod.predefined import PredefinedCrc, mkPredefinedCrcFun

            def checksums(data):
                out = []
                for poly in (0x107, 0x18005, 0x1864CFB, 0x104C11DB7, 0x142F0E1EBA9EA3693):
                    for rev in (True, False):
                        for xor_out in (0, -1):
                            f = crcmod.mkCrcFun(poly, initCrc=0, rev=rev, xorOut=xor_out)
                            out += [f(data), f(data[5000:], f(data[:5000])), f(b""), f(data, -3)]
                            c = crcmod.Crc(poly, rev=rev, xorOut=xor_out)
                            c.update(data)
                            out += [c.crcValue, c.hexdigest(), c.digest().hex(), str(c), c.table[:9]]
                            out += [CrcClass(poly).new(data).crcValue, crcmod.crcmod.mkCrcFun(poly)(data)]
                for name in ("crc-8", "crc-16", "crc-24", "crc-32", "crc-32c", "crc-64", "x-25", "Crc32Mpeg"):
                    out.append(mkPredefinedCrcFun(name)(data))
                    p = PredefinedCrc(name)
                    p.update(data)
                    out += [p.crcValue, crcmod.predefined.Crc(name).new(data).hexdigest()]
                return out
        """)
        runner = textwrap.dedent("""
            import importlib.util, io, json, sys, unittest
            if sys.argv[1] == "swap":
                import crc64.crcmod
                sys.modules["crcmod"] = crc64.crcmod
            import thirdparty
            data = bytes(range(256)) * 80 + b"tail"
            report = {"values": thirdparty.checksums(data), "modules": {}}
            import crcmod, crcmod.crcmod, crcmod.predefined
            for name in ("crcmod", "crcmod.crcmod", "crcmod.predefined"):
                report["modules"][name] = getattr(sys.modules[name], "__file__", None)
            report["classes"] = [c.__module__ for c in (crcmod.Crc, crcmod.crcmod.Crc, crcmod.predefined.PredefinedCrc,
                                                        thirdparty.CrcClass, thirdparty.PredefinedCrc)]
            report["extension"] = "crcmod._crcfunext" in sys.modules
            if sys.argv[1] == "swap":
                spec = importlib.util.spec_from_file_location("crcmod.test", sys.argv[2])
                own = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(own)
                result = unittest.TextTestRunner(stream=io.StringIO()).run(
                    unittest.defaultTestLoader.loadTestsFromModule(own))
                report["own_tests"] = [result.testsRun, len(result.failures) + len(result.errors), len(result.skipped)]
            print(json.dumps(report))
        """)
        test_py = str(pathlib.Path(REAL_CRCMOD_MODULE.__file__).with_name("test.py"))
        with tempfile.TemporaryDirectory() as workdir:
            with open(os.path.join(workdir, "thirdparty.py"), "w") as f:
                f.write(library)
            reports = {}
            for mode in ("crcmod", "swap"):
                run = subprocess.run([sys.executable, "-c", runner, mode, test_py], cwd=workdir, capture_output=True,
                                     text=True, env=dict(os.environ, PYTHONPATH=workdir))
                self.assertEqual(run.returncode, 0, run.stderr)
                reports[mode] = json.loads(run.stdout)
        real, swapped = reports["crcmod"], reports["swap"]
        self.assertEqual(len(swapped["values"]), 5 * 2 * 2 * 11 + 8 * 3)
        self.assertEqual(swapped["values"], real["values"])
        self.assertEqual(real["classes"][0], "crcmod.crcmod")
        # One class for each, from crc64 whatever name it was imported by; crcmod's own code never loaded.
        self.assertEqual(swapped["classes"], ["crc64._crcmod"] * 5)
        self.assertFalse(swapped["extension"])
        for name, file in swapped["modules"].items():
            self.assertIn(os.path.join("crc64", "crcmod"), file, name)
        self.assertEqual(swapped["own_tests"][1:], [0, 0])
        self.assertGreaterEqual(swapped["own_tests"][0], 12)


if __name__ == "__main__":
    unittest.main()
