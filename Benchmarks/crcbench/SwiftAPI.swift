// The Swift API section: Swift calls, each beside the C call it wraps, in identical Swift loops (the other sections
// use the Swift modules only for their catalogue and hex form).

#if !os(Windows)
import CCRC64
import CRC64Files
import CRC64Kit
import CRCBenchSupport

/// One Swift API call and the C call it stands for: two loops of `iterations` calls that return their time in ns,
/// and once timed, their samples.
struct SwiftAPIRow: Encodable {
    var swiftCall: String
    var cCall: String
    var size: Int?  // nil: combine, which reads no buffer
    var mode: Mode  // latency: each call takes the previous result
    /// One call of each gave the same value.
    var valuesAgree: Bool
    var swiftLoop: Runner
    var cLoop: Runner
    var swift: Samples? = nil
    var c: Samples? = nil
    var swiftOverCTime: Stat? = nil

    private enum CodingKeys: CodingKey { case swiftCall, cCall, size, mode, valuesAgree, swift, c, swiftOverCTime }
}

func runSwiftAPI(_ ctx: Context) -> [SwiftAPIRow] {
    ctx.progress("Swift API")
    return swiftAPIRows(Array(UnsafeRawBufferPointer(start: ctx.buffer, count: 1 << 10))).map { pair in
        var row = pair
        let out = ctx.bench.interleaved([row.swiftLoop, row.cLoop], repetitions: ctx.repetitions)
        (row.swift, row.c) = (out[0], out[1])
        if let swift = row.swift, let c = row.c { row.swiftOverCTime = speedRatio(c, over: swift) }
        return row
    }
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

/// The section's pairs over `bytes` (at least 1 KiB).
func swiftAPIRows(_ bytes: [UInt8]) -> [SwiftAPIRow] {
    let model = CRC64Model.xz
    var rows = [16, 64, 1024].map { size in
        let array = Array(bytes[..<size])
        return SwiftAPIRow(
            swiftCall: "CRC64Model.xz.checksum([UInt8])", cCall: "libcrc64_xz(0, p, n)", size: size, mode: .throughput,
            valuesAgree: model.checksum(array) == array.withUnsafeBytes { libcrc64_xz(0, $0.baseAddress, size) },
            swiftLoop: { n in timed(n) { $0 ^ model.checksum(array) } },
            cLoop: { n in array.withUnsafeBytes { raw in timed(n) { $0 ^ libcrc64_xz(0, raw.baseAddress, size) } } })
    }
    let base = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
    base.copyMemory(from: bytes, byteCount: 64)
    let p = UnsafeRawPointer(base)  // lives as long as the process: the section runs once
    rows.append(SwiftAPIRow(
        swiftCall: "xz.checksum(p, count: n, continuing: crc)", cCall: "crc = libcrc64_xz(crc, p, n)", size: 16,
        mode: .latency, valuesAgree: model.checksum(p, count: 16, continuing: 5) == libcrc64_xz(5, p, 16),
        swiftLoop: { n in timed(n) { model.checksum(p, count: 16, continuing: $0) } },
        cLoop: { n in timed(n) { libcrc64_xz($0, p, 16) } }))
    var hasher = CRC64Hasher(model: model, continuingFrom: 5)
    hasher.update(UnsafeRawBufferPointer(start: p, count: 16))
    rows.append(SwiftAPIRow(
        swiftCall: "hasher.update(UnsafeRawBufferPointer)", cCall: "crc = libcrc64_xz(crc, p, n)", size: 16,
        mode: .latency, valuesAgree: hasher.value == libcrc64_xz(5, p, 16),
        swiftLoop: { n in
            var hasher = CRC64Hasher(model: model)
            let buffer = UnsafeRawBufferPointer(start: p, count: 16)
            let t = timed(n) { _ in
                hasher.update(buffer)
                return 0
            }
            cb_consume(hasher.value)
            return t
        },
        cLoop: { n in timed(n) { libcrc64_xz($0, p, 16) } }))
    let length: UInt64 = 8 << 20
    rows.append(SwiftAPIRow(
        swiftCall: "xz.combine(a, b, secondLength: 8 MiB)", cCall: "libcrc64_xz_combine(a, b, len)", size: nil,
        mode: .throughput,
        valuesAgree: model.combine(7, 0x1234, secondLength: length) == libcrc64_xz_combine(7, 0x1234, length),
        swiftLoop: { n in timed(n) { $0 ^ model.combine($0, 0x1234, secondLength: length) } },
        cLoop: { n in timed(n) { $0 ^ libcrc64_xz_combine($0, 0x1234, length) } }))
    return rows
}

/// CRC64Model.xz.checksum(_:threads:) — the Swift multi-core API — behind a C callback, so the C harness times it
/// like every other candidate. ctx carries the thread count.
let swiftParallelCallback: cb_callback_fn = { ctx, _, buf, len in
    CRC64Model.xz.checksum(UnsafeRawBufferPointer(start: buf, count: len), threads: Int(bitPattern: ctx))
}
#endif
