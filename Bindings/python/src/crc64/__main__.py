"""python -m crc64 URL: the CRC-64 of one object, hashed in parts by Dask (crc64.dask), printed or checked with
crc64sum's conventions: ``VALUE  URL``, or with --expect ``URL: OK: computed X, expected Y`` (exit 0) and
``URL: FAILED: ...`` (exit 1); exit 2 for trouble, with one line on standard error. The arguments are read before
Dask is imported, so that --help and usage errors work without it."""

from __future__ import annotations

import argparse
import os
import re
import string
import sys
from typing import NoReturn

import crc64

PROGRAM = "crc64"
USAGE = ("python -m crc64 [-h] [--scheduler ADDRESS] [--part-size SIZE] [--model NAME] [--format FORMAT] "
         "[--expect VALUE] URL")
DESCRIPTION = """\
Print or check the CRC-64 of one object, read in parts by Dask tasks through fsspec
(a local path, s3:// with s3fs, oss:// with ossfs, http(s)://, ...) and combined in order.
Needs pip install "crc64[dask]". Storage options come from fsspec's configuration, e.g.
FSSPEC_S3_ENDPOINT_URL, and the storage's own (AWS_PROFILE, ...)."""
EPILOG = """\
Exit status: 0 if all is well; 1 if the value did not match --expect; 2 for trouble:
a usage error, an object that could not be read whole, a scheduler that could not be reached.

Examples:
  python -m crc64 --format dec data.bin                       # compare with x-oss-hash-crc64ecma
  python -m crc64 --model nvme --expect rosUhgp5mIg= s3://bucket/key
  python -m crc64 --scheduler tcp://10.0.0.5:8786 --part-size 1G s3://bucket/backup.tar"""

_FORMATS = {"hex": "hex", "hexadecimal": "hex", "dec": "dec", "decimal": "dec", "base64": "base64"}
_RENDER = {"hex": crc64.to_hex, "dec": crc64.to_decimal, "base64": crc64.to_base64}
_SAFE = frozenset(string.ascii_letters + string.digits + "%+,-./:=@_^")


class UsageError(Exception):
    """A mistake on the command line: one line on standard error, exit status 2."""


def byte_count(text: str, what: str) -> int:
    """A byte count as crc64sum reads one: digits, optionally with a binary multiplier K, M, G or T, written K, KB
    or KiB, and a plain count may end in B; any case; at most 2**64 - 1."""
    match = re.fullmatch(r"([0-9]+)(?:([kmgt])(?:i?b)?|b)?", text.lower(), re.ASCII)
    count = int(match[1]) << 10 * ("kmgt".index(match[2]) + 1 if match[2] else 0) if match else None
    if count is None or count >> 64:
        raise UsageError(f"invalid {what} '{text}': expected a number of bytes, optionally with K, M, G or T "
                         "(at most 2^64 - 1)")
    return count


def expected_values(text: str, hint: str | None) -> list[tuple[int, str]]:
    """The readings of an --expect VALUE, as crc64sum takes it: 0x and 1 to 16 hex digits; 16 hex digits (also
    decimal when they are all decimal digits, unless --format says which); 12 characters ending in = (base64); or an
    unsigned decimal. Returns [(value, format)]."""
    try:
        if re.fullmatch(r"0[xX].+", text):
            if not re.fullmatch(r"0[xX][0-9a-fA-F]{1,16}", text):
                raise UsageError(f"invalid value '{text}': after 0x, 1 to 16 hexadecimal digits")
            return [(crc64.from_hex(text[2:].rjust(16, "0")), "hex")]
        if re.fullmatch(r"[0-9a-fA-F]{16}", text):
            readings = [(crc64.from_hex(text), "hex")]
            if text.isdigit() and hint != "hex":
                decimal = (crc64.from_decimal(text), "dec")
                readings = [decimal] if hint == "dec" else readings + [decimal]
            return readings
        if len(text) == 12 and text.endswith("="):
            return [(crc64.from_base64(text), "base64")]
        return [(crc64.from_decimal(text), "dec")]
    except crc64.DigestParseError as error:
        raise UsageError(f"invalid value: {error} (a value is 16 hex digits, 0x and hex digits, an unsigned decimal, "
                         "or 12 base64 characters)") from None


def quote_name(name: str) -> str:
    """A name as coreutils (and crc64sum) shows it in messages: bare when every byte is safe, else in single quotes
    (double quotes when it holds a single quote and nothing the shell expands), control bytes as $'\\n', $'\\ooo'."""
    raw = name.encode("utf-8", "surrogateescape")  # what the system passed: sys.argv keeps invalid bytes that way
    try:
        raw.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False

    def safe(byte: int) -> bool:
        return chr(byte) in _SAFE or (byte >= 0x80 and valid)

    def control(byte: int) -> bool:
        return byte < 0x20 or byte == 0x7F or (byte >= 0x80 and not valid)

    def single(run: bytes) -> str:
        return "'" + run.decode("utf-8", "surrogateescape").replace("'", "'\\''") + "'"

    if not raw:
        return "''"
    if all(safe(b) for b in raw):
        return name
    if not any(control(b) for b in raw):
        if "'" in name and not any(c in name for c in "\"$`\\!"):
            return '"' + name + '"'
        return single(raw)
    out, run = [], bytearray()
    for byte in raw:
        if control(byte):
            if run:
                out.append(single(bytes(run)))
                run.clear()
            out.append({0x0A: "$'\\n'", 0x0D: "$'\\r'", 0x09: "$'\\t'"}.get(byte, f"$'\\{byte:03o}'"))
        else:
            run.append(byte)
    if run:
        out.append(single(bytes(run)))
    return "".join(out)


def checksum_line(value: str, name: str) -> str:
    """``VALUE  NAME``, GNU-escaped as crc64sum writes it when the name holds a backslash, newline or return."""
    if not any(c in name for c in "\\\n\r"):
        return f"{value}  {name}"
    escaped = name.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    return f"\\{value}  {escaped}"


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def parse_arguments(arguments: list[str]) -> argparse.Namespace:
    names = ", ".join(crc64._SHORT_NAMES)
    parser = Parser(prog="python -m crc64", usage=USAGE, description=DESCRIPTION, epilog=EPILOG,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", metavar="URL", help="the object: a path or an fsspec URL")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="a Dask scheduler to run on (tcp://HOST:8786); default: this process's threads")
    parser.add_argument("--part-size", metavar="SIZE", default="256M",
                        help="bytes per task (default 256M); may end in K, M, G or T (powers of 1024)")
    parser.add_argument("--model", metavar="NAME", default="xz", help=f"{names} (default xz)")
    parser.add_argument("--format", metavar="FORMAT",
                        help="print the value as hex (default, 16 digits), dec (as OSS sends it) or base64 (as S3 "
                             "sends it); also says how to read a 16-digit all-decimal VALUE")
    parser.add_argument("--expect", metavar="VALUE",
                        help="check against VALUE (hex, decimal or base64): exit 0 on a match, 1 on a mismatch")
    options = parser.parse_args(arguments)
    text, options.part_size = options.part_size, byte_count(options.part_size, "part size")
    if options.part_size == 0:
        raise UsageError(f"invalid part size '{text}': must be at least 1 byte")
    try:
        options.model = crc64._model_named(options.model)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if options.format is not None:
        if options.format.lower() not in _FORMATS:
            raise UsageError(f"invalid format '{options.format}': expected hex, dec or base64")
        options.format = _FORMATS[options.format.lower()]
    options.expect_text = options.expect
    if options.expect is not None:
        options.expect = expected_values(options.expect, options.format)
    return options


def report(options: argparse.Namespace, value: int) -> int:
    """Prints the value, or the verdict on --expect, as crc64sum does; returns the exit status."""
    if options.expect is None:
        print(checksum_line(_RENDER[options.format or "hex"](value), options.url))
        return 0
    match = next((form for expected, form in options.expect if expected == value), None)
    if len(options.expect) > 1 and match is None and options.format is None:
        computed = f"{crc64.to_hex(value)} (hex) = {crc64.to_decimal(value)} (decimal)"
    else:  # in the form the expected value was given in (or --format), so that the two compare by eye
        computed = _RENDER[options.format or match or options.expect[0][1]](value)
    verdict = "OK" if match else "FAILED"
    print(f"{quote_name(options.url)}: {verdict}: computed {computed}, expected {options.expect_text}")
    return 0 if match else 1


def fail(message: str) -> NoReturn:
    print(f"{PROGRAM}: {message}", file=sys.stderr)
    sys.exit(2)


def main(arguments: list[str]) -> int:
    try:
        options = parse_arguments(arguments)
    except UsageError as error:
        fail(str(error))
    try:
        import crc64.dask
    except ImportError as error:
        fail(f'this command needs Dask: pip install "crc64[dask]" ({error.__cause__ or error})')
    client = None
    if options.scheduler is not None:
        try:
            from distributed import Client
        except ImportError as error:
            fail(f'--scheduler needs distributed: pip install "crc64[dask]" ({error})')
        try:
            client = Client(options.scheduler)
        except (OSError, TimeoutError, ValueError) as error:  # ValueError: not an address
            fail(f"cannot reach the scheduler at {options.scheduler}: {error}")
    try:
        result = crc64.dask.checksum(options.url, model=options.model, part_size=options.part_size, client=client,
                                     progress=sys.stderr.isatty())
    except Exception as error:  # noqa: BLE001 -- every failure is one line and status 2, as crc64sum reports them
        message = " ".join(str(error).split("\n"))
        fail(message if message.startswith(options.url) else f"{quote_name(options.url)}: {message}")
    finally:
        if client is not None:
            client.close()
    try:  # a full disk or a closed pipe is trouble, one line and status 2, as crc64sum reports it
        status = report(options, result.value)
        sys.stdout.flush()
    except OSError as error:
        # Python flushes standard output again at exit: send what is left nowhere (the documented way for a pipe).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        fail(f"write error: {error.strerror or error}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
