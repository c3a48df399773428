// Tables for the terminal and for markdown, from the same results.

import CRC64Kit
import Foundation

/// Everything one run measured.
struct RunResults {
    var machine: MachineInfo
    var options: Options
    var repetitions: Int
    var largeRepetitions: Int
    var targetMs: Double
    var kernels: KernelResults?
    var models: ModelResults?
    var combine: [CombineRow]?
    var swiftAPI: [SwiftAPIRow]?
    var swiftAPIMismatch = false
    var parallel: [ParallelRow]?
    var parallelThreads: Int
    var elapsedSeconds: Double = 0
    var loadAtEnd: Double?
    var tally: Tally?
    /// Cores other processes kept busy while a section ran ("models", "combine", "swift", "parallel").
    var otherLoad: [String: Double] = [:]
}

/// A note on what else ran while a table was measured.
func otherLoadNote(_ cores: Double?) -> String {
    guard let cores else { return "" }
    let s = "other processes used \(fmt(cores, 2)) of a core on average meanwhile"
    return cores >= 0.2 ? "; " + s + " (they share caches, memory and the power budget: numbers are disturbed)" : "; " + s
}

enum Style { case terminal, markdown }

struct Table {
    var title: String
    var note: String?
    var headers: [String]
    var rows: [[String]]
    /// Columns (by index) aligned left; the others are right-aligned.
    var leftColumns: Set<Int> = [0]

    func render(_ style: Style) -> String {
        switch style {
        case .markdown:
            var out = "### \(title)\n\n"
            if let note { out += "\(note)\n\n" }
            out += "| " + headers.joined(separator: " | ") + " |\n"
            out += "|" + headers.indices.map { leftColumns.contains($0) ? "---|" : "---:|" }.joined() + "\n"
            for row in rows { out += "| " + row.joined(separator: " | ") + " |\n" }
            return out
        case .terminal:
            var widths = headers.map(\.count)
            for row in rows {
                for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
            }
            func line(_ cells: [String]) -> String {
                var s = ""
                for (i, cell) in cells.enumerated() {
                    let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                    s += (i == 0 ? "" : "  ") + (leftColumns.contains(i) ? cell + pad : pad + cell)
                }
                while s.hasSuffix(" ") { s.removeLast() }
                return s
            }
            var out = "\(title)\n"
            if let note { out += note.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n" }
            out += line(headers) + "\n"
            out += line(widths.map { String(repeating: "-", count: $0) }) + "\n"
            for row in rows { out += line(row) + "\n" }
            return out
        }
    }
}

/// "67.1 ±1%" (terminal) or "67.1 (66.3–67.4)" (markdown).
func cellGB(_ s: Stat?, _ style: Style) -> String {
    guard let s else { return "–" }
    switch style {
    case .terminal: return "\(fmtGB(s.median)) ±\(fmtPercent(s.spread))"
    case .markdown: return "\(fmtGB(s.median)) (\(fmtGB(s.min))–\(fmtGB(s.max)))"
    }
}

func cellNs(_ s: Stat?, _ style: Style) -> String {
    guard let s else { return "–" }
    switch style {
    case .terminal: return "\(fmtNs(s.median)) ±\(fmtPercent(s.spread))"
    case .markdown: return "\(fmtNs(s.median)) (\(fmtNs(s.min))–\(fmtNs(s.max)))"
    }
}

func cellRatio(_ s: Stat?, _ style: Style) -> String {
    guard let s else { return "–" }
    switch style {
    case .terminal: return "\(fmtRatio(s.median)) ±\(fmtPercent(s.spread))"
    case .markdown: return "\(fmtRatio(s.median)) (\(fmt(s.min, 2))–\(fmt(s.max, 2)))"
    }
}

let spreadNote = "cells: median ±spread (the larger distance of min or max from the median, over the repetitions)"

extension RunResults {
    func headerLines(_ style: Style) -> [(String, String)] {
        let m = machine
        var lines: [(String, String)] = []
        lines.append(("CPU", "\(m.cpu); \(m.onlineCPUs) online CPU\(m.onlineCPUs == 1 ? "" : "s"); \(m.os)"))
        lines.append(("features", m.features.isEmpty ? "(none of interest reported)" : m.features.joined(separator: " ")))
        let ks = Kernels.all.map { "\($0.name) \($0.supported ? "yes" : "no")" }.joined(separator: ", ")
        lines.append(("kernels", ks))
        var dispatched = m.dispatched
        if let f = m.kernelForced { dispatched += " (CRC64_KERNEL=\(f))" }
        lines.append(("dispatched", dispatched))
        lines.append(("compiler", "\(m.swiftVersion) (the swift on PATH), release build; C: \(m.cCompiler)"))
        lines.append(("commit", m.commit ?? "unknown"))
        lines.append(("date", m.date))
        lines.append(("command", style == .markdown ? "`\(m.command)`" : m.command))
        if let l = m.loadAtStart {
            var load = "1-minute load average \(fmt(l, 2)) at the start"
            if let e = loadAtEnd { load += ", \(fmt(e, 2)) at the end" }
            load += " (\(m.onlineCPUs) CPUs)"
            let others = Array(otherLoad.values) + Array((kernels?.otherLoad ?? [:]).values)
            if let worst = others.max() {
                load += "; other processes used up to \(fmt(worst, 2)) of a core during a table"
                if worst >= 0.2 { load += ": absolute numbers are disturbed, trust the paired ratios more" }
            }
            lines.append(("load", load))
        }
        if let t = tally, t.repetitions > 0 {
            lines.append((
                "disturbance",
                "\(t.retimed) of \(t.repetitions) repetitions were timed again after losing the CPU "
                    + "(an involuntary context switch, or over 1% of the wall time not running); "
                    + "\(t.disturbed) stayed disturbed after every attempt"))
        }
        let large = repetitions == largeRepetitions ? "" : " (\(largeRepetitions) from 64 MiB)"
        lines.append((
            "method",
            "\(repetitions) timed repetitions\(large) of about \(fmt(targetMs, 0)) ms per candidate after a warm-up, "
                + "candidates interleaved in each repetition; median and min–max; GB/s = 10^9 bytes/s"))
        return lines
    }

    func peerLines() -> [String] { machine.peers.map { "\($0.0): \($0.1)" } }

    func kernelTables(_ style: Style) -> [Table] {
        guard let k = kernels else { return [] }
        var tables: [Table] = []
        for mode in Mode.allCases {
            let sizes = mode == .throughput ? k.sizes : k.latencySizes
            if sizes.isEmpty { continue }
            var headers = ["size"] + k.columns.map(\.header) + ["xz / isal"]
            if mode == .latency { headers += ["libcrc64_xz ns", "isal ns"] }
            var rows: [[String]] = []
            for size in sizes {
                var row = [formatSize(size)]
                for c in k.columns {
                    if !c.available { row.append("absent"); continue }
                    row.append(cellGB(k.samples(mode, size, c.id)?.gbps(size), style))
                }
                row.append(cellRatio(k.ratio[mode]?[size], style))
                if mode == .latency {
                    row.append(k.samples(mode, size, "libcrc64_xz").map { fmtNs($0.ns.median) } ?? "–")
                    row.append(k.samples(mode, size, "isal:crc64_ecma_refl").map { fmtNs($0.ns.median) } ?? "–")
                }
                rows.append(row)
            }
            let title = mode == .throughput
                ? "Throughput, CRC-64/XZ, GB/s: independent calls, acc ^= f(0, buf, n)"
                : "Latency, CRC-64/XZ, GB/s: chained calls, acc = f(acc, buf, n) (up to \(formatSize(options.latencyMaxSize)))"
            var note = spreadNote
                + "\nxz / isal: libcrc64_xz speed over ISA-L crc64_ecma_refl (paired per repetition); zlib-crc32 is CRC-32, a yardstick"
            note += otherLoadNote(k.otherLoad[mode])
            if let isal = k.columns.first(where: { $0.id == "isal:crc64_ecma_refl" }), !isal.available {
                note += "\nisal absent: \(Peers.isalHint) gives libisal.so.2 (loaded at run time; nothing links it)"
            }
            if style == .markdown { note = note.replacingOccurrences(of: "\n", with: "; ") }
            tables.append(Table(title: title, note: note, headers: headers, rows: rows))
        }
        return tables
    }

    func modelTable(_ style: Style) -> Table? {
        guard let m = models, !m.rows.isEmpty else { return nil }
        var headers = ["model", "poly", "bit order"]
        for size in m.sizes { for mode in Mode.allCases { headers.append("\(formatSize(size)) \(mode == .throughput ? "thr" : "lat")") } }
        headers += ["worst vs XZ", "check"]
        var rows: [[String]] = []
        for r in m.rows {
            var row = [r.name, "0x" + CRC64Digest(r.poly).hex, r.reflected ? "reflected" : "not reflected"]
            var worst: Double? = nil
            for size in m.sizes {
                for mode in Mode.allCases {
                    row.append(cellGB(r.results[mode]?[size]?.gbps(size), style))
                    if let ratio = r.ratioToXZ[mode]?[size]?.median { worst = min(worst ?? ratio, ratio) }
                }
            }
            row.append(worst.map(fmtRatio) ?? "–")
            row.append(r.checkOK ? "ok" : "WRONG")
            rows.append(row)
        }
        return Table(
            title: "Preset models through the dispatched kernel (libcrc64_update), GB/s",
            note: "thr = throughput mode, lat = latency mode; worst vs XZ: the lowest median speed ratio to CRC-64/XZ "
                + "(goal for not-reflected models: >= 0.80x); check: the catalogue check value of \"123456789\""
                + otherLoadNote(otherLoad["models"]),
            headers: headers, rows: rows, leftColumns: [0, 1, 2])
    }

    func combineTable(_ style: Style) -> Table? {
        guard let c = combine, !c.isEmpty else { return nil }
        let headers = ["len2", "combine thr", "combine lat", "combiner apply thr", "combiner apply lat", "goal < 50 ns"]
        var rows: [[String]] = []
        for r in c {
            let worst = Mode.allCases.compactMap { r.combine[$0]?.ns.median }.max()
            rows.append([
                formatLength(r.len2),
                cellNs(r.combine[.throughput]?.ns, style), cellNs(r.combine[.latency]?.ns, style),
                cellNs(r.apply[.throughput]?.ns, style), cellNs(r.apply[.latency]?.ns, style),
                (worst.map { $0 < 50 ? "met" : "MISSED" } ?? "–") + (r.correct ? "" : " (WRONG VALUE)"),
            ])
        }
        return Table(
            title: "Combine, CRC-64/XZ model, ns per call",
            note: "libcrc64_combine(model, crc1, crc2, len2) from scratch; libcrc64_combiner_apply with an operator made once "
                + "for len2; thr: acc ^= f(crc1, crc2), lat: acc = f(acc, crc2)" + otherLoadNote(otherLoad["combine"]),
            headers: headers, rows: rows)
    }

    func swiftAPITable(_ style: Style) -> Table? {
        guard let s = swiftAPI, !s.isEmpty else { return nil }
        let headers = ["Swift call", "C call", "size", "mode", "C", "Swift", "overhead", "Swift / C time"]
        var rows: [[String]] = []
        for r in s {
            rows.append([
                r.label, r.cLabel, r.size == 0 ? "–" : formatSize(r.size), r.chained ? "latency" : "throughput",
                cellNs(r.c.ns, style), cellNs(r.swift.ns, style),
                (r.swift.ns.median - r.c.ns.median >= 0 ? "+" : "") + fmtNs(r.swift.ns.median - r.c.ns.median),
                cellRatio(r.ratio, style),
            ])
        }
        return Table(
            title: "Swift API against the C ABI, ns per call",
            note: "each Swift call and the C call it wraps, in identical Swift loops over the same bytes; goal: "
                + "Swift / C time <= 1.20x"
                + (swiftAPIMismatch ? "; WARNING: a Swift call's value differed from its C twin" : "")
                + otherLoadNote(otherLoad["swift"]),
            headers: headers, rows: rows)
    }

    func parallelTable(_ style: Style) -> Table? {
        guard let p = parallel, !p.isEmpty else { return nil }
        let t = parallelThreads
        let headers = ["size", "Swift \(t) threads", "libcrc64_xz 1 thread", "libcrc64_xz \(t) C threads",
                       "ISA-L 1 thread", "ISA-L \(t) C threads", "read 1 thread", "read \(t) threads",
                       "Swift / 1 thread", "Swift / ISA-L \(t)T", "ISA-L \(t)T / 1T", "read \(t)T / 1T"]
        var rows: [[String]] = []
        for r in p {
            func g(_ id: String) -> Stat? { r.results[id]?.gbps(r.size) }
            let isalAbsent = !r.ids.contains("isal")
            func ratio(_ a: String, _ b: String) -> String {
                guard let x = r.results[a], let y = r.results[b] else { return "–" }
                return cellRatio(speedRatio(x, over: y), style)
            }
            rows.append([
                formatSize(r.size), cellGB(g("swift-threads"), style), cellGB(g("libcrc64_xz"), style),
                cellGB(g("c-threads:libcrc64_xz"), style), isalAbsent ? "absent" : cellGB(g("isal"), style),
                isalAbsent ? "absent" : cellGB(g("c-threads:isal"), style), cellGB(g("read"), style),
                cellGB(g("c-threads:read"), style), ratio("swift-threads", "libcrc64_xz"),
                ratio("swift-threads", "c-threads:isal"), ratio("c-threads:isal", "isal"),
                ratio("c-threads:read", "read"),
            ])
        }
        let mismatches = p.flatMap(\.mismatches)
        return Table(
            title: "Multi-core, CRC-64/XZ, GB/s (throughput mode)",
            note: "Swift: CRC64Model.xz.checksum(buffer, threads: \(t)); C threads: the buffer in \(t) equal parts, "
                + "\(t - 1) pthread(s) spawned per call, parts combined with libcrc64_xz_combine. Goals: Swift >= 1.6x "
                + "one thread at 16 MiB, >= 1.3x at 512 MiB; read: every byte loaded and nothing computed, the memory-bandwidth "
                + "ceiling, timed from 64 MiB (out of cache, its \(t)T / 1T bounds any checksum's speedup)"
                + otherLoadNote(otherLoad["parallel"])
                + (mismatches.isEmpty ? "" : "; WRONG VALUES: " + mismatches.joined(separator: ", ")),
            headers: headers, rows: rows)
    }

    func allTables(_ style: Style) -> [Table] {
        kernelTables(style) + [modelTable(style), combineTable(style), swiftAPITable(style), parallelTable(style)]
            .compactMap { $0 }
    }

    func terminalText() -> String {
        var out = "crcbench: swift-crc64 CRC-64 benchmark\n"
        let lines = headerLines(.terminal)
        let w = lines.map(\.0.count).max() ?? 0
        for (k, v) in lines { out += k + String(repeating: " ", count: w - k.count + 2) + v + "\n" }
        let peers = peerLines()
        if !peers.isEmpty {
            out += "peers" + String(repeating: " ", count: w - 3) + peers.joined(separator: "\n" + String(repeating: " ", count: w + 2)) + "\n"
        }
        if let k = kernels, !k.mismatches.isEmpty {
            out += "\nWARNING: values differ from libcrc64_xz: " + k.mismatches.joined(separator: "; ") + "\n"
        }
        return out
    }

    func markdown(svgName: String?) -> String {
        let m = machine
        var out = "# crcbench report — \(m.date)\n\n"
        out += "swift-crc64 CRC-64 benchmark (`crcbench`). All candidates run under the same C timing loop "
            + "(CRCBenchSupport), called through a function pointer; peers are loaded with dlopen.\n\n"
        out += "| | |\n|---|---|\n"
        for (k, v) in headerLines(.markdown) { out += "| \(k) | \(v) |\n" }
        for p in peerLines() { out += "| peer | \(p) |\n" }
        out += "| run time | \(fmt(elapsedSeconds, 1)) s |\n\n"
        if let svgName { out += "![throughput versus size](\(svgName))\n\n" }
        if let k = kernels, !k.mismatches.isEmpty {
            out += "**Values differ from libcrc64_xz:** " + k.mismatches.joined(separator: "; ") + "\n\n"
        }
        if let k = kernels {
            out += headline(k)
        }
        for t in allTables(.markdown) { out += t.render(.markdown) + "\n" }
        return out
    }

    /// A short summary of ours against ISA-L (markdown).
    func headline(_ k: KernelResults) -> String {
        var out = ""
        for mode in Mode.allCases {
            let sizes = mode == .throughput ? k.sizes : k.latencySizes
            let parts = sizes.compactMap { s in k.ratio[mode]?[s].map { "\(formatSize(s)) \(fmtRatio($0.median))" } }
            if !parts.isEmpty {
                out += "- libcrc64_xz / ISA-L crc64_ecma_refl, \(mode.rawValue): " + parts.joined(separator: ", ") + "\n"
            }
        }
        return out.isEmpty ? "" : out + "\n"
    }
}
