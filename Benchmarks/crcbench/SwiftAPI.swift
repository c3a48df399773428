// The Swift calls that crcbench times, each beside the C call it wraps, in identical loops (the other files use the
// Swift modules only for their catalogue, hex form and error text).

import CCRC64
import CRC64Files
import CRC64Kit
import CRCBenchSupport

/// One Swift API call and the C call it stands for, as two loops of `iterations` calls that return their time in ns.
struct SwiftCPair {
    var label: String     // the Swift call
    var cLabel: String    // its C twin
    var size: Int
    var chained: Bool     // each call takes the previous result (latency), else independent calls (throughput)
    var swift: (UInt64) -> UInt64
    var c: (UInt64) -> UInt64
    var valuesAgree: Bool // one call of each gives the same value
}

/// Times `body` over `iterations` calls; `body` folds each call into the accumulator it returns.
@inline(__always)
private func timed(_ iterations: UInt64, _ body: (UInt64) -> UInt64) -> UInt64 {
    var acc: UInt64 = 0
    let t0 = cb_now_ns()
    for _ in 0..<iterations { acc = body(acc) }
    let t1 = cb_now_ns()
    cb_consume(acc)
    return max(1, t1 &- t0)
}

/// The pairs of crcbench's Swift-vs-C section over `bytes` (at least 1 KiB).
func swiftCPairs(_ bytes: [UInt8]) -> [SwiftCPair] {
    let model = CRC64Model.xz
    var pairs: [SwiftCPair] = []
    for size in [16, 64, 1024] {
        let array = Array(bytes[..<size])
        pairs.append(SwiftCPair(
            label: "CRC64Model.xz.checksum([UInt8])", cLabel: "libcrc64_xz(0, p, n)", size: size, chained: false,
            swift: { n in timed(n) { $0 ^ model.checksum(array) } },
            c: { n in array.withUnsafeBytes { raw in timed(n) { $0 ^ libcrc64_xz(0, raw.baseAddress, size) } } },
            valuesAgree: model.checksum(array) == array.withUnsafeBytes { libcrc64_xz(0, $0.baseAddress, size) }))
    }
    let base = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
    base.copyMemory(from: bytes, byteCount: 64)
    let p = UnsafeRawPointer(base)  // lives as long as the process: the section runs once
    pairs.append(SwiftCPair(
        label: "xz.checksum(p, count: n, continuing: crc)", cLabel: "crc = libcrc64_xz(crc, p, n)", size: 16,
        chained: true,
        swift: { n in timed(n) { model.checksum(p, count: 16, continuing: $0) } },
        c: { n in timed(n) { libcrc64_xz($0, p, 16) } },
        valuesAgree: model.checksum(p, count: 16, continuing: 5) == libcrc64_xz(5, p, 16)))
    pairs.append(SwiftCPair(
        label: "hasher.update(UnsafeRawBufferPointer)", cLabel: "crc = libcrc64_xz(crc, p, n)", size: 16, chained: true,
        swift: { n in
            var hasher = CRC64Hasher(model: model)
            let buffer = UnsafeRawBufferPointer(start: p, count: 16)
            let t = timed(n) { _ in
                hasher.update(buffer)
                return 0
            }
            cb_consume(hasher.value)
            return t
        },
        c: { n in timed(n) { libcrc64_xz($0, p, 16) } },
        valuesAgree: {
            var hasher = CRC64Hasher(model: model, continuingFrom: 5)
            hasher.update(UnsafeRawBufferPointer(start: p, count: 16))
            return hasher.value == libcrc64_xz(5, p, 16)
        }()))
    let partLength: UInt64 = 8 << 20
    pairs.append(SwiftCPair(
        label: "xz.combine(a, b, secondLength: 8 MiB)", cLabel: "libcrc64_xz_combine(a, b, len)", size: 0,
        chained: false,
        swift: { n in timed(n) { $0 ^ model.combine($0, 0x1234, secondLength: partLength) } },
        c: { n in timed(n) { $0 ^ libcrc64_xz_combine($0, 0x1234, partLength) } },
        valuesAgree: model.combine(7, 0x1234, secondLength: partLength) == libcrc64_xz_combine(7, 0x1234, partLength)))
    return pairs
}

/// CRC64Model.xz.checksum(_:threads:) — the Swift multi-core API — behind a C callback, so the C harness times it
/// like every other candidate. ctx carries the thread count.
let swiftParallelCallback: cb_callback_fn = { ctx, _, buf, len in
    CRC64Model.xz.checksum(UnsafeRawBufferPointer(start: buf, count: len), threads: Int(bitPattern: ctx))
}
