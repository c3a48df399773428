// The only file that calls the Swift modules CRC64Kit and CRC64Files: their one-shot and multi-core checksums.

import CRC64Kit
import CRC64Files
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
