import CRC64Kit
import Foundation
import Testing

@Suite("Digest formats")
struct DigestTests {
    @Test func knownForms() {
        let digest = CRC64Digest(0x995d_c9bb_df19_39fa)
        #expect(digest.decimal == "11051210869376104954")
        #expect(digest.hex == "995dc9bbdf1939fa")
        #expect(digest.base64 == "mV3Ju98ZOfo=")
        #expect(digest.description == digest.hex)
        #expect("\(digest)" == "995dc9bbdf1939fa")

        let zero = CRC64Digest(0)
        #expect(zero.decimal == "0" && zero.hex == "0000000000000000" && zero.base64 == "AAAAAAAAAAA=")
        let max = CRC64Digest(.max)
        #expect(max.decimal == "18446744073709551615" && max.hex == "ffffffffffffffff" && max.base64 == "//////////8=")
        #expect(CRC64Digest(0x0123_4567_89ab_cdef).hex == "0123456789abcdef")
    }

    /// Round trips of every form for random values and edge values, checked against Foundation's base64 codec.
    @Test func roundTrips() throws {
        let seed = Seeds.derive(0x6469_6765_7374)
        var random = SplitMix64(seed: seed)
        var values: [UInt64] = [0, 1, 9, 10, 15, 16, 0xff, 1 << 63, .max, .max - 1, 999_999_999_999_999_999]
        for shift in 0..<64 { values.append(1 << UInt64(shift)) }
        for _ in 0..<500 { values.append(random.next() >> (random.next() % 64)) }
        for value in values {
            let digest = CRC64Digest(value)
            #expect(try CRC64Digest(decimal: digest.decimal) == digest, "\(value) seed \(seed)")
            #expect(try CRC64Digest(hex: digest.hex) == digest, "\(value) seed \(seed)")
            #expect(try CRC64Digest(hex: digest.hex.uppercased()) == digest, "\(value) seed \(seed)")
            #expect(try CRC64Digest(base64: digest.base64) == digest, "\(value) seed \(seed)")
            #expect(try CRC64Digest(base64: Substring(digest.base64)) == digest)
            #expect(try CRC64Digest(parsing: digest.hex) == digest, "\(value) seed \(seed)")
            #expect(try CRC64Digest(parsing: digest.base64) == digest, "\(value) seed \(seed)")
            if digest.decimal.count != 16 {
                #expect(try CRC64Digest(parsing: digest.decimal) == digest, "\(value) seed \(seed)")
            }
            #expect(digest.decimal == String(value))
            // An independent base64: Foundation's, of the eight big-endian bytes.
            let bigEndian = withUnsafeBytes(of: value.bigEndian) { Data($0) }
            #expect(digest.base64 == bigEndian.base64EncodedString(), "\(value) seed \(seed)")
        }
    }

    @Test func parsingDetectsTheForm() throws {
        #expect(try CRC64Digest(parsing: "995dc9bbdf1939fa").value == 0x995d_c9bb_df19_39fa)
        #expect(try CRC64Digest(parsing: "995DC9BBDF1939FA").value == 0x995d_c9bb_df19_39fa)
        #expect(try CRC64Digest(parsing: "mV3Ju98ZOfo=").value == 0x995d_c9bb_df19_39fa)
        #expect(try CRC64Digest(parsing: "11051210869376104954").value == 0x995d_c9bb_df19_39fa)
        #expect(try CRC64Digest(parsing: "0").value == 0)
        // Exactly 16 decimal digits are also 16 hex digits: documented to read as hex.
        #expect(try CRC64Digest(parsing: "1234567890123456").value == 0x1234_5678_9012_3456)
        #expect(try CRC64Digest(decimal: "1234567890123456").value == 1_234_567_890_123_456)
        // Not hex, not base64: the decimal parser's error.
        #expect(throws: CRC64DigestParseError.invalidCharacter("g", offset: 0, input: "g", format: .decimal)) {
            try CRC64Digest(parsing: "g")
        }
        #expect(throws: CRC64DigestParseError.empty(format: .decimal)) { try CRC64Digest(parsing: "") }
    }

    @Test func decimalErrors() {
        #expect(throws: CRC64DigestParseError.empty(format: .decimal)) { try CRC64Digest(decimal: "") }
        #expect(throws: CRC64DigestParseError.negative(input: "-1")) { try CRC64Digest(decimal: "-1") }
        #expect(throws: CRC64DigestParseError.negative(input: "-0")) { try CRC64Digest(decimal: "-0") }
        #expect(throws: CRC64DigestParseError.overflow(input: "18446744073709551616")) {
            try CRC64Digest(decimal: "18446744073709551616")
        }
        #expect(throws: CRC64DigestParseError.overflow(input: "99999999999999999999999")) {
            try CRC64Digest(decimal: "99999999999999999999999")
        }
        #expect(throws: CRC64DigestParseError.invalidCharacter("x", offset: 1, input: "0x12", format: .decimal)) {
            try CRC64Digest(decimal: "0x12")
        }
        #expect(throws: CRC64DigestParseError.invalidCharacter(" ", offset: 3, input: "123 ", format: .decimal)) {
            try CRC64Digest(decimal: "123 ")
        }
        #expect(throws: CRC64DigestParseError.invalidCharacter("+", offset: 0, input: "+5", format: .decimal)) {
            try CRC64Digest(decimal: "+5")
        }
        #expect(throws: CRC64DigestParseError.invalidCharacter("٣", offset: 1, input: "1٣", format: .decimal)) {
            try CRC64Digest(decimal: "1٣")  // an Arabic-Indic digit is not an ASCII digit
        }
        #expect(throws: CRC64DigestParseError.invalidCharacter("\r", offset: 1, input: "1\r\n", format: .decimal)) {
            try CRC64Digest(decimal: "1\r\n")
        }
        #expect((try? CRC64Digest(decimal: "18446744073709551615"))?.value == .max)
        #expect((try? CRC64Digest(decimal: "000000000000000000000042"))?.value == 42)
    }

    @Test func hexErrors() {
        #expect(throws: CRC64DigestParseError.empty(format: .hex)) { try CRC64Digest(hex: "") }
        #expect(throws: CRC64DigestParseError.wrongLength(expected: 16, actual: 15, input: "995dc9bbdf1939f", format: .hex)) {
            try CRC64Digest(hex: "995dc9bbdf1939f")
        }
        #expect(throws: CRC64DigestParseError.wrongLength(expected: 16, actual: 17, input: "995dc9bbdf1939fa0", format: .hex)) {
            try CRC64Digest(hex: "995dc9bbdf1939fa0")
        }
        #expect(throws: CRC64DigestParseError.invalidCharacter("g", offset: 15, input: "995dc9bbdf1939fg", format: .hex)) {
            try CRC64Digest(hex: "995dc9bbdf1939fg")
        }
        #expect(throws: CRC64DigestParseError.invalidCharacter("x", offset: 1, input: "0x995dc9bbdf1939fa", format: .hex)) {
            try CRC64Digest(hex: "0x995dc9bbdf1939fa")
        }
    }

    @Test func base64Errors() {
        #expect(throws: CRC64DigestParseError.empty(format: .base64)) { try CRC64Digest(base64: "") }
        #expect(throws: CRC64DigestParseError.invalidCharacter("!", offset: 4, input: "rosU!gp5mIg=", format: .base64)) {
            try CRC64Digest(base64: "rosU!gp5mIg=")
        }
        #expect(throws: CRC64DigestParseError.invalidCharacter("-", offset: 10, input: "//////////-=", format: .base64)) {
            try CRC64Digest(base64: "//////////-=")  // URL-safe alphabet is not accepted
        }
        #expect(throws: CRC64DigestParseError.wrongLength(expected: 12, actual: 11, input: "rosUhgp5mIg", format: .base64)) {
            try CRC64Digest(base64: "rosUhgp5mIg")
        }
        #expect(throws: CRC64DigestParseError.wrongLength(expected: 12, actual: 13, input: "rosUhgp5mIg==", format: .base64)) {
            try CRC64Digest(base64: "rosUhgp5mIg==")
        }
        #expect(throws: CRC64DigestParseError.invalidPadding(input: "rosUhgp5mI==")) {
            try CRC64Digest(base64: "rosUhgp5mI==")
        }
        #expect(throws: CRC64DigestParseError.invalidPadding(input: "rosUhgp5mIgA")) {
            try CRC64Digest(base64: "rosUhgp5mIgA")
        }
        #expect(throws: CRC64DigestParseError.invalidPadding(input: "ro=Uhgp5mIg=")) {
            try CRC64Digest(base64: "ro=Uhgp5mIg=")
        }
        // "rosUhgp5mIg=" ends in 'g' (100000); 'h' (100001) sets an unused bit: decodes to the same bytes, rejected.
        #expect(throws: CRC64DigestParseError.nonCanonical(input: "rosUhgp5mIh=")) {
            try CRC64Digest(base64: "rosUhgp5mIh=")
        }
        #expect(Data(base64Encoded: "rosUhgp5mIh=") == Data(base64Encoded: "rosUhgp5mIg="), "Foundation is lenient")
        #expect(throws: CRC64DigestParseError.nonCanonical(input: "//////////9=")) {
            try CRC64Digest(base64: "//////////9=")
        }
    }

    /// Every error's description is one line that names the problem and quotes the input.
    @Test func errorDescriptions() {
        let cases: [(CRC64DigestParseError, [String])] = [
            (.empty(format: .decimal), ["empty", "decimal"]),
            (.invalidCharacter("x", offset: 1, input: "0x12", format: .decimal), ["\"x\"", "offset 1", "\"0x12\""]),
            (.overflow(input: "18446744073709551616"), ["\"18446744073709551616\"", "18446744073709551615"]),
            (.negative(input: "-1"), ["\"-1\"", "negative"]),
            (.wrongLength(expected: 16, actual: 15, input: "995dc9bbdf1939f", format: .hex), ["\"995dc9bbdf1939f\"", "15", "16"]),
            (.invalidPadding(input: "rosUhgp5mI=="), ["\"rosUhgp5mI==\"", "padding"]),
            (.nonCanonical(input: "rosUhgp5mIh="), ["\"rosUhgp5mIh=\"", "canonical"]),
            (.invalidCharacter("\n", offset: 1, input: "1\n\"", format: .decimal), ["\"\\n\"", "\"1\\n\\\"\""]),
        ]
        for (error, fragments) in cases {
            let text = error.description
            #expect(!text.contains("\n"), "\(text)")
            for fragment in fragments { #expect(text.contains(fragment), "\(text) lacks \(fragment)") }
        }
    }
}
