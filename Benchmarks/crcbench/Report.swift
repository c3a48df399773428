// A run's results and their forms: the JSON report (the results encoded as they are), the terminal's header, the
// markdown report, and each section's table for both; the plot is in SVG.swift.

#if !os(Windows)
import Foundation

/// Everything one run measured; its Encodable form is the JSON report.
struct Report: Encodable {
    var tool = "crcbench"
    /// 3 from 0.2.0: the results' own types encoded (format 2 copied them into types of its own).
    var format = 3
    var environment: Environment
    var method: Method
    var elapsedSeconds: Double = 0
    /// The 1-minute load average at the start and at the end, where the OS tells.
    var loadAverageStart = loadAverage()
    var loadAverageEnd: Double? = nil
    var repetitions: Tally
    var kernels: KernelSection?
    var models: Measured<ModelRow>?
    var combine: Measured<CombineRow>?
    var swiftApi: Measured<SwiftAPIRow>?
    var parallel: Measured<ParallelRow>?

    struct Method: Encodable {
        var repetitions: Int
        /// Sizes of `largeSizeBytes` and more get this many.
        var largeSizeRepetitions: Int
        var largeSizeBytes = Options.largeSize
        var latencyMaxSize = Options.latencyMaxSize
        var targetMsPerRepetition: Double
        var quick: Bool
    }

    /// Sorted keys in snake case, so that reports of different runs line up in a diff; absent values are left out.
    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Keeps the paths in "command" readable; older macOS write "/" as "\/" (the same JSON once read).
        if #available(macOS 10.15, *) { encoder.outputFormatting.insert(.withoutEscapingSlashes) }
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // A number that is not finite, the one thing that could fail to encode, is written as a string instead.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
    }

    func headerLines(_ style: Style) -> [(String, String)] {
        let e = environment, m = method
        var lines = [
            ("CPU", "\(e.cpu); \(e.onlineCpus) online CPU\(e.onlineCpus == 1 ? "" : "s"); \(e.os)"),
            ("features", e.features.isEmpty ? "(none of interest reported)" : e.features.joined(separator: " ")),
            ("kernels", e.kernels.map { "\($0.name) \($0.supported ? "yes" : "no")" }.joined(separator: ", ")),
            ("dispatched", e.dispatchedKernel + (e.crc64KernelEnv.map { " (CRC64_KERNEL=\($0))" } ?? "")),
            ("compiler", "\(e.swiftVersion) (the swift on PATH), release build; C: \(e.cCompiler)"),
            ("commit", e.commit ?? "unknown"), ("date", e.date),
            ("command", style == .markdown ? "`\(e.command)`" : e.command),
        ]
        if let start = loadAverageStart {
            var load = "1-minute load average \(fmt(start, 2)) at the start"
                + (loadAverageEnd.map { ", \(fmt($0, 2)) at the end" } ?? "") + " (\(e.onlineCpus) CPUs)"
            let others = [kernels?.throughput.otherProcessesCores, kernels?.latency.otherProcessesCores,
                          models?.otherProcessesCores, combine?.otherProcessesCores, swiftApi?.otherProcessesCores,
                          parallel?.otherProcessesCores]
            if let worst = others.compactMap({ $0 }).max() {
                load += "; other processes used up to \(fmt(worst, 2)) of a core during a table"
                    + (worst >= 0.2 ? ": absolute numbers are disturbed, trust the paired ratios more" : "")
            }
            lines.append(("load", load))
        }
        if repetitions.total > 0 {
            lines.append(("disturbance", "\(repetitions.retimed) of \(repetitions.total) repetitions were timed again "
                + "after losing the CPU (an involuntary context switch, or over 1% of the wall time not running); "
                + "\(repetitions.stillDisturbed) stayed disturbed after every attempt"))
        }
        let large = m.repetitions == m.largeSizeRepetitions ? "" : " (\(m.largeSizeRepetitions) from 64 MiB)"
        lines.append(("method", "\(m.repetitions) timed repetitions\(large) of about \(fmt(m.targetMsPerRepetition, 0))"
            + " ms per candidate after a warm-up, candidates interleaved in each repetition; median and min–max; "
            + "GB/s = 10^9 bytes/s"))
        return lines
    }

    /// The header block printed before the run.
    func terminalHeader() -> String {
        let lines = headerLines(.terminal) + environment.peers.enumerated().map { ($0 == 0 ? "peers" : "", $1) }
        let width = lines.map(\.0.count).max() ?? 0
        return "crcbench: swift-crc64 CRC-64 benchmark\n"
            + lines.map { $0 + String(repeating: " ", count: width - $0.count + 2) + $1 + "\n" }.joined()
    }

    func markdown(svgName: String?) -> String {
        var out = "# crcbench report — \(environment.date)\n\nswift-crc64 CRC-64 benchmark (`crcbench`). All "
            + "candidates run under the same C timing loop (CRCBenchSupport), called through a function pointer; "
            + "peers are loaded with dlopen.\n\n| | |\n|---|---|\n"
            + headerLines(.markdown).map { "| \($0) | \($1) |\n" }.joined()
            + environment.peers.map { "| peer | \($0) |\n" }.joined() + "| run time | \(fmt(elapsedSeconds, 1)) s |\n\n"
        if let svgName { out += "![throughput versus size](\(svgName))\n\n" }
        if let k = kernels {
            if !k.valueMismatches.isEmpty {
                out += "**Values differ from libcrc64_xz:** " + k.valueMismatches.joined(separator: "; ") + "\n\n"
            }
            let headline = Mode.allCases.compactMap { mode -> String? in
                let ratios = k.rows(mode).rows.compactMap { r in
                    r.xzOverIsal.map { "\(formatSize(r.size)) \(fmtRatio($0.median))" }
                }
                return ratios.isEmpty ? nil
                    : "- libcrc64_xz / ISA-L crc64_ecma_refl, \(mode.rawValue): \(ratios.joined(separator: ", "))\n"
            }
            if !headline.isEmpty { out += headline.joined() + "\n" }
        }
        return out + tables(.markdown).map { $0.render(.markdown) + "\n" }.joined()
    }
}

// MARK: - Tables

enum Style { case terminal, markdown }

struct Table {
    var title: String
    var note: String
    var headers: [String]
    var rows: [[String]]
    /// Columns (by index) aligned left; the others are right-aligned.
    var leftColumns: Set<Int> = [0]

    func render(_ style: Style) -> String {
        if style == .markdown {
            return "### \(title)\n\n\(note.replacingOccurrences(of: "\n", with: "; "))\n\n"
                + "| \(headers.joined(separator: " | ")) |\n"
                + "|" + headers.indices.map { leftColumns.contains($0) ? "---|" : "---:|" }.joined() + "\n"
                + rows.map { "| \($0.joined(separator: " | ")) |\n" }.joined()
        }
        let widths = headers.indices.map { i in rows.map { $0[i].count }.reduce(headers[i].count, max) }
        func line(_ cells: [String]) -> String {
            var s = cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return leftColumns.contains(i) ? cell + pad : pad + cell
            }.joined(separator: "  ")
            while s.hasSuffix(" ") { s.removeLast() }
            return s + "\n"
        }
        return "\(title)\n" + note.split(separator: "\n").map { "  \($0)\n" }.joined() + line(headers)
            + line(widths.map { String(repeating: "-", count: $0) }) + rows.map(line).joined()
    }
}

/// "67.1 ±1%" (terminal: the larger distance of min or max from the median) or "67.1 (66.3–67.4)" (markdown).
func cell(_ s: Stat?, _ style: Style, _ format: (Double) -> String, range: (Double) -> String) -> String {
    guard let s else { return "–" }
    let spread = s.median > 0 ? max(s.max - s.median, s.median - s.min) / s.median : 0
    return style == .terminal
        ? "\(format(s.median)) ±\(fmtPercent(spread))" : "\(format(s.median)) (\(range(s.min))–\(range(s.max)))"
}
func cellGB(_ s: Stat?, _ style: Style) -> String { cell(s, style, fmtGB, range: fmtGB) }
func cellNs(_ s: Stat?, _ style: Style) -> String { cell(s, style, fmtNs, range: fmtNs) }
func cellRatio(_ s: Stat?, _ style: Style) -> String { cell(s, style, fmtRatio) { fmt($0, 2) } }

extension Measured {
    /// What else ran while the table was measured.
    var otherLoadNote: String {
        guard let cores = otherProcessesCores else { return "" }
        return "; other processes used \(fmt(cores, 2)) of a core on average meanwhile"
            + (cores >= 0.2 ? " (they share caches, memory and the power budget: numbers are disturbed)" : "")
    }
}

extension Report {
    /// The tables of these sections (by default all), in the sections' order.
    func tables(_ style: Style, of sections: [Section] = Section.allCases) -> [Table] {
        sections.flatMap { section in
            switch section {
            case .kernels: return kernels?.tables(style) ?? []
            case .models: return [models?.table(style)].compactMap { $0 }
            case .combine: return [combine?.table(style)].compactMap { $0 }
            case .swift: return [swiftApi?.table(style)].compactMap { $0 }
            case .parallel: return [parallel?.table(style)].compactMap { $0 }
            }
        }
    }
}

extension KernelSection {
    func tables(_ style: Style) -> [Table] {
        Mode.allCases.compactMap { mode in
            let measured = rows(mode)
            if measured.rows.isEmpty { return nil }
            let rows = measured.rows.map { row in
                [formatSize(row.size)]
                    + columns.map { $0.absent != nil ? "absent" : cellGB(row.results[$0.id]?.gbps(row.size), style) }
                    + [cellRatio(row.xzOverIsal, style)]
                    + (mode == .throughput ? [] : ["libcrc64_xz", "crc64_ecma_refl"].map { id in
                        row.results[id].map { fmtNs($0.nsPerCall.median) } ?? "–"
                    })
            }
            let isalAbsent = columns.contains { $0.id == "crc64_ecma_refl" && $0.absent != nil }
            return Table(
                title: mode == .throughput
                    ? "Throughput, CRC-64/XZ, GB/s: independent calls, acc ^= f(0, buf, n)"
                    : "Latency, CRC-64/XZ, GB/s: chained calls, acc = f(acc, buf, n) (up to "
                        + "\(formatSize(Options.latencyMaxSize)))",
                note: "cells: median ±spread (the larger distance of min or max from the median, over the "
                    + "repetitions)\nxz / isal: libcrc64_xz speed over ISA-L crc64_ecma_refl (paired per repetition); "
                    + "zlib-crc32 is CRC-32, a yardstick" + measured.otherLoadNote
                    + (isalAbsent ? "\nisal absent: \(Peer.isalHint) gives libisal.so.2 (loaded at run time; nothing "
                        + "links it)" : ""),
                headers: ["size"] + columns.map(\.header) + ["xz / isal"]
                    + (mode == .throughput ? [] : ["libcrc64_xz ns", "isal ns"]),
                rows: rows)
        }
    }
}

extension Measured where Row == ModelRow {
    func table(_ style: Style) -> Table? {
        if rows.isEmpty { return nil }
        let sizes = ModelRow.sizes
        return Table(
            title: "Preset models through the dispatched kernel (libcrc64_update), GB/s",
            note: "thr = throughput mode, lat = latency mode; worst vs XZ: the lowest median speed ratio to CRC-64/XZ "
                + "(goal for not-reflected models: >= 0.80x); check: the catalogue check value of \"123456789\""
                + otherLoadNote,
            headers: ["model", "poly", "bit order"] + sizes.map(formatSize).flatMap { ["\($0) thr", "\($0) lat"] }
                + ["worst vs XZ", "check"],
            rows: rows.map { r in
                let speeds = sizes.flatMap { s in Mode.allCases.map { r.result($0, s)?.samples.gbps(s) } }
                    .map { cellGB($0, style) }
                return [r.name, r.poly, r.reflected ? "reflected" : "not reflected"] + speeds
                    + [r.results.map(\.speedVsXz.median).min().map(fmtRatio) ?? "–", r.checkOk ? "ok" : "WRONG"]
            },
            leftColumns: [0, 1, 2])
    }
}

extension Measured where Row == CombineRow {
    func table(_ style: Style) -> Table? {
        if rows.isEmpty { return nil }
        return Table(
            title: "Combine, CRC-64/XZ model, ns per call",
            note: "libcrc64_combine(model, crc1, crc2, len2) from scratch; libcrc64_combiner_apply with an operator "
                + "made once for len2; thr: acc ^= f(crc1, crc2), lat: acc = f(acc, crc2)" + otherLoadNote,
            headers: ["len2", "combine thr", "combine lat", "combiner apply thr", "combiner apply lat", "goal < 50 ns"],
            rows: rows.map { r in
                let worst = r.combine.values.map(\.nsPerCall.median).max()
                let calls = [r.combine, r.combinerApply].flatMap { by in Mode.allCases.map { by[$0.rawValue] } }
                return [formatLength(r.len2)] + calls.map { cellNs($0?.nsPerCall, style) }
                    + [(worst.map { $0 < 50 ? "met" : "MISSED" } ?? "–") + (r.correct == false ? " (WRONG VALUE)" : "")]
            })
    }
}

extension Measured where Row == SwiftAPIRow {
    func table(_ style: Style) -> Table? {
        if rows.isEmpty { return nil }
        return Table(
            title: "Swift API against the C ABI, ns per call",
            note: "each Swift call and the C call it wraps, in identical Swift loops over the same bytes; goal: "
                + "Swift / C time <= 1.20x"
                + (rows.allSatisfy(\.valuesAgree) ? "" : "; WARNING: a Swift call's value differed from its C twin")
                + otherLoadNote,
            headers: ["Swift call", "C call", "size", "mode", "C", "Swift", "overhead", "Swift / C time"],
            rows: rows.map { r in
                let overhead = r.swift.flatMap { s in r.c.map { s.nsPerCall.median - $0.nsPerCall.median } }
                return [r.swiftCall, r.cCall, r.size.map(formatSize) ?? "–", r.mode.rawValue,
                        cellNs(r.c?.nsPerCall, style), cellNs(r.swift?.nsPerCall, style),
                        overhead.map { ($0 >= 0 ? "+" : "") + fmtNs($0) } ?? "–", cellRatio(r.swiftOverCTime, style)]
            })
    }
}

extension Measured where Row == ParallelRow {
    func table(_ style: Style) -> Table? {
        guard let t = rows.first?.threads else { return nil }
        let mismatches = rows.flatMap(\.valueMismatches)
        return Table(
            title: "Multi-core, CRC-64/XZ, GB/s (throughput mode)",
            note: "Swift: CRC64Model.xz.checksum(buffer, threads: \(t)); C threads: the buffer in \(t) equal parts, "
                + "\(t - 1) pthread(s) spawned per call, parts combined with libcrc64_xz_combine. Goals: Swift >= 1.6x "
                + "one thread at 16 MiB, >= 1.3x at 512 MiB; read: every byte loaded and nothing computed, the "
                + "memory-bandwidth ceiling, timed from 64 MiB (out of cache, its \(t)T / 1T bounds any checksum's "
                + "speedup)" + otherLoadNote
                + (mismatches.isEmpty ? "" : "; WRONG VALUES: " + mismatches.joined(separator: ", ")),
            headers: ["size", "Swift \(t) threads", "libcrc64_xz 1 thread", "libcrc64_xz \(t) C threads",
                      "ISA-L 1 thread", "ISA-L \(t) C threads", "read 1 thread", "read \(t) threads",
                      "Swift / 1 thread", "Swift / ISA-L \(t)T", "ISA-L \(t)T / 1T", "read \(t)T / 1T"],
            rows: rows.map { r in
                func ratio(_ a: String, _ b: String) -> String {
                    guard let x = r.results[a], let y = r.results[b] else { return "–" }
                    return cellRatio(speedRatio(x, over: y), style)
                }
                let ids = ["swift-threads", "libcrc64_xz", "c-threads:libcrc64_xz", "isal", "c-threads:isal", "read",
                           "c-threads:read"]
                return [formatSize(r.size)]
                    + ids.map { id in
                        id.hasSuffix("isal") && r.results["isal"] == nil
                            ? "absent" : cellGB(r.results[id]?.gbps(r.size), style)
                    }
                    + [ratio("swift-threads", "libcrc64_xz"), ratio("swift-threads", "c-threads:isal"),
                       ratio("c-threads:isal", "isal"), ratio("c-threads:read", "read")]
            })
    }
}

// MARK: - Numbers

func formatSize(_ n: Int) -> String {
    if n >= 1 << 30, n % (1 << 30) == 0 { return "\(n >> 30) GiB" }
    if n >= 1 << 20, n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
    if n >= 1 << 10, n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
    return "\(n) B"
}

/// A combine length: a size, or hex where no binary unit fits (0xFFFFFFFFFF).
func formatLength(_ n: UInt64) -> String {
    n < 1024 || (n <= UInt64(Int.max) && !formatSize(Int(n)).hasSuffix(" B"))
        ? formatSize(Int(n)) : "0x" + String(n, radix: 16, uppercase: true)
}

func fmt(_ v: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", v) }

/// GB/s with about three significant digits.
func fmtGB(_ v: Double) -> String { fmt(v, v >= 100 ? 0 : v >= 10 ? 1 : v >= 1 ? 2 : 3) }

func fmtNs(_ v: Double) -> String {
    if v >= 1e6 { return fmt(v / 1e6, 2) + " ms" }
    if v >= 1e4 { return fmt(v / 1e3, 1) + " µs" }
    return fmt(v, v >= 100 ? 0 : 1) + " ns"
}

func fmtRatio(_ v: Double) -> String { fmt(v, 2) + "x" }

func fmtPercent(_ v: Double) -> String { fmt(v * 100, v < 0.0995 ? 1 : 0) + "%" }
#endif
