import Foundation

/// A measure's minimal important change (MIC) and where it comes from.
///
/// Ostelo et al. (Spine 2008;33:90-94, an international consensus) give, for an individual
/// patient: pain 0-10 about 2 points, RMDQ 5 points, ODI 10 points, and, "when the baseline
/// score is taken into account", a 30 % improvement on each. The absolute values do not scale
/// with the baseline and the 30 % rule falls below measurement error at low baselines, so
/// Relief asks for both: a change is meaningful when it reaches the absolute MIC *and* 30 % of
/// the baseline (the larger of the two thresholds). PSFS has no percentage rule in its sources:
/// 2 points on the mean (Stratford et al., Physiother Can 1995;47:258; Abbott & Schmitt, JOSPT
/// 2014;44:560 found 2.3 for a medium change).
public struct MinimalImportantChange: Sendable, Hashable, Codable {
    public let measure: OutcomeMeasure
    /// The absolute threshold, in the measure's points.
    public let points: Double
    /// The share of the baseline the change must also reach (0.3), nil when the source has none.
    public let share: Double?
    /// The sources key in docs/sources.md.
    public let source: String

    /// The MIC of a measure that compares with a baseline; nil for PGIC (an answer, not a score).
    public static func of(_ m: OutcomeMeasure) -> MinimalImportantChange? {
        switch m {
        case .nprs: MinimalImportantChange(measure: m, points: 2, share: 0.3, source: "ostelo-2008")
        case .rmdq: MinimalImportantChange(measure: m, points: 5, share: 0.3, source: "ostelo-2008")
        case .odi: MinimalImportantChange(measure: m, points: 10, share: 0.3, source: "ostelo-2008")
        case .psfs: MinimalImportantChange(measure: m, points: 2, share: nil, source: "stratford-1995")
        case .pgic: nil
        }
    }

    /// "2 points and 30 % of the baseline".
    public var words: String {
        "\(formatAmount(points)) point\(points == 1 ? "" : "s")" + (share.map { " and \(formatAmount($0 * 100)) % of the baseline" } ?? "")
    }

    /// The change needed from `baseline`, in points: the larger of the two rules.
    public func threshold(baseline: Double) -> Double {
        max(points, (share ?? 0) * baseline)
    }
}

/// Baseline to follow-up, in words a clinician and a person read.
public enum ChangeVerdict: String, Sendable, Hashable, Codable {
    case better = "meaningfully_better"
    case same = "no_meaningful_change"
    case worse = "meaningfully_worse"

    public var words: String {
        switch self {
        case .better: "meaningfully better"
        case .same: "no meaningful change"
        case .worse: "meaningfully worse"
        }
    }
}

/// One follow-up score against its baseline.
public struct MeasureChange: Sendable, Hashable, Codable {
    public let measure: OutcomeMeasure
    /// nil for PGIC (it is itself a rating of change).
    public let baseline: Double?
    public let followUp: Double
    /// The improvement in the measure's points (positive: better, whichever way the scale runs);
    /// nil for PGIC.
    public let improvement: Double?
    /// The threshold the change had to reach (points), nil for PGIC.
    public let threshold: Double?
    public let verdict: ChangeVerdict

    /// Compares a follow-up with the baseline. Worse is defined symmetrically: a change of the
    /// same size the other way (absolute MIC and 30 % of the baseline). At a baseline of 0 the
    /// 30 % rule asks for nothing more than the absolute MIC.
    public static func compare(_ measure: OutcomeMeasure, baseline: Double, followUp: Double) -> MeasureChange {
        guard let mic = MinimalImportantChange.of(measure) else {
            return pgic(PGICAnswer(rawValue: Int(followUp)) ?? .noChange)
        }
        let improvement = measure.higherIsBetter ? followUp - baseline : baseline - followUp
        let threshold = mic.threshold(baseline: baseline)
        // Scores are whole points or ODI's fractions of 5 × sections: a tolerance keeps a change
        // exactly at the threshold (3 of a baseline 10 at 30 %) on the threshold.
        let verdict: ChangeVerdict = improvement >= threshold - 1e-9 ? .better : -improvement >= threshold - 1e-9 ? .worse : .same
        return MeasureChange(measure: measure, baseline: baseline, followUp: followUp, improvement: improvement,
                             threshold: threshold, verdict: verdict)
    }

    /// PGIC's verdict from its answer alone (Farrar et al. 2001): much or very much improved is
    /// meaningfully better; much or very much worse, meaningfully worse; the rest, no meaningful change.
    public static func pgic(_ a: PGICAnswer) -> MeasureChange {
        let verdict: ChangeVerdict
        switch a {
        case .veryMuchImproved, .muchImproved: verdict = .better
        case .muchWorse, .veryMuchWorse: verdict = .worse
        default: verdict = .same
        }
        return MeasureChange(measure: .pgic, baseline: nil, followUp: Double(a.rawValue), improvement: nil, threshold: nil, verdict: verdict)
    }

    /// "RMDQ 14 → 8: meaningfully better (6 points; needed 5)".
    public var shown: String {
        if measure == .pgic { return "PGIC \(PGICAnswer(rawValue: Int(followUp))?.words ?? ""): \(verdict.words)" }
        let f = { (x: Double) in formatAmount((x * 10).rounded() / 10) }
        let unit = measure == .odi ? " %" : ""
        var text = "\(measure.name) \(f(baseline ?? 0))\(unit) → \(f(followUp))\(unit): \(verdict.words)"
        if let improvement, let threshold {
            let size = abs(improvement)
            let direction = improvement > 0 ? "better by" : improvement < 0 ? "worse by" : "unchanged,"
            text += " (\(direction) \(f(size)) point\(size == 1 ? "" : "s"); the minimal important change from this baseline is \(f(threshold)))"
        }
        return text
    }
}
