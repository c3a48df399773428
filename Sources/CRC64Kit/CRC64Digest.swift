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

    /// The unsigned decimal form, without leading zeros: exactly what OSS sends in `x-oss-hash-crc64ecma`.
    public var decimal: String { String(value) }

    /// The 16 lowercase hexadecimal digits of the value, zero-padded, without a prefix.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The standard base64 (RFC 4648, with `=` padding, 12 characters) of the value's eight big-endian bytes:
    /// exactly what S3 sends in `x-amz-checksum-crc64nvme`.
    public var base64: String {
        var chars: [UInt8] = []
        chars.reserveCapacity(12)
        // 64 bits = ten 6-bit groups and a last group of 4 bits followed by two zero bits, then one '='.
        for i in 0..<10 { chars.append(Base64.alphabet[Int((value >> UInt64(58 - 6 * i)) & 63)]) }
        chars.append(Base64.alphabet[Int((value & 15) << 2)])
        chars.append(UInt8(ascii: "="))
        return String(decoding: chars, as: UTF8.self)
    }

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
        let input = String(text)
        guard !input.isEmpty else { throw .empty(format: .decimal) }
        if input.utf8.first == UInt8(ascii: "-") { throw .negative(input: input) }
        try Self.checkCharacters(input, format: .decimal) { $0 >= 0x30 && $0 <= 0x39 }
        var result: UInt64 = 0
        for byte in input.utf8 {
            let (times10, o1) = result.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - 0x30))
            if o1 || o2 { throw .overflow(input: input) }
            result = sum
        }
        value = result
    }

    /// Parses exactly 16 hexadecimal digits, in either case, without a prefix.
    ///
    /// - Throws: ``CRC64DigestParseError/empty(format:)``,
    ///   ``CRC64DigestParseError/invalidCharacter(_:offset:input:format:)`` (including for an `0x` prefix), or
    ///   ``CRC64DigestParseError/wrongLength(expected:actual:input:format:)``.
    public init(hex text: some StringProtocol) throws(CRC64DigestParseError) {
        let input = String(text)
        guard !input.isEmpty else { throw .empty(format: .hex) }
        try Self.checkCharacters(input, format: .hex) { Self.hexDigitValue($0) != nil }
        let count = input.utf8.count  // all ASCII now
        guard count == 16 else { throw .wrongLength(expected: 16, actual: count, input: input, format: .hex) }
        var result: UInt64 = 0
        for byte in input.utf8 { result = result << 4 | UInt64(Self.hexDigitValue(byte)!) }
        value = result
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
        let input = String(text)
        guard !input.isEmpty else { throw .empty(format: .base64) }
        try Self.checkCharacters(input, format: .base64) { $0 == UInt8(ascii: "=") || Base64.value($0) != nil }
        let bytes = Array(input.utf8)
        guard bytes.count == 12 else {
            throw .wrongLength(expected: 12, actual: bytes.count, input: input, format: .base64)
        }
        guard bytes[11] == UInt8(ascii: "="), !bytes[..<11].contains(UInt8(ascii: "=")) else {
            throw .invalidPadding(input: input)
        }
        var result: UInt64 = 0
        for byte in bytes[..<10] { result = result << 6 | UInt64(Base64.value(byte)!) }
        let last = UInt64(Base64.value(bytes[10])!)
        guard last & 3 == 0 else { throw .nonCanonical(input: input) }
        value = result << 4 | last >> 2
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
        if utf8.count == 16, utf8.allSatisfy({ Self.hexDigitValue($0) != nil }) {
            try self.init(hex: input)
        } else if utf8.count == 12, utf8.last == UInt8(ascii: "=") {
            try self.init(base64: input)
        } else {
            try self.init(decimal: input)
        }
    }

    // MARK: Internals

    /// Throws for the first Unicode scalar that is not an ASCII byte accepted by `isValid`.
    private static func checkCharacters(
        _ input: String, format: CRC64DigestParseError.Format, isValid: (UInt8) -> Bool
    ) throws(CRC64DigestParseError) {
        if input.utf8.allSatisfy({ $0 < 0x80 && isValid($0) }) { return }
        for (offset, scalar) in input.unicodeScalars.enumerated() where !(scalar.isASCII && isValid(UInt8(scalar.value))) {
            throw .invalidCharacter(Character(scalar), offset: offset, input: input, format: format)
        }
    }

    private static func hexDigitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private enum Base64 {
        static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

        static func value(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): return 62
            case UInt8(ascii: "/"): return 63
            default: return nil
            }
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
            return "\(Self.quote(input)) has \(actual) characters: a CRC-64 \(format.rawValue) value has exactly \(expected)"
        case .invalidPadding(let input):
            return "\(Self.quote(input)) has invalid padding: CRC-64 base64 is 11 characters and one \"=\""
        case .nonCanonical(let input):
            return "\(Self.quote(input)) is not canonical base64: the unused low bits of its 11th character are not zero"
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
    fileprivate var phrase: String {
        switch self {
        case .decimal: return "decimal value (digits 0-9)"
        case .hex: return "hex value (16 digits 0-9, a-f or A-F)"
        case .base64: return "base64 value (12 characters, standard alphabet, one \"=\")"
        }
    }
}
