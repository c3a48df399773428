internal import CCRC64

/// A CRC-64 value with the text forms that servers send it in.
///
/// - ``decimal``: Alibaba Cloud OSS sends CRC-64/XZ as an unsigned decimal in `x-oss-hash-crc64ecma`.
/// - ``base64``: Amazon S3 sends CRC-64/NVME as the base64 of its eight big-endian bytes in
///   `x-amz-checksum-crc64nvme`.
/// - ``hex``: 16 lowercase digits, as CRC catalogues and `crc64sum` print it; also the ``description``.
///
/// Each form parses back exactly, and every malformed input throws a ``CRC64DigestParseError`` that says what is
/// wrong with it.
///
/// ```swift
/// let digest = CRC64Digest(CRC64Model.xz.checksum(Array("123456789".utf8)))
/// digest.decimal   // "11051210869376104954"
/// digest.hex       // "995dc9bbdf1939fa"
/// digest.base64    // "mV3Ju98ZOfo="
/// try CRC64Digest(decimal: response.headers["x-oss-hash-crc64ecma"]!) == digest
/// ```
public struct CRC64Digest: Sendable, Hashable, CustomStringConvertible {
    /// The CRC value.
    public let value: UInt64

    /// Wraps a CRC value.
    public init(_ value: UInt64) {
        self.value = value
    }

    // The forms are written and read by the C core (`libcrc64_format`, `libcrc64_parse`), the one implementation that
    // the C library, this package and the Python package share; the errors and their messages are this type's.

    /// The unsigned decimal form, without leading zeros: exactly what OSS sends in `x-oss-hash-crc64ecma`.
    public var decimal: String { Self.format(value, LIBCRC64_FORM_DECIMAL) }

    /// The 16 lowercase hexadecimal digits of the value, zero-padded, without a prefix.
    public var hex: String { Self.format(value, LIBCRC64_FORM_HEX) }

    /// The standard base64 (RFC 4648, with `=` padding, 12 characters) of the value's eight big-endian bytes:
    /// exactly what S3 sends in `x-amz-checksum-crc64nvme`.
    public var base64: String { Self.format(value, LIBCRC64_FORM_BASE64) }

    /// The ``hex`` form.
    public var description: String { hex }

    /// Parses an unsigned decimal value, as sent in `x-oss-hash-crc64ecma`.
    ///
    /// Only the digits 0–9 are accepted (leading zeros are fine); no sign, spaces or other characters.
    ///
    /// - Throws: ``CRC64DigestParseError/empty(format:)``, ``CRC64DigestParseError/negative(input:)`` for a leading
    ///   `-`, ``CRC64DigestParseError/invalidCharacter(_:offset:input:format:)``, or
    ///   ``CRC64DigestParseError/overflow(input:)`` above 18446744073709551615.
    public init(decimal text: some StringProtocol) throws(CRC64DigestParseError) {
        value = try Self.parse(String(text), .decimal)
    }

    /// Parses exactly 16 hexadecimal digits, in either case, without a prefix.
    ///
    /// - Throws: ``CRC64DigestParseError/empty(format:)``,
    ///   ``CRC64DigestParseError/invalidCharacter(_:offset:input:format:)`` (including for an `0x` prefix), or
    ///   ``CRC64DigestParseError/wrongLength(expected:actual:input:format:)``.
    public init(hex text: some StringProtocol) throws(CRC64DigestParseError) {
        value = try Self.parse(String(text), .hex)
    }

    /// Parses the 12-character standard base64 form of the eight big-endian bytes, as sent in
    /// `x-amz-checksum-crc64nvme`.
    ///
    /// Strict: the standard alphabet (`+` and `/`, not the URL-safe `-` and `_`), exactly one `=` at the end, and
    /// the two unused bits of the 11th character zero, so that each value has one accepted spelling.
    ///
    /// - Throws: ``CRC64DigestParseError/empty(format:)``,
    ///   ``CRC64DigestParseError/invalidCharacter(_:offset:input:format:)``,
    ///   ``CRC64DigestParseError/wrongLength(expected:actual:input:format:)``,
    ///   ``CRC64DigestParseError/invalidPadding(input:)`` or ``CRC64DigestParseError/nonCanonical(input:)``.
    public init(base64 text: some StringProtocol) throws(CRC64DigestParseError) {
        value = try Self.parse(String(text), .base64)
    }

    /// Parses any of the three forms, telling them apart by shape.
    ///
    /// - 16 hexadecimal digits: ``init(hex:)``;
    /// - 12 characters ending in `=`: ``init(base64:)``;
    /// - anything else: ``init(decimal:)``, whose error is then the one thrown.
    ///
    /// - Important: A decimal value of exactly 16 digits (about one OSS value in 2,000) is also 16 hexadecimal
    ///   digits and is read as hexadecimal. When the source is known, as with a response header, use the
    ///   initializer for its form: ``init(decimal:)`` for OSS, ``init(base64:)`` for S3.
    public init(parsing text: some StringProtocol) throws(CRC64DigestParseError) {
        let input = String(text)
        let utf8 = input.utf8
        if let hex = try? Self.parse(input, .hex) {  // exactly 16 hexadecimal digits
            value = hex
        } else if utf8.count == 12, utf8.last == UInt8(ascii: "=") {
            value = try Self.parse(input, .base64)
        } else {
            value = try Self.parse(input, .decimal)
        }
    }

    // MARK: Internals

    private static func format(_ value: UInt64, _ form: libcrc64_form) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(LIBCRC64_FORM_SIZE)) { text in
            let count = libcrc64_format(form, value, text.baseAddress!)
            return String(decoding: UnsafeRawBufferPointer(start: text.baseAddress, count: count), as: UTF8.self)
        }
    }

    private static func parse(_ input: String, _ format: CRC64DigestParseError.Format) throws(CRC64DigestParseError)
        -> UInt64
    {
        var input = input
        var value: UInt64 = 0
        var offset = 0
        let error = input.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                libcrc64_parse(format.form, $0.baseAddress, $0.count, &value, &offset)
            }
        }
        switch error {
        case LIBCRC64_PARSE_OK: return value
        case LIBCRC64_PARSE_EMPTY: throw .empty(format: format)
        case LIBCRC64_PARSE_NEGATIVE: throw .negative(input: input)
        case LIBCRC64_PARSE_OVERFLOW: throw .overflow(input: input)
        case LIBCRC64_PARSE_WRONG_LENGTH:
            let expected = format == .hex ? 16 : 12
            throw .wrongLength(expected: expected, actual: input.utf8.count, input: input, format: format)
        case LIBCRC64_PARSE_INVALID_PADDING: throw .invalidPadding(input: input)
        case LIBCRC64_PARSE_NON_CANONICAL: throw .nonCanonical(input: input)
        case LIBCRC64_PARSE_INVALID_CHARACTER:
            // The C core names the first byte outside the form; an error names the Unicode scalar that starts there
            // (a non-ASCII scalar's lead byte is itself outside every form) and counts scalars up to it.
            let utf8 = input.utf8
            let start = utf8.index(utf8.startIndex, offsetBy: offset)
            let scalar = input.unicodeScalars[start]
            let scalarOffset = input.unicodeScalars.distance(from: input.unicodeScalars.startIndex, to: start)
            throw .invalidCharacter(Character(scalar), offset: scalarOffset, input: input, format: format)
        default:
            preconditionFailure("libcrc64_parse returned \(error.rawValue) for a known form")
        }
    }
}

/// Why a string is not a CRC-64 digest. The ``description`` is one line that quotes the input.
public enum CRC64DigestParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text form being parsed.
    public enum Format: String, Sendable, Hashable {
        /// Unsigned decimal digits (``CRC64Digest/init(decimal:)``).
        case decimal
        /// Sixteen hexadecimal digits (``CRC64Digest/init(hex:)``).
        case hex
        /// Twelve characters of standard base64 (``CRC64Digest/init(base64:)``).
        case base64
    }

    /// The input is empty.
    case empty(format: Format)
    /// The input contains a character the format does not allow; `offset` counts Unicode scalars from 0.
    case invalidCharacter(Character, offset: Int, input: String, format: Format)
    /// A decimal value above 18446744073709551615 (2⁶⁴ − 1).
    case overflow(input: String)
    /// A decimal value with a minus sign: CRC values are unsigned.
    case negative(input: String)
    /// The input has `actual` characters where the format needs exactly `expected` (16 hex digits, 12 base64
    /// characters).
    case wrongLength(expected: Int, actual: Int, input: String, format: Format)
    /// A base64 value whose `=` padding is missing, misplaced or doubled: it must be exactly one `=`, at the end.
    case invalidPadding(input: String)
    /// A base64 value whose last data character has nonzero unused bits: another spelling of a valid value
    /// that an encoder never produces.
    case nonCanonical(input: String)

    /// One line that says what is wrong and quotes the input (escaped, so that it stays on one line).
    public var description: String {
        switch self {
        case .empty(let format):
            return "empty string: expected a CRC-64 \(format.phrase)"
        case .invalidCharacter(let character, let offset, let input, let format):
            return "invalid character \(Self.quote(String(character))) at offset \(offset) in \(Self.quote(input)): "
                + "expected a CRC-64 \(format.phrase)"
        case .overflow(let input):
            return "\(Self.quote(input)) is out of range: a CRC-64 decimal value is at most 18446744073709551615"
        case .negative(let input):
            return "\(Self.quote(input)) is negative: a CRC-64 decimal value is unsigned"
        case .wrongLength(let expected, let actual, let input, let format):
            return "\(Self.quote(input)) has \(actual) characters: "
                + "a CRC-64 \(format.rawValue) value has exactly \(expected)"
        case .invalidPadding(let input):
            return "\(Self.quote(input)) has invalid padding: CRC-64 base64 is 11 characters and one \"=\""
        case .nonCanonical(let input):
            return "\(Self.quote(input)) is not canonical base64: "
                + "the unused low bits of its 11th character are not zero"
        }
    }

    /// The input in double quotes, with control characters, quotes and backslashes escaped, so it stays on one line.
    private static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    result += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

extension CRC64DigestParseError.Format {
    /// The C core's name for the form.
    fileprivate var form: libcrc64_form {
        switch self {
        case .decimal: return LIBCRC64_FORM_DECIMAL
        case .hex: return LIBCRC64_FORM_HEX
        case .base64: return LIBCRC64_FORM_BASE64
        }
    }

    fileprivate var phrase: String {
        switch self {
        case .decimal: return "decimal value (digits 0-9)"
        case .hex: return "hex value (16 digits 0-9, a-f or A-F)"
        case .base64: return "base64 value (12 characters, standard alphabet, one \"=\")"
        }
    }
}
