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


def combine(crc1: int, crc2: int, len2: int, model: Model = _XZ) -> int:
    """The CRC of A + B from ``crc1`` (the CRC of A), ``crc2`` (the CRC of B) and ``len2`` (the length of B in
    bytes), without the data: e.g. an OSS multipart object's value from its parts'. The model is CRC-64/XZ unless
    given.

    ``len2 == 0`` returns ``crc1`` whatever ``crc2`` is, as every CRC-64 combine does (Redis, the OSS SDKs) and as
    zlib's ``crc32_combine`` did up to 1.2.11; zlib 1.2.12 and later return ``crc1 ^ crc2`` there."""
    return model.combine(crc1, crc2, len2)


# ---- Header formats ----


def _value(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"a CRC-64 value must be an int, not {type(value).__name__!r}")
    if not 0 <= value <= _MAX:
        raise ValueError(f"a CRC-64 value is in the range 0..{_MAX}, got {value}")
    return value


def to_decimal(value: int) -> str:
    """The unsigned decimal form, without leading zeros: what OSS sends in ``x-oss-hash-crc64ecma``."""
    return str(_value(value))


def to_hex(value: int) -> str:
    """The 16 lowercase hexadecimal digits of the value, zero-padded, without a prefix."""
    return format(_value(value), "016x")


_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_BASE64_VALUE = {c: i for i, c in enumerate(_BASE64)}


def to_base64(value: int) -> str:
    """The standard base64 (RFC 4648, 12 characters with one ``=``) of the value's eight big-endian bytes: what S3
    sends in ``x-amz-checksum-crc64nvme``."""
    value = _value(value)
    # 64 bits = ten 6-bit groups and a last group of 4 bits followed by two zero bits, then one '='.
    chars = [_BASE64[(value >> (58 - 6 * i)) & 63] for i in range(10)]
    return "".join(chars) + _BASE64[(value & 15) << 2] + "="


class DigestParseError(ValueError):
    """A string that is not a CRC-64 value in the form asked for. The message says what is wrong and quotes the
    input; ``input`` is the string and ``format`` is ``"decimal"``, ``"hex"`` or ``"base64"``."""

    def __init__(self, message: str, input: str, format: str) -> None:
        super().__init__(message)
        self.input = input
        self.format = format


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


def _text(text: str, format: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"a CRC-64 {format} value must be a str, not {type(text).__name__!r}")
    if not text:
        raise DigestParseError("empty string: expected a CRC-64 " + _PHRASE[format], text, format)
    return text


def _check_characters(text: str, format: str, valid: str) -> None:
    for offset, c in enumerate(text):
        if c not in valid:
            raise DigestParseError(
                f"invalid character {_quote(c)} at offset {offset} in {_quote(text)}: "
                f"expected a CRC-64 {_PHRASE[format]}",
                text,
                format,
            )


def _wrong_length(text: str, format: str, expected: int) -> DigestParseError:
    return DigestParseError(
        f"{_quote(text)} has {len(text)} characters: a CRC-64 {format} value has exactly {expected}", text, format
    )


def from_decimal(text: str) -> int:
    """Parses an unsigned decimal value, as OSS sends it in ``x-oss-hash-crc64ecma``: the digits 0-9 only (leading
    zeros are fine), no sign, spaces or other characters, at most 18446744073709551615. Raises
    DigestParseError (a ValueError)."""
    text = _text(text, "decimal")
    if text[0] == "-":
        raise DigestParseError(f"{_quote(text)} is negative: a CRC-64 decimal value is unsigned", text, "decimal")
    _check_characters(text, "decimal", "0123456789")
    value = int(text)
    if value > _MAX:
        raise DigestParseError(
            f"{_quote(text)} is out of range: a CRC-64 decimal value is at most {_MAX}", text, "decimal"
        )
    return value


def from_hex(text: str) -> int:
    """Parses exactly 16 hexadecimal digits, in either case, without a prefix. Raises DigestParseError (a
    ValueError)."""
    text = _text(text, "hex")
    _check_characters(text, "hex", "0123456789abcdefABCDEF")
    if len(text) != 16:
        raise _wrong_length(text, "hex", 16)
    return int(text, 16)


def from_base64(text: str) -> int:
    """Parses the 12-character standard base64 of the eight big-endian bytes, as S3 sends it in
    ``x-amz-checksum-crc64nvme``. Strict: the standard alphabet (``+`` and ``/``, not URL-safe ``-`` and ``_``),
    exactly one ``=`` at the end, and the two unused bits of the 11th character zero, so that each value has one
    accepted spelling. Raises DigestParseError (a ValueError)."""
    text = _text(text, "base64")
    _check_characters(text, "base64", _BASE64 + "=")
    if len(text) != 12:
        raise _wrong_length(text, "base64", 12)
    if text[11] != "=" or "=" in text[:11]:
        raise DigestParseError(
            f'{_quote(text)} has invalid padding: CRC-64 base64 is 11 characters and one "="', text, "base64"
        )
    value = 0
    for c in text[:10]:
        value = value << 6 | _BASE64_VALUE[c]
    last = _BASE64_VALUE[text[10]]
    if last & 3:
        raise DigestParseError(
            f"{_quote(text)} is not canonical base64: the unused low bits of its 11th character are not zero",
            text,
            "base64",
        )
    return value << 4 | last >> 2
