// An independent reference for CRC-64, written from the Rocksoft model definition and from polynomial arithmetic
// over GF(2). Nothing here calls or copies the library: every property test compares the library to this file.

import Foundation

// MARK: Random numbers

/// SplitMix64 (Steele, Lea, Flood 2014): a fixed-seed generator, so every failure can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    private(set) var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

enum Seeds {
    /// The base seed of every random input: `CRC64_TEST_SEED` (decimal or 0x-hex) if set, else a fixed value.
    /// Each test derives its own seed from it and names that seed in its failure messages.
    static let base: UInt64 = {
        if let text = ProcessInfo.processInfo.environment["CRC64_TEST_SEED"] {
            let value = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
            if let value { return value }
        }
        return 0xc64_5eed_2026_1125
    }()

    /// The seed of one test (or one case of a test): the base seed mixed with a per-test salt.
    static func derive(_ salt: UInt64) -> UInt64 {
        var g = SplitMix64(seed: base ^ salt)
        return g.next()
    }
}

// MARK: The Rocksoft model, one bit at a time

/// The parameters of a width-64 CRC in the Rocksoft / catalogue sense (refin == refout).
struct ReferenceParameters: Hashable, CustomStringConvertible {
    var poly: UInt64
    var initial: UInt64
    var reflected: Bool
    var xorout: UInt64

    var description: String {
        "poly=0x\(String(poly, radix: 16)) init=0x\(String(initial, radix: 16)) refin=refout=\(reflected) "
            + "xorout=0x\(String(xorout, radix: 16))"
    }
}

/// Reverses the order of the `width` low bits of `value`, one bit at a time.
func referenceReflect(_ value: UInt64, width: Int) -> UInt64 {
    var result: UInt64 = 0
    for i in 0..<width where (value >> UInt64(i)) & 1 == 1 {
        result |= 1 << UInt64(width - 1 - i)
    }
    return result
}

/// `referenceReflect(b, width: 8)` for every byte, so the hot loops below need not redo it (debug builds are slow).
let referenceReflectedBytes: [UInt8] = (0..<256).map { UInt8(referenceReflect(UInt64($0), width: 8)) }

/// `referenceReflect(value, width: 64)` a byte at a time: byte i, reflected, becomes byte 7 - i.
func referenceReflect64(_ value: UInt64) -> UInt64 {
    var result: UInt64 = 0
    var i: UInt64 = 0
    while i < 8 {
        result |= UInt64(referenceReflectedBytes[Int((value >> (8 * i)) & 0xff)]) << (56 - 8 * i)
        i += 1
    }
    return result
}

/// The Rocksoft model's register, fed one message bit at a time.
///
/// The register starts at `init`. Each message byte (bit-reversed first if the model is reflected) enters most
/// significant bit first: the bit is XORed into the register's top bit, the register shifts left by one, and the
/// polynomial is XORed in if the bit that fell out was 1. The result is the register, reflected if refout, XOR xorout.
struct ReferenceCRC {
    let parameters: ReferenceParameters
    /// The register, never reflected.
    private(set) var register: UInt64

    init(_ parameters: ReferenceParameters) {
        self.parameters = parameters
        register = parameters.initial
    }

    /// Continues from a final CRC value, by undoing the output step.
    init(_ parameters: ReferenceParameters, finalValue: UInt64) {
        self.parameters = parameters
        let unxored = finalValue ^ parameters.xorout
        register = parameters.reflected ? referenceReflect64(unxored) : unxored
    }

    mutating func feed(_ byte: UInt8) {
        let ordered = parameters.reflected ? referenceReflectedBytes[Int(byte)] : byte
        var message = UInt64(ordered) << 56  // the next message bit is the top bit
        var reg = register
        var i = 0
        while i < 8 {
            let feedback = (reg ^ message) >> 63  // message bit XOR the bit that falls out of the register
            reg <<= 1
            message <<= 1
            if feedback == 1 { reg ^= parameters.poly }
            i += 1
        }
        register = reg
    }

    mutating func feed(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { feed(byte) }
    }

    var value: UInt64 {
        (parameters.reflected ? referenceReflect64(register) : register) ^ parameters.xorout
    }

    static func checksum(_ parameters: ReferenceParameters, _ bytes: some Sequence<UInt8>) -> UInt64 {
        var crc = ReferenceCRC(parameters)
        crc.feed(bytes)
        return crc.value
    }
}

// MARK: Polynomial arithmetic modulo P = x^64 + poly

/// a(x) * x mod P; bit i of a word is the coefficient of x^i.
func referenceTimesX(_ a: UInt64, _ poly: UInt64) -> UInt64 {
    (a << 1) ^ ((a >> 63) == 1 ? poly : 0)
}

/// a(x) * b(x) mod P, shift-and-add.
func referenceMultiply(_ a: UInt64, _ b: UInt64, _ poly: UInt64) -> UInt64 {
    var result: UInt64 = 0
    var shifted = a
    for i in 0..<64 {
        if (b >> UInt64(i)) & 1 == 1 { result ^= shifted }
        shifted = referenceTimesX(shifted, poly)
    }
    return result
}

/// x^(8 * byteCount) mod P, by square-and-multiply over the bits of `byteCount` (no overflow for any UInt64).
func referenceShiftFactor(bytes byteCount: UInt64, _ poly: UInt64) -> UInt64 {
    var result: UInt64 = 1
    var base: UInt64 = 1 << 8  // x^8
    var n = byteCount
    while n != 0 {
        if n & 1 == 1 { result = referenceMultiply(result, base, poly) }
        base = referenceMultiply(base, base, poly)
        n >>= 1
    }
    return result
}

/// The CRC after appending `zeros` zero bytes to a message whose CRC is `value`: each zero byte multiplies the
/// register by x^8 modulo P (the message bits are zero, so only the shift and reduction act).
func referenceExtend(_ parameters: ReferenceParameters, _ value: UInt64, zeros: UInt64) -> UInt64 {
    let start = ReferenceCRC(parameters, finalValue: value).register
    let register = referenceMultiply(start, referenceShiftFactor(bytes: zeros, parameters.poly), parameters.poly)
    let out = parameters.reflected ? referenceReflect64(register) : register
    return out ^ parameters.xorout
}

/// crc(A || B) from crc(A), crc(B) and |B|. The CRC is affine in the message, so
/// crc(A||B) ^ crc(B) = crc(A||Z) ^ crc(Z) for Z = |B| zero bytes, and crc(Z) is the empty CRC extended by |B|.
func referenceCombine(_ parameters: ReferenceParameters, _ first: UInt64, _ second: UInt64, secondLength: UInt64)
    -> UInt64
{
    let empty = ReferenceCRC(parameters).value
    return referenceExtend(parameters, first, zeros: secondLength)
        ^ referenceExtend(parameters, empty, zeros: secondLength) ^ second
}
