// A hand-written SVG plot of the kernels section: GB/s versus size on log-log axes, one line per kernel and peer,
// throughput and latency. Logarithms and powers are Foundation's.

import Foundation

struct PlotSeries {
    var label: String
    var color: String
    var dashed: Bool
    var width: Double
    var square: Bool
    var points: [(x: Double, y: Double)]
}

func xmlEscape(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}

private func n1(_ v: Double) -> String { fmt(v, 1) }

/// 1-2-5 ticks covering [lo, hi].
func ticks125(_ lo: Double, _ hi: Double) -> [Double] {
    var out: [Double] = []
    var e = Int(log10(lo).rounded(.down)) - 1
    while pow(10, Double(e)) <= hi * 10 {
        for m in [1.0, 2.0, 5.0] {
            let v = m * pow(10, Double(e))
            if v >= lo * 0.999 && v <= hi * 1.001 { out.append(v) }
        }
        e += 1
    }
    return out
}

func tickLabel(_ v: Double) -> String {
    if v >= 1 { return String(Int(v.rounded())) }
    var d = 1
    while d < 6 && abs(v * pow(10, Double(d)) - (v * pow(10, Double(d))).rounded()) > 1e-6 { d += 1 }
    return fmt(v, d)
}

struct Panel {
    var title: String
    var series: [PlotSeries]
    var xTicks: [Int]
}

func renderSVG(panels: [Panel], heading: String, subheadings: [String]) -> String {
    let width = 1040.0
    let left = 80.0, plotW = 680.0, legendX = left + plotW + 30
    let panelH = 470.0, plotH = 380.0, top0 = 66.0 + 18.0 * Double(subheadings.count)
    let height = top0 + Double(panels.count) * panelH + 20
    var s = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif">
        <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#ffffff"/>
        <text x="\(Int(left))" y="30" font-size="20" font-weight="bold" fill="#222">\(xmlEscape(heading))</text>

        """
    for (i, line) in subheadings.enumerated() {
        s += "<text x=\"\(Int(left))\" y=\"\(54 + 18 * i)\" font-size=\"13\" fill=\"#555\">\(xmlEscape(line))</text>\n"
    }
    for (pi, panel) in panels.enumerated() {
        let top = top0 + Double(pi) * panelH + 26
        let allX = panel.series.flatMap { $0.points.map(\.x) } + panel.xTicks.map(Double.init)
        let allY = panel.series.flatMap { $0.points.map(\.y) }.filter { $0 > 0 }
        guard let xMin0 = allX.min(), let xMax0 = allX.max(), let yMin0 = allY.min(), let yMax0 = allY.max() else {
            continue
        }
        var lx0 = log2(xMin0), lx1 = log2(xMax0)
        if lx1 - lx0 < 1 { lx0 -= 1; lx1 += 1 }
        lx0 -= 0.3; lx1 += 0.3
        let yt = ticks125(yMin0 / 1.6, yMax0 * 1.6)
        let ly0 = log10(min(yt.first ?? yMin0, yMin0 / 1.15)), ly1 = log10(max(yt.last ?? yMax0, yMax0 * 1.15))
        func px(_ x: Double) -> Double { left + (log2(x) - lx0) / (lx1 - lx0) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (log10(y) - ly0) / (ly1 - ly0) * plotH }

        s += "<g>\n"
        s += "<text x=\"\(Int(left))\" y=\"\(n1(top - 10))\" font-size=\"16\" font-weight=\"bold\" fill=\"#222\">\(xmlEscape(panel.title))</text>\n"
        s += "<rect x=\"\(n1(left))\" y=\"\(n1(top))\" width=\"\(n1(plotW))\" height=\"\(n1(plotH))\" fill=\"#fafafa\" stroke=\"#999\"/>\n"
        // y grid and ticks
        for v in yt {
            let y = py(v)
            let major = abs(log10(v) - log10(v).rounded()) < 1e-9
            s += "<line x1=\"\(n1(left))\" y1=\"\(n1(y))\" x2=\"\(n1(left + plotW))\" y2=\"\(n1(y))\" stroke=\"\(major ? "#cfcfcf" : "#e6e6e6")\" stroke-width=\"1\"/>\n"
            s += "<line x1=\"\(n1(left - 5))\" y1=\"\(n1(y))\" x2=\"\(n1(left))\" y2=\"\(n1(y))\" stroke=\"#666\"/>\n"
            s += "<text x=\"\(n1(left - 8))\" y=\"\(n1(y + 4))\" font-size=\"12\" text-anchor=\"end\" fill=\"#333\">\(tickLabel(v))</text>\n"
        }
        // x grid and ticks
        for t in panel.xTicks {
            let x = px(Double(t))
            s += "<line x1=\"\(n1(x))\" y1=\"\(n1(top))\" x2=\"\(n1(x))\" y2=\"\(n1(top + plotH))\" stroke=\"#e6e6e6\" stroke-width=\"1\"/>\n"
            s += "<line x1=\"\(n1(x))\" y1=\"\(n1(top + plotH))\" x2=\"\(n1(x))\" y2=\"\(n1(top + plotH + 5))\" stroke=\"#666\"/>\n"
            s += "<text x=\"\(n1(x))\" y=\"\(n1(top + plotH + 20))\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333\">\(xmlEscape(formatSize(t)))</text>\n"
        }
        s += "<text x=\"\(n1(left + plotW / 2))\" y=\"\(n1(top + plotH + 42))\" font-size=\"13\" text-anchor=\"middle\" fill=\"#222\">input size per call (bytes, log scale)</text>\n"
        s += "<text transform=\"translate(\(n1(left - 52)) \(n1(top + plotH / 2))) rotate(-90)\" font-size=\"13\" text-anchor=\"middle\" fill=\"#222\">GB/s (10^9 bytes/s, log scale)</text>\n"
        // series
        // The thick headline lines are drawn last so they sit on top.
        let drawOrder = panel.series.filter { $0.width <= 2 } + panel.series.filter { $0.width > 2 }
        for se in drawOrder where !se.points.isEmpty {
            let pts = se.points.map { "\(n1(px($0.x))),\(n1(py($0.y)))" }.joined(separator: " ")
            let dash = se.dashed ? " stroke-dasharray=\"7 4\"" : ""
            s += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"\(se.color)\" stroke-width=\"\(n1(se.width))\"\(dash) stroke-linejoin=\"round\"/>\n"
            for p in se.points {
                let x = px(p.x), y = py(p.y)
                if se.square {
                    s += "<rect x=\"\(n1(x - 3.5))\" y=\"\(n1(y - 3.5))\" width=\"7\" height=\"7\" fill=\"\(se.color)\"><title>\(xmlEscape(se.label)) \(xmlEscape(formatSize(Int(p.x)))): \(fmtGB(p.y)) GB/s</title></rect>\n"
                } else {
                    s += "<circle cx=\"\(n1(x))\" cy=\"\(n1(y))\" r=\"3.8\" fill=\"\(se.color)\"><title>\(xmlEscape(se.label)) \(xmlEscape(formatSize(Int(p.x)))): \(fmtGB(p.y)) GB/s</title></circle>\n"
                }
            }
        }
        // legend
        var ly = top + 14
        s += "<text x=\"\(n1(legendX))\" y=\"\(n1(ly))\" font-size=\"13\" font-weight=\"bold\" fill=\"#222\">legend</text>\n"
        ly += 20
        for se in panel.series {
            let dash = se.dashed ? " stroke-dasharray=\"7 4\"" : ""
            s += "<line x1=\"\(n1(legendX))\" y1=\"\(n1(ly - 4))\" x2=\"\(n1(legendX + 30))\" y2=\"\(n1(ly - 4))\" stroke=\"\(se.color)\" stroke-width=\"\(n1(se.width))\"\(dash)/>\n"
            if se.square {
                s += "<rect x=\"\(n1(legendX + 11.5))\" y=\"\(n1(ly - 7.5))\" width=\"7\" height=\"7\" fill=\"\(se.color)\"/>\n"
            } else {
                s += "<circle cx=\"\(n1(legendX + 15))\" cy=\"\(n1(ly - 4))\" r=\"3.8\" fill=\"\(se.color)\"/>\n"
            }
            s += "<text x=\"\(n1(legendX + 38))\" y=\"\(n1(ly))\" font-size=\"12\" fill=\"#222\">\(xmlEscape(se.label))</text>\n"
            ly += 21
        }
        s += "</g>\n"
    }
    s += "</svg>\n"
    return s
}

extension RunResults {
    func svg(_ k: KernelResults) -> String {
        let palette: [String: String] = [
            "libcrc64_xz": "#d62728", "kernel:avx512": "#ff7f0e", "kernel:avx2": "#2ca02c", "kernel:pclmul": "#8c564b",
            "kernel:pmull-eor3": "#ff7f0e", "kernel:pmull": "#2ca02c", "kernel:slice16": "#e377c2",
            "isal:crc64_ecma_refl": "#1f77b4", "isal:crc64_ecma_refl_by8": "#17becf",
            "isal:crc64_ecma_refl_base": "#9467bd", "lzma:lzma_crc64": "#bcbd22", "zlib:crc32": "#7f7f7f",
        ]
        var panels: [Panel] = []
        for mode in Mode.allCases {
            let sizes = mode == .throughput ? k.sizes : k.latencySizes
            if sizes.isEmpty { continue }
            var series: [PlotSeries] = []
            for c in k.columns where c.available {
                let pts = sizes.compactMap { size in
                    k.samples(mode, size, c.id).map { (x: Double(size), y: $0.gbps(size).median) }
                }
                var label = c.header
                if c.id == "libcrc64_xz" { label = "libcrc64_xz (dispatched: \(machine.dispatched))" }
                if c.id.hasPrefix("kernel:") { label = "kernel \(c.header)" }
                if c.id == "isal:crc64_ecma_refl" { label = "ISA-L crc64_ecma_refl" }
                if c.id == "isal:crc64_ecma_refl_by8" { label = "ISA-L crc64_ecma_refl_by8" }
                if c.id == "isal:crc64_ecma_refl_base" { label = "ISA-L crc64_ecma_refl_base" }
                if c.id == "lzma:lzma_crc64" { label = "liblzma lzma_crc64" }
                if c.id == "zlib:crc32" { label = "zlib crc32 (CRC-32)" }
                series.append(PlotSeries(
                    label: label, color: palette[c.id] ?? "#444444", dashed: c.isPeer,
                    width: c.id == "libcrc64_xz" || c.id == "isal:crc64_ecma_refl" ? 3 : 1.8, square: c.isPeer,
                    points: pts))
            }
            let title = mode == .throughput
                ? "Throughput: independent calls, acc ^= f(0, buf, n)"
                : "Latency: chained calls, acc = f(acc, buf, n)"
            panels.append(Panel(title: title, series: series, xTicks: sizes))
        }
        let m = machine
        let heading = "crcbench: CRC-64/XZ speed versus input size (median of \(repetitions) repetitions)"
        let subs = [
            "\(m.cpu), \(m.onlineCPUs) CPUs · \(m.swiftVersion) · \(m.date)",
            "commit \(m.commit ?? "unknown") · solid lines: swift-crc64, dashed: peers (dlopen)",
        ]
        return renderSVG(panels: panels, heading: heading, subheadings: subs)
    }
}
