internal import GLPK

/// What one week of a programme asks for: the inputs of ``WeekModel``.
struct WeekSpec {
    var phase: Phase
    /// For each session day of the week (offsets 0-6 from its first day), the session it does
    /// (0: A, 1: B): see ``WeekModel/pattern(sessions:)``.
    var pattern: [(day: Int, session: Int)]
    /// Seconds one session may take.
    var sessionBudget: Double
    /// Per cause, what every session must cover (0: nothing per session).
    var sessionMinimums: [Double]
    /// Per cause, what the week must cover, sessions and walks together (0: nothing weekly).
    var weeklyMinimums: [Double]
    /// Per session, at least this share of its time on strengthening (0: no rule).
    var sessionStrengthShare: Double
    /// Over the week's sessions, at least this share of their time on strengthening (0: no rule).
    var weeklyStrengthShare: Double
    /// Walking this week (fixed by ``WalkingSchedule``'s rule): its time. Walking is its own
    /// line, never counted as coverage of a cause.
    var walkSeconds: Double
    /// Each session uses at least this many seconds (the dose ramp, ``DoseRamp``; 0: no rule).
    var sessionFloor: Double = 0
    /// The week's sessions strengthen for at least this many seconds (the ramp; 0: no rule) ...
    var strengthFloor: Double = 0
    /// ... and at least as long as last week's, up to the target (0: no rule).
    var strengthKept: Double = 0
    /// Ladder steps above the easiest that the week keeps (catalogue indices): a rung reached stays.
    var keep: Set<Int> = []
    /// Each exercise (other than an included one) on at most this many days.
    var maxDaysPerExercise: Int
    /// At most this many exercises that are not in `previous` (nil: no rule).
    var maxNew: Int?
    /// Catalogue indices of the exercises the person already knows (every earlier week's, with
    /// the other steps of their ladders).
    var previous: Set<Int>
    /// The week's session time at most this many seconds (nil: no rule); walking has its own ramp.
    var maxVolume: Double?
    /// The week's strengthening seconds at most this many (nil: no rule): it grows by the same
    /// bound as the session time, apart from it (docs/clinical-review.md, "Week to week: volume up
    /// at most 10-20 %").
    var maxStrength: Double? = nil
    /// Session exercises (catalogue indices): exclusions and ladder rungs applied.
    var usable: [Int]
    /// The focus rows each session keeps (``Catalogue/focusBounds(for:usable:)``).
    var focus: [FocusBound] = []
    /// Per catalogue index, a focus's dose floor for the person (``Catalogue/focusFloors(for:)``):
    /// a session that uses the exercise gives it at least this many units, within its cap.
    var floors: [Int: Double] = [:]
    /// Exercises every session includes.
    var included: Set<Int>
    /// Per catalogue index of an included exercise, the units it keeps in every session that
    /// has it (a prescribed dose: ``PlanRequest/lockedUnits``).
    var locked: [Int: Double] = [:]
    var maxExercises: Int?
    var maxShare: Double
}

/// One week of a programme as a mixed-integer programme, built from the same pieces as the
/// session model. A week alternates two sessions, A and B (a person learns two routines, and
/// the rules hold by construction on every day): each is an ``ExerciseBlock`` (units,
/// used-flag, link, least dose, and at least one set when used) with its own coverage, time
/// and strengthening rows, and the pattern says which days do which. Every rule is a named row:
///
/// - `budget_A`: the session's time ≤ the budget; `cover_A_c`: coverage ≥ (1 − shortfall) ×
///   minimum; `strength_A`: strengthening time ≥ share × session time;
/// - `group_A_g`: g[A] ≥ y[A,e] for each strengthening exercise of group g, and `rest_group_g`:
///   g[A] + g[B] ≤ 1 when A and B fall on consecutive days (no group two days running);
/// - `days_e`: uses(A)·y[A,e] + uses(B)·y[B,e] ≤ k (an included exercise too);
///   `new_e`/`new_exercises`: at most n exercises the person does not know yet;
///   `include_e`: an included exercise in at least one session; `keep_e`: a ladder step
///   reached is in at least one session;
/// - `floor_A`: the session's time + short_A ≥ the ramp's least time; `strength_floor`: the
///   week's strengthening seconds + short ≥ the ramp's; each second short costs
///   ``DoseRamp/shortPenalty`` in the objective, so a floor holds whenever it can;
/// - `weekly_cover_c`, `weekly_strength`, `volume`: over the week's uses (walks are not in them).
///
/// The objective is the week's total time. The shortfall is fixed at 0 unless the rules cannot
/// all hold at full minimums (then ``WeekSolver`` first minimises it).
final class WeekModel {
    let problem = Problem()
    let catalogue: Catalogue
    let spec: WeekSpec
    /// The sessions A and B.
    let sessions: [ExerciseBlock]
    /// How many days each session is done this week.
    let uses: [Double]
    let short: Variable
    /// (row, the rule it states): the rules reported when binding.
    private(set) var rules: [(Constraint, WeekRule)] = []

    /// A rule of the week as reported when it binds: in words, or a muscle group's rest day
    /// (all of those are reported in one phrase).
    enum WeekRule: Hashable, ExpressibleByStringInterpolation {
        case words(String)
        case rest(group: String)

        init(stringLiteral words: String) { self = .words(words) }
    }
    /// Flags that are at least each of some used-flags (group and new-exercise flags).
    private(set) var flags: [(Variable, [Variable])] = []
    /// The week's session time (uses × session time), as terms.
    private(set) var allTime: [(Variable, Double)] = []
    /// The floors' short variables: each with its weight in the objective (uses × penalty),
    /// its floor and the terms it tops up.
    /// `reported`: whether the week's notes say when it falls short (a focus is not: the
    /// sessions' exercises show it).
    private(set) var shorts: [(variable: Variable, label: String, weight: Double, floor: Double, terms: [(Variable, Double)], reported: Bool)] = []

    static let names = ["A", "B"]
    /// The muscle group that may be trained on consecutive days (balance).
    static let restlessGroup = Exercise.balanceGroup

    /// Session days and sessions for `sessions` a week: never the week's last day (so weeks
    /// never run into each other), as few consecutive days as possible, A and B alternating.
    /// Up to 3 sessions never fall on consecutive days, which the maintenance phase (1-3
    /// sessions) relies on.
    static func pattern(sessions: Int) -> [(day: Int, session: Int)] {
        let days: [Int]
        switch sessions {
        case 1: days = [0]
        case 2: days = [0, 3]
        case 3: days = [0, 2, 4]
        case 4: days = [0, 1, 3, 4]
        case 5: days = [0, 1, 3, 4, 5]
        default: days = [0, 1, 2, 3, 4, 5]
        }
        return days.enumerated().map { ($1, $0 % 2) }
    }

    /// `relaxed`: the LP relaxation (every variable continuous), whose least shortfall bounds the
    /// MILP's from below.
    init(catalogue: Catalogue, spec: WeekSpec, relaxed: Bool = false) throws {
        self.catalogue = catalogue
        self.spec = spec
        try problem.setName("relief_week")
        let exercises = catalogue.exercises
        var uses = [0.0, 0.0]
        for p in spec.pattern { uses[p.session] += 1 }
        self.uses = uses
        var blocks: [ExerciseBlock] = []
        for t in 0..<2 {
            blocks.append(try ExerciseBlock(problem: problem, catalogue: catalogue, members: uses[t] > 0 ? spec.usable : [],
                                            tag: Self.names[t], atLeastOneSet: true, relaxed: relaxed, oneUnit: Set(spec.floors.keys)))
        }
        sessions = blocks
        short = try problem.addVariable(name: "shortfall", lower: 0, upper: 0)

        var rules: [(Constraint, WeekRule)] = []
        func rule(_ name: String, _ terms: [(Variable, Double)], lower: Double? = nil, upper: Double? = nil, _ stated: WeekRule?) throws {
            let row = try problem.addConstraint(name: name, terms: terms, lower: lower, upper: upper)
            if let stated { rules.append((row, stated)) }
        }
        let idName = { (e: Int) in exercises[e].id.replacingOccurrences(of: "-", with: ".") }
        let position = Dictionary(uniqueKeysWithValues: spec.usable.enumerated().map { ($1, $0) })
        for (t, block) in blocks.enumerated() where uses[t] > 0 {
            let name = Self.names[t]
            for (k, e) in spec.usable.enumerated() {
                let ex = exercises[e]
                if let dose = spec.locked[e] {
                    // A prescribed dose: exactly these units whenever the session has it.
                    try block.setRange(k, least: 0, upper: dose)
                    try block.setLeast(k, dose)
                    continue
                }
                let (u, _) = RoutineModel.upperBound(ex, minimums: spec.sessionMinimums, share: spec.maxShare)
                let upper = u < max(ex.minUnits, ex.whole ? 1 : 0) - 1e-9 ? 0 : u
                try block.setRange(k, least: 0, upper: upper)
                if let floor = spec.floors[e] {
                    try block.setLeast(k, ExerciseBlock.floored(ex, own: block.least[k], floor: floor, upper: upper))
                }
            }
            try rule("budget_\(name)", block.timeTerms(catalogue), upper: spec.sessionBudget,
                     "session \(name) is at most \(clock(spec.sessionBudget))")
            for (c, cause) in catalogue.causes.enumerated() where spec.sessionMinimums[c] > 0 {
                try rule("cover_\(name)_\(cause.id)", block.coverageTerms(catalogue, cause: c) + [(short, spec.sessionMinimums[c])],
                         lower: spec.sessionMinimums[c], nil)
            }
            if spec.sessionStrengthShare > 0 {
                try rule("strength_\(name)", strengthTerms(block, share: spec.sessionStrengthShare), lower: 0,
                         "at least \(percent(spec.sessionStrengthShare)) of each session on strengthening")
            }
            if let k = spec.maxExercises {
                try rule("max_exercises_\(name)", block.y.map { ($0, 1) }, upper: Double(k), "at most \(k) exercises a session")
            }
            if spec.sessionFloor > 0 {
                let time = block.timeTerms(catalogue)
                let s = try problem.addVariable(name: "short_\(name)", lower: 0, upper: spec.sessionFloor)
                shorts.append((s, "session \(name)", uses[t] * DoseRamp.shortPenalty, spec.sessionFloor, time, true))
                try rule("floor_\(name)", time + [(s, 1)], lower: spec.sessionFloor,
                         "session \(name) at least \(clock(spec.sessionFloor)) (the dose ramp)")
            }
            // The focus rows of a single session (``RoutineModel``), in every session of the week:
            // a cap holds (at most one forward-bending exercise with radicular pain); a least is
            // kept whenever the week's other rules leave room (each exercise missing costs
            // ``DoseRamp/focusPenalty`` a session), since the first weeks bring in only a few
            // exercises and McGill's three and the bridge arrive over them.
            for bound in spec.focus {
                let focus = catalogue.focuses[bound.focus]
                let fid = focus.id.replacingOccurrences(of: "-", with: "_")
                let terms = focus.members.compactMap { position[$0] }.map { (block.y[$0], 1.0) }
                if let upper = bound.upper {
                    try rule("focus_most_\(name)_\(fid)", terms, upper: Double(upper),
                             "at most \(upper) of \(focus.name.inSentence) a session (\(focus.why))")
                }
                guard bound.lower > 0, !terms.isEmpty else { continue }
                // A condition's directional preference (repeated extension or flexion) and a flare's
                // standing warm-up are rules of every session, not preferences, whenever one of
                // their exercises is open (the warm-up is not counted among the week's new
                // exercises, so it never crowds out balance with osteoporosis: fifth
                // physiotherapist read, WRONG 9); balance with osteoporosis stays a focus kept when
                // the week's other rules leave room.
                let open = focus.members.compactMap { position[$0] }.contains { ((try? problem.bounds(of: block.y[$0]))?.upper ?? 0) > 0 }
                let hard = open && Self.isDaily(focus, exercises) && !focus.members.contains { exercises[$0].modality == .strengthen }
                let s = try problem.addVariable(name: "focus_short_\(name)_\(fid)", lower: 0, upper: hard ? 0 : Double(bound.lower))
                // A condition's focus (directional preference) is a safety rule in a single session:
                // in a week it comes before the defaults and the profile's regions.
                let weight = { if case .conditions = focus.applies { DoseRamp.conditionFocusWeight } else { 1.0 } }()
                shorts.append((s, "\(focus.name) in session \(name)", uses[t] * DoseRamp.focusPenalty * weight, Double(bound.lower), terms, false))
                try rule("focus_\(name)_\(fid)", terms + [(s, 1)], lower: Double(bound.lower), nil)
            }
        }
        let active = blocks.indices.filter { uses[$0] > 0 }
        // Each focus on enough days of the week (`focus_days_<id>`): a default (McGill's three, the
        // bridge) or a profile's region on at least one day, so that when the cap on exercises
        // leaves no room for every staple in one session they alternate between A and B; a
        // condition's focus on ``DoseRamp/conditionFocusDays`` days (Too Fit To Fracture: strength
        // and balance 2 or more days a week), which the rest day for each muscle group allows
        // even when A and B fall on consecutive days. `on_A` ≤ the focus's used-flags in A (and
        // ≤ 1) says whether A has it; each day short costs ``DoseRamp/focusDayPenalty`` a
        // session day of the week (the condition's weight too), on top of the sessions' own rows.
        let sessionDays = uses.reduce(0, +)
        for bound in spec.focus where bound.lower > 0 && sessionDays > 0 {
            let focus = catalogue.focuses[bound.focus]
            let fid = focus.id.replacingOccurrences(of: "-", with: "_")
            let inFocus = focus.members.compactMap { position[$0] }
            guard !inFocus.isEmpty else { continue }
            let condition = { if case .conditions = focus.applies { true } else { false } }()
            let days = min(sessionDays, condition ? (Self.isDaily(focus, catalogue.exercises) ? sessionDays : DoseRamp.conditionFocusDays) : 1)
            var week: [(Variable, Double)] = []
            for t in active {
                let name = Self.names[t]
                let on = try problem.addVariable(name: "focus_on_\(name)_\(fid)", lower: 0, upper: 1)
                flags.append((on, inFocus.map { blocks[t].y[$0] }))
                try rule("focus_on_\(name)_\(fid)", inFocus.map { (blocks[t].y[$0], 1.0) } + [(on, -1)], lower: 0, nil)
                week.append((on, uses[t]))
            }
            let s = try problem.addVariable(name: "focus_days_short_\(fid)", lower: 0, upper: days)
            let weight = (condition ? DoseRamp.conditionFocusWeight : 1) * DoseRamp.focusDayPenalty * sessionDays
            shorts.append((s, "\(focus.name) on \(readable(days)) day\(days == 1 ? "" : "s") of the week", weight, days, week, false))
            try rule("focus_days_\(fid)", week + [(s, 1)], lower: days, nil)
        }
        let lp = problem
        func isOpen(_ v: Variable) -> Bool { ((try? lp.bounds(of: v))?.upper ?? 0) > 0 }
        // An included exercise is in at least one session, and on at most k days like any other
        // (unless every session is done on more than k days: then it goes in the one done least).
        let fewest = active.min { uses[$0] < uses[$1] }
        for (k, e) in spec.usable.enumerated() where spec.included.contains(e) {
            let open = active.filter { isOpen(blocks[$0].y[k]) }
            guard !open.isEmpty else { continue }
            let within = open.filter { uses[$0] <= Double(spec.maxDaysPerExercise) }
            let sessions = within.isEmpty ? [fewest ?? open[0]].filter(open.contains) : open
            try rule("include_\(idName(e))", sessions.map { (blocks[$0].y[k], 1) }, lower: 1, nil)
        }
        // A ladder step reached stays in the week (a progression is never lost).
        for (k, e) in spec.usable.enumerated() where spec.keep.contains(e) {
            let open = active.filter { isOpen(blocks[$0].y[k]) }
            guard !open.isEmpty else { continue }
            try rule("keep_\(idName(e))", open.map { (blocks[$0].y[k], 1) }, lower: 1, nil)
        }
        // No muscle group strengthened on two consecutive days: when A and B ever fall on
        // consecutive days, they share no group (g ∈ [0, 1] is at least each used-flag).
        let days = Set(spec.pattern.map(\.day))
        let adjacent = spec.pattern.contains { p in days.contains(p.day + 1) }
        if adjacent && uses[1] > 0 {
            var groups: [String: [Int]] = [:]
            // Balance is trained, not loaded: it needs no day of rest between sessions (falls
            // prevention asks for it on most days: Sherrington et al., Cochrane 2019; Too Fit To
            // Fracture), so its group has no rest-day row.
            for (k, e) in spec.usable.enumerated() where exercises[e].strengthens {
                groups[exercises[e].group ?? exercises[e].id, default: []].append(k)
            }
            for (group, members) in groups.sorted(by: { $0.key < $1.key }) {
                let gname = group.replacingOccurrences(of: "-", with: ".")
                var g: [Variable] = []
                for (t, block) in blocks.enumerated() {
                    let gt = try problem.addVariable(name: "g_\(Self.names[t])_\(gname)", lower: 0, upper: 1)
                    g.append(gt)
                    flags.append((gt, members.map { block.y[$0] }))
                    for k in members {
                        try rule("group_\(Self.names[t])_\(gname)_\(idName(spec.usable[k]))", [(gt, 1), (block.y[k], -1)], lower: 0, nil)
                    }
                }
                try rule("rest_group_\(gname)", [(g[0], 1), (g[1], 1)], upper: 1, WeekRule.rest(group: group))
            }
        }
        let included = { (e: Int) in spec.included.contains(e) && !active.contains { uses[$0] <= Double(spec.maxDaysPerExercise) } }
        // Balance is trained, not loaded (the rest-day rule above leaves its group out too): with
        // osteoporosis it is asked for every day (Osteoporosis Canada; Too Fit To Fracture), and
        // while its ladder offers one step at a time that step may be on every session day.
        let restless = { (e: Int) in exercises[e].modality == .strengthen && exercises[e].group == WeekModel.restlessGroup }
        // A condition's directional preference (extension first for flexion intolerance, flexion
        // for extension intolerance) is in every session: McKenzie's repeated movements are done
        // at least daily (sources.md `mckenzie`), so its exercises are not held to k days.
        let daily = Set(spec.focus.filter { bound in
            bound.lower > 0 && Self.isDaily(catalogue.focuses[bound.focus], exercises)
        }.flatMap { catalogue.focuses[$0.focus].members })
        for (k, e) in spec.usable.enumerated() where !included(e) && !restless(e) && !daily.contains(e) && uses.reduce(0, +) > Double(spec.maxDaysPerExercise) {
            try rule("days_\(idName(e))", blocks.indices.filter { uses[$0] > 0 }.map { (blocks[$0].y[k], uses[$0]) },
                     upper: Double(spec.maxDaysPerExercise),
                     "each exercise on at most \(spec.maxDaysPerExercise) days a week (\(exercises[e].id))")
        }
        if let maxNew = spec.maxNew {
            // A daily warm-up (a flare's hip circles or walk) is not one more exercise to learn.
            let warmUps = Set(spec.focus.filter { bound in
                let focus = catalogue.focuses[bound.focus]
                return bound.lower > 0 && Self.isDaily(focus, exercises) && focus.members.allSatisfy { exercises[$0].warmUp }
            }.flatMap { catalogue.focuses[$0.focus].members })
            var news: [(Variable, Double)] = []
            for (k, e) in spec.usable.enumerated() where !spec.previous.contains(e) && !warmUps.contains(e) {
                let u = try problem.addVariable(name: "new_\(idName(e))", kind: relaxed ? .continuous : .binary, lower: 0, upper: 1)
                flags.append((u, blocks.indices.filter { uses[$0] > 0 }.map { blocks[$0].y[k] }))
                for (t, block) in blocks.enumerated() where uses[t] > 0 {
                    try rule("new_\(Self.names[t])_\(idName(e))", [(u, 1), (block.y[k], -1)], lower: 0, nil)
                }
                news.append((u, 1))
            }
            if !news.isEmpty {
                try rule("new_exercises", news, upper: Double(maxNew),
                         .words((spec.previous.isEmpty ? "at most \(maxNew) exercises in the first week" : "at most \(maxNew) new exercises a week")
                            + (warmUps.isEmpty ? "" : ", the warm-up aside")))
            }
        }
        for (c, cause) in catalogue.causes.enumerated() where spec.weeklyMinimums[c] > 0 {
            let need = spec.weeklyMinimums[c]
            let terms = blocks.indices.flatMap { t in blocks[t].coverageTerms(catalogue, cause: c).map { ($0.0, $0.1 * uses[t]) } }
            try rule("weekly_cover_\(cause.id)", terms + [(short, need)], lower: need,
                     "\(cause.name.lowercased()) at least \(readable(spec.weeklyMinimums[c])) points over the week")
        }
        if spec.weeklyStrengthShare > 0 {
            let terms = blocks.indices.flatMap { t in strengthTerms(blocks[t], share: spec.weeklyStrengthShare).map { ($0.0, $0.1 * uses[t]) } }
            try rule("weekly_strength", terms, lower: 0, "at least \(percent(spec.weeklyStrengthShare)) of the week's session time on strengthening")
        }
        // The week's strengthening seconds (units × seconds × days), for the ramp's two rows.
        let strengthening = blocks.indices.flatMap { t in
            blocks[t].members.indices.compactMap { k -> (Variable, Double)? in
                let ex = exercises[blocks[t].members[k]]
                return ex.strengthens ? (blocks[t].x[k], ex.secondsPerUnit * uses[t]) : nil
            }
        }
        if spec.strengthFloor > 0 {
            let terms = strengthening
            let s = try problem.addVariable(name: "strength_short", lower: 0, upper: spec.strengthFloor)
            shorts.append((s, "the week's strengthening", DoseRamp.shortPenalty, spec.strengthFloor, terms, true))
            try rule("strength_floor", terms + [(s, 1)], lower: spec.strengthFloor,
                     "strengthening at least \(clock(spec.strengthFloor)) over the week (the dose ramp)")
        }
        if spec.strengthKept > 0 {
            let terms = strengthening
            let s = try problem.addVariable(name: "strength_kept_short", lower: 0, upper: spec.strengthKept)
            shorts.append((s, "the week's strengthening (at least last week's)", DoseRamp.keepPenalty, spec.strengthKept, terms, true))
            try rule("strength_kept", terms + [(s, 1)], lower: spec.strengthKept,
                     "strengthening at least last week's \(clock(spec.strengthKept)) (never falling before the target)")
        }
        if let maxStrength = spec.maxStrength {
            try rule("strength_growth", strengthening, upper: maxStrength,
                     "the week's strengthening at most \(clock(maxStrength)) (the growth bound over last week)")
        }
        let allTime = blocks.indices.flatMap { t in blocks[t].timeTerms(catalogue).map { ($0.0, $0.1 * uses[t]) } }
        if let maxVolume = spec.maxVolume {
            try rule("volume", allTime, upper: maxVolume,
                     "the week's session time at most \(clock(maxVolume)) (the growth bound over last week)")
        }
        self.rules = rules
        self.allTime = allTime
        try setObjective(shortfall: false)
    }

    /// Whether a focus is a condition's that every session keeps, on every day of the week: one
    /// whose exercises need no rest day (movement, or balance), as a directional preference is.
    /// A condition's strengthening (leg strength with osteoporosis) rests a day between sessions.
    static func isDaily(_ focus: Focus, _ exercises: [Exercise]) -> Bool {
        guard case .conditions = focus.applies else { return false }
        return !focus.members.contains { exercises[$0].strengthens }
    }

    /// Σ strengthening seconds·x − share × (seconds·x + setup·y): ≥ 0 when the share holds.
    private func strengthTerms(_ block: ExerciseBlock, share: Double) -> [(Variable, Double)] {
        block.members.indices.flatMap { k -> [(Variable, Double)] in
            let coefficients = StrengthShareRule.coefficients(catalogue.exercises[block.members[k]], share: share)
            return [(block.x[k], coefficients.units), (block.y[k], coefficients.used)]
        }.filter { $0.1 != 0 }
    }

    /// A full point from units per session (A, B: exercise id → units) and a shortfall, when it
    /// satisfies every row and bound; nil otherwise.
    func start(_ sessions: [[String: Double]], shortfall: Double) -> [Variable: Double]? {
        var values = [Double](repeating: 0, count: problem.variableCount)
        for (t, block) in self.sessions.enumerated() where t < sessions.count {
            for (k, e) in block.members.enumerated() {
                let units = sessions[t][catalogue.exercises[e].id] ?? 0
                values[block.x[k].index] = units
                values[block.y[k].index] = units > 0 ? 1 : 0
            }
        }
        values[short.index] = shortfall
        for (flag, ys) in flags { values[flag.index] = ys.map { values[$0.index] }.max() ?? 0 }
        for s in shorts {
            let have = s.terms.reduce(0) { $0 + $1.1 * values[$1.0.index] }
            values[s.variable.index] = max(0, s.floor - have)
        }
        guard problem.violation(of: values) == nil else { return nil }
        return Dictionary(uniqueKeysWithValues: problem.variables.map { ($0, values[$0.index]) })
    }

    /// What a unit of shortfall costs in the week's objective (0: the shortfall is fixed by its
    /// bounds). ``WeekSolver`` sets it when a week below full minimums may trade a little
    /// coverage for a focus exercise (``DoseRamp/coveragePenalty``).
    var shortfallCost = 0.0

    /// The share of each minimum every session reaches at a point (1: full).
    func reached(_ values: [Double]) -> Double { 1 - values[short.index] }

    /// Lets the minimums fall short by at most this fraction.
    func allowShortfall(upTo most: Double) throws { try problem.setBounds(short, lower: 0, upper: most) }

    /// No objective: any point that keeps every row (a coverage level's feasibility).
    func setObjective(feasibility: Bool) throws {
        try problem.setObjective(.minimize)
        for v in problem.variables { try problem.setObjectiveCoefficient(v, 0) }
    }

    /// Minimise the shortfall alone (stage 1), or the week's time (stage 2).
    func setObjective(shortfall: Bool) throws {
        try problem.setObjective(.minimize)
        for v in problem.variables { try problem.setObjectiveCoefficient(v, 0) }
        if shortfall {
            try problem.setObjectiveCoefficient(short, 1)
        } else {
            var total: [Variable: Double] = [:]
            for (variable, seconds) in allTime { total[variable, default: 0] += seconds }
            for s in shorts { total[s.variable, default: 0] += s.weight }
            if shortfallCost > 0 { total[short, default: 0] += shortfallCost }
            for (variable, seconds) in total { try problem.setObjectiveCoefficient(variable, seconds) }
        }
    }

    /// The rules whose rows are at their bound at `values`, in words (each once).
    func binding(_ values: [Double]) -> [String] {
        var seen: Set<WeekRule> = []
        var words: [String] = [], rested: [String] = []
        for (row, stated) in rules {
            guard let terms = try? problem.terms(of: row), let bounds = try? problem.bounds(of: row) else { continue }
            let activity = terms.reduce(0) { $0 + $1.1 * values[$1.0.index] }
            let tight = [bounds.lower, bounds.upper].contains { b in b.map { abs(activity - $0) <= 1e-6 * max(1, abs($0)) } ?? false }
            guard tight && seen.insert(stated).inserted else { continue }
            switch stated {
            case .words(let text): words.append(text)
            case .rest(let group): rested.append(group)
            }
        }
        // The muscle-group rows, in one phrase: "... on consecutive days (legs, trunk-front)".
        if !rested.isEmpty { words.insert("no muscle group strengthened on consecutive days (\(rested.joined(separator: ", ")))", at: 0) }
        return words
    }

    /// What each floor falls short by at a point (seconds), in words; empty when every floor holds.
    func shortOfFloors(_ values: [Double]) -> [String] {
        shorts.compactMap { s in
            guard s.reported else { return nil }
            let missing = values[s.variable.index]
            guard missing > 0.5 else { return nil }
            return "\(s.label) is \(clock(s.floor - missing)), short of the dose ramp's \(clock(s.floor)): the exercises so far (a few new ones a week) at their most sets, and the week's other rules, leave no more"
        }
    }

    /// Seconds of the week's sessions at a point (walks not included).
    func sessionSeconds(_ values: [Double]) -> Double {
        allTime.reduce(0) { $0 + $1.1 * values[$1.0.index] }
    }
}
