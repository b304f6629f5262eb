internal import GLPK

/// What a programme's log can teach: the weekly change in morning pain against the week's
/// minutes of each modality, fitted by least absolute deviations (an LP solved with GLPK).
///
/// The log measures dose and one pain score; it cannot say which cause improved, so it cannot
/// tune the per-cause weights `relief tune --logs` fits. This is the part it can measure
/// (docs/clinical-review.md: "fit the weekly change in pain against the previous weeks' dose by
/// modality"). With a few weeks of one person it is an anecdote, not evidence.
public struct DoseResponse: Sendable {
    public struct Week: Sendable, Hashable {
        public let number: Int
        /// Mean morning pain this week minus next week's: positive is better.
        public let painDrop: Double
        /// Minutes done this week per modality.
        public let minutes: [Modality: Double]
    }
    public let weeks: [Week]
    /// Pain drop per week with no exercise (natural course), and per 10 minutes a week of each
    /// modality; nil when there are too few weeks to fit.
    public let baseline: Double?
    public let perTenMinutes: [Modality: Double]
    public let note: String

    /// The L1 pull of each slope toward 0 (pain points of error one point of slope must save).
    static let pull = 0.1

    /// Fits `weeks`: minimise Σ|residual| + pull·Σ|slope| over an intercept and one slope per
    /// modality that any week did. Needs at least two more weeks than slopes.
    public static func fit(_ weeks: [Week]) throws -> DoseResponse {
        let modalities = Modality.allCases.filter { m in weeks.contains { ($0.minutes[m] ?? 0) > 0 } }
        guard weeks.count >= modalities.count + 2 else {
            return DoseResponse(weeks: weeks, baseline: nil, perTenMinutes: [:],
                                note: "\(weeks.count) week\(weeks.count == 1 ? "" : "s") with morning pain logged in the week and the next; at least \(modalities.count + 2) are needed to fit \(modalities.count) modalities")
        }
        let problem = Problem()
        let intercept = try problem.addVariable(name: "baseline", lower: nil, upper: nil)
        var slopes: [Modality: (Variable, Variable)] = [:]
        for m in modalities {
            // slope = up − down, each ≥ 0, per 10 minutes a week
            slopes[m] = (try problem.addVariable(name: "up_\(m.rawValue)", lower: 0, objective: pull),
                         try problem.addVariable(name: "down_\(m.rawValue)", lower: 0, objective: pull))
        }
        for week in weeks {
            let over = try problem.addVariable(name: "over_\(week.number)", lower: 0, objective: 1)
            let under = try problem.addVariable(name: "under_\(week.number)", lower: 0, objective: 1)
            var terms: [(Variable, Double)] = [(intercept, 1), (over, -1), (under, 1)]
            for m in modalities {
                let tens = (week.minutes[m] ?? 0) / 10
                terms += [(slopes[m]!.0, tens), (slopes[m]!.1, -tens)]
            }
            _ = try problem.addConstraint(name: "week_\(week.number)", terms: terms, lower: week.painDrop, upper: week.painDrop)
        }
        try problem.setObjective(.minimize)
        let solution = try problem.solve(SolverPolicy.doseResponseFit)
        guard solution.termination == .optimal, let a = solution.value(intercept) else {
            return DoseResponse(weeks: weeks, baseline: nil, perTenMinutes: [:], note: "the fit stopped: \(solution.termination)")
        }
        var per: [Modality: Double] = [:]
        for (m, (up, down)) in slopes { per[m] = (solution.value(up) ?? 0) - (solution.value(down) ?? 0) }
        return DoseResponse(weeks: weeks, baseline: a, perTenMinutes: per,
                            note: "fitted by least absolute deviations over \(weeks.count) weeks; one person's weeks are an anecdote, not evidence")
    }

    /// The weeks of a programme's log: minutes done by modality (a session's planned exercises
    /// for "all", the listed ones otherwise, one set of any not planned that day) and the change
    /// in mean morning pain to the next week.
    public static func weeks(programme: Programme, log: ProgrammeLog, catalogue: Catalogue) -> [Week] {
        let start = programme.settings.start
        func weekOf(_ d: CalendarDate) -> Int { (d.ordinal - start.ordinal) / 7 + 1 }
        var morning: [Int: [Double]] = [:]
        var minutes: [Int: [Modality: Double]] = [:]
        for entry in log.entries {
            let w = weekOf(entry.date)
            switch entry.fact {
            case .morning(let p): morning[w, default: []].append(p)
            case let .session(done, _, _, _):
                let day = programme.weeks.first { $0.number == w }?.days.first { $0.date == entry.date }
                let planned = day?.session ?? []
                let ids: [String]
                switch done {
                case .all: ids = planned.map(\.id)
                case .none: ids = []
                case .some(let list): ids = list
                }
                for id in ids {
                    if let p = planned.first(where: { $0.id == id }) {
                        minutes[w, default: [:]][p.modality, default: 0] += p.seconds / 60
                    } else if let e = catalogue.exerciseIndex(id) {
                        let ex = catalogue.exercises[e]
                        minutes[w, default: [:]][ex.modality, default: 0] += (ex.secondsPerUnit + ex.setupSeconds) / 60
                    }
                }
            case .symptom, .cleared, .outcome, .startBack: break
            }
        }
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        return morning.keys.sorted().compactMap { w in
            guard let now = morning[w], let next = morning[w + 1] else { return nil }
            return Week(number: w, painDrop: mean(now) - mean(next), minutes: minutes[w] ?? [:])
        }
    }
}
