import Foundation

/// Synthetic clinics with known true effects, so `relief tune --clinic` can be checked against
/// the truth (README, "A clinic's outcomes").
///
/// Each patient has a measure (RMDQ, ODI or NPRS, a third each) and a baseline of 45-80 % of
/// its range; a programme: each modality with a chance of 70 %, one or two of its exercises
/// (the catalogue's, not the variants for one condition), each planned at 2-12 sets a week (a
/// continuous one 20-120 minutes); an adherence drawn uniformly from 20-100 %, so a week's
/// units are the planned × adherence × a factor uniform on 0.6-1.4, rounded (zero: not done).
/// Follow-ups are at weeks 2, 4, 6 and 8; a fifth of the patients drop out after a week drawn
/// from 1-7 (nothing done and no score after it), and each follow-up is missing with chance
/// 10 %. A score is the baseline less the range × the model's improvement (``ClinicFit``) with
/// the true effects, plus normal noise (standard deviation `noise`, a share of the range) or,
/// with chance `outlierRate`, a wild change of 20-40 % of the range either way; rounded to
/// whole points and kept within the range.
public struct ClinicGenerator: Sendable {
    public let seed: UInt64
    /// Improvement (share of the range) per 100 catalogue points of each modality.
    public var effects: [Modality: Double]
    public var intercept = 0.02
    public var perWeek = 0.01
    public var noise = 0.05
    public var outlierRate = 0.03
    public var dropout = 0.2
    public var missing = 0.1
    public static let weeks = 8
    public static let followUps = [2, 4, 6, 8]

    /// Unequal effects: strengthening and aerobic exercise more per point than the rest, in the
    /// direction of owen-2020 (resistance training ranked best; docs/sources.md); the numbers are
    /// made up, for the fit to recover.
    public static let planted: [Modality: Double] = [.release: 0.005, .mobilise: 0.01, .stretch: 0.01, .strengthen: 0.03, .aerobic: 0.02]
    /// Every modality the same per point: what the current weights say.
    public static let equal: [Modality: Double] = Dictionary(uniqueKeysWithValues: Modality.allCases.map { ($0, 0.015) })

    public init(seed: UInt64, effects: [Modality: Double] = planted) {
        self.seed = seed
        self.effects = effects
    }

    public func clinic(for catalogue: Catalogue, patients count: Int) -> ClinicLog {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { (Double(rng.next() >> 11) + 0.5) / Double(1 << 53) }
        func normal() -> Double { (-2 * Foundation.log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
        let points = catalogue.exercises.map { $0.benefits.reduce(0, +) / 100 }
        let byModality = Dictionary(grouping: catalogue.exercises.indices.filter {
            catalogue.exercises[$0].onlyFor.isEmpty && points[$0] > 0
        }) { catalogue.exercises[$0].modality }
        let width = String(count).count
        return ClinicLog(patients: (0..<count).map { k -> ClinicLog.Patient in
            let measure = ClinicLog.measures[Int(rng.next() % 3)]
            let range = ClinicLog.range(measure)!
            let baseline = ((0.45 + 0.35 * uniform()) * range).rounded()
            var planned: [Int: Double] = [:]
            for m in Modality.allCases {
                guard let list = byModality[m], !list.isEmpty, uniform() < 0.7 else { continue }
                for _ in 0..<(1 + Int(rng.next() % 2)) {
                    let e = list[Int(rng.next() % UInt64(list.count))]
                    planned[e] = catalogue.exercises[e].whole ? Double(2 + rng.next() % 11) : Double(20 + rng.next() % 101)
                }
            }
            let adherence = 0.2 + 0.8 * uniform()
            let last = uniform() < dropout ? 1 + Int(rng.next() % UInt64(Self.weeks - 1)) : Self.weeks
            var patient = ClinicLog.Patient(id: "p" + String(repeating: "0", count: width - String(k + 1).count) + String(k + 1),
                                            measure: measure, baseline: baseline)
            var dose = 0.0
            for week in 1...last {
                for (e, u) in planned.sorted(by: { $0.key < $1.key }) {
                    let units = (u * adherence * (0.6 + 0.8 * uniform())).rounded()
                    guard units > 0 else { continue }
                    patient.done[week, default: [:]][e] = units
                    dose += units * points[e] * (effects[catalogue.exercises[e].modality] ?? 0)
                }
                guard Self.followUps.contains(week) else { continue }
                let error = uniform() < outlierRate ? (uniform() < 0.5 ? -1 : 1) * (0.2 + 0.2 * uniform()) : noise * normal()
                let present = uniform() >= missing
                let improvement = intercept + perWeek * Double(week) + dose + error
                if present { patient.scores[week] = min(range, max(0, (baseline - improvement * range).rounded())) }
            }
            return patient
        })
    }

    /// The true effects as `DIR/true-effects.csv` holds them.
    public func trueEffectsFile() -> String {
        var text = "# The true effects the synthetic clinic was generated from (seed \(seed)): improvement as a share of the\n"
        text += "# measure's range, per week (the natural course) and per 100 catalogue points of each modality.\n"
        text += "term,value\nintercept,\(formatNumber(intercept))\nper_week,\(formatNumber(perWeek))\n"
        for m in Modality.allCases { text += "\(m.rawValue),\(formatNumber(effects[m] ?? 0))\n" }
        text += "noise_sd,\(formatNumber(noise))\noutlier_rate,\(formatNumber(outlierRate))\n"
        return text
    }
}
