import Ticketing

/// The report's charts as inline SVG we draw ourselves: no scripts, fonts or network.
/// Every text that may come from mail (names, domains) is escaped.
enum SVGChart {
    static let width = 640.0
    static let font = "font-family=\"sans-serif\" font-size=\"11\" fill=\"#333\""

    /// Lines over periods with a y axis of round ticks, x labels thinned to fit, and a legend.
    static func lines(_ series: [(name: String, color: String, values: [Int])], labels: [String], title: String) -> String {
        let height = 220.0, left = 48.0, right = 12.0, top = 28.0, bottom = 36.0
        let plotW = width - left - right, plotH = height - top - bottom
        let top1 = niceCeiling(series.flatMap(\.values).max() ?? 0)
        let n = max(labels.count, 1)
        func x(_ i: Int) -> Double { left + (n == 1 ? plotW / 2 : Double(i) * plotW / Double(n - 1)) }
        func y(_ v: Int) -> Double { top + plotH - Double(v) / Double(top1) * plotH }
        var svg = open(height: height, title: title)
        svg += axes(left: left, top: top, plotW: plotW, plotH: plotH, maximum: top1)
        let every = max(1, Int((Double(n) / 8).rounded(.up)))
        for (i, label) in labels.enumerated() where i % every == 0 {
            svg += "<text x=\"\(f(x(i)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\" \(font)>\(escape(label))</text>"
        }
        for (k, s) in series.enumerated() {
            let points = s.values.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"/>"
            if s.values.count == 1 { svg += "<circle cx=\"\(f(x(0)))\" cy=\"\(f(y(s.values[0])))\" r=\"3\" fill=\"\(s.color)\"/>" }
            let lx = left + Double(k) * 130
            svg += "<rect x=\"\(f(lx))\" y=\"\(f(height - 12))\" width=\"12\" height=\"4\" fill=\"\(s.color)\"/>"
            svg += "<text x=\"\(f(lx + 16))\" y=\"\(f(height - 7))\" \(font)>\(escape(s.name))</text>"
        }
        return svg + "</svg>"
    }

    /// Vertical bars, one per labelled bucket (a distribution).
    static func columns(_ values: [Int], labels: [String], title: String, color: String = "#4a78b5") -> String {
        let height = 200.0, left = 48.0, right = 12.0, top = 28.0, bottom = 28.0
        let plotW = width - left - right, plotH = height - top - bottom
        let top1 = niceCeiling(values.max() ?? 0)
        let slot = plotW / Double(max(values.count, 1))
        var svg = open(height: height, title: title) + axes(left: left, top: top, plotW: plotW, plotH: plotH, maximum: top1)
        for (i, v) in values.enumerated() {
            let h = Double(v) / Double(top1) * plotH
            let x = left + Double(i) * slot + slot * 0.15
            svg += "<rect x=\"\(f(x))\" y=\"\(f(top + plotH - h))\" width=\"\(f(slot * 0.7))\" height=\"\(f(h))\" fill=\"\(color)\"/>"
            if v > 0 { svg += "<text x=\"\(f(x + slot * 0.35))\" y=\"\(f(top + plotH - h - 3))\" text-anchor=\"middle\" \(font)>\(v)</text>" }
            svg += "<text x=\"\(f(x + slot * 0.35))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\" \(font)>\(escape(labels[i]))</text>"
        }
        return svg + "</svg>"
    }

    /// Horizontal bars, one row per name, each row split into coloured parts with a legend.
    static func bars(_ rows: [(label: String, parts: [Int])], legend: [(name: String, color: String)], title: String) -> String {
        let rowH = 22.0, top = 28.0, left = 200.0, right = 60.0
        let height = top + Double(max(rows.count, 1)) * rowH + 26
        let total = max(rows.map { $0.parts.reduce(0, +) }.max() ?? 0, 1)
        let plotW = width - left - right
        var svg = open(height: height, title: title)
        for (i, row) in rows.enumerated() {
            let y = top + Double(i) * rowH
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 15))\" text-anchor=\"end\" \(font)>\(escape(cut(row.label, 30)))</text>"
            var x = left
            for (k, v) in row.parts.enumerated() where v > 0 {
                let w = Double(v) / Double(total) * plotW
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y + 4))\" width=\"\(f(w))\" height=\"\(f(rowH - 8))\" fill=\"\(legend[k % legend.count].color)\"/>"
                x += w
            }
            svg += "<text x=\"\(f(x + 4))\" y=\"\(f(y + 15))\" \(font)>\(row.parts.map(String.init).joined(separator: " / "))</text>"
        }
        for (k, l) in legend.enumerated() {
            let lx = left + Double(k) * 130
            svg += "<rect x=\"\(f(lx))\" y=\"\(f(height - 12))\" width=\"12\" height=\"4\" fill=\"\(l.color)\"/>"
            svg += "<text x=\"\(f(lx + 16))\" y=\"\(f(height - 7))\" \(font)>\(escape(l.name))</text>"
        }
        return svg + "</svg>"
    }

    static func open(height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
            + "<title>\(escape(title))</title>"
    }

    /// The y axis with four round ticks and faint grid lines.
    static func axes(left: Double, top: Double, plotW: Double, plotH: Double, maximum: Int) -> String {
        var svg = "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\" stroke=\"#999\"/>"
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" stroke=\"#999\"/>"
        for k in 1...4 {
            let v = maximum * k / 4
            let y = top + plotH - Double(k) / 4 * plotH
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" stroke=\"#e5e5e5\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\" \(font)>\(v)</text>"
        }
        return svg + "<text x=\"\(f(left - 6))\" y=\"\(f(top + plotH + 4))\" text-anchor=\"end\" \(font)>0</text>"
    }

    /// The smallest of 1, 2, 4, 5 or 10 times a power of ten that is at least `v` (and at least 4).
    static func niceCeiling(_ v: Int) -> Int {
        var magnitude = 1
        while magnitude * 10 < v { magnitude *= 10 }
        for m in [1, 2, 4, 5, 10] where m * magnitude >= max(v, 4) { return m * magnitude }
        return 10 * magnitude
    }

    static func f(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    static func cut(_ s: String, _ max: Int) -> String { s.count > max ? String(s.prefix(max - 1)) + "…" : s }

    /// Text for HTML and SVG: controls are dropped (XML allows none), then the markup characters
    /// become entities as in HTML templates.
    static func escape(_ s: String) -> String {
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: s.unicodeScalars.lazy.filter { $0.value >= 0x20 && $0.value != 0x7F })
        return Template.escape(String(kept), for: .html)
    }
}
