import CCRC64
import CRC64Kit
import Foundation
import Testing

/// Published values, stated here independently of the library (catalogue check values, and values computed with
/// Python crcmod, the tool the Alibaba OSS documentation uses).
@Suite("Known answers")
struct KnownAnswerTests {
    static let check = Array("123456789".utf8)

    /// The CRC catalogue's check values (CRC of "123456789").
    static let catalogue: [(CRC64Model, UInt64)] = [
        (.xz, 0x995d_c9bb_df19_39fa),
        (.nvme, 0xae8b_1486_0a79_9888),
        (.ecma182, 0x6c40_df5f_0b49_7347),
        (.goISO, 0xb909_56c7_75a4_1001),
        (.we, 0x62ec_59e3_f1a4_f00a),
        (.ms, 0x75d4_b74f_024e_ceea),
        (.redis, 0xe9c6_d914_c4b8_d9ca),
    ]

    @Test func catalogueCheckValues() {
        for (index, (model, value)) in Self.catalogue.enumerated() {
            #expect(model.checksum(Self.check) == value, "\(model.name)")
            #expect(model.catalogueCheck == value, "\(model.name)")
            #expect(Subjects.presets[index].reference(Self.check) == value, "reference \(model.name)")
            #expect(libcrc64_preset_check(libcrc64_preset(rawValue: UInt32(index))) == value)
        }
        #expect(libcrc64_xz(0, Self.check, 9) == 0x995d_c9bb_df19_39fa)
        #expect(libcrc64_nvme(0, Self.check, 9) == 0xae8b_1486_0a79_9888)
    }

    /// Values from crcmod: `crcmod.mkCrcFun(0x142F0E1EBA9EA3693, initCrc=0, xorOut=0xffffffffffffffff, rev=True)`
    /// for XZ (the OSS documentation's `do_crc64`) and the analogous functions for the other models.
    /// Messages: "", 1024 × "a", the pangram, and 1 MiB of `(i * 31) % 251`.
    static let crcmodVectors: [(CRC64Model, empty: UInt64, a1k: UInt64, fox: UInt64, pattern: UInt64)] = [
        (.xz, 0, 0xdd7c_cf3e_e55b_7689, 0x5b5e_b8c2_e54a_a1c4, 0x3737_e3ca_b2a5_f401),
        (.nvme, 0, 0xa7c8_e7b2_d414_ffa2, 0xd76c_5405_4954_c143, 0xccc0_34d4_7e5a_9e57),
        (.ecma182, 0, 0x3953_862a_6c6c_e0f1, 0x41e0_5242_ffa9_883b, 0xae90_cc4a_cd88_d8d2),
        (.goISO, 0, 0x47bc_f3c1_7555_5555, 0x4ef1_4e19_f4c6_e28e, 0x2e62_d0a5_ef71_06e5),
        (.we, 0, 0x09b7_102e_85aa_fe32, 0xbcd8_bb36_6d25_6116, 0xedff_9136_8886_0ed4),
        (.ms, 0xffff_ffff_ffff_ffff, 0x9fbc_d2c9_e209_48b3, 0x5b12_2d73_96f0_5dff, 0x10fc_8f00_e40a_8483),
        (.redis, 0, 0x362d_deb7_a190_9940, 0xbf7e_e596_c3aa_372b, 0xb5f7_30a6_01c3_eea2),
    ]

    @Test func crcmodValues() {
        let a1k = [UInt8](repeating: UInt8(ascii: "a"), count: 1024)
        let fox = Array("The quick brown fox jumps over the lazy dog".utf8)
        let pattern = (0..<(1 << 20)).map { UInt8($0 * 31 % 251) }
        for (model, empty, a1kValue, foxValue, patternValue) in Self.crcmodVectors {
            #expect(model.checksum([]) == empty, "\(model.name)")
            #expect(model.emptyValue == empty, "\(model.name)")
            #expect(model.checksum(a1k) == a1kValue, "\(model.name)")
            #expect(model.checksum(fox) == foxValue, "\(model.name)")
            #expect(model.checksum(pattern) == patternValue, "\(model.name)")
            var hasher = CRC64Hasher(model: model)
            for chunk in stride(from: 0, to: pattern.count, by: 100_000) {
                hasher.update(pattern[chunk..<min(chunk + 100_000, pattern.count)])
            }
            #expect(hasher.value == patternValue && hasher.length == 1 << 20, "\(model.name)")
        }
    }

    /// The OSS documentation's multipart check, `do_crc64(part_2, do_crc64(part_1))`, with values from crcmod
    /// (part 1: 1000 bytes of (7i+3) mod 256, part 2: 777 bytes of (13i+5) mod 256).
    @Test func ossMultipartExample() throws {
        let part1 = (0..<1000).map { UInt8(($0 * 7 + 3) % 256) }
        let part2 = (0..<777).map { UInt8(($0 * 13 + 5) % 256) }
        let v1 = CRC64Model.xz.checksum(part1), v2 = CRC64Model.xz.checksum(part2)
        #expect(v1 == 0xf033_761a_eb8e_0b26)
        #expect(v2 == 0xb6f4_6c9d_9f5e_c5cf)
        let whole: UInt64 = 0x654a_a4dd_9483_9c81
        #expect(CRC64Model.xz.combine(parts: [.init(value: v1, length: 1000), .init(value: v2, length: 777)]) == whole)
        #expect(CRC64Model.xz.combine(v1, v2, secondLength: 777) == whole)
        var appended = CRC64Hasher(model: .xz, continuingFrom: v1)
        appended.update(part2)
        #expect(appended.value == whole)
        #expect(libcrc64_xz(libcrc64_xz(0, part1, 1000), part2, 777) == whole)
        #expect(libcrc64_xz_combine(v1, v2, 777) == whole)
        // As OSS sends it: a decimal string.
        #expect(try CRC64Digest(decimal: "7298827417693691009").value == whole)
        #expect(CRC64Digest(whole).decimal == "7298827417693691009")
    }

    /// The S3 form: CRC-64/NVME of "123456789" is 0xae8b14860a799888, sent as base64 "rosUhgp5mIg=".
    @Test func s3NVMEBase64() throws {
        let digest = CRC64Digest(CRC64Model.nvme.checksum(Self.check))
        #expect(digest.base64 == "rosUhgp5mIg=")
        #expect(try CRC64Digest(base64: "rosUhgp5mIg=") == digest)
        #expect(CRC64Digest(CRC64Model.nvme.checksum([])).base64 == "AAAAAAAAAAA=")
        let fox = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(CRC64Digest(CRC64Model.nvme.checksum(fox)).base64 == "12xUBUlUwUM=")  // crcmod + Python base64
    }
}

@Suite("Models")
struct ModelTests {
    @Test func presetParametersAndOrder() {
        #expect(CRC64Model.presets.count == 7)
        #expect(CRC64Model.presets == Subjects.presets.map(\.model))
        let names = ["CRC-64/XZ", "CRC-64/NVME", "CRC-64/ECMA-182", "CRC-64/GO-ISO", "CRC-64/WE", "CRC-64/MS", "CRC-64/REDIS"]
        #expect(CRC64Model.presets.map(\.name) == names)
        for (index, subject) in Subjects.presets.enumerated() {
            let model = subject.model
            let p = subject.parameters
            #expect(model.polynomial == p.poly && model.initialValue == p.initial, "\(subject.label)")
            #expect(model.reflected == p.reflected && model.xorOutput == p.xorout, "\(subject.label)")
            // The C core's copy of the catalogue agrees with the catalogue.
            let preset = libcrc64_preset(rawValue: UInt32(index))
            let c = libcrc64_model_params(libcrc64_preset_model(preset))
            #expect(c.poly == p.poly && c.`init` == p.initial && c.xorout == p.xorout)
            #expect((c.reflected != 0) == p.reflected)
            #expect(String(cString: libcrc64_preset_name(preset)) == names[index])
            #expect(libcrc64_model_empty(libcrc64_preset_model(preset)) == model.emptyValue)
        }
        #expect(libcrc64_preset_model(libcrc64_preset(rawValue: 7)) == nil)
    }

    @Test func emptyValueIsTheCRCOfNothing() {
        for subject in Subjects.all {
            #expect(subject.model.emptyValue == subject.reference([]), "\(subject.label)")
            #expect(subject.model.checksum(UnsafeRawBufferPointer(start: nil, count: 0)) == subject.reference([]))
        }
    }

    @Test func lookupByName() {
        let cases: [(String, CRC64Model)] = [
            ("xz", .xz), ("CRC-64/XZ", .xz), ("Crc-64/xz", .xz), ("go-ecma", .xz), ("CRC-64/GO-ECMA", .xz),
            ("nvme", .nvme), ("CRC-64/NVME", .nvme), ("ecma-182", .ecma182), ("CRC-64/ECMA-182", .ecma182),
            ("go-iso", .goISO), ("GO-ISO", .goISO), ("we", .we), ("CRC-64/WE", .we), ("ms", .ms), ("MS", .ms),
            ("redis", .redis), ("CRC-64/Redis", .redis),
        ]
        for (name, model) in cases { #expect(CRC64Model.named(name) == model, "\(name)") }
        for name in ["", "crc64", "ecma", "CRC-64/", "xz ", "CRC-32/XZ", "jones"] {
            #expect(CRC64Model.named(name) == nil, "\(name)")
        }
        #expect(CRC64Model.goECMA == CRC64Model.xz)
        #expect(CRC64Model.goECMA.checksum(KnownAnswerTests.check) == 0x995d_c9bb_df19_39fa)
    }

    @Test func customModels() {
        // Catalogue parameters give the catalogue model, name and check value included.
        let xz = CRC64Model(polynomial: 0x42f0_e1eb_a9ea_3693, initialValue: ~0, reflected: true, xorOutput: ~0)
        #expect(xz == .xz && xz.name == "CRC-64/XZ" && xz.catalogueCheck == 0x995d_c9bb_df19_39fa)
        #expect(Set(CRC64Model.presets + [xz]).count == 7)
        let custom = CRC64Model(polynomial: 0x1234_5678_9abc_def0, initialValue: 5, reflected: false, xorOutput: 7)
        #expect(custom.name == nil && custom.catalogueCheck == nil)
        #expect(custom.polynomial == 0x1234_5678_9abc_def0 && custom.initialValue == 5 && !custom.reflected)
        #expect(custom.xorOutput == 7)
        #expect(custom == CRC64Model(polynomial: 0x1234_5678_9abc_def0, initialValue: 5, reflected: false, xorOutput: 7))
        #expect(custom != CRC64Model(polynomial: 0x1234_5678_9abc_def0, initialValue: 5, reflected: true, xorOutput: 7))
        #expect(custom != .xz && CRC64Model.xz != custom && CRC64Model.xz != .nvme)
        #expect(custom.hashValue == CRC64Model(polynomial: 0x1234_5678_9abc_def0, initialValue: 5, reflected: false, xorOutput: 7).hashValue)
        #expect(Set([custom, .xz, custom, .xz, .nvme]).count == 3)
    }

    /// Each preset's parameters and name, read from the C catalogue, against the catalogue as typed into the tests.
    @Test func presetParametersComeFromTheCatalogue() {
        // The named presets are the C catalogue's entries in its order (each static property is an index).
        #expect([CRC64Model.xz, .nvme, .ecma182, .goISO, .we, .ms, .redis] == CRC64Model.presets)
        #expect(CRC64Model.presets.count == Subjects.presets.count)
        for (model, subject) in zip(CRC64Model.presets, Subjects.presets) {
            let p = subject.parameters
            #expect(model.name == subject.label)
            #expect(model.polynomial == p.poly && model.initialValue == p.initial, "\(subject.label)")
            #expect(model.reflected == p.reflected && model.xorOutput == p.xorout, "\(subject.label)")
            #expect(model.emptyValue == subject.reference([]), "\(subject.label)")
        }
    }

    @Test func description() {
        #expect(
            CRC64Model.xz.description
                == "width=64 poly=0x42f0e1eba9ea3693 init=0xffffffffffffffff refin=true refout=true "
                + "xorout=0xffffffffffffffff check=0x995dc9bbdf1939fa name=\"CRC-64/XZ\"")
        #expect(
            CRC64Model.ecma182.description
                == "width=64 poly=0x42f0e1eba9ea3693 init=0x0000000000000000 refin=false refout=false "
                + "xorout=0x0000000000000000 check=0x6c40df5f0b497347 name=\"CRC-64/ECMA-182\"")
        let custom = CRC64Model(polynomial: 0x1b, initialValue: 0, reflected: true, xorOutput: 0)
        let check = ReferenceCRC.checksum(.init(poly: 0x1b, initial: 0, reflected: true, xorout: 0), KnownAnswerTests.check)
        #expect(custom.description.hasSuffix("xorout=0x0000000000000000 check=\(hex(check))"))
    }

    #if compiler(>=6.2)
    /// A negative count is a bug in the caller, not a length: the program stops with a message (exit test; exit
    /// tests need Swift 6.2).
    @Test func negativeCountStops() async {
        await #expect(processExitsWith: .failure) {
            _ = CRC64Model.xz.checksum(nil, count: -1, continuing: 0)
        }
        await #expect(processExitsWith: .failure) {
            _ = CRC64Model.nvme.checksum(nil, count: -1)
        }
    }
    #endif

    @Test func kernels() {
        let kernels = CRC64Model.kernels
        #expect(kernels.count == libcrc64_kernel_count())
        #expect(kernels.map(\.name).contains("slice16"))
        #expect(kernels.contains { $0.name == "slice16" && $0.supported })
        #expect(kernels.contains { $0.name == CRC64Model.activeKernel && $0.supported }, "\(CRC64Model.activeKernel)")
        // The active kernel is the best supported one (kernels are listed best first).
        #expect(kernels.first(where: \.supported)?.name == CRC64Model.activeKernel)
    }
}

@Suite("Reference self-checks")
struct ReferenceTests {
    @Test func reflectionHelpersAgree() {
        let seed = Seeds.derive(0x7265_666c)
        var random = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let v = random.next()
            #expect(referenceReflect64(v) == referenceReflect(v, width: 64), "seed \(seed)")
            #expect(referenceReflect64(referenceReflect64(v)) == v)
        }
        #expect(referenceReflect(1, width: 8) == 0x80 && referenceReflect(0x0f, width: 8) == 0xf0)
    }

    @Test func polynomialArithmetic() {
        // x^64 mod (x^64 + poly) is poly itself; x^8 is 256; shifting by 8 zero bytes is multiplying by x^64.
        let poly: UInt64 = 0x42f0_e1eb_a9ea_3693
        #expect(referenceShiftFactor(bytes: 0, poly) == 1)
        #expect(referenceShiftFactor(bytes: 1, poly) == 256)
        #expect(referenceShiftFactor(bytes: 8, poly) == poly)
        #expect(referenceMultiply(referenceShiftFactor(bytes: 3, poly), referenceShiftFactor(bytes: 5, poly), poly) == poly)
    }
}
