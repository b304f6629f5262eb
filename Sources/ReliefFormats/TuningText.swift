import Relief

/// The tuning report as a table a person can read.
public func tuningReport(sessions: Int, folds: Int, priorStrength: Double, errors: [CauseError],
                         changes: [WeightChange]) -> String {
    var out = ["Tuned on \(sessions) sessions (prior strength \(format(priorStrength)))", ""]
    if !errors.isEmpty {
        out.append("\(folds)-fold cross-validated mean absolute error of predicted responses (lower is better)")
        out += grid(header: ["Cause", "Responses", "Prior weights", "Tuned weights", "Change"],
                rows: errors.map { e in
                    [e.name, String(e.responses), formatNumber(e.priorError), formatNumber(e.tunedError),
                     e.priorError > 0 ? format((e.tunedError / e.priorError - 1) * 100) + "%" : "-"]
                }, rightAligned: [1, 2, 3, 4], markdown: false)
        out.append("")
    }
    out.append("Weights that moved most (points per unit)")
    out += grid(header: ["Exercise", "Cause", "Prior", "Tuned"],
                rows: changes.map { [$0.exercise, $0.cause, formatNumber($0.prior), formatNumber($0.tuned)] },
                rightAligned: [2, 3], markdown: false)
    return out.joined(separator: "\n") + "\n"
}

extension DoseResponse {
    /// A report for people: the weeks, then the fit or why there is none.
    public var report: String {
        var out = ["Weekly change in morning pain against the week's minutes by modality (from the programme log)", ""]
        let header = ["Week", "Pain drop"] + Modality.allCases.map(\.rawValue)
        let rows = weeks.map { w in ["\(w.number)", format(w.painDrop)] + Modality.allCases.map { format(w.minutes[$0] ?? 0) } }
        out += grid(header: header, rows: rows, rightAligned: Set(0..<header.count), markdown: false)
        out.append("")
        if let baseline {
            out.append("Pain drop a week with no exercise: \(format(baseline)) points; per 10 minutes a week of:")
            for m in Modality.allCases where perTenMinutes[m] != nil {
                out.append("  - \(m.rawValue): \(format(perTenMinutes[m]!)) points")
            }
        } else {
            out.append("No fit: " + note + ".")
        }
        out.append("")
        out.append("Note: \(baseline == nil ? "" : note + ". ")The log has one pain score, not a response per cause, so it cannot tune the catalogue's per-cause weights (relief tune --logs needs per-cause responses).")
        return out.joined(separator: "\n") + "\n"
    }
}
