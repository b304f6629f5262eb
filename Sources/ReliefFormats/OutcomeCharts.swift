import Relief

/// Outcome pictures as SVG a page shows inline and a handout links: a patient's measures over
/// the weeks against the minimal important change, and a clinic's share of patients
/// meaningfully better at given weeks. Presentation attributes only (no `style`), so a page's
/// Content-Security-Policy without inline styles shows them; a `<title>` and `<desc>` say in
/// words what the picture shows; numbers are written the same way every time (same input,
/// same bytes).
public enum OutcomeCharts {
    /// One panel per measure that has a baseline (not PGIC): each score on its day, the
    /// baseline dashed, and the band a follow-up must reach to be meaningfully better
    /// (``MinimalImportantChange/threshold(baseline:)``) shaded. nil with no baseline yet.
    public static func patient(_ outcomes: ProgrammeOutcomes, id: String = "outcomes") -> String? {
        let measures = OutcomeMeasure.allCases.filter { outcomes.baselines[$0] != nil }
        guard !measures.isEmpty, let first = outcomes.records.first?.date else { return nil }
        let last = outcomes.records.last?.date ?? first
        let span = max(7, last.ordinal - first.ordinal)
        let width = 340.0, left = 40.0, right = 12.0, panel = 120.0, top = 24.0
        let plotW = width - left - right, plotH = panel - top - 22
        let height = Double(measures.count) * panel
        var words: [String] = []
        var body = ""
        for (k, m) in measures.enumerated() {
            let y0 = Double(k) * panel
            let (low, high) = range(m)
            func x(_ d: CalendarDate) -> Double { left + Double(d.ordinal - first.ordinal) / Double(span) * plotW }
            func y(_ v: Double) -> Double { y0 + top + (1 - (v - low) / (high - low)) * plotH }
            let points = outcomes.records.compactMap { r in r.scores.first { $0.measure == m }.map { (r.date, $0.value) } }
            guard let baseline = outcomes.baseline(m)?.value, let mic = MinimalImportantChange.of(m) else { continue }
            let threshold = mic.threshold(baseline: baseline)
            // The band of "meaningfully better": below baseline − threshold, or above it for PSFS.
            let better = m.higherIsBetter ? min(high, baseline + threshold) : max(low, baseline - threshold)
            let bandTop = m.higherIsBetter ? y(high) : y(better), bandBottom = m.higherIsBetter ? y(better) : y(low)
            body += "<text x=\"0\" y=\"\(n(y0 + 14))\" font-size=\"13\" font-weight=\"bold\" fill=\"#1a1a1a\">\(html(m.name)): \(html(m.words))</text>\n"
            if bandBottom - bandTop > 0.5 {
                body += "<rect x=\"\(n(left))\" y=\"\(n(bandTop))\" width=\"\(n(plotW))\" height=\"\(n(bandBottom - bandTop))\" fill=\"#dcefe2\"/>\n"
            }
            body += "<rect x=\"\(n(left))\" y=\"\(n(y(high)))\" width=\"\(n(plotW))\" height=\"\(n(plotH))\" fill=\"none\" stroke=\"#8a8a8a\"/>\n"
            body += "<text x=\"\(n(left - 4))\" y=\"\(n(y(high) + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#1a1a1a\">\(formatAmount(high))</text>\n"
            body += "<text x=\"\(n(left - 4))\" y=\"\(n(y(low)))\" font-size=\"11\" text-anchor=\"end\" fill=\"#1a1a1a\">\(formatAmount(low))</text>\n"
            body += "<line x1=\"\(n(left))\" y1=\"\(n(y(baseline)))\" x2=\"\(n(left + plotW))\" y2=\"\(n(y(baseline)))\" stroke=\"#1a1a1a\" stroke-dasharray=\"4 3\"/>\n"
            if points.count > 1 {
                body += "<polyline fill=\"none\" stroke=\"#1f4e99\" stroke-width=\"2\" points=\"\(points.map { "\(n(x($0.0))),\(n(y($0.1)))" }.joined(separator: " "))\"/>\n"
            }
            for p in points { body += "<circle cx=\"\(n(x(p.0)))\" cy=\"\(n(y(p.1)))\" r=\"3.5\" fill=\"#1f4e99\"/>\n" }
            body += "<text x=\"\(n(left))\" y=\"\(n(y0 + panel - 6))\" font-size=\"11\" fill=\"#1a1a1a\">\(first)</text>\n"
            body += "<text x=\"\(n(left + plotW))\" y=\"\(n(y0 + panel - 6))\" font-size=\"11\" text-anchor=\"end\" fill=\"#1a1a1a\">\(first.adding(days: span))</text>\n"
            let latest = outcomes.latestChanges(through: Int.max).first { $0.measure == m }
            words.append("\(m.name) from \(formatAmount(baseline)) at the start" + (latest.map { " to \(formatAmount(($0.followUp * 10).rounded() / 10)): \($0.verdict.words)" } ?? ", no follow-up yet")
                         + "; meaningfully better is \(m.higherIsBetter ? "at or above" : "at or below") \(formatAmount((better * 10).rounded() / 10))")
        }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">\n"
        s += "<title id=\"\(id)-title\">How you are doing</title>\n<desc id=\"\(id)-desc\">\(html(words.joined(separator: ". ")))</desc>\n"
        return s + body + "</svg>\n"
    }

    /// The share of a clinic's patients meaningfully better at each week, as bars with the
    /// counts written on them (``ClinicOutcomeSummary``).
    public static func clinic(_ summary: ClinicOutcomeSummary, id: String = "clinic-outcomes") -> String {
        let width = 340.0, left = 40.0, top = 44.0, plotH = 150.0, bar = 56.0
        let height = top + plotH + 44
        let gap = (width - left - bar * Double(max(1, summary.weeks.count))) / Double(max(1, summary.weeks.count) + 1)
        var words: [String] = []
        // The measure on a line of its own, so a narrow screen shows the whole title.
        var body = "<text x=\"0\" y=\"16\" font-size=\"13\" font-weight=\"bold\" fill=\"#1a1a1a\">Patients meaningfully better</text>\n"
        body += "<text x=\"0\" y=\"32\" font-size=\"11\" fill=\"#1a1a1a\">\(html(summary.measureWords))</text>\n"
        func y(_ share: Double) -> Double { top + (1 - share) * plotH }
        body += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(width - left))\" height=\"\(n(plotH))\" fill=\"none\" stroke=\"#8a8a8a\"/>\n"
        for t in [0.0, 0.5, 1.0] {
            body += "<text x=\"\(n(left - 4))\" y=\"\(n(y(t) + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#1a1a1a\">\(Int(t * 100)) %</text>\n"
        }
        for (k, w) in summary.weeks.enumerated() {
            let x = left + gap + Double(k) * (bar + gap)
            let share = w.counted > 0 ? Double(w.better) / Double(w.counted) : 0
            if w.counted > 0 {
                body += "<rect x=\"\(n(x))\" y=\"\(n(y(share)))\" width=\"\(n(bar))\" height=\"\(n(plotH * share))\" fill=\"#1b6e3a\"/>\n"
            }
            body += "<text x=\"\(n(x + bar / 2))\" y=\"\(n(min(y(share) - 4, top + plotH - 4)))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1a1a1a\">\(w.better) of \(w.counted)</text>\n"
            body += "<text x=\"\(n(x + bar / 2))\" y=\"\(n(top + plotH + 16))\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1a1a1a\">week \(w.week)</text>\n"
            words.append("week \(w.week): \(w.better) of \(w.counted)" + (w.counted > 0 ? " (\(Int((share * 100).rounded())) %)" : ""))
        }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">\n"
        s += "<title id=\"\(id)-title\">Patients meaningfully better</title>\n<desc id=\"\(id)-desc\">\(html("Patients meaningfully better on \(summary.measureWords): " + words.joined(separator: "; ")))</desc>\n"
        return s + body + "</svg>\n"
    }

    /// A picture that says there is nothing to draw yet.
    public static func empty(_ text: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(html(text))\" viewBox=\"0 0 340 40\" width=\"100%\">\n"
            + "<text x=\"0\" y=\"24\" font-size=\"13\" fill=\"#1a1a1a\">\(html(text))</text>\n</svg>\n"
    }

    static func range(_ m: OutcomeMeasure) -> (Double, Double) {
        switch m {
        case .nprs, .psfs: (0, 10)
        case .rmdq: (0, 24)
        case .odi: (0, 100)
        case .pgic: (1, 7)
        }
    }

    /// A coordinate to one decimal, as the same text every time.
    static func n(_ x: Double) -> String { formatAmount((x * 10).rounded() / 10) }

    static func html(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
