/// How many of a clinic's patients are meaningfully better at given weeks after their
/// baseline, on their function measure (RMDQ, else ODI; NPRS when neither was asked).
///
/// A patient counts at week w when they have a follow-up of that measure in the two weeks up to
/// it, more than 7·(w−2) and at most 7·w days after the baseline's day; the latest of those is
/// the one judged, against the minimal important change (``MeasureChange``). A patient with no
/// follow-up in that window is not counted at w (the chart says "k of n", so the missing are
/// visible rather than taken as not better).
public struct ClinicOutcomeSummary: Sendable, Hashable {
    public struct Week: Sendable, Hashable {
        public let week: Int
        /// Patients with a follow-up in the window.
        public let counted: Int
        public let better: Int
    }
    public let weeks: [Week]
    /// The measures the counts are on, in words.
    public let measureWords: String

    public static let defaultWeeks = [4, 8, 12]

    public init(_ patients: [ProgrammeOutcomes], weeks: [Int] = ClinicOutcomeSummary.defaultWeeks) {
        var used: Set<OutcomeMeasure> = []
        var counted = Array(repeating: 0, count: weeks.count), better = Array(repeating: 0, count: weeks.count)
        for p in patients {
            guard let m = [OutcomeMeasure.rmdq, .odi, .nprs].first(where: { p.baselines[$0] != nil }),
                  let start = p.baselines[m]?.date else { continue }
            used.insert(m)
            for (k, w) in weeks.enumerated() {
                let inWindow = p.records.filter { r in
                    let days = r.date.ordinal - start.ordinal
                    return days > 7 * (w - 2) && days <= 7 * w && r.changes.contains { $0.measure == m }
                }
                guard let latest = inWindow.last, let change = latest.changes.first(where: { $0.measure == m }) else { continue }
                counted[k] += 1
                if change.verdict == .better { better[k] += 1 }
            }
        }
        self.weeks = weeks.enumerated().map { Week(week: $1, counted: counted[$0], better: better[$0]) }
        let names = [OutcomeMeasure.rmdq, .odi, .nprs].filter(used.contains).map(\.name)
        measureWords = names.isEmpty ? "no baselines yet" : names.joined(separator: ", ")
    }
}
