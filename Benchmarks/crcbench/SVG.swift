// A hand-written SVG plot of the kernels section: GB/s versus size on log-log axes, one line per kernel and peer,
// throughput and latency. Logarithms and powers are Foundation's.

#if !os(Windows)
import Foundation

extension Report {
    /// The plot of the kernels section (Options refuses --svg without it).
    func svg() -> String {
        guard let k = kernels else { return "" }
        let e = environment, modes = Mode.allCases.filter { !k.rows($0).rows.isEmpty }
        let subheadings = [
            "\(e.cpu), \(e.onlineCpus) CPUs · \(e.swiftVersion) · \(e.date)",
            "commit \(e.commit ?? "unknown") · solid lines: swift-crc64, dashed: peers (dlopen)",
        ]
        let width = 1040.0, left = 80.0, plotW = 680.0, legendX = left + plotW + 30, panelH = 470.0, plotH = 380.0
        let top0 = 66.0 + 18.0 * Double(subheadings.count), height = top0 + Double(modes.count) * panelH + 20
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
            + "width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
            + "font-family=\"Helvetica, Arial, sans-serif\">\n"
            + element("rect", ["x": 0.0, "y": 0.0, "width": width, "height": height, "fill": "#ffffff"])
            + text(left, 30, 20, "crcbench: CRC-64/XZ speed versus input size (median of \(method.repetitions) "
                + "repetitions)", bold: true)
        for (i, line) in subheadings.enumerated() { s += text(left, 54 + 18 * Double(i), 13, line, fill: "#555") }
        for (panel, mode) in modes.enumerated() {
            let rows = k.rows(mode).rows, top = top0 + Double(panel) * panelH + 26, bottom = top + plotH
            // One series per timed column, ours solid and peers dashed; the thick headline lines are drawn last.
            let series = k.columns.filter { $0.absent == nil }.map { c in
                (column: c, width: ["libcrc64_xz", "crc64_ecma_refl"].contains(c.id) ? 3.0 : 1.8,
                 points: rows.compactMap { r in
                     r.results[c.id].map { (x: Double(r.size), y: $0.gbps(r.size).median) }
                 })
            }
            let xs = rows.map { Double($0.size) }, ys = series.flatMap { $0.points.map(\.y) }.filter { $0 > 0 }
            guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else { continue }
            var lx0 = log2(xMin), lx1 = log2(xMax)
            if lx1 - lx0 < 1 { (lx0, lx1) = (lx0 - 1, lx1 + 1) }
            (lx0, lx1) = (lx0 - 0.3, lx1 + 0.3)
            let yTicks = ticks125(yMin / 1.6, yMax * 1.6)
            let ly0 = log10(min(yTicks.first ?? yMin, yMin / 1.15)), ly1 = log10(max(yTicks.last ?? yMax, yMax * 1.15))
            func px(_ x: Double) -> Double { left + (log2(x) - lx0) / (lx1 - lx0) * plotW }
            func py(_ y: Double) -> Double { bottom - (log10(y) - ly0) / (ly1 - ly0) * plotH }

            s += "<g>\n" + text(left, top - 10, 16, mode == .throughput
                ? "Throughput: independent calls, acc ^= f(0, buf, n)" : "Latency: chained calls, acc = f(acc, buf, n)",
                bold: true)
            s += element("rect", ["x": left, "y": top, "width": plotW, "height": plotH, "fill": "#fafafa",
                                  "stroke": "#999"])
            for v in yTicks {
                let y = py(v), major = abs(log10(v) - log10(v).rounded()) < 1e-9
                s += line(left, y, left + plotW, y, major ? "#cfcfcf" : "#e6e6e6") + line(left - 5, y, left, y)
                    + text(left - 8, y + 4, 12, tickLabel(v), anchor: "end", fill: "#333")
            }
            for r in rows {
                let x = px(Double(r.size))
                s += line(x, top, x, bottom, "#e6e6e6") + line(x, bottom, x, bottom + 5)
                    + text(x, bottom + 20, 12, formatSize(r.size), anchor: "middle", fill: "#333")
            }
            s += text(left + plotW / 2, bottom + 42, 13, "input size per call (bytes, log scale)", anchor: "middle")
                + element("text", ["transform": "translate(\(fmt(left - 52, 1)) \(fmt(top + plotH / 2, 1)))"
                                   + " rotate(-90)", "font-size": 13, "text-anchor": "middle", "fill": "#222"],
                          text: "GB/s (10^9 bytes/s, log scale)")
            for (c, lineWidth, points) in series.filter({ $0.width < 3 }) + series.filter({ $0.width >= 3 }) {
                s += element("polyline", [
                    "points": points.map { "\(fmt(px($0.x), 1)),\(fmt(py($0.y), 1))" }.joined(separator: " "),
                    "fill": "none", "stroke": c.color, "stroke-width": lineWidth,
                    "stroke-dasharray": c.peer ? "7 4" : "none", "stroke-linejoin": "round",
                ])
                for p in points {
                    s += marker(c, px(p.x), py(p.y), tooltip: "\(c.title) \(formatSize(Int(p.x))): \(fmtGB(p.y)) GB/s")
                }
            }
            s += text(legendX, top + 14, 13, "legend", bold: true)
            for (i, (c, lineWidth, _)) in series.enumerated() {
                let y = top + 30 + 21 * Double(i)
                s += line(legendX, y, legendX + 30, y, c.color, width: lineWidth, dashed: c.peer)
                    + marker(c, legendX + 15, y) + text(legendX + 38, y + 4, 12, c.title)
            }
            s += "</g>\n"
        }
        return s + "</svg>\n"
    }
}

/// An SVG element with its attributes in the order given (numbers with one decimal) and an optional text or tooltip.
private func element(_ name: String, _ attributes: KeyValuePairs<String, Any>, text: String? = nil,
                     tooltip: String? = nil) -> String {
    let escape = { (s: String) in
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
    let list = attributes.map { " \($0)=\"\(($1 as? Double).map { fmt($0, 1) } ?? escape("\($1)"))\"" }
    if let text { return "<\(name)\(list.joined())>\(escape(text))</\(name)>\n" }
    if let tooltip { return "<\(name)\(list.joined())><title>\(escape(tooltip))</title></\(name)>\n" }
    return "<\(name)\(list.joined())/>\n"
}

private func text(_ x: Double, _ y: Double, _ size: Int, _ content: String, anchor: String = "start",
                  fill: String = "#222", bold: Bool = false) -> String {
    element("text", ["x": x, "y": y, "font-size": size, "text-anchor": anchor, "font-weight": bold ? "bold" : "normal",
                     "fill": fill], text: content)
}

private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ stroke: String = "#666",
                  width: Double = 1, dashed: Bool = false) -> String {
    element("line", ["x1": x1, "y1": y1, "x2": x2, "y2": y2, "stroke": stroke, "stroke-width": width,
                     "stroke-dasharray": dashed ? "7 4" : "none"])
}

/// A point of a series: a circle for ours, a square for a peer.
private func marker(_ c: Column, _ x: Double, _ y: Double, tooltip: String? = nil) -> String {
    c.peer
        ? element("rect", ["x": x - 3.5, "y": y - 3.5, "width": 7, "height": 7, "fill": c.color], tooltip: tooltip)
        : element("circle", ["cx": x, "cy": y, "r": 3.8, "fill": c.color], tooltip: tooltip)
}

/// 1-2-5 ticks covering [lo, hi].
private func ticks125(_ lo: Double, _ hi: Double) -> [Double] {
    let decades = Int(log10(lo).rounded(.down)) - 1...Int(log10(hi).rounded(.up)) + 1
    return decades.flatMap { e in [1.0, 2, 5].map { $0 * pow(10, Double(e)) } }
        .filter { $0 >= lo * 0.999 && $0 <= hi * 1.001 }
}

private func tickLabel(_ v: Double) -> String {
    if v >= 1 { return String(Int(v.rounded())) }
    var d = 1
    while d < 6 && abs(v * pow(10, Double(d)) - (v * pow(10, Double(d))).rounded()) > 1e-6 { d += 1 }
    return fmt(v, d)
}
#endif
