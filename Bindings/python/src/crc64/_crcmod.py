"""The implementation of crc64.crcmod: crcmod's API (``mkCrcFun``, ``Crc``, ``crcmod.predefined``) for every width
crcmod accepts, computed by the CRC-64 kernels of this package. crc64/crcmod/ only re-exports what is here, so that
its modules can be imported again under crcmod's names (``sys.modules["crcmod"] = crc64.crcmod``) without making a
second copy of any class.

A W-bit CRC runs as a CRC-64 whose polynomial is the W-bit one times x**(64 - W): every remainder is then the W-bit
remainder times x**(64 - W), so the W-bit register is the top W bits of that CRC-64's value (normal bit order) or,
reflected, its bottom W bits. _model builds that CRC-64; the C extension shifts values in and out.
"""

from __future__ import annotations

import functools
import operator
from typing import IO, TYPE_CHECKING

from ._crc64 import Model, crcmod_function

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

    from ._crc64 import CrcFunction

#: crcmod's flag for its C extension, which crcmod's own tests import: the CRCs here always run in C.
_usingExtension = True

_WIDTHS = (8, 16, 24, 32, 64)


def _width(poly: object) -> int:
    """The width of the CRC of ``poly``, written as crcmod takes it: with its top term, x**width."""
    for width in _WIDTHS:
        if 1 << width <= poly < 2 << width:  # type: ignore[operator]  # a str raises TypeError here, as in crcmod
            operator.index(poly)  # an in-range float: TypeError, as crcmod gives
            return width
    described = f"0x{poly:X}" if isinstance(poly, int) else repr(poly)
    raise ValueError(
        "poly must be a polynomial of degree 8, 16, 24, 32 or 64 written with its top term, as crcmod takes it "
        f"(CRC-32: 0x104C11DB7, CRC-64/XZ: 0x142F0E1EBA9EA3693); got {described}"
    )


def _reflect64(value: int) -> int:
    return int(format(value, "064b")[::-1], 2)


@functools.lru_cache(maxsize=64)
def _model(width: int, poly: int, reflected: bool, init_crc: int, xor_out: int) -> Model:
    """The CRC-64 that carries the register of crcmod's CRC with these (sanitized) parameters, its empty value being
    initCrc. Cached: making a model builds 113 KiB of tables (about 0.1 ms), and crcmod users often make a Crc per
    object with the same parameters."""
    shift = 64 - width
    at = 0 if reflected else shift  # where the register sits in the CRC-64's value
    # crcmod's register starts at initCrc ^ xorOut, in the bit order its algorithm runs in; Model takes init as
    # catalogues state it, unreflected.
    register = (init_crc ^ xor_out) << at
    mask = (1 << width) - 1
    return Model((poly & mask) << shift, _reflect64(register) if reflected else register, xor_out << at, reflected)


def _parameters(poly: object, initCrc: int, rev: object, xorOut: int) -> tuple[int, int, int, CrcFunction]:
    """crcmod's checks and sanitizing: the width, initCrc and xorOut taken modulo 2**width, and the function."""
    width = _width(poly)
    mask = (1 << width) - 1
    init_crc = operator.index(initCrc & mask)
    xor_out = operator.index(xorOut & mask)
    model = _model(width, operator.index(poly), bool(rev), init_crc, xor_out)  # type: ignore[arg-type]
    return width, init_crc, xor_out, crcmod_function(model, width)


def mkCrcFun(poly: int, initCrc: int = ~0, rev: object = True, xorOut: int = 0) -> CrcFunction:
    """Returns ``crcfun(data, crc=initCrc)``: the CRC of ``data`` continued from ``crc`` (a previous result of the
    function), as ``crcmod.mkCrcFun(poly, initCrc, rev, xorOut)`` computes it. ``poly`` has degree 8, 16, 24, 32 or 64
    and is written with its top term; ``initCrc`` is the CRC of no data; ``rev`` selects the reflected (bit-reversed)
    algorithm; ``initCrc``, ``xorOut`` and ``crc`` are taken modulo 2**width. ``data`` is any C-contiguous bytes-like
    object. The function's ``__self__`` is the crc64.Model it runs (for a narrower CRC, the CRC-64 that carries its
    register)."""
    return _parameters(poly, initCrc, rev, xorOut)[3]


class Crc:
    """crcmod's hashlib-style CRC object: ``update``, ``digest``, ``hexdigest``, ``new``, ``copy``, ``generateCode``,
    and the attributes ``crcValue`` (the current value, assignable), ``digest_size``, ``initCrc``, ``xorOut``,
    ``poly``, ``reverse`` and ``table`` (crcmod's 256-entry byte table, made on first use), as crcmod has them."""

    digest_size: int
    initCrc: int
    xorOut: int
    poly: int
    reverse: object
    crcValue: int

    def __init__(self, poly: int, initCrc: int = ~0, rev: object = True, xorOut: int = 0,
                 initialize: bool = True) -> None:
        if not initialize:  # crcmod's way to make an object that new() or a subclass fills in
            return
        width, self.initCrc, self.xorOut, self._crc = _parameters(poly, initCrc, rev, xorOut)
        self.digest_size = width // 8
        self.poly = poly
        self.reverse = rev
        self.crcValue = self.initCrc

    @functools.cached_property
    def table(self) -> list[int]:
        """crcmod's table: entry b is the register after the byte b from a zero register, in the bit order the
        algorithm runs in (what a byte-at-a-time loop and generateCode use)."""
        # crcfun(data, crc) = xorOut ^ register(data, from crc ^ xorOut), so register(b, from 0) is this:
        return [self._crc(bytes((b,)), self.xorOut) ^ self.xorOut for b in range(256)]

    def __str__(self) -> str:
        digits = 2 * self.digest_size
        return "\n".join(
            [
                f"poly = 0x{self.poly:X}",
                f"reverse = {self.reverse}",
                f"initCrc  = 0x{self.initCrc:0{digits}X}",
                f"xorOut   = 0x{self.xorOut:0{digits}X}",
                f"crcValue = 0x{self.crcValue:0{digits}X}",
            ]
        )

    def new(self, arg: ReadableBuffer | None = None) -> Crc:
        """A new object with the same parameters, at the initial value, then updated with ``arg`` if given."""
        n = type(self).__new__(type(self))
        n.__dict__.update(self.__dict__)
        n.crcValue = self.initCrc
        if arg is not None:
            n.update(arg)
        return n

    def copy(self) -> Crc:
        """A new object with the same parameters and the current value."""
        c = self.new()
        c.crcValue = self.crcValue
        return c

    def update(self, data: ReadableBuffer) -> None:
        """Continues the current value over ``data``."""
        self.crcValue = self._crc(data, self.crcValue)

    def digest(self) -> bytes:
        """The current value as ``digest_size`` big-endian bytes."""
        return (self.crcValue & ((1 << 8 * self.digest_size) - 1)).to_bytes(self.digest_size, "big")

    def hexdigest(self) -> str:
        """The current value as ``2 * digest_size`` uppercase hexadecimal digits (crcmod's spelling)."""
        return self.digest().hex().upper()

    def generateCode(self, functionName: str, out: IO[str], dataType: str | None = None,
                     crcType: str | None = None) -> None:
        """Writes to ``out`` a C function ``crcType functionName(dataType *data, int len, crcType crc)`` that returns
        what this object's function returns for those ``len`` bytes continued from ``crc``, with a byte table.
        ``dataType`` defaults to ``UINT8`` and ``crcType`` to ``UINT8``, ``UINT16``, ``UINT32`` (also for 24 bits)
        or ``UINT64``: the caller defines those types, as with crcmod."""
        width = 8 * self.digest_size
        data_type = dataType or "UINT8"
        crc_type = crcType or f"UINT{32 if width == 24 else width}"
        suffix = "ULL" if width == 64 else "U"
        digits = 2 * self.digest_size
        per_row = 4 if width >= 24 else 8
        rows = []
        for start in range(0, 256, per_row):
            rows.append("        " + " ".join(f"0x{v:0{digits}X}{suffix}," for v in self.table[start:start + per_row]))
        if self.reverse:
            step = "crc = table[(crc ^ *data) & 0xFF] ^ (crc >> 8);"
            order = "reflected (the register holds the CRC bit-reversed, taking each byte's low bit first)"
        else:
            step = f"crc = table[((crc >> {width - 8}) ^ *data) & 0xFF] ^ (crc << 8);"
            order = "normal (each byte's high bit first)"
        mask = f"0x{(1 << width) - 1:X}{suffix}"
        xor_out = f"0x{self.xorOut:0{digits}X}{suffix}"
        out.write(
            f"// Generated by crc64.crcmod: the {width}-bit CRC of polynomial 0x{self.poly:X}, {order}, xorOut\n"
            f"// {xor_out}. {functionName}(data, len, crc) is the CRC of len bytes at data continued from crc: a\n"
            f"// previous result, or the CRC of no data (initCrc, 0x{self.initCrc:0{digits}X}) to start.\n"
            f"{crc_type}\n"
            f"{functionName}({data_type} *data, int len, {crc_type} crc)\n"
            "{\n"
            f"    static const {crc_type} table[256] = {{\n" + "\n".join(rows) + "\n    };\n"
            f"    crc = (crc ^ {xor_out}) & {mask};\n"
            "    for (; len > 0; len--, data++)\n"
            f"        {step}\n"
            f"    return (crc ^ {xor_out}) & {mask};\n"
            "}\n"
        )


# ---- crcmod.predefined ----

# crcmod's table of predefined CRCs, in its order and with its columns: name, identifier, poly (with its top term),
# reflected, init (crcmod's initCrc: the CRC of no data), xorOut, and the check value (the CRC of b"123456789").
# The suite checks it against crcmod's own table and each check value against a bit-at-a-time reference.
_crc_definitions_table = [
    ("crc-8", "Crc8", 0x107, False, 0x00, 0x00, 0xF4),
    ("crc-8-darc", "Crc8Darc", 0x139, True, 0x00, 0x00, 0x15),
    ("crc-8-i-code", "Crc8ICode", 0x11D, False, 0xFD, 0x00, 0x7E),
    ("crc-8-itu", "Crc8Itu", 0x107, False, 0x55, 0x55, 0xA1),
    ("crc-8-maxim", "Crc8Maxim", 0x131, True, 0x00, 0x00, 0xA1),
    ("crc-8-rohc", "Crc8Rohc", 0x107, True, 0xFF, 0x00, 0xD0),
    ("crc-8-wcdma", "Crc8Wcdma", 0x19B, True, 0x00, 0x00, 0x25),
    ("crc-16", "Crc16", 0x18005, True, 0x0000, 0x0000, 0xBB3D),
    ("crc-16-buypass", "Crc16Buypass", 0x18005, False, 0x0000, 0x0000, 0xFEE8),
    ("crc-16-dds-110", "Crc16Dds110", 0x18005, False, 0x800D, 0x0000, 0x9ECF),
    ("crc-16-dect", "Crc16Dect", 0x10589, False, 0x0001, 0x0001, 0x007E),
    ("crc-16-dnp", "Crc16Dnp", 0x13D65, True, 0xFFFF, 0xFFFF, 0xEA82),
    ("crc-16-en-13757", "Crc16En13757", 0x13D65, False, 0xFFFF, 0xFFFF, 0xC2B7),
    ("crc-16-genibus", "Crc16Genibus", 0x11021, False, 0x0000, 0xFFFF, 0xD64E),
    ("crc-16-maxim", "Crc16Maxim", 0x18005, True, 0xFFFF, 0xFFFF, 0x44C2),
    ("crc-16-mcrf4xx", "Crc16Mcrf4xx", 0x11021, True, 0xFFFF, 0x0000, 0x6F91),
    ("crc-16-riello", "Crc16Riello", 0x11021, True, 0x554D, 0x0000, 0x63D0),
    ("crc-16-t10-dif", "Crc16T10Dif", 0x18BB7, False, 0x0000, 0x0000, 0xD0DB),
    ("crc-16-teledisk", "Crc16Teledisk", 0x1A097, False, 0x0000, 0x0000, 0x0FB3),
    ("crc-16-usb", "Crc16Usb", 0x18005, True, 0x0000, 0xFFFF, 0xB4C8),
    ("x-25", "CrcX25", 0x11021, True, 0x0000, 0xFFFF, 0x906E),
    ("xmodem", "CrcXmodem", 0x11021, False, 0x0000, 0x0000, 0x31C3),
    ("modbus", "CrcModbus", 0x18005, True, 0xFFFF, 0x0000, 0x4B37),
    ("kermit", "CrcKermit", 0x11021, True, 0x0000, 0x0000, 0x2189),
    ("crc-ccitt-false", "CrcCcittFalse", 0x11021, False, 0xFFFF, 0x0000, 0x29B1),
    ("crc-aug-ccitt", "CrcAugCcitt", 0x11021, False, 0x1D0F, 0x0000, 0xE5CC),
    ("crc-24", "Crc24", 0x1864CFB, False, 0xB704CE, 0x000000, 0x21CF02),
    ("crc-24-flexray-a", "Crc24FlexrayA", 0x15D6DCB, False, 0xFEDCBA, 0x000000, 0x7979BD),
    ("crc-24-flexray-b", "Crc24FlexrayB", 0x15D6DCB, False, 0xABCDEF, 0x000000, 0x1F23B8),
    ("crc-32", "Crc32", 0x104C11DB7, True, 0x00000000, 0xFFFFFFFF, 0xCBF43926),
    ("crc-32-bzip2", "Crc32Bzip2", 0x104C11DB7, False, 0x00000000, 0xFFFFFFFF, 0xFC891918),
    ("crc-32c", "Crc32C", 0x11EDC6F41, True, 0x00000000, 0xFFFFFFFF, 0xE3069283),
    ("crc-32d", "Crc32D", 0x1A833982B, True, 0x00000000, 0xFFFFFFFF, 0x87315576),
    ("crc-32-mpeg", "Crc32Mpeg", 0x104C11DB7, False, 0xFFFFFFFF, 0x00000000, 0x0376E6E7),
    ("posix", "CrcPosix", 0x104C11DB7, False, 0xFFFFFFFF, 0xFFFFFFFF, 0x765E7680),
    ("crc-32q", "Crc32Q", 0x1814141AB, False, 0x00000000, 0x00000000, 0x3010BF7F),
    ("jamcrc", "CrcJamCrc", 0x104C11DB7, True, 0xFFFFFFFF, 0x00000000, 0x340BC6D9),
    ("xfer", "CrcXfer", 0x1000000AF, False, 0x00000000, 0x00000000, 0xBD0BE338),
    ("crc-64", "Crc64", 0x1000000000000001B, True, 0x0000000000000000, 0x0000000000000000, 0x46A5A9388A5BEFFE),
    ("crc-64-we", "Crc64We", 0x142F0E1EBA9EA3693, False, 0x0000000000000000, 0xFFFFFFFFFFFFFFFF, 0x62EC59E3F1A4F00A),
    ("crc-64-jones", "Crc64Jones", 0x1AD93D23594C935A9, True, 0xFFFFFFFFFFFFFFFF, 0x0000000000000000,
     0xCAA717168609F281),
]

#: The table as crcmod.predefined has it: one dict per CRC, keys name, identifier, poly, reverse, init, xor_out, check.
_crc_definitions = [
    dict(zip(("name", "identifier", "poly", "reverse", "init", "xor_out", "check"), row))
    for row in _crc_definitions_table
]


def _simplify_name(name: str) -> str:
    """crcmod's spelling-insensitive key: lowercase, without dashes, spaces or a leading "crc"."""
    simple = name.lower().replace("-", "").replace(" ", "")
    return simple[3:] if simple.startswith("crc") else simple


_crc_definitions_by_name = {_simplify_name(d["name"]): d for d in _crc_definitions}
_crc_definitions_by_identifier = {d["identifier"]: d for d in _crc_definitions}


def _definition(crc_name: str) -> dict:
    if not isinstance(crc_name, str):
        raise TypeError(f"crc_name must be a str, not {type(crc_name).__name__!r}")
    definition = _crc_definitions_by_name.get(_simplify_name(crc_name)) or _crc_definitions_by_identifier.get(crc_name)
    if definition is None:
        raise KeyError(
            f"unknown CRC name {crc_name!r}; crcmod.predefined has "
            + ", ".join(d["name"] for d in _crc_definitions)
            + " (case, dashes and spaces do not matter; the identifiers, e.g. 'Crc32', work too)"
        )
    return definition


class PredefinedCrc(Crc):
    """crcmod.predefined's Crc: a Crc object for a predefined CRC named as crcmod names it, e.g. ``"crc-32"``."""

    def __init__(self, crc_name: str) -> None:
        d = _definition(crc_name)
        super().__init__(poly=d["poly"], initCrc=d["init"], rev=d["reverse"], xorOut=d["xor_out"])


def mkPredefinedCrcFun(crc_name: str) -> CrcFunction:
    """crcmod.predefined's mkCrcFun: the function of a predefined CRC named as crcmod names it, e.g. ``"crc-32"``."""
    d = _definition(crc_name)
    return mkCrcFun(poly=d["poly"], initCrc=d["init"], rev=d["reverse"], xorOut=d["xor_out"])
