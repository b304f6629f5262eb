import Relief

/// The frontier as a table.
public func frontierTable(_ points: [FrontierPoint], markdown: Bool = false) -> String {
    let rows = points.map { p in
        [format(p.minutes), p.status.rawValue, format(p.weakestCoverage * 100) + "%", String(p.exerciseCount), mmss(p.totalSeconds)]
    }
    return grid(header: ["Budget (min)", "Status", "Weakest cause covered", "Exercises", "Time used"],
                rows: rows, rightAligned: [0, 2, 3, 4], markdown: markdown).joined(separator: "\n") + "\n"
}

/// The frontier as an SVG chart: weakest-cause coverage (line) and routine size (bars) per budget.
public func frontierSVG(_ points: [FrontierPoint], title: String = "Relief: coverage and routine size by time budget") -> String {
    let width = 720.0, height = 420.0, left = 70.0, right = 60.0, top = 50.0, bottom = 60.0
    let plotW = width - left - right, plotH = height - top - bottom
    // Half a step of padding on each side, so the first and last bars are not cut off.
    let lowest = points.map(\.minutes).min() ?? 0, highest = max(points.map(\.minutes).max() ?? 1, lowest + 1)
    let pad = (highest - lowest) / Double(max(1, points.count - 1)) / 2
    let minX = lowest - pad, maxX = highest + pad
    let maxCount = Double(max(1, points.map(\.exerciseCount).max() ?? 1))
    func x(_ m: Double) -> Double { left + (m - minX) / (maxX - minX) * plotW }
    func yFraction(_ f: Double) -> Double { top + (1 - f) * plotH }
    func yCount(_ c: Double) -> Double { top + (1 - c / maxCount) * plotH }
    func n(_ v: Double) -> String { format(v) }
    var svg = [
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"sans-serif\" font-size=\"12\">",
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        "<text x=\"\(n(width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">\(title)</text>",
    ]
    let barWidth = max(2, plotW / Double(max(points.count, 1)) * 0.5)
    for p in points {
        let top = yCount(Double(p.exerciseCount))
        svg.append("<rect x=\"\(n(x(p.minutes) - barWidth / 2))\" y=\"\(n(top))\" width=\"\(n(barWidth))\" height=\"\(n(yCount(0) - top))\" fill=\"#c9d9ef\"/>")
    }
    for f in stride(from: 0.0, through: 1.0, by: 0.25) {
        svg.append("<line x1=\"\(n(left))\" x2=\"\(n(left + plotW))\" y1=\"\(n(yFraction(f)))\" y2=\"\(n(yFraction(f)))\" stroke=\"#ddd\"/>")
        svg.append("<text x=\"\(n(left - 8))\" y=\"\(n(yFraction(f) + 4))\" text-anchor=\"end\">\(n(f * 100))%</text>")
    }
    let line = points.map { "\(n(x($0.minutes))),\(n(yFraction($0.weakestCoverage)))" }.joined(separator: " ")
    svg.append("<polyline points=\"\(line)\" fill=\"none\" stroke=\"#1f5fae\" stroke-width=\"2.5\"/>")
    for p in points {
        svg.append("<circle cx=\"\(n(x(p.minutes)))\" cy=\"\(n(yFraction(p.weakestCoverage)))\" r=\"3.5\" fill=\"\(p.weakestCoverage >= 1 ? "#1f5fae" : "#c0392b")\"/>")
        svg.append("<text x=\"\(n(x(p.minutes)))\" y=\"\(n(top + plotH + 18))\" text-anchor=\"middle\">\(n(p.minutes))</text>")
    }
    let ticks = Int(maxCount)
    for c in stride(from: 0, through: ticks, by: max(1, ticks / 5)) {
        svg.append("<text x=\"\(n(left + plotW + 8))\" y=\"\(n(yCount(Double(c)) + 4))\">\(c)</text>")
    }
    svg += [
        "<line x1=\"\(n(left))\" x2=\"\(n(left + plotW))\" y1=\"\(n(top + plotH))\" y2=\"\(n(top + plotH))\" stroke=\"black\"/>",
        "<text x=\"\(n(left + plotW / 2))\" y=\"\(n(height - 14))\" text-anchor=\"middle\">time budget (minutes)</text>",
        "<text transform=\"translate(18 \(n(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\" fill=\"#1f5fae\">weakest cause covered (line)</text>",
        "<text transform=\"translate(\(n(width - 16)) \(n(top + plotH / 2))) rotate(90)\" text-anchor=\"middle\" fill=\"#5a7fb0\">exercises in the routine (bars)</text>",
        "</svg>",
    ]
    return svg.joined(separator: "\n") + "\n"
}
