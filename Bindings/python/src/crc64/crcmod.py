"""A drop-in replacement for crcmod's 64-bit CRCs: ``import crc64.crcmod as crcmod``.

``mkCrcFun`` and ``Crc`` take the same arguments and return the same values as crcmod 1.7 (``crcmod.mkCrcFun``,
``crcmod.Crc``) for 64-bit polynomials, and run the carry-less-multiply kernels of crc64 instead of a byte table.
The Alibaba Cloud OSS guide's function runs unchanged::

    import crc64.crcmod as crcmod
    do_crc64 = crcmod.mkCrcFun(0x142F0E1EBA9EA3693, initCrc=0, xorOut=0xffffffffffffffff, rev=True)
    do_crc64(part_2, do_crc64(part_1))

crcmod's conventions, kept exactly: ``poly`` includes the x**64 term (0x1_0000_0000_0000_0000 <= poly <
0x2_0000_0000_0000_0000); ``initCrc`` is the value returned for no data (the initial register XORed with
``xorOut``, in the register's own bit order when ``rev`` is true); ``initCrc``, ``xorOut`` and a ``crc`` passed to
the function are taken modulo 2**64. Not provided: other widths (use crcmod), ``crcmod.predefined``, ``Crc.table``
and ``Crc.generateCode``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import Model as _Model
from ._crc64 import crcmod_function as _crcmod_function

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

    from ._crc64 import CrcFunction

__all__ = ["mkCrcFun", "Crc"]

_MASK = (1 << 64) - 1


def _reflect64(value: int) -> int:
    return int(format(value, "064b")[::-1], 2)


def _verify(poly: int, initCrc: int, rev: object, xorOut: int) -> tuple[_Model, int, int]:
    """The model that computes crcmod's function for these arguments, with crcmod's sanitized initCrc and xorOut."""
    if not isinstance(poly, int) or not (1 << 64) <= poly < (1 << 65):
        described = hex(poly) if isinstance(poly, int) else repr(poly)
        raise ValueError(
            "crc64.crcmod supports 64-bit CRCs only: poly must be a degree-64 polynomial written with its x**64 "
            f"term, 0x10000000000000000 <= poly <= 0x1ffffffffffffffff; got {described} "
            "(for 8-, 16-, 24- and 32-bit CRCs use crcmod itself)"
        )
    init_crc = initCrc & _MASK
    xor_out = xorOut & _MASK
    # crcmod's register starts at initCrc ^ xorOut, in the bit order its algorithm runs in: reflected models keep
    # the register reversed, while Model takes init as catalogues state it, unreflected.
    register = init_crc ^ xor_out
    model = _Model(poly & _MASK, _reflect64(register) if rev else register, xor_out, bool(rev))
    return model, init_crc, xor_out


def mkCrcFun(poly: int, initCrc: int = ~0, rev: object = True, xorOut: int = 0) -> CrcFunction:
    """Returns ``crcfun(data, crc=initCrc)``, which returns the CRC of ``data`` continued from ``crc`` (a previous
    result of the function), exactly as ``crcmod.mkCrcFun(poly, initCrc, rev, xorOut)`` does for a 64-bit
    ``poly``. ``data`` is any C-contiguous bytes-like object; the function's ``__self__`` is the crc64.Model it
    computes."""
    return _crcmod_function(_verify(poly, initCrc, rev, xorOut)[0])


class Crc:
    """crcmod's hashlib-style CRC object for a 64-bit ``poly``: ``update``, ``digest``, ``hexdigest``, ``new``,
    ``copy``, and the attributes ``crcValue`` (the current value, assignable), ``digest_size`` (8), ``initCrc``,
    ``xorOut``, ``poly`` and ``reverse``, as crcmod has them."""

    digest_size: int
    initCrc: int
    xorOut: int
    poly: int
    reverse: object
    crcValue: int

    def __init__(self, poly: int, initCrc: int = ~0, rev: object = True, xorOut: int = 0) -> None:
        model, init_crc, xor_out = _verify(poly, initCrc, rev, xorOut)
        self._crc = _crcmod_function(model)
        self.digest_size = 8
        self.initCrc = init_crc
        self.xorOut = xor_out
        self.poly = poly
        self.reverse = rev
        self.crcValue = init_crc

    def __str__(self) -> str:
        return "\n".join(
            [
                "poly = 0x%X" % self.poly,
                "reverse = %s" % self.reverse,
                "initCrc  = 0x%016X" % self.initCrc,
                "xorOut   = 0x%016X" % self.xorOut,
                "crcValue = 0x%016X" % self.crcValue,
            ]
        )

    def new(self, arg: ReadableBuffer | None = None) -> Crc:
        """A new object with the same parameters, at the initial value, then updated with ``arg`` if given."""
        n = Crc.__new__(Crc)
        n._crc = self._crc
        n.digest_size = self.digest_size
        n.initCrc = self.initCrc
        n.xorOut = self.xorOut
        n.poly = self.poly
        n.reverse = self.reverse
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
        """The current value as 8 big-endian bytes."""
        return (self.crcValue & _MASK).to_bytes(8, "big")

    def hexdigest(self) -> str:
        """The current value as 16 uppercase hexadecimal digits (crcmod's spelling)."""
        return "%016X" % (self.crcValue & _MASK)
