"""crcmod.predefined: the CRCs crcmod names, by those names::

    import crc64.crcmod.predefined
    crc32 = crc64.crcmod.predefined.mkPredefinedCrcFun("crc-32")
    crc32class = crc64.crcmod.predefined.PredefinedCrc("crc-32")

``Crc`` and ``mkCrcFun`` are aliases of ``PredefinedCrc`` and ``mkPredefinedCrcFun`` (left out of ``import *``, as
in crcmod). The table is crcmod's, typed in (``_crc_definitions``).
"""

from crc64._crcmod import PredefinedCrc, _crc_definitions, mkPredefinedCrcFun

Crc = PredefinedCrc
mkCrcFun = mkPredefinedCrcFun

__all__ = ["PredefinedCrc", "mkPredefinedCrcFun"]
