"""crcmod, computed by crc64's kernels: ``import crc64.crcmod as crcmod``, or, for code you do not own,
``sys.modules["crcmod"] = crc64.crcmod`` before that code imports crcmod.

``mkCrcFun``, ``Crc`` and ``crcmod.predefined`` (``mkPredefinedCrcFun``, ``PredefinedCrc``, ``Crc``, the same names
and table) take crcmod's arguments and return crcmod's values, for every width crcmod accepts (8, 16, 24, 32 and 64
bits), any polynomial and both bit orders, and raise crcmod's exception types. The Alibaba Cloud OSS guide's
function runs unchanged::

    import crc64.crcmod as crcmod
    do_crc64 = crcmod.mkCrcFun(0x142F0E1EBA9EA3693, initCrc=0, xorOut=0xffffffffffffffff, rev=True)
    do_crc64(part_2, do_crc64(part_1))

crcmod's conventions, kept exactly: ``poly`` includes its top term (0x104C11DB7 for CRC-32); ``initCrc`` is the
value returned for no data (the initial register XORed with ``xorOut``, in the register's own bit order when ``rev``
is true); ``initCrc``, ``xorOut`` and a ``crc`` passed to the function are taken modulo 2**width.

The package has crcmod's layout (``crcmod.crcmod``, ``crcmod.predefined``), so that every import of crcmod works
after the ``sys.modules`` swap.
"""

from crc64._crcmod import Crc, mkCrcFun

from . import crcmod, predefined

__all__ = ["mkCrcFun", "Crc"]
