"""crcmod.crcmod under its own name, for code that imports it (``from crcmod.crcmod import mkCrcFun``)."""

from crc64._crcmod import Crc, _usingExtension, mkCrcFun

__all__ = ["mkCrcFun", "Crc"]
