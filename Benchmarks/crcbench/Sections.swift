// The measurements, one function per section, and the results they return: the types that the tables, the plot and
// the JSON report (their Encodable form) all read.

#if !os(Windows)
import CCRC64
import CRC64Kit
import CRCBenchSupport

enum Mode: String, CaseIterable, Encodable {
    case throughput, latency
    var c: cb_mode { self == .throughput ? CB_THROUGHPUT : CB_LATENCY }
}

/// What every section needs: the timing setup, the one input buffer and a progress line.
struct Context {
    var options: Options
    var bench: Bench
    var peers: [Peer]
    /// Every candidate reads the same bytes from the same address.
    var buffer: UnsafeMutableRawPointer
    var method: Report.Method
    var threads: Int
    var progress: (String) -> Void

    var repetitions: Int { method.repetitions }
    func repetitions(_ size: Int) -> Int { size >= Options.largeSize ? method.largeSizeRepetitions : repetitions }
}

func candidate(_ kind: cb_kind, _ function: UnsafeRawPointer?, context: UnsafeRawPointer? = nil, index: Int = 0,
               seed: UInt64 = 0) -> cb_candidate {
    cb_candidate(kind: kind, fn: function, ctx: context, index: index, seed: seed)
}

/// A C function of ours as the raw pointer a candidate holds.
func pointer<Function>(_ function: Function) -> UnsafeRawPointer { unsafeBitCast(function, to: UnsafeRawPointer.self) }

/// Every CRC-64/XZ candidate must agree with libcrc64_xz before it is timed: the ones that do not, described.
func mismatches(_ candidates: [(String, cb_candidate)], _ ctx: Context, size: Int) -> [String] {
    let reference = libcrc64_xz(0, ctx.buffer, size)
    return candidates.compactMap { name, candidate in
        var c = candidate
        let value = cb_value(&c, ctx.buffer, size)
        if value == reference { return nil }
        return "\(name) at \(formatSize(size)): \(CRC64Digest(value).hex) != libcrc64_xz \(CRC64Digest(reference).hex)"
    }
}

// MARK: - Kernels and peers

/// A column of the kernel tables: the dispatched libcrc64_xz, a kernel of the library or a peer.
struct Column: Encodable {
    var id: String
    var header: String
    var title: String  // the plot's legend
    var peer: Bool
    var color: String  // its line in the plot
    var absent: String?  // why it is not timed
    /// Only CRC-64/XZ columns are cross-checked (zlib's crc32 is a yardstick of another CRC).
    var checked = true
    var candidate: cb_candidate? = nil

    private enum CodingKeys: CodingKey { case id, header, title, peer, absent }
}

struct KernelSection: Encodable {
    var columns: [Column]
    var throughput: Measured<KernelRow>
    var latency: Measured<KernelRow>
    var valueMismatches: [String]

    func rows(_ mode: Mode) -> Measured<KernelRow> { mode == .throughput ? throughput : latency }
}

struct KernelRow: Encodable {
    var size: Int
    /// By column id.
    var results: [String: Samples]
    /// libcrc64_xz's speed over ISA-L crc64_ecma_refl, paired per repetition.
    var xzOverIsal: Stat?
}

/// The kernels' lines in the plot, by their index in the library's table.
let kernelColors = ["#ff7f0e", "#2ca02c", "#8c564b", "#e6ab02", "#66a61e", "#e377c2"]

func kernelColumns(_ ctx: Context) -> [Column] {
    var columns = [Column(
        id: "libcrc64_xz", header: "libcrc64_xz", title: "libcrc64_xz (dispatched: \(Kernels.active))", peer: false,
        color: "#d62728", candidate: candidate(CB_KIND_FN64, pointer(libcrc64_xz as cb_fn64)))]
    let xz = UnsafeRawPointer(Presets.model(Presets.xz))
    for k in Kernels.all where ctx.options.kernels?.contains(k.name) ?? true {
        guard k.supported else {
            if ctx.options.kernels != nil { printError("crcbench: kernel \(k.name) is not supported here; skipped\n") }
            continue
        }
        columns.append(Column(
            id: "kernel:\(k.name)", header: k.name, title: "kernel \(k.name)", peer: false,
            color: kernelColors[k.index % kernelColors.count],
            candidate: candidate(CB_KIND_KERNEL, pointer(libcrc64_update_kernel as cb_kernel_fn), context: xz,
                                 index: k.index)))
    }
    for p in ctx.peers where p.function != nil || !p.variant {
        columns.append(Column(
            id: p.symbol, header: p.header, title: p.label, peer: true, color: p.color, absent: p.absent,
            checked: p.kind != CB_KIND_ZLIB, candidate: p.function.map { candidate(p.kind, $0) }))
    }
    return columns
}

func runKernels(_ ctx: Context) -> KernelSection {
    let columns = kernelColumns(ctx)
    let live = columns.filter { $0.candidate != nil }
    let mismatched = ctx.options.kernelSizes.flatMap { size in
        mismatches(live.filter(\.checked).map { ($0.header, $0.candidate!) }, ctx, size: size)
    }
    func measure(_ mode: Mode) -> Measured<KernelRow> {
        Measured {
            ctx.options.kernelSizes.filter { mode == .throughput || $0 <= Options.latencyMaxSize }.map { size in
                ctx.progress("\(mode.rawValue) \(formatSize(size))")
                let out = ctx.bench.interleaved(
                    live.map { cRunner($0.candidate!, buffer: ctx.buffer, size: size, mode: mode) },
                    repetitions: ctx.repetitions(size))
                var row = KernelRow(size: size, results: [:])
                for (column, samples) in zip(live, out) { row.results[column.id] = samples }
                if let ours = row.results["libcrc64_xz"], let isal = row.results["crc64_ecma_refl"] {
                    row.xzOverIsal = speedRatio(ours, over: isal)
                }
                return row
            }
        }
    }
    return KernelSection(columns: columns, throughput: measure(.throughput), latency: measure(.latency),
                         valueMismatches: mismatched)
}

// MARK: - Preset models

struct ModelRow: Encodable {
    static let sizes = [1 << 10, 1 << 20]

    var name: String
    var poly: String
    var reflected: Bool
    /// The catalogue check value of "123456789".
    var checkOk: Bool
    var results: [ModelResult] = []

    func result(_ mode: Mode, _ size: Int) -> ModelResult? { results.first { $0.mode == mode && $0.size == size } }
}

struct ModelResult: Encodable {
    var mode: Mode
    var size: Int
    var samples: Samples
    /// Speed over CRC-64/XZ, paired per repetition.
    var speedVsXz: Stat
}

func runModels(_ ctx: Context) -> [ModelRow] {
    var chosen = ctx.options.models ?? Array(0..<Presets.count)
    if !chosen.contains(Presets.xz) { chosen.insert(Presets.xz, at: 0) }  // the reference for the ratios
    var rows = chosen.map { i in
        let m = Presets.model(i), p = libcrc64_model_params(m)
        let check = Array("123456789".utf8).withUnsafeBytes {
            libcrc64_update(m, libcrc64_model_empty(m), $0.baseAddress, $0.count)
        }
        return ModelRow(name: Presets.name(i), poly: "0x" + CRC64Digest(p.poly).hex, reflected: p.reflected != 0,
                        checkOk: check == libcrc64_preset_check(libcrc64_preset(UInt32(i))))
    }
    let candidates = chosen.map { i in
        candidate(CB_KIND_MODEL, pointer(libcrc64_update as cb_model_fn), context: UnsafeRawPointer(Presets.model(i)),
                  seed: libcrc64_model_empty(Presets.model(i)))
    }
    for mode in Mode.allCases {
        for size in ModelRow.sizes {
            ctx.progress("models \(mode.rawValue) \(formatSize(size))")
            let out = ctx.bench.interleaved(
                candidates.map { cRunner($0, buffer: ctx.buffer, size: size, mode: mode) },
                repetitions: ctx.repetitions(size))
            for (j, samples) in out.enumerated() {
                guard let samples, let xz = out[chosen.firstIndex(of: Presets.xz)!] else { continue }
                rows[j].results.append(ModelResult(
                    mode: mode, size: size, samples: samples, speedVsXz: speedRatio(samples, over: xz)))
            }
        }
    }
    return rows
}

// MARK: - Combine

struct CombineRow: Encodable {
    var len2: UInt64
    /// combine(crc(A), crc(B), |B|) == crc(A||B), checked at 1 KiB.
    var correct: Bool?
    /// libcrc64_combine from scratch and libcrc64_combiner_apply with an operator made once, by mode.
    var combine: [String: Samples] = [:]
    var combinerApply: [String: Samples] = [:]
}

func runCombine(_ ctx: Context) -> [CombineRow] {
    ctx.progress("combine")
    let model = Presets.model(Presets.xz)
    typealias ApplyFn = @convention(c) (UnsafePointer<libcrc64_combiner>?, UInt64, UInt64) -> UInt64
    let apply = unsafeBitCast(libcrc64_combiner_apply as ApplyFn, to: cb_apply_fn.self)
    let crc1: UInt64 = 0x0123_4567_89ab_cdef, crc2: UInt64 = 0xfedc_ba98_7654_3210
    let a = libcrc64_xz(0, ctx.buffer, 1000), b = libcrc64_xz(0, ctx.buffer + 1000, 1024)
    return [1 << 10, 1 << 20, 1 << 30, 0xFF_FFFF_FFFF].map { (len2: UInt64) in
        var row = CombineRow(len2: len2)
        if len2 == 1024 { row.correct = libcrc64_combine(model, a, b, 1024) == libcrc64_xz(0, ctx.buffer, 2024) }
        var op = libcrc64_combiner_make(model, len2)
        for mode in Mode.allCases {
            let out = withUnsafePointer(to: &op) { op in
                ctx.bench.interleaved([
                    { n in cb_time_combine(libcrc64_combine, model, crc1, crc2, len2, n, mode.c) },
                    { n in cb_time_apply(apply, op, crc1, crc2, n, mode.c) },
                ], repetitions: ctx.repetitions)
            }
            (row.combine[mode.rawValue], row.combinerApply[mode.rawValue]) = (out[0], out[1])
        }
        return row
    }
}

// MARK: - Multi-core

struct ParallelRow: Encodable {
    var size: Int
    var threads: Int
    var valueMismatches: [String]
    /// By candidate id: swift-threads, libcrc64_xz, isal, read, and c-threads: before each but the first.
    var results: [String: Samples] = [:]
}

func runParallel(_ ctx: Context) -> [ParallelRow] {
    // `fn` over the whole buffer on this thread, and over `threads` equal parts on pthreads (the C harness).
    let contexts = UnsafeMutablePointer<cb_parallel_ctx>.allocate(capacity: 3)  // libcrc64_xz, ISA-L, read
    defer { contexts.deallocate() }
    func oneAndAllThreads(_ id: String, _ fn: cb_fn64, _ slot: Int) -> [(String, cb_candidate)] {
        contexts[slot] = cb_parallel_ctx(fn: fn, combine: libcrc64_xz_combine, threads: Int32(ctx.threads))
        return [(id, candidate(CB_KIND_FN64, pointer(fn))),
                ("c-threads:" + id, candidate(CB_KIND_CALLBACK, pointer(cb_parallel_fn64 as cb_callback_fn),
                                              context: UnsafeRawPointer(contexts + slot)))]
    }
    var checked = [("swift-threads", candidate(CB_KIND_CALLBACK, pointer(swiftParallelCallback),
                                               context: UnsafeRawPointer(bitPattern: ctx.threads)))]
    checked += oneAndAllThreads("libcrc64_xz", libcrc64_xz, 0)
    if let isal = ctx.peers.first(where: { $0.symbol == "crc64_ecma_refl" })?.function {
        checked += oneAndAllThreads("isal", unsafeBitCast(isal, to: cb_fn64.self), 1)
    }
    let read = oneAndAllThreads("read", cb_read_only, 2)  // computes no CRC: not cross-checked
    return ctx.options.parallelSizes.map { size in
        ctx.progress("multi-core \(formatSize(size))")
        var row = ParallelRow(size: size, threads: ctx.threads, valueMismatches: mismatches(checked, ctx, size: size))
        // Out of every cache (from 64 MiB) memory bandwidth bounds any checksum: time the read-only pass there.
        let timed = checked + (size >= 64 << 20 ? read : [])
        let out = ctx.bench.interleaved(
            timed.map { cRunner($0.1, buffer: ctx.buffer, size: size, mode: .throughput) },
            repetitions: ctx.repetitions, wholeProcess: true)
        for ((id, _), samples) in zip(timed, out) { row.results[id] = samples }
        return row
    }
}
#endif
