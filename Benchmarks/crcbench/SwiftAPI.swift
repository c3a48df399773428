// The only file that calls the Swift module CRC64: its one-shot and multi-core checksums.

import CRC64
import CRCBenchSupport

/// CRC64Model.xz.checksum(_: [UInt8]) — the Swift one-shot API.
@inline(__always)
func swiftOneShotXZ(_ bytes: [UInt8]) -> UInt64 {
    CRC64Model.xz.checksum(bytes)
}

/// CRC64Model.xz.checksum(_:threads:) — the Swift multi-core API — behind a C callback, so the C harness times it
/// like every other candidate. ctx carries the thread count.
let swiftParallelCallback: cb_callback_fn = { ctx, _, buf, len in
    CRC64Model.xz.checksum(UnsafeRawBufferPointer(start: buf, count: len), threads: Int(bitPattern: ctx))
}
