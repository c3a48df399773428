// The JSON form of a run (--json): Encodable structs written by Foundation's JSONEncoder, keys in snake_case and
// sorted (the encoder's own order is unspecified), so reports of different runs line up in a diff. Format 2 carries
// every number of format 1 (the hand-written writer's, perf-reports/*.json up to November 2026); a value that is
// absent is left out, not null.

import CRC64Kit
import Foundation

struct JSONReport: Encodable {
    var tool = "crcbench"
    var format = 2
    var units = Units()
    var date: String
    var commit: String?
    var command: String
    var machine: Machine
    var method: Method
    var elapsedSeconds: Double
    var oneMinuteLoadAverage: LoadAverage
    /// Cores other processes kept busy while a table was measured, by table.
    var otherProcessesCores: [String: Double]
    var repetitionsTotal: Int
    var repetitionsRetimed: Int
    var repetitionsStillDisturbed: Int
    var kernels: KernelSection?
    var models: [Model]?
    var combine: [Combine]?
    var swiftApi: SwiftAPI?
    var parallel: Parallel?

    struct Units: Encodable {
        var gbPerS = "10^9 bytes per second"
        var nsPerCall = "nanoseconds per call"
    }

    struct Machine: Encodable {
        var cpu: String
        var onlineCpus: Int
        var os: String
        var features: [String]
        var kernels: [KernelSupport]
        var dispatchedKernel: String
        var crc64KernelEnv: String?
        var swiftVersion: String
        var cCompiler: String
    }

    struct KernelSupport: Encodable {
        var name: String
        var supported: Bool
    }

    struct Method: Encodable {
        var repetitions: Int
        /// Sizes of `largeSizeBytes` and more get this many.
        var largeSizeRepetitions: Int
        var largeSizeBytes: Int
        var targetMsPerRepetition: Double
        var interleaved = true
        var statistic = "median, min, max over repetitions"
        var modes = ["throughput": "acc ^= f(seed, buf, n)", "latency": "acc = f(acc, buf, n)"]
        var quick: Bool
    }

    struct LoadAverage: Encodable {
        var start: Double?
        var end: Double?
    }

    /// One candidate's repetitions at one size.
    struct Timing: Encodable {
        var nsPerCall: Stat
        /// Absent for calls that read no buffer (combine).
        var gbPerS: Stat?
        var iterationsPerRepetition: UInt64
        var repetitions: Int
        var retimed: Int
        var stillDisturbed: Int
        var nsPerCallSamples: [Double]

        init(_ s: Samples, size: Int?) {
            nsPerCall = s.ns
            gbPerS = size.map(s.gbps)
            iterationsPerRepetition = s.iterations
            repetitions = s.nsPerCall.count
            retimed = s.retimed
            stillDisturbed = s.disturbed
            nsPerCallSamples = s.nsPerCall
        }
    }

    struct KernelSection: Encodable {
        var columns: [Column]
        var unsupportedKernels: [String]
        var sizes: [Int]
        var latencySizes: [Int]
        var results: [Cell]
        var crc64XzOverIsal: [Ratio]
        var valueMismatches: [String]
    }

    struct Column: Encodable {
        var id: String
        var header: String
        var title: String
        var peer: Bool
        var algorithm: String
        var available: Bool
        var absent: String?
    }

    struct Cell: Encodable {
        var mode: String
        var size: Int
        var column: String
        var result: Timing
    }

    struct Ratio: Encodable {
        var mode: String
        var size: Int
        var ratio: Stat
    }

    struct Model: Encodable {
        var preset: Int
        var name: String
        var poly: String
        var reflected: Bool
        var checkOk: Bool
        var results: [ModelResult]
    }

    struct ModelResult: Encodable {
        var mode: String
        var size: Int
        var result: Timing?
        var speedVsXz: Stat?
    }

    struct Combine: Encodable {
        var len2: UInt64
        var correct: Bool
        var combineThroughput: Timing?
        var combineLatency: Timing?
        var combinerApplyThroughput: Timing?
        var combinerApplyLatency: Timing?
    }

    struct SwiftAPI: Encodable {
        var valueMismatch: Bool
        var rows: [SwiftAPIPair]
    }

    struct SwiftAPIPair: Encodable {
        var swiftCall: String
        var cCall: String
        var size: Int
        var mode: String
        var swift: Timing
        var c: Timing
        var overheadNs: Double
        var swiftOverCTime: Stat
    }

    struct Parallel: Encodable {
        var threads: Int
        var rows: [ParallelSize]
    }

    struct ParallelSize: Encodable {
        var size: Int
        var candidates: [ParallelCandidate]
        var valueMismatches: [String]
    }

    struct ParallelCandidate: Encodable {
        var id: String
        var title: String
        var result: Timing?
    }
}

extension JSONReport {
    init(_ r: RunResults) {
        let m = r.machine
        date = m.date
        commit = m.commit
        command = m.command
        machine = Machine(
            cpu: m.cpu, onlineCpus: m.onlineCPUs, os: m.os, features: m.features,
            kernels: Kernels.all.map { KernelSupport(name: $0.name, supported: $0.supported) },
            dispatchedKernel: m.dispatched, crc64KernelEnv: m.kernelForced, swiftVersion: m.swiftVersion,
            cCompiler: m.cCompiler)
        method = Method(
            repetitions: r.repetitions, largeSizeRepetitions: r.largeRepetitions, largeSizeBytes: Options.largeSize,
            targetMsPerRepetition: r.targetMs, quick: r.options.quick)
        elapsedSeconds = r.elapsedSeconds
        oneMinuteLoadAverage = LoadAverage(start: m.loadAtStart, end: r.loadAtEnd)
        var cores = r.otherLoad
        for (mode, c) in r.kernels?.otherLoad ?? [:] { cores["kernels_\(mode.rawValue)"] = c }
        otherProcessesCores = cores
        repetitionsTotal = r.tally?.repetitions ?? 0
        repetitionsRetimed = r.tally?.retimed ?? 0
        repetitionsStillDisturbed = r.tally?.disturbed ?? 0
        kernels = r.kernels.map(Self.kernels)
        models = r.models.map(Self.models)
        combine = r.combine?.map { c in
            Combine(
                len2: c.len2, correct: c.correct,
                combineThroughput: c.combine[.throughput].map { Timing($0, size: nil) },
                combineLatency: c.combine[.latency].map { Timing($0, size: nil) },
                combinerApplyThroughput: c.apply[.throughput].map { Timing($0, size: nil) },
                combinerApplyLatency: c.apply[.latency].map { Timing($0, size: nil) })
        }
        swiftApi = r.swiftAPI.map { rows in
            SwiftAPI(valueMismatch: r.swiftAPIMismatch, rows: rows.map { p in
                // size 0: combine, which reads no buffer
                let bytes = p.size == 0 ? nil : p.size
                return SwiftAPIPair(
                    swiftCall: p.label, cCall: p.cLabel, size: p.size, mode: p.chained ? "latency" : "throughput",
                    swift: Timing(p.swift, size: bytes), c: Timing(p.c, size: bytes),
                    overheadNs: p.swift.ns.median - p.c.ns.median, swiftOverCTime: p.ratio)
            })
        }
        parallel = r.parallel.map { rows in
            Parallel(threads: r.parallelThreads, rows: rows.map { row in
                ParallelSize(
                    size: row.size,
                    candidates: row.ids.map { id in
                        ParallelCandidate(
                            id: id, title: row.titles[id] ?? id,
                            result: row.results[id].map { Timing($0, size: row.size) })
                    },
                    valueMismatches: row.mismatches)
            })
        }
    }

    static func kernels(_ k: KernelResults) -> KernelSection {
        var cells: [Cell] = []
        var ratios: [Ratio] = []
        for mode in Mode.allCases {
            for size in mode == .throughput ? k.sizes : k.latencySizes {
                for c in k.columns {
                    if let s = k.samples(mode, size, c.id) {
                        cells.append(
                            Cell(mode: mode.rawValue, size: size, column: c.id, result: Timing(s, size: size)))
                    }
                }
                if let ratio = k.ratio[mode]?[size] {
                    ratios.append(Ratio(mode: mode.rawValue, size: size, ratio: ratio))
                }
            }
        }
        return KernelSection(
            columns: k.columns.map {
                Column(
                    id: $0.id, header: $0.header, title: $0.title, peer: $0.isPeer, algorithm: $0.algorithm,
                    available: $0.available, absent: $0.absent)
            },
            unsupportedKernels: k.unsupportedKernels, sizes: k.sizes, latencySizes: k.latencySizes, results: cells,
            crc64XzOverIsal: ratios, valueMismatches: k.mismatches)
    }

    static func models(_ m: ModelResults) -> [Model] {
        m.rows.map { row in
            Model(
                preset: row.index, name: row.name, poly: "0x" + CRC64Digest(row.poly).hex, reflected: row.reflected,
                checkOk: row.checkOK,
                results: m.sizes.flatMap { size in
                    Mode.allCases.map { mode in
                        ModelResult(
                            mode: mode.rawValue, size: size,
                            result: row.results[mode]?[size].map { Timing($0, size: size) },
                            speedVsXz: row.ratioToXZ[mode]?[size])
                    }
                })
        }
    }
}

extension RunResults {
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Keeps the paths in "command" readable; older macOS write "/" as "\/" (the same JSON once read).
        if #available(macOS 10.15, *) { encoder.outputFormatting.insert(.withoutEscapingSlashes) }
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(JSONReport(self)), as: UTF8.self) + "\n"
    }
}
