import CRC64Kit
import Testing

/// A model under test: the library's model, and its parameters stated independently for the reference.
struct Subject: Sendable, CustomTestStringConvertible {
    let model: CRC64Model
    let parameters: ReferenceParameters
    let label: String

    var testDescription: String { "\(label) [\(parameters)]" }

    /// Independent reference CRC of `bytes`.
    func reference(_ bytes: some Sequence<UInt8>) -> UInt64 {
        ReferenceCRC.checksum(parameters, bytes)
    }
}

enum Subjects {
    /// The seven catalogue models, their parameters copied from the CRC catalogue (not from the library).
    static let presets: [Subject] = [
        Subject(
            model: .xz, parameters: .init(poly: 0x42f0_e1eb_a9ea_3693, initial: ~0, reflected: true, xorout: ~0),
            label: "CRC-64/XZ"),
        Subject(
            model: .nvme, parameters: .init(poly: 0xad93_d235_94c9_3659, initial: ~0, reflected: true, xorout: ~0),
            label: "CRC-64/NVME"),
        Subject(
            model: .ecma182, parameters: .init(poly: 0x42f0_e1eb_a9ea_3693, initial: 0, reflected: false, xorout: 0),
            label: "CRC-64/ECMA-182"),
        Subject(
            model: .goISO, parameters: .init(poly: 0x1b, initial: ~0, reflected: true, xorout: ~0),
            label: "CRC-64/GO-ISO"),
        Subject(
            model: .we, parameters: .init(poly: 0x42f0_e1eb_a9ea_3693, initial: ~0, reflected: false, xorout: ~0),
            label: "CRC-64/WE"),
        Subject(
            model: .ms, parameters: .init(poly: 0x259c_84cb_a642_6349, initial: ~0, reflected: true, xorout: 0),
            label: "CRC-64/MS"),
        Subject(
            model: .redis, parameters: .init(poly: 0xad93_d235_94c9_35a9, initial: 0, reflected: true, xorout: 0),
            label: "CRC-64/REDIS"),
    ]

    /// The seed of the random custom models.
    static let customSeed = Seeds.derive(0x6d6f_6465_6c73)  // "models"

    /// Edge-case polynomials (degenerate, even, all ones, top bit only) and random ones: random 64-bit
    /// polynomials (every other one forced even, i.e. without an x^0 term), random init and xorout, both bit orders.
    static let customs: [Subject] = {
        var edges: [ReferenceParameters] = [
            .init(poly: 0, initial: 0x0123_4567_89ab_cdef, reflected: true, xorout: 0),
            .init(poly: 1, initial: ~0, reflected: false, xorout: 0xffff_0000_ffff_0000),
            .init(poly: 0x8000_0000_0000_0000, initial: 0, reflected: true, xorout: ~0),
            .init(poly: ~0, initial: 0xdead_beef_cafe_f00d, reflected: false, xorout: 0x1),
            .init(poly: 0x42f0_e1eb_a9ea_3692, initial: ~0, reflected: true, xorout: ~0),  // XZ made even
        ]
        var random = SplitMix64(seed: customSeed)
        for i in 0..<10 {
            var poly = random.next()
            if i % 2 == 0 { poly &= ~1 }
            edges.append(
                .init(poly: poly, initial: random.next(), reflected: i % 4 < 2, xorout: random.next()))
        }
        return edges.enumerated().map { index, p in
            Subject(
                model: CRC64Model(
                    polynomial: p.poly, initialValue: p.initial, reflected: p.reflected, xorOutput: p.xorout),
                parameters: p, label: "custom-\(index) (model seed \(customSeed))")
        }
    }()

    static let all: [Subject] = presets + customs
}

/// 64-byte-aligned scratch memory, so that "offset k" means an address k bytes past a cache-line boundary.
final class AlignedBuffer {
    let base: UnsafeMutableRawPointer
    let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(byteCount: count, alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: count)
    }

    deinit { base.deallocate() }

    func fill(at offset: Int, with bytes: [UInt8]) {
        precondition(offset + bytes.count <= count)
        bytes.withUnsafeBytes { (base + offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    func bytes(at offset: Int, count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + offset, count: count)
    }
}
