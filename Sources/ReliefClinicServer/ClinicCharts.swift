import Relief
import ReliefClinic
import ReliefFormats
import ReliefServer

/// The clinician's picture of a patient's log: pain as logged each day (dots on 0-10) over
/// the programme's weeks, and each week's sessions logged done as a bar against those planned
/// (an outline). SVG with presentation attributes only (the pages' Content-Security-Policy has
/// no inline styles), a `<title>` and a `<desc>` saying it in words; same record, same bytes.
enum ClinicCharts {
    static func painAndSessions(_ logs: [PatientLogEntry], published: AlertRules.Published?, today: CalendarDate) -> String {
        let pains = AlertRules.pains(logs)
        let days = logs.map(\.entry.day)
        let first = [published?.start, days.min()].compactMap { $0 }.min() ?? today
        let last = max(today, days.max() ?? today, first.adding(days: 6))
        let span = Double(last.ordinal - first.ordinal + 1)
        let width = 340.0, left = 28.0, right = 8.0, top = 10.0, painH = 110.0, gap = 26.0, barH = 50.0
        let plotW = width - left - right
        let height = top + painH + gap + barH + 20
        func x(_ d: CalendarDate) -> Double { left + (Double(d.ordinal - first.ordinal) + 0.5) / span * plotW }
        func y(_ p: Double) -> Double { top + (1 - p / 10) * painH }
        var body = "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotW))\" height=\"\(n(painH))\" fill=\"none\" stroke=\"#8a8a8a\"/>\n"
        for p in [0.0, 5, 10] {
            body += "<text x=\"\(n(left - 4))\" y=\"\(n(y(p) + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#1a1a1a\">\(formatAmount(p))</text>\n"
        }
        let points = pains.keys.sorted().map { ($0, pains[$0] ?? 0) }
        if points.count > 1 {
            body += "<polyline fill=\"none\" stroke=\"#1f4e99\" stroke-width=\"1.5\" points=\"\(points.map { "\(n(x($0.0))),\(n(y($0.1)))" }.joined(separator: " "))\"/>\n"
        }
        for p in points { body += "<circle cx=\"\(n(x(p.0)))\" cy=\"\(n(y(p.1)))\" r=\"3\" fill=\"#1f4e99\"/>\n" }
        var words = ["Pain logged on \(points.count) day\(points.count == 1 ? "" : "s")" + (points.last.map { ", last \(formatAmount($0.1)) on \($0.0)" } ?? "")]
        let barTop = top + painH + gap
        if let published {
            let weeks = AlertRules.weeks(logs, published, through: today)
            let most = Double(max(1, published.planned.max() ?? 1))
            for w in weeks {
                let x0 = x(w.first) - plotW / span * 0.5, bw = 7 * plotW / span - 3
                let hp = Double(w.planned) / most * barH, hd = Double(w.done) / most * barH
                body += "<rect x=\"\(n(x0 + 1))\" y=\"\(n(barTop + barH - hp))\" width=\"\(n(bw))\" height=\"\(n(hp))\" fill=\"none\" stroke=\"#5c3d00\"/>\n"
                if hd > 0 { body += "<rect x=\"\(n(x0 + 1))\" y=\"\(n(barTop + barH - hd))\" width=\"\(n(bw))\" height=\"\(n(hd))\" fill=\"#a34700\"/>\n" }
                body += "<text x=\"\(n(x0 + 1 + bw / 2))\" y=\"\(n(barTop + barH + 13))\" font-size=\"10\" text-anchor=\"middle\" fill=\"#1a1a1a\">w\(w.week) \(w.done)/\(w.planned)</text>\n"
            }
            words.append("sessions done by week: " + weeks.map { "week \($0.week) \($0.done) of \($0.planned)" }.joined(separator: ", "))
        }
        body += "<text x=\"\(n(left))\" y=\"\(n(top + painH + 14))\" font-size=\"11\" fill=\"#1a1a1a\">\(first)</text>\n"
        body += "<text x=\"\(n(left + plotW))\" y=\"\(n(top + painH + 14))\" font-size=\"11\" text-anchor=\"end\" fill=\"#1a1a1a\">\(last)</text>\n"
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"log-chart-title log-chart-desc\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">\n"
        s += "<title id=\"log-chart-title\">Pain and sessions</title>\n<desc id=\"log-chart-desc\">\(html(words.joined(separator: "; ")))</desc>\n"
        return s + body + "</svg>\n"
    }

    static func n(_ x: Double) -> String { formatAmount((x * 10).rounded() / 10) }
}
