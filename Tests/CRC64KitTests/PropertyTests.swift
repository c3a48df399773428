import CCRC64
import CRC64Kit
import Foundation
import Testing

/// The library against the bit-at-a-time reference, for every catalogue model and for random custom models.
@Suite("Properties against the reference")
struct PropertyTests {
    static let maxLength = 2048
    static let offsets = 0..<64

    /// For one random buffer at `offset`, the reference CRC of every prefix length 0...maxLength (one pass).
    static func prefixReferences(_ subject: Subject, _ bytes: [UInt8]) -> [UInt64] {
        var crc = ReferenceCRC(subject.parameters)
        var values = [crc.value]
        values.reserveCapacity(bytes.count + 1)
        for byte in bytes {
            crc.feed(byte)
            values.append(crc.value)
        }
        return values
    }

    /// Every length 0...2048 at every buffer offset 0...63 (relative to a 64-byte boundary), one-shot and streaming.
    @Test("every length at every offset", arguments: Subjects.all)
    func everyLengthEveryOffset(_ subject: Subject) {
        let buffer = AlignedBuffer(count: Self.maxLength + 64)
        var checked = 0
        var failures: [String] = []
        for offset in Self.offsets {
            let seed = Seeds.derive(0x6f66_6673_6574 ^ UInt64(offset))
            var random = SplitMix64(seed: seed)
            let bytes = random.bytes(Self.maxLength)
            buffer.fill(at: offset, with: bytes)
            let expected = Self.prefixReferences(subject, bytes)
            for length in 0...Self.maxLength {
                let got = subject.model.checksum(buffer.bytes(at: offset, count: length))
                checked += 1
                if got != expected[length], failures.count < 5 {
                    failures.append(
                        "offset \(offset) length \(length): got \(hex(got)) expected \(hex(expected[length])) seed \(seed)")
                }
            }
            // The streaming path at every length too: continue from the CRC of the first `start` bytes.
            let start = 1 + offset % 13
            for length in 0...(Self.maxLength - start) {
                var hasher = CRC64Hasher(model: subject.model, continuingFrom: expected[start])
                hasher.update(buffer.bytes(at: offset + start, count: length))
                checked += 1
                if hasher.value != expected[start + length] || hasher.length != UInt64(length), failures.count < 5 {
                    failures.append(
                        "streaming offset \(offset + start) length \(length) after \(start): got \(hex(hasher.value)) "
                            + "expected \(hex(expected[start + length])) seed \(seed)")
                }
            }
        }
        #expect(checked == Self.offsets.reduce(0) { $0 + 2 * Self.maxLength + 2 - (1 + $1 % 13) })
        #expect(failures.isEmpty, "\(failures.joined(separator: "; "))")
    }

    /// The `[UInt8]`, `ArraySlice`, non-contiguous `Sequence`, `Data` and `RawSpan` entry points agree with the
    /// reference on random lengths, including ones that cross the 512-byte chunks of the non-contiguous path.
    @Test("every entry point", arguments: Subjects.all)
    func entryPoints(_ subject: Subject) {
        let seed = Seeds.derive(0x656e_7472_79)
        var random = SplitMix64(seed: seed)
        let lengths = [0, 1, 15, 16, 17, 511, 512, 513, 1024, 1537] + (0..<10).map { _ in Int(random.next() % 3000) }
        for length in lengths {
            let bytes = random.bytes(length + 3)
            let slice = bytes[3...]
            let expected = subject.reference(slice)
            let model = subject.model
            #expect(model.checksum(Array(slice)) == expected, "[UInt8] length \(length) seed \(seed)")
            #expect(model.checksum(slice) == expected, "ArraySlice length \(length) seed \(seed)")
            #expect(model.checksum(slice.lazy.map { $0 }) == expected, "lazy map length \(length) seed \(seed)")
            #expect(model.checksum(AnySequence(slice)) == expected, "AnySequence length \(length) seed \(seed)")
            #expect(model.checksum(Data(slice)) == expected, "Data length \(length) seed \(seed)")
            #expect(model.checksum(ContiguousArray(slice)) == expected, "ContiguousArray length \(length) seed \(seed)")
            #if compiler(>=6.2)
            let array = Array(slice)
            #expect(model.checksum(array.span.bytes) == expected, "RawSpan length \(length) seed \(seed)")
            #endif
        }
        #expect(subject.model.checksum("123456789".utf8) == subject.reference(Array("123456789".utf8)))
    }

    /// The streaming hasher over random chunkings (including empty chunks) of random messages, through every
    /// `update` overload; `value` and `length` are right after every chunk, and `reset()` starts over.
    @Test("hasher over random chunkings", arguments: Subjects.all)
    func randomChunkings(_ subject: Subject) {
        let seed = Seeds.derive(0x6368_756e_6b73)
        var random = SplitMix64(seed: seed)
        for trial in 0..<24 {
            let message = random.bytes(Int(random.next() % 5000))
            var hasher = CRC64Hasher(model: subject.model)
            var reference = ReferenceCRC(subject.parameters)
            var position = 0
            var chunks = 0
            while position < message.count {
                let size = min(Int(random.next() % (trial % 2 == 0 ? 40 : 700)), message.count - position)
                let chunk = message[position..<position + size]
                switch random.next() % 5 {
                case 0: chunk.withUnsafeBytes { hasher.update($0) }
                case 1: hasher.update(Array(chunk))
                case 2: hasher.update(chunk)
                case 3: hasher.update(chunk.lazy.map { $0 })
                default:
                    #if compiler(>=6.2)
                    let array = Array(chunk)
                    hasher.update(array.span.bytes)
                    #else
                    hasher.update(ContiguousArray(chunk))
                    #endif
                }
                reference.feed(chunk)
                position += size
                chunks += 1
                if hasher.value != reference.value || hasher.length != UInt64(position) {
                    break
                }
            }
            #expect(hasher.value == reference.value, "trial \(trial) after \(chunks) chunks seed \(seed)")
            #expect(hasher.length == UInt64(position), "trial \(trial) seed \(seed)")
            #expect(hasher.finalize().value == reference.value, "trial \(trial) seed \(seed)")
            #expect(hasher.model == subject.model)
            hasher.reset()
            #expect(hasher.value == subject.reference([]) && hasher.length == 0, "reset, seed \(seed)")
            hasher.update(message)
            #expect(hasher.value == reference.value, "after reset, trial \(trial) seed \(seed)")
        }
    }

    /// `combine` of random splits (including empty halves) equals the CRC of the whole.
    @Test("combine of random splits", arguments: Subjects.all)
    func combineSplits(_ subject: Subject) {
        let seed = Seeds.derive(0x7370_6c69_74)
        var random = SplitMix64(seed: seed)
        let model = subject.model
        let empty = subject.reference([])
        for trial in 0..<40 {
            let message = random.bytes(Int(random.next() % 3000))
            let split = trial == 0 ? 0 : trial == 1 ? message.count : Int(random.next() % UInt64(message.count + 1))
            let a = message[..<split], b = message[split...]
            let whole = model.combine(subject.reference(a), subject.reference(b), secondLength: UInt64(b.count))
            #expect(whole == subject.reference(message), "split \(split)/\(message.count) seed \(seed)")
        }
        // len2 == 0: B is empty, so combining with the empty CRC changes nothing.
        for _ in 0..<8 {
            let value = random.next()
            #expect(model.combine(value, empty, secondLength: 0) == value, "seed \(seed)")
            #expect(model.combine(empty, value, secondLength: random.next()) == value, "empty first, seed \(seed)")
        }
    }

    /// `extend` by zero bytes equals the reference over real zero bytes for moderate counts, and the polynomial
    /// reference (x^(8n) mod P) for huge ones; `combine` with huge second lengths likewise.
    @Test("extend and combine with large lengths", arguments: Subjects.all)
    func extendAndLargeCombine(_ subject: Subject) {
        let seed = Seeds.derive(0x7a65_726f_73)
        var random = SplitMix64(seed: seed)
        let model = subject.model
        let p = subject.parameters
        let prefix = random.bytes(Int(random.next() % 100))
        let start = subject.reference(prefix)

        // Real zero bytes, fed one at a time to the bit-level reference.
        var reference = ReferenceCRC(p, finalValue: start)
        var fed: UInt64 = 0
        for target: UInt64 in [0, 1, 2, 7, 8, 15, 16, 63, 64, 100, 1000, 4096, 20000] {
            while fed < target {
                reference.feed(0)
                fed += 1
            }
            #expect(model.extend(start, zeroBytes: target) == reference.value, "zeros \(target) seed \(seed)")
            #expect(referenceExtend(p, start, zeros: target) == reference.value, "reference self-check \(target)")
            let zeros = [UInt8](repeating: 0, count: Int(target))
            #expect(
                model.combine(start, subject.reference(zeros), secondLength: target) == reference.value,
                "combine with \(target) zeros seed \(seed)")
        }

        // Huge lengths: the polynomial reference, and the algebra of extend.
        let huge: [UInt64] = [1 << 20, 1 << 32, 0x1_0000_0001, (1 << 62) + 12345, UInt64.max, random.next(), random.next()]
        for n in huge {
            let first = random.next(), second = random.next()
            #expect(model.extend(first, zeroBytes: n) == referenceExtend(p, first, zeros: n), "extend \(n) seed \(seed)")
            #expect(
                model.combine(first, second, secondLength: n)
                    == referenceCombine(p, first, second, secondLength: n), "combine len2 \(n) seed \(seed)")
            let m = random.next() >> 2, k = random.next() >> 2
            #expect(
                model.extend(model.extend(first, zeroBytes: m), zeroBytes: k) == model.extend(first, zeroBytes: m + k),
                "extend(m)+extend(k) m \(m) k \(k) seed \(seed)")
        }
    }

    /// `combine(parts:)` over random partitions (with empty parts) equals the CRC of the whole message.
    @Test("combine(parts:)", arguments: Subjects.all)
    func parts(_ subject: Subject) {
        let seed = Seeds.derive(0x7061_7274_73)
        var random = SplitMix64(seed: seed)
        let model = subject.model
        #expect(model.combine(parts: []) == subject.reference([]))
        for trial in 0..<12 {
            let message = random.bytes(Int(random.next() % 6000))
            var parts: [CRC64Part] = []
            var position = 0
            while position < message.count || parts.count < 2 {
                let size = min(Int(random.next() % 1500) * Int(random.next() % 4 == 0 ? 0 : 1), message.count - position)
                let piece = message[position..<position + size]
                parts.append(CRC64Part(value: subject.reference(piece), length: UInt64(size)))
                position += size
            }
            #expect(
                model.combine(parts: parts) == subject.reference(message),
                "trial \(trial), \(parts.count) parts, seed \(seed)")
            #expect(model.combine(parts: parts.lazy.map { $0 }) == subject.reference(message))
        }
    }

    /// AppendObject: a hasher continuing from a previous final value yields the CRC of the whole object.
    @Test("continue from a final value", arguments: Subjects.all)
    func continueFromFinal(_ subject: Subject) {
        let seed = Seeds.derive(0x6170_7065_6e64)
        var random = SplitMix64(seed: seed)
        var object: [UInt8] = []
        var serverValue = subject.reference([])
        for append in 0..<10 {
            let appended = random.bytes(Int(random.next() % 2000))
            var hasher = CRC64Hasher(model: subject.model, continuingFrom: serverValue)
            #expect(hasher.length == 0 && hasher.value == serverValue)
            hasher.update(appended)
            object += appended
            #expect(hasher.value == subject.reference(object), "append \(append) seed \(seed)")
            #expect(hasher.length == UInt64(appended.count))
            serverValue = hasher.value
            hasher.reset()
            #expect(hasher.value == subject.model.emptyValue && hasher.length == 0)
        }
    }

    /// The zlib-style calls, `crc = model.checksum(bytes, continuing: crc)`, through every overload, over random
    /// splits, against the reference of the whole message.
    @Test("zlib-style continuation through every overload", arguments: Subjects.all)
    func zlibStyle(_ subject: Subject) {
        let seed = Seeds.derive(0x7a6c_6962)
        var random = SplitMix64(seed: seed)
        let model = subject.model
        for trial in 0..<20 {
            let message = random.bytes(Int(random.next() % 3000))
            let cut1 = Int(random.next() % UInt64(message.count + 1))
            let cut2 = cut1 + Int(random.next() % UInt64(message.count - cut1 + 1))
            let expected = subject.reference(message)
            let a = model.checksum(message[..<cut1].withUnsafeBytes { $0.baseAddress }, count: 0, continuing: model.emptyValue)
            #expect(a == model.emptyValue)
            var crc = message.withUnsafeBytes { model.checksum($0.baseAddress, count: cut1, continuing: a) }
            crc = message.withUnsafeBytes {
                model.checksum(UnsafeRawBufferPointer(rebasing: $0[cut1..<cut2]), continuing: crc)
            }
            #expect(model.checksum(Array(message[cut2...]), continuing: crc) == expected, "[UInt8] trial \(trial) seed \(seed)")
            #expect(model.checksum(message[cut2...], continuing: crc) == expected, "slice trial \(trial) seed \(seed)")
            #expect(model.checksum(AnySequence(message[cut2...]), continuing: crc) == expected, "sequence seed \(seed)")
            #if compiler(>=6.2)
            #expect(model.checksum(Array(message[cut2...]).span.bytes, continuing: crc) == expected, "span seed \(seed)")
            #endif
            // One-shot pointer + count is the continuation from the empty value.
            #expect(message.withUnsafeBytes { model.checksum($0.baseAddress, count: $0.count) } == expected)
        }
    }

    /// The conventions at the edges: nothing to hash returns the value unchanged (a nil pointer with count 0
    /// included), as zlib does; combine with a zero length returns `first` whatever `second` is, as every CRC-64
    /// combine does (unlike zlib 1.2.12+'s `crc32_combine`, which gives `crc1 ^ crc2`), through every combine
    /// entry point.
    @Test("zero lengths, nil pointers, empty buffers", arguments: Subjects.all)
    func zlibEdges(_ subject: Subject) {
        var random = SplitMix64(seed: Seeds.derive(0x6564_6765))
        let model = subject.model
        for _ in 0..<8 {
            let crc = random.next()
            var other = random.next()
            if other == model.emptyValue { other ^= 1 }  // never the CRC of no bytes
            #expect(model.checksum(nil, count: 0, continuing: crc) == crc)
            #expect(model.checksum(UnsafeRawBufferPointer(start: nil, count: 0), continuing: crc) == crc)
            #expect(model.checksum([UInt8](), continuing: crc) == crc)
            #expect(model.checksum(EmptyCollection<UInt8>(), continuing: crc) == crc)
            #expect(model.combine(crc, model.emptyValue, secondLength: 0) == crc)
            #expect(model.combine(crc, other, secondLength: 0) == crc)
            #expect(model.combiner(secondLength: 0).combine(crc, other) == crc)
            let length = random.next() % 5000 + 1
            #expect(
                model.combine(parts: [CRC64Part(value: crc, length: length), CRC64Part(value: other, length: 0)])
                    == crc)
            #expect(model.combine(model.emptyValue, other, secondLength: UInt64(random.next() % 5000)) == other)
        }
        #expect(model.checksum(nil, count: 0) == subject.reference([]))
    }

    /// One combiner applied to many equal-length parts, as for a multipart upload with a fixed part size.
    @Test("combiner reuse", arguments: Subjects.all)
    func combinerReuse(_ subject: Subject) {
        let seed = Seeds.derive(0x636f_6d62_696e)
        var random = SplitMix64(seed: seed)
        let model = subject.model
        for partSize in [0, 1, 100, 1024] {
            let combiner = model.combiner(secondLength: UInt64(partSize))
            #expect(combiner.secondLength == UInt64(partSize))
            #expect(combiner.model == model)
            var whole = ReferenceCRC(subject.parameters)  // the reference over all parts so far
            var value = subject.reference([])
            var parts: [CRC64Part] = []
            for index in 0..<60 {
                let part = random.bytes(partSize)
                let partValue = subject.reference(part)
                value = combiner.combine(value, partValue)
                whole.feed(part)
                parts.append(CRC64Part(value: partValue, length: UInt64(partSize)))
                if index % 15 == 14 {
                    #expect(value == whole.value, "part size \(partSize), \(index + 1) parts, seed \(seed)")
                }
            }
            #expect(value == model.combine(parts: parts))
            let a = random.next(), b = random.next()
            #expect(combiner.combine(a, b) == model.combine(a, b, secondLength: UInt64(partSize)))
        }
    }

    /// Every kernel this CPU supports, called directly through the C ABI, on a subset of lengths and offsets.
    @Test("every supported kernel", arguments: Subjects.all)
    func everyKernel(_ subject: Subject) throws {
        let kernels = (0..<libcrc64_kernel_count()).filter { libcrc64_kernel_supported($0) != 0 }
        #expect(kernels.contains(libcrc64_kernel_index("slice16")), "the portable kernel is always supported")
        let model = try #require(cModel(subject))
        let buffer = AlignedBuffer(count: Self.maxLength + 64)
        for offset in [0, 1, 3, 8, 15, 16, 31, 33, 47, 63] {
            let seed = Seeds.derive(0x6b65_726e_656c ^ UInt64(offset))
            var random = SplitMix64(seed: seed)
            let bytes = random.bytes(Self.maxLength)
            buffer.fill(at: offset, with: bytes)
            let expected = Self.prefixReferences(subject, bytes)
            let continued = random.next()
            let continuedExpected = referenceCombine(
                subject.parameters, continued, expected[1000], secondLength: 1000)
            for kernel in kernels {
                let name = String(cString: libcrc64_kernel_name(kernel))
                var failures: [String] = []
                for length in 0...Self.maxLength {
                    var result: UInt64 = 0
                    let ok = libcrc64_update_kernel(
                        kernel, model.pointer, subject.model.emptyValue, buffer.base + offset, length, &result) != 0
                    if !ok || result != expected[length], failures.count < 3 {
                        failures.append("length \(length): \(ok ? hex(result) : "unsupported") vs \(hex(expected[length]))")
                    }
                }
                var result: UInt64 = 0
                _ = libcrc64_update_kernel(kernel, model.pointer, continued, buffer.base + offset, 1000, &result)
                #expect(result == continuedExpected, "\(name) continuing offset \(offset) seed \(seed)")
                #expect(failures.isEmpty, "\(name) offset \(offset) seed \(seed): \(failures.joined(separator: "; "))")
            }
        }
    }
}

/// A C model with the subject's parameters (built through the C ABI, so the test does not depend on the Swift
/// wrapper's storage), freed when released.
final class CModel {
    let pointer: OpaquePointer
    init?(_ p: ReferenceParameters) {
        let params = libcrc64_params(poly: p.poly, init: p.initial, xorout: p.xorout, reflected: p.reflected ? 1 : 0)
        guard let m = libcrc64_model_create(params)
        else { return nil }
        pointer = m
    }
    deinit { libcrc64_model_free(pointer) }
}

func cModel(_ subject: Subject) -> CModel? { CModel(subject.parameters) }

func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
}
