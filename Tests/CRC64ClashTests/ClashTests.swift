// A module like an SDK's: it has a type of its own called `CRC64`, the common name that once shadowed the library's
// module and made `CRC64.CRC64Model` fail to compile. Every public API of CRC64Kit and CRC64Files is named here
// module-qualified, so this file compiling is half the test; the expectations are catalogue values typed in.
import CRC64Files
import CRC64Kit
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The SDK's own CRC-64 type, with the name that must not clash.
struct CRC64 {
    static let check: [UInt8] = Array("123456789".utf8)
    static let xzCheck: UInt64 = 0x995d_c9bb_df19_39fa  // CRC-64/XZ of "123456789", from the CRC catalogue
    static let nvmeCheck: UInt64 = 0xae8b_1486_0a79_9888  // CRC-64/NVME

    var value: UInt64 = 0
}

@Suite("Module-qualified names beside a type called CRC64")
struct ClashTests {
    @Test func theLocalTypeWins() {
        let local = CRC64(value: 7)
        #expect(local.value == 7)
    }

    @Test func models() {
        let presets: [CRC64Kit.CRC64Model] = [
            CRC64Kit.CRC64Model.xz, .goECMA, .nvme, .ecma182, .goISO, .we, .ms, .redis,
        ]
        #expect(Set(presets).count == 7)
        #expect(CRC64Kit.CRC64Model.presets.count == 7)
        #expect(CRC64Kit.CRC64Model.named("CRC-64/NVME") == .nvme)
        let custom = CRC64Kit.CRC64Model(
            polynomial: 0x42f0_e1eb_a9ea_3693, initialValue: ~0, reflected: true, xorOutput: ~0)
        #expect(custom == .xz && custom.name == "CRC-64/XZ" && custom.catalogueCheck == CRC64.xzCheck)
        #expect(custom.polynomial == 0x42f0_e1eb_a9ea_3693 && custom.initialValue == ~0 && custom.reflected)
        #expect(custom.xorOutput == ~0 && custom.emptyValue == 0 && custom.hashValue == CRC64Kit.CRC64Model.xz.hashValue)
        #expect(custom.description.hasPrefix("width=64 poly=0x42f0e1eba9ea3693"))
        #expect(!CRC64Kit.CRC64Model.activeKernel.isEmpty)
        #expect(CRC64Kit.CRC64Model.kernels.contains { $0.name == CRC64Kit.CRC64Model.activeKernel && $0.supported })
    }

    @Test func oneShotAndZlibStyle() {
        let model = CRC64Kit.CRC64Model.xz
        let head = Array(CRC64.check[..<4])
        let tail = Array(CRC64.check[4...])
        #expect(model.checksum(CRC64.check) == CRC64.xzCheck)
        #expect(model.checksum(CRC64.check[...]) == CRC64.xzCheck)
        CRC64.check.withUnsafeBytes { raw in
            #expect(model.checksum(raw) == CRC64.xzCheck)
            #expect(model.checksum(raw.baseAddress, count: raw.count) == CRC64.xzCheck)
            let first = model.checksum(raw.baseAddress, count: 4, continuing: model.emptyValue)
            #expect(model.checksum(raw.baseAddress! + 4, count: 5, continuing: first) == CRC64.xzCheck)
            #expect(model.checksum(UnsafeRawBufferPointer(rebasing: raw[4...]), continuing: first) == CRC64.xzCheck)
        }
        #expect(model.checksum(tail, continuing: model.checksum(head)) == CRC64.xzCheck)
        #expect(model.checksum(tail[...], continuing: model.checksum(head)) == CRC64.xzCheck)
        #expect(model.checksum(CRC64.check.span.bytes) == CRC64.xzCheck)
        #expect(model.checksum(tail.span.bytes, continuing: model.checksum(head)) == CRC64.xzCheck)
    }

    @Test func hasher() {
        var hasher = CRC64Kit.CRC64Hasher(model: .nvme)
        hasher.update(Array(CRC64.check[..<2]))
        hasher.update(CRC64.check[2..<5])
        CRC64.check[5...].withUnsafeBytes { hasher.update($0) }
        #expect(hasher.value == CRC64.nvmeCheck && hasher.length == 9 && hasher.model == .nvme)
        let digest: CRC64Kit.CRC64Digest = hasher.finalize()
        #expect(digest.value == CRC64.nvmeCheck)
        hasher.reset()
        hasher.update(CRC64.check.span.bytes)
        #expect(hasher.value == CRC64.nvmeCheck)
        var continued = CRC64Kit.CRC64Hasher(model: .xz, continuingFrom: CRC64Kit.CRC64Model.xz.checksum(CRC64.check[..<3]))
        continued.update(CRC64.check[3...])
        #expect(continued.value == CRC64.xzCheck && continued.length == 6)
    }

    @Test func combining() {
        let model = CRC64Kit.CRC64Model.xz
        let a = model.checksum(CRC64.check[..<4])
        let b = model.checksum(CRC64.check[4...])
        #expect(model.combine(a, b, secondLength: 5) == CRC64.xzCheck)
        let parts: [CRC64Kit.CRC64Part] = [.init(value: a, length: 4), CRC64Kit.CRC64Part(value: b, length: 5)]
        #expect(model.combine(parts: parts) == CRC64.xzCheck && parts[1].value == b && parts[1].length == 5)
        let combiner: CRC64Kit.CRC64Combiner = model.combiner(secondLength: 5)
        #expect(combiner.combine(a, b) == CRC64.xzCheck && combiner.secondLength == 5 && combiner.model == .xz)
        let zeros = [UInt8](repeating: 0, count: 100)
        #expect(model.extend(model.checksum(CRC64.check), zeroBytes: 100) == model.checksum(CRC64.check + zeros))
    }

    @Test func digests() throws {
        let digest = CRC64Kit.CRC64Digest(CRC64.xzCheck)
        #expect(digest.decimal == "11051210869376104954" && digest.hex == "995dc9bbdf1939fa")
        #expect(digest.base64 == "mV3Ju98ZOfo=" && digest.description == digest.hex)
        #expect(try CRC64Kit.CRC64Digest(decimal: "11051210869376104954") == digest)
        #expect(try CRC64Kit.CRC64Digest(hex: "995DC9BBDF1939FA") == digest)
        #expect(try CRC64Kit.CRC64Digest(base64: "mV3Ju98ZOfo=") == digest)
        #expect(try CRC64Kit.CRC64Digest(parsing: "mV3Ju98ZOfo=") == digest)
        #expect(throws: CRC64Kit.CRC64DigestParseError.empty(format: CRC64Kit.CRC64DigestParseError.Format.decimal)) {
            try CRC64Kit.CRC64Digest(decimal: "")
        }
    }

    #if !os(Windows)  // CRC64Files is POSIX only (Package.swift)
    @Test func filesAndCores() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crc64-clash-\(getpid())").path
        try Data(CRC64.check).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let model = CRC64Kit.CRC64Model.xz
        let whole = try model.checksum(contentsOfFile: path, threads: 1)
        #expect(whole.value == CRC64.xzCheck && whole.length == 9)
        let options = CRC64Files.CRC64FileOptions(threads: CRC64Kit.CRC64Model.defaultThreadCount, bufferSize: 4)
        #expect(try model.checksum(contentsOfFile: path, options: options).value == CRC64.xzCheck)
        let parts = try model.partChecksums(contentsOfFile: path, partSize: 4, options: options)
        #expect(parts.map(\.length) == [4, 4, 1] && model.combine(parts: parts) == CRC64.xzCheck)
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        #expect(try model.checksum(fileDescriptor: fd, name: "clash").value == CRC64.xzCheck)
        lseek(fd, 0, SEEK_SET)
        #expect(try model.partChecksums(fileDescriptor: fd, partSize: 5).map(\.length) == [5, 4])
        let big = [UInt8](repeating: 0x5a, count: 2 * CRC64Kit.CRC64Model.minimumParallelChunk + 3)
        #expect(big.withUnsafeBytes { model.checksum($0, threads: 2) } == model.checksum(big))
        do {
            _ = try model.checksum(contentsOfFile: path + ".missing")
            Issue.record("a missing file gave a value")
        } catch {
            let error: CRC64Files.CRC64FileError = error
            #expect(error.kind == CRC64Files.CRC64FileError.Kind.notFound && error.code == ENOENT)
            #expect(error.operation == CRC64Files.CRC64FileError.Operation.open && error.path == path + ".missing")
            #expect(error.reason == String(cString: strerror(ENOENT)) && error.description.hasPrefix("open "))
        }
        let shrunk = CRC64Files.CRC64FileError.changedSize(path: path)
        #expect(shrunk.kind == .changedSize && shrunk.code == nil && shrunk.reason == "file changed size while being read")
        #expect(CRC64Files.CRC64FileError(path: "p", operation: .read, code: EIO).kind == .ioError)
    }
    #endif
}
