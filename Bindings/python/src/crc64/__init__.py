"""Fast CRC-64 for checking what object stores send: CRC-64/XZ (Alibaba Cloud OSS ``x-oss-hash-crc64ecma``),
CRC-64/NVME (AWS S3 ``x-amz-checksum-crc64nvme``), the other catalogue models and any custom 64-bit model.

The C library of swift-crc64 is compiled into this package: carry-less-multiply kernels (AVX-512, AVX2, PCLMULQDQ,
PMULL) chosen at run time, and a portable table kernel elsewhere.

>>> import crc64
>>> crc64.xz(b"123456789")                        # zlib convention: crc64.xz(data, crc=0)
11051210869376104954
>>> crc64.xz(b"6789", crc64.xz(b"12345"))         # continue from a previous result
11051210869376104954
>>> crc64.combine(crc64.xz(b"12345"), crc64.xz(b"6789"), 4)   # from the parts' values and lengths
11051210869376104954
>>> crc64.to_base64(crc64.nvme(b"123456789"))     # the S3 header form
'rosUhgp5mIg='

``crc64.crcmod`` is crcmod on these kernels, every width and ``crcmod.predefined`` included
(``import crc64.crcmod as crcmod``, or ``sys.modules["crcmod"] = crc64.crcmod`` for code you do not own).
"""

from types import MappingProxyType as _MappingProxyType

from ._crc64 import Model, NotContiguousError, active_kernel, nvme, version, xz
from . import _crc64
from ._crc64 import presets as _presets

__all__ = [
    "DigestParseError",
    "Model",
    "NotContiguousError",
    "active_kernel",
    "combine",
    "from_base64",
    "from_decimal",
    "from_hex",
    "models",
    "nvme",
    "to_base64",
    "to_decimal",
    "to_hex",
    "version",
    "xz",
]

__version__ = version()

#: The catalogue models by name, e.g. ``models["CRC-64/XZ"]``: CRC-64/XZ, CRC-64/NVME, CRC-64/ECMA-182,
#: CRC-64/GO-ISO, CRC-64/WE, CRC-64/MS and CRC-64/REDIS (read-only).
models = _MappingProxyType({model.name: model for model in _presets})

_XZ = models["CRC-64/XZ"]
_MAX = (1 << 64) - 1

#: The short names of the catalogue models, as crc64sum's ``-a`` takes them: "xz", "nvme", "ecma-182", ...
_SHORT_NAMES = tuple(name.removeprefix("CRC-64/").lower() for name in models)


def _model_named(name: str) -> Model:
    """The catalogue model called ``name``, as crc64sum's ``-a`` reads it (and Swift's ``CRC64Model.named``): a
    short name or a catalogue name in any case ("xz", "NVME", "CRC-64/GO-ISO"), or "go-ecma" for CRC-64/XZ. Raises
    ValueError naming the choices. For crc64.dask and ``python -m crc64``."""
    if not isinstance(name, str):
        raise TypeError(f"a model name must be a str, not {type(name).__name__!r}")
    key = name.lower().removeprefix("crc-64/")
    if key == "go-ecma":
        return _XZ
    for short, model in zip(_SHORT_NAMES, models.values()):
        if key == short:
            return model
    raise ValueError(f"unknown model {name!r}: expected one of {', '.join(_SHORT_NAMES)}")


def combine(crc1: int, crc2: int, len2: int, model: Model = _XZ) -> int:
    """The CRC of A + B from ``crc1`` (the CRC of A), ``crc2`` (the CRC of B) and ``len2`` (the length of B in
    bytes), without the data: e.g. an OSS multipart object's value from its parts'. The model is CRC-64/XZ unless
    given.

    ``len2 == 0`` returns ``crc1`` whatever ``crc2`` is, as every CRC-64 combine does (Redis, the OSS SDKs) and as
    zlib's ``crc32_combine`` did up to 1.2.11; zlib 1.2.12 and later return ``crc1 ^ crc2`` there."""
    return model.combine(crc1, crc2, len2)


# ---- Header formats ----
# Written and read by the C core (libcrc64_format, libcrc64_parse), the one implementation that the C library, the
# Swift package and this package share; the errors are worded here, as the Swift package words them.


def _value(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"a CRC-64 value must be an int, not {type(value).__name__!r}")
    if not 0 <= value <= _MAX:
        raise ValueError(f"a CRC-64 value is in the range 0..{_MAX}, got {value}")
    return value


def to_decimal(value: int) -> str:
    """The unsigned decimal form, without leading zeros: what OSS sends in ``x-oss-hash-crc64ecma``."""
    return _crc64.format_text(_crc64.FORM_DECIMAL, _value(value))


def to_hex(value: int) -> str:
    """The 16 lowercase hexadecimal digits of the value, zero-padded, without a prefix."""
    return _crc64.format_text(_crc64.FORM_HEX, _value(value))


def to_base64(value: int) -> str:
    """The standard base64 (RFC 4648, 12 characters with one ``=``) of the value's eight big-endian bytes: what S3
    sends in ``x-amz-checksum-crc64nvme``."""
    return _crc64.format_text(_crc64.FORM_BASE64, _value(value))


class DigestParseError(ValueError):
    """A string that is not a CRC-64 value in the form asked for. The message says what is wrong and quotes the
    input; ``input`` is the string and ``format`` is ``"decimal"``, ``"hex"`` or ``"base64"``."""

    def __init__(self, message: str, input: str, format: str) -> None:
        super().__init__(message)
        self.input = input
        self.format = format


_FORMS = {"decimal": _crc64.FORM_DECIMAL, "hex": _crc64.FORM_HEX, "base64": _crc64.FORM_BASE64}
_PHRASE = {
    "decimal": "decimal value (digits 0-9)",
    "hex": "hex value (16 digits 0-9, a-f or A-F)",
    "base64": 'base64 value (12 characters, standard alphabet, one "=")',
}
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quote(text: str) -> str:
    """The text in double quotes with quotes, backslashes and control characters escaped, so it stays on one line
    (the same spelling as the Swift package's messages)."""
    out = []
    for c in text:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append("\\u{%x}" % ord(c))
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _parse(text: str, format: str) -> int:
    if not isinstance(text, str):
        raise TypeError(f"a CRC-64 {format} value must be a str, not {type(text).__name__!r}")
    encoded = text.encode("utf-8", "surrogatepass")
    error, result = _crc64.parse_text(_FORMS[format], encoded)
    if error == _crc64.PARSE_OK:
        return result
    if error == _crc64.PARSE_EMPTY:
        message = "empty string: expected a CRC-64 " + _PHRASE[format]
    elif error == _crc64.PARSE_NEGATIVE:
        message = f"{_quote(text)} is negative: a CRC-64 decimal value is unsigned"
    elif error == _crc64.PARSE_INVALID_CHARACTER:
        # The C core names the first byte outside the form: where a character begins (a non-ASCII character's
        # first byte is itself outside every form).
        offset = len(encoded[:result].decode("utf-8", "surrogatepass"))
        message = (
            f"invalid character {_quote(text[offset])} at offset {offset} in {_quote(text)}: "
            f"expected a CRC-64 {_PHRASE[format]}"
        )
    elif error == _crc64.PARSE_OVERFLOW:
        message = f"{_quote(text)} is out of range: a CRC-64 decimal value is at most {_MAX}"
    elif error == _crc64.PARSE_WRONG_LENGTH:
        expected = 16 if format == "hex" else 12
        message = f"{_quote(text)} has {len(text)} characters: a CRC-64 {format} value has exactly {expected}"
    elif error == _crc64.PARSE_INVALID_PADDING:
        message = f'{_quote(text)} has invalid padding: CRC-64 base64 is 11 characters and one "="'
    elif error == _crc64.PARSE_NON_CANONICAL:
        message = (
            f"{_quote(text)} is not canonical base64: the unused low bits of its 11th character are not zero"
        )
    else:
        raise AssertionError(f"libcrc64_parse returned {error} for a known form")
    raise DigestParseError(message, text, format)


def from_decimal(text: str) -> int:
    """Parses an unsigned decimal value, as OSS sends it in ``x-oss-hash-crc64ecma``: the digits 0-9 only (leading
    zeros are fine), no sign, spaces or other characters, at most 18446744073709551615. Raises
    DigestParseError (a ValueError)."""
    return _parse(text, "decimal")


def from_hex(text: str) -> int:
    """Parses exactly 16 hexadecimal digits, in either case, without a prefix. Raises DigestParseError (a
    ValueError)."""
    return _parse(text, "hex")


def from_base64(text: str) -> int:
    """Parses the 12-character standard base64 of the eight big-endian bytes, as S3 sends it in
    ``x-amz-checksum-crc64nvme``. Strict: the standard alphabet (``+`` and ``/``, not URL-safe ``-`` and ``_``),
    exactly one ``=`` at the end, and the two unused bits of the 11th character zero, so that each value has one
    accepted spelling. Raises DigestParseError (a ValueError)."""
    return _parse(text, "base64")
