// The measurements: kernels and peers by size, preset models, combine, the Swift API, multi-core; and the size and
// number formatting the reports share (numbers through Foundation's String(format:)).

import CCRC64
import CRC64Kit
import CRCBenchSupport
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum Mode: String, CaseIterable {
    case throughput, latency

    var c: cb_mode { self == .throughput ? CB_THROUGHPUT : CB_LATENCY }
}

/// A column of the kernel table.
struct Column {
    var id: String         // stable key (JSON)
    var header: String     // short terminal header
    var title: String      // what it is
    var isPeer: Bool
    var algorithm: String  // what it computes
    var candidate: cb_candidate?
    var absent: String?    // why it is not timed

    var available: Bool { candidate != nil }
}

// MARK: - Kernels and peers

struct KernelResults {
    var columns: [Column]
    var sizes: [Int]
    var latencySizes: [Int]
    var results: [Mode: [Int: [String: Samples]]] = [:]
    var ratio: [Mode: [Int: Stat]] = [:]  // libcrc64_xz over ISA-L crc64_ecma_refl (speed)
    var mismatches: [String] = []
    var unsupportedKernels: [String] = []
    var otherLoad: [Mode: Double] = [:]

    func samples(_ mode: Mode, _ size: Int, _ id: String) -> Samples? { results[mode]?[size]?[id] }
}

enum Peers {
    static let isal = "libisal.so.2"
    static let zlib = "libz.so.1"
    static let lzma = "liblzma.so.5"
    static let isalHint = "apt-get install libisal-dev"

    static func symbol(_ library: String, _ name: String) -> (UnsafeMutableRawPointer?, String) {
        var err = [CChar](repeating: 0, count: 512)
        let p = cb_dlsym(library, name, &err, err.count)
        return (p, cString(err))
    }
}

let xzFunction: cb_fn64 = libcrc64_xz
let xzCombine: cb_combine2_fn = libcrc64_xz_combine

func fn64Candidate(_ f: cb_fn64, seed: UInt64 = 0) -> cb_candidate {
    var c = cb_candidate()
    c.kind = CB_KIND_FN64
    c.fn64 = f
    c.seed = seed
    return c
}

func callbackCandidate(_ callback: cb_callback_fn, context: UnsafeMutableRawPointer?) -> cb_candidate {
    var c = cb_candidate()
    c.kind = CB_KIND_CALLBACK
    c.callback = callback
    c.ctx = context
    return c
}

/// A peer's column from one function loaded with dlopen (start value 0), or a column saying it is absent.
func loadedPeerColumn(_ library: String, _ symbol: String, id: String, header: String, title: String,
                      algorithm: String, candidate: (UnsafeMutableRawPointer) -> cb_candidate) -> Column {
    let (p, err) = Peers.symbol(library, symbol)
    var col = Column(
        id: id, header: header, title: title, isPeer: true, algorithm: algorithm, candidate: nil, absent: nil)
    if let p {
        col.candidate = candidate(p)
    } else {
        col.absent = "absent (\(library): \(err.isEmpty ? "not found" : err))"
    }
    return col
}

func buildColumns(options: Options) -> (columns: [Column], unsupported: [String]) {
    var columns: [Column] = []
    let xz = Presets.model(Int(LIBCRC64_PRESET_XZ.rawValue))
    columns.append(Column(
        id: "libcrc64_xz", header: "libcrc64_xz", title: "libcrc64_xz, dispatched (\(Kernels.active)) — the headline",
        isPeer: false, algorithm: "CRC-64/XZ", candidate: fn64Candidate(xzFunction)))
    var unsupported: [String] = []
    let wanted = options.kernels
    for k in Kernels.all {
        if let wanted, !wanted.contains(k.name) { continue }
        guard k.supported else {
            unsupported.append(k.name)
            if let wanted, wanted.contains(k.name) {
                cb_print_stderr("crcbench: kernel \(k.name) is not supported on this machine; skipped\n")
            }
            continue
        }
        var c = cb_candidate()
        c.kind = CB_KIND_KERNEL
        c.kernel = libcrc64_update_kernel
        c.kernel_index = k.index
        c.model = xz
        c.seed = 0
        columns.append(Column(
            id: "kernel:\(k.name)", header: k.name, title: "kernel \(k.name) via libcrc64_update_kernel",
            isPeer: false, algorithm: "CRC-64/XZ", candidate: c))
    }
    // ISA-L
    let isalFns: [(String, String, String)] = [
        ("crc64_ecma_refl", "isal", "ISA-L crc64_ecma_refl (dispatched)"),
        ("crc64_ecma_refl_by8", "isal-by8", "ISA-L crc64_ecma_refl_by8 (128-bit PCLMULQDQ)"),
        ("crc64_ecma_refl_base", "isal-base", "ISA-L crc64_ecma_refl_base (byte table)"),
    ]
    for (symbol, header, title) in isalFns {
        let (p, err) = Peers.symbol(Peers.isal, symbol)
        var col = Column(
            id: "isal:\(symbol)", header: header, title: title, isPeer: true, algorithm: "CRC-64/XZ",
            candidate: nil, absent: nil)
        if let p {
            col.candidate = fn64Candidate(unsafeBitCast(p, to: cb_fn64.self))
        } else {
            col.absent = symbol == "crc64_ecma_refl"
                ? "absent (\(Peers.isal): \(err.isEmpty ? "not found" : err)); \(Peers.isalHint)"
                : "absent (\(err.isEmpty ? "not found" : err))"
        }
        // The main ISA-L column is always shown (saying absent); the variants only when present.
        if p != nil || symbol == "crc64_ecma_refl" { columns.append(col) }
    }
    // liblzma: xz's own CRC-64 (a table loop, or 128-bit CLMUL where the CPU has it); a peer of the portable kernel
    columns.append(loadedPeerColumn(
        Peers.lzma, "lzma_crc64", id: "lzma:lzma_crc64", header: "lzma", title: "liblzma lzma_crc64 (xz's own)",
        algorithm: "CRC-64/XZ") { p in
            var c = cb_candidate()
            c.kind = CB_KIND_LZMA
            c.lzma = unsafeBitCast(p, to: cb_lzma_fn.self)
            return c
        })
    // zlib
    columns.append(loadedPeerColumn(
        Peers.zlib, "crc32", id: "zlib:crc32", header: "zlib-crc32",
        title: "zlib crc32 (CRC-32, the familiar yardstick)", algorithm: "CRC-32/ISO-HDLC") { p in
            var c = cb_candidate()
            c.kind = CB_KIND_ZLIB
            c.zlib = unsafeBitCast(p, to: cb_zlib_fn.self)
            return c
        })
    return (columns, unsupported)
}

func runKernels(options: Options, bench: Bench, buffer: UnsafeMutableRawPointer, repetitions: (Int) -> Int,
                progress: (String) -> Void) -> KernelResults {
    let (columns, unsupported) = buildColumns(options: options)
    var r = KernelResults(
        columns: columns, sizes: options.sizes,
        latencySizes: options.sizes.filter { $0 <= options.latencyMaxSize })
    r.unsupportedKernels = unsupported
    let live = columns.filter(\.available)
    // Every CRC-64/XZ candidate must agree with libcrc64_xz before it is timed.
    for size in options.sizes {
        let reference = libcrc64_xz(0, buffer, size)
        for col in live where col.algorithm == "CRC-64/XZ" {
            var c = col.candidate!
            let v = cb_value(&c, buffer, size)
            if v != reference {
                r.mismatches.append("\(col.header) at \(formatSize(size)): \(CRC64Digest(v).hex) != libcrc64_xz \(CRC64Digest(reference).hex)")
            }
        }
    }
    for mode in Mode.allCases {
        let load = OtherLoad()
        defer { r.otherLoad[mode] = load.cores() }
        for size in (mode == .throughput ? r.sizes : r.latencySizes) {
            progress("\(mode.rawValue) \(formatSize(size))")
            let runners = live.map { cRunner($0.candidate!, buffer: buffer, size: size, mode: mode.c) }
            let out = bench.interleaved(runners, repetitions: repetitions(size))
            for (col, s) in zip(live, out) {
                if let s { r.results[mode, default: [:]][size, default: [:]][col.id] = s }
            }
            if let ours = r.samples(mode, size, "libcrc64_xz"), let isal = r.samples(mode, size, "isal:crc64_ecma_refl") {
                r.ratio[mode, default: [:]][size] = speedRatio(ours, over: isal)
            }
        }
    }
    return r
}

// MARK: - Preset models

struct ModelRow {
    var index: Int
    var name: String
    var poly: UInt64
    var reflected: Bool
    var checkOK: Bool
    var results: [Mode: [Int: Samples]] = [:]
    var ratioToXZ: [Mode: [Int: Stat]] = [:]
}

struct ModelResults {
    var sizes: [Int]
    var rows: [ModelRow]
}

func runModels(options: Options, bench: Bench, buffer: UnsafeMutableRawPointer, repetitions: (Int) -> Int,
               progress: (String) -> Void) -> ModelResults {
    let sizes = [1 << 10, 1 << 20]
    var chosen = options.models ?? Array(0..<Presets.count)
    let xzIndex = Int(LIBCRC64_PRESET_XZ.rawValue)
    let xzAdded = !chosen.contains(xzIndex) && !chosen.isEmpty
    if xzAdded { chosen.insert(xzIndex, at: 0) }  // the reference for the ratios
    var rows: [ModelRow] = chosen.map { i in
        let p = Presets.params(i)
        let check = Array("123456789".utf8)
        let m = Presets.model(i)
        let value = check.withUnsafeBytes { libcrc64_update(m, libcrc64_model_empty(m), $0.baseAddress, $0.count) }
        return ModelRow(index: i, name: Presets.name(i), poly: p.poly, reflected: p.reflected != 0,
                        checkOK: value == Presets.check(i))
    }
    if chosen.isEmpty { return ModelResults(sizes: sizes, rows: []) }
    let candidates: [cb_candidate] = chosen.map { i in
        var c = cb_candidate()
        c.kind = CB_KIND_MODEL
        c.model_update = libcrc64_update
        c.model = Presets.model(i)
        c.seed = libcrc64_model_empty(Presets.model(i))
        return c
    }
    for mode in Mode.allCases {
        for size in sizes {
            progress("models \(mode.rawValue) \(formatSize(size))")
            let out = bench.interleaved(
                candidates.map { cRunner($0, buffer: buffer, size: size, mode: mode.c) },
                repetitions: repetitions(size))
            for (j, s) in out.enumerated() { if let s { rows[j].results[mode, default: [:]][size] = s } }
            if let ref = rows.first(where: { $0.index == xzIndex })?.results[mode]?[size] {
                for j in rows.indices {
                    if let s = rows[j].results[mode]?[size] {
                        rows[j].ratioToXZ[mode, default: [:]][size] = speedRatio(s, over: ref)
                    }
                }
            }
        }
    }
    return ModelResults(sizes: sizes, rows: rows)
}

// MARK: - Combine

struct CombineRow {
    var len2: UInt64
    var combine: [Mode: Samples] = [:]
    var apply: [Mode: Samples] = [:]
    var correct: Bool = true
}

let combineLengths: [UInt64] = [1 << 10, 1 << 20, 1 << 30, 0xFF_FFFF_FFFF]

func runCombine(options: Options, bench: Bench, buffer: UnsafeMutableRawPointer, repetitions: Int,
                progress: (String) -> Void) -> [CombineRow] {
    progress("combine")
    let model = Presets.model(Int(LIBCRC64_PRESET_XZ.rawValue))
    let combine: cb_combine_fn = libcrc64_combine
    typealias ApplyFn = @convention(c) (UnsafePointer<libcrc64_combiner>?, UInt64, UInt64) -> UInt64
    let apply = unsafeBitCast(libcrc64_combiner_apply as ApplyFn, to: cb_apply_fn.self)
    let crc1: UInt64 = 0x0123_4567_89ab_cdef, crc2: UInt64 = 0xfedc_ba98_7654_3210
    var rows: [CombineRow] = []
    // Correctness at a small length: combine(crc(A), crc(B), |B|) == crc(A||B).
    let a = libcrc64_xz(0, buffer, 1000), b = libcrc64_xz(0, buffer + 1000, 1024)
    let whole = libcrc64_xz(0, buffer, 2024)
    for len2 in combineLengths {
        var row = CombineRow(len2: len2)
        if len2 == 1024 { row.correct = libcrc64_combine(model, a, b, 1024) == whole }
        var op = libcrc64_combiner_make(model, len2)
        for mode in Mode.allCases {
            let m = mode.c
            let out = withUnsafePointer(to: &op) { opp in
                let raw = UnsafeRawPointer(opp)
                return bench.interleaved([
                    { n in cb_time_combine(combine, model, crc1, crc2, len2, n, m) },
                    { n in cb_time_apply(apply, raw, crc1, crc2, n, m) },
                ], repetitions: repetitions)
            }
            if let s = out[0] { row.combine[mode] = s }
            if let s = out[1] { row.apply[mode] = s }
        }
        rows.append(row)
    }
    return rows
}

// MARK: - Swift API against the C ABI

struct SwiftAPIRow {
    var label: String
    var cLabel: String
    var size: Int
    var chained: Bool
    var swift: Samples
    var c: Samples
    var ratio: Stat  // Swift time over C time (1.0 = no overhead)
}

func runSwiftAPI(options: Options, bench: Bench, buffer: UnsafeMutableRawPointer, repetitions: Int,
                 progress: (String) -> Void) -> (rows: [SwiftAPIRow], mismatch: Bool) {
    progress("Swift API")
    let pairs = swiftCPairs(Array(UnsafeRawBufferPointer(start: buffer, count: 1 << 10)))
    var rows: [SwiftAPIRow] = []
    for pair in pairs {
        let out = bench.interleaved([pair.swift, pair.c], repetitions: repetitions)
        if let s = out[0], let c = out[1] {
            rows.append(SwiftAPIRow(
                label: pair.label, cLabel: pair.cLabel, size: pair.size, chained: pair.chained, swift: s, c: c,
                ratio: speedRatio(c, over: s)))
        }
    }
    return (rows, pairs.contains { !$0.valuesAgree })
}

// MARK: - Multi-core

struct ParallelRow {
    var size: Int
    var threads: Int
    var ids: [String]
    var titles: [String: String]
    var results: [String: Samples] = [:]
    var mismatches: [String] = []
}

func runParallel(options: Options, bench: Bench, buffer: UnsafeMutableRawPointer, threads: Int, repetitions: Int,
                 progress: (String) -> Void) -> [ParallelRow] {
    var rows: [ParallelRow] = []
    let (isalP, _) = Peers.symbol(Peers.isal, "crc64_ecma_refl")
    let isal: cb_fn64? = isalP.map { unsafeBitCast($0, to: cb_fn64.self) }
    // `fn` over the whole buffer on this thread, and over `threads` equal parts on pthreads (the C harness).
    var contexts: [UnsafeMutablePointer<cb_parallel_ctx>] = []
    defer { contexts.forEach { $0.deallocate() } }
    func oneAndAllThreads(_ fn: cb_fn64) -> [cb_candidate] {
        let ctx = UnsafeMutablePointer<cb_parallel_ctx>.allocate(capacity: 1)
        ctx.initialize(to: cb_parallel_ctx(fn: fn, combine: xzCombine, threads: Int32(threads)))
        contexts.append(ctx)
        return [fn64Candidate(fn), callbackCandidate(cb_parallel_fn64, context: UnsafeMutableRawPointer(ctx))]
    }
    let xzPair = oneAndAllThreads(xzFunction)
    let isalPair = isal.map(oneAndAllThreads)
    let readPair = oneAndAllThreads(cb_read_only)
    for size in options.parallelSizes {
        progress("multi-core \(formatSize(size))")
        var ids = ["swift-threads", "libcrc64_xz", "c-threads:libcrc64_xz"]
        var titles = [
            "swift-threads": "CRC64Model.xz.checksum(buffer, threads: \(threads))",
            "libcrc64_xz": "libcrc64_xz, 1 thread",
            "c-threads:libcrc64_xz": "libcrc64_xz over \(threads) parts, pthreads in the C harness + libcrc64_xz_combine",
        ]
        var cands = [callbackCandidate(swiftParallelCallback, context: UnsafeMutableRawPointer(bitPattern: threads))]
        cands += xzPair
        if let isalPair {
            ids += ["isal", "c-threads:isal"]
            titles["isal"] = "ISA-L crc64_ecma_refl, 1 thread"
            titles["c-threads:isal"] = "ISA-L crc64_ecma_refl over \(threads) parts (pthreads) + libcrc64_xz_combine"
            cands += isalPair
        }
        let checked = ids.count // the read-only pass below computes no CRC
        if size >= 64 << 20 { // out of every cache: then memory bandwidth bounds any checksum
            ids += ["read", "c-threads:read"]
            titles["read"] = "memory read only (XOR of the words), 1 thread: the bandwidth ceiling"
            titles["c-threads:read"] = "memory read only over \(threads) parts (pthreads)"
            cands += readPair
        }
        var row = ParallelRow(size: size, threads: threads, ids: ids, titles: titles)
        let reference = libcrc64_xz(0, buffer, size)
        for (id, cand) in zip(ids, cands).prefix(checked) {
            var cc = cand
            let v = cb_value(&cc, buffer, size)
            if v != reference { row.mismatches.append("\(id): \(CRC64Digest(v).hex) != \(CRC64Digest(reference).hex)") }
        }
        let out = bench.interleaved(
            cands.map { cRunner($0, buffer: buffer, size: size, mode: CB_THROUGHPUT) }, repetitions: repetitions,
            wholeProcess: true)
        for (id, s) in zip(ids, out) { if let s { row.results[id] = s } }
        rows.append(row)
    }
    return rows
}

// MARK: - Formatting helpers shared by the reports

func formatSize(_ n: Int) -> String {
    if n >= 1 << 30, n % (1 << 30) == 0 { return "\(n >> 30) GiB" }
    if n >= 1 << 20, n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
    if n >= 1 << 10, n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
    return "\(n) B"
}

func formatLength(_ n: UInt64) -> String {
    if n <= UInt64(Int.max) {
        let s = formatSize(Int(n))
        if !s.hasSuffix(" B") || n < 1024 { return s }
    }
    return "0x" + String(n, radix: 16, uppercase: true)
}

func fmt(_ v: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", v) }

/// GB/s with about three significant digits.
func fmtGB(_ v: Double) -> String {
    if v >= 100 { return fmt(v, 0) }
    if v >= 10 { return fmt(v, 1) }
    if v >= 1 { return fmt(v, 2) }
    return fmt(v, 3)
}

func fmtNs(_ v: Double) -> String {
    if v >= 1e6 { return fmt(v / 1e6, 2) + " ms" }
    if v >= 1e4 { return fmt(v / 1e3, 1) + " µs" }
    if v >= 100 { return fmt(v, 0) + " ns" }
    return fmt(v, 1) + " ns"
}

func fmtRatio(_ v: Double) -> String { fmt(v, 2) + "x" }

func fmtPercent(_ v: Double) -> String { v < 0.0995 ? fmt(v * 100, 1) + "%" : fmt(v * 100, 0) + "%" }
