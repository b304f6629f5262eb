internal import GLPK
import Foundation

/// Solves a programme's weeks, one ``WeekModel`` each with GLPK: at full minimums, or else at
/// the highest 5% coverage level the rules allow. It remembers, per set of session rules, the
/// levels proven infeasible for a looser week, so later weeks skip them.
struct WeekSolver {
    let catalogue: Catalogue
    let request: PlanRequest
    /// Stops every solve (the week's and its LP bound's) when another thread sets it.
    let stop: Cancellation?
    /// Called with each week's number and the model last solved for it.
    let observe: ((Int, WeekModel) throws -> Void)?
    /// Per ``ceilingKey(_:)``: the lowest coverage level proven infeasible for a week without
    /// week-to-week rules.
    private var ceilings: [String: Int] = [:]

    init(catalogue: Catalogue, request: PlanRequest, stop: Cancellation?, observe: ((Int, WeekModel) throws -> Void)?) {
        self.catalogue = catalogue
        self.request = request
        self.stop = stop
        self.observe = observe
    }

    /// Coverage levels: each session covers a multiple of 1/levels of every minimum (5% steps).
    static let levels = 20

    /// What the session rules of a week depend on (without the week-to-week rules).
    static func ceilingKey(_ spec: WeekSpec) -> String {
        "\(spec.phase)|\(spec.usable)|\(spec.pattern.map { "\($0.day)\($0.session)" })|\(spec.sessionBudget)|\(spec.sessionMinimums)|\(spec.weeklyMinimums)|\(spec.keep.sorted())|\(spec.included.sorted())|\(spec.locked.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" })|\(spec.focus.map { "\($0.focus):\($0.lower):\($0.upper ?? -1)" })"
    }

    /// Solves week `w`: at full minimums, or else at the highest 5% coverage level the rules
    /// allow (searched up from the level last week's sessions reach, else down from the LP
    /// bound), reusing levels proven infeasible for a looser week with the same session rules.
    /// `previousSessions`: last week's sessions A and B, a first routine when they still fit.
    mutating func solve(number w: Int, spec: WeekSpec, previousSessions: [[PlannedExercise]]?, dates: [CalendarDate],
                        walks: WalkingSchedule.Week, ladders: [String: String]) throws -> ProgrammeWeek {
        if stop?.isStopped == true { throw CancellationError() }
        var options = SolverPolicy.week(timeLimit: request.timeLimit, stop: stop)
        let model = try WeekModel(catalogue: catalogue, spec: spec)
        let clockStart = ContinuousClock.now
        // Last week's sessions are a first routine for this week when they still fit (the
        // wrapper checks a start against every row before GLPK sees it).
        let last = previousSessions?.map { session in Dictionary(session.map { ($0.id, $0.units) }, uniquingKeysWith: +) }
        options.startingPoint = last.flatMap { model.start($0, shortfall: 0) }
        let key = Self.ceilingKey(spec)
        let loose = spec.maxNew == nil && spec.maxVolume == nil
        // A strict week already proven infeasible for a looser week with the same session rules.
        // Full minimums first: is there any such week (no objective, a bounded search), then
        // the shortest from the point found.
        var solution: Solution?
        if ceilings[key] == nil {
            try model.setObjective(feasibility: true)
            var probe = options
            probe.nodeLimit = Self.probeNodes
            let found = try model.problem.solve(probe)
            if found.termination == .infeasible, loose { provenInfeasible(Self.levels, key) }
            if found.hasFeasiblePoint { solution = try shortest(model, from: found, level: Self.levels, options: options) }
        }
        var notes: [String] = []
        if solution?.hasFeasiblePoint != true {
            solution = nil
            if let search = try searchCoverage(model: model, spec: spec, options: options, last: last, key: key, loose: loose) {
                if let found = search.solution { solution = found }
                if search.level < Self.levels, let values = solution?.allValues {
                    let share = Int((model.reached(values) * 100 + 1e-6).rounded(.down))
                    notes.append(Self.shortNote(share: share, spec: spec))
                }
            }
        } else if let values = solution?.allValues, model.reached(values) < 1 - 1e-6 {
            // Full minimums were within reach: some coverage was traded for the focus.
            let share = Int((model.reached(values) * 100 + 1e-6).rounded(.down))
            notes.append("each session reaches \(share)% of each of its targets, which leaves room within the session's time for the exercises it should include (McGill's three, the bridge, what the profile asks for)")
        }
        // Trace level 1 (RELIEF_TRACE=1): each week's solve time (benchmarks/README.md); 2 adds
        // each coverage level tried.
        Diagnostics.trace(1, "week \(w): \(solution.map { "\($0.termination)" } ?? "infeasible") in \(ContinuousClock.now - clockStart)")
        try observe?(w, model)
        return week(number: w, spec: spec, model: model, solution: solution, dates: dates, walks: walks, ladders: ladders, notes: notes)
    }

    /// Why a week's sessions reach only `share`% of their targets, naming the week's own rules:
    /// the few exercises of the first weeks (in the relief phase; later the new-exercise rule), the cap on
    /// exercises a session, the time per session and the rest days for each muscle group.
    static func shortNote(share: Int, spec: WeekSpec) -> String {
        var reasons: [String] = []
        let building = spec.phase == .relief
        if building { reasons.append("the few exercises of the first weeks (a few new ones a week)") }
        else if let n = spec.maxNew { reasons.append("at most \(n) new exercise\(n == 1 ? "" : "s") a week") }
        if let k = spec.maxExercises { reasons.append("at most \(k) exercises a session") }
        reasons.append("the time per session and the rest days for each muscle group")
        return "for now each session reaches \(share)% of each of its targets: \(reasons.joined(separator: ", ")) leave no more" + (building ? "; it builds as the weeks go on" : "")
    }

    /// Nodes a feasibility probe may use: past it a level counts as not found (not proven
    /// infeasible), so the search stays deterministic and quick.
    static let probeNodes = 500
    /// Nodes the shortest week at a level may use: past it the week is kept, not proven shortest.
    static let shortestNodes = 5_000

    /// The shortest week at coverage `level`, from a point `found` at it (the time objective).
    /// The week may give up to ``DoseRamp/coverageTrade`` more coverage at
    /// ``DoseRamp/coveragePenalty`` a unit, for its focus exercises (McGill's three, the bridge,
    /// a profile's balance or region), at full minimums too: a maintenance session of 25
    /// minutes that covers every minimum and has no room for balance trades a little coverage
    /// for it. A 5% shortfall costs 1,000 s, more than a set of any exercise in every session
    /// of a week, so it is bought by focus exercises, rarely by time alone.
    private func shortest(_ model: WeekModel, from found: Solution, level: Int, options: SolveOptions) throws -> Solution {
        guard let values = found.allValues else { return found }
        model.shortfallCost = DoseRamp.coveragePenalty
        try model.setObjective(shortfall: false)
        try model.allowShortfall(upTo: min(1, 1 - Double(level) / Double(Self.levels) + DoseRamp.coverageTrade) + 1e-9)
        var options = options
        options.nodeLimit = Self.shortestNodes
        options.startingPoint = Dictionary(uniqueKeysWithValues: model.problem.variables.map { ($0, values[$0.index]) })
        let t0 = ContinuousClock.now
        let best = try model.problem.solve(options)
        Diagnostics.trace(2, "  level \(level), shortest: \(best.termination) in \(ContinuousClock.now - t0)")
        return best.hasFeasiblePoint ? best : found
    }

    /// Records that coverage `level` is infeasible for the session rules `key`.
    private mutating func provenInfeasible(_ level: Int, _ key: String) {
        ceilings[key] = min(ceilings[key] ?? Self.levels, level)
    }

    /// Not every minimum fits with every rule: each session then covers the largest multiple
    /// of 5% of each minimum that does. The LP relaxation's least shortfall bounds the level
    /// from above; levels proven infeasible for this week's session rules without the
    /// week-to-week ones (a looser week) are skipped too. Returns the level found and its
    /// solution (nil: no level was left to try), or nil when the LP bound is not optimal.
    private mutating func searchCoverage(model: WeekModel, spec: WeekSpec, options: SolveOptions, last: [[String: Double]]?,
                                         key: String, loose: Bool) throws -> (level: Int, solution: Solution?, unproven: Bool)? {
        let bound = try WeekModel(catalogue: catalogue, spec: spec, relaxed: true)
        try bound.allowShortfall(upTo: 1)
        try bound.setObjective(shortfall: true)
        let lp = try bound.problem.solve(SolverPolicy.weekBound(stop: stop))
        guard lp.termination == .optimal, let least = lp.objectiveValue else { return nil }
        let top = min(Self.levels - 1, Int(((1 - least) * Double(Self.levels) + 1e-9).rounded(.down)), (ceilings[key] ?? Self.levels) - 1)
        var options = options
        options.nodeLimit = Self.probeNodes
        var unproven = false
        func attempt(_ l: Int) throws -> Solution {
            try model.allowShortfall(upTo: 1 - Double(l) / Double(Self.levels) + 1e-9)
            options.startingPoint = last.flatMap { model.start($0, shortfall: 1 - Double(l) / Double(Self.levels)) }
            let t0 = ContinuousClock.now
            let result = try model.problem.solve(options)
            Diagnostics.trace(2, "  level \(l): \(result.termination) in \(ContinuousClock.now - t0) start \(options.startingPoint != nil)")
            return result
        }
        // Last week's sessions reach some level without a solve: search up from there (one
        // proof of infeasibility near the answer), else down from the LP bound.
        try model.allowShortfall(upTo: 1)
        // With no such level, up from 0: a feasible level is found quickly, an infeasible one is
        // the slow proof, and going up needs only one.
        let reached = last.flatMap { sessions in
            stride(from: top, through: 0, by: -1).first { model.start(sessions, shortfall: 1 - Double($0) / Double(Self.levels)) != nil }
        } ?? 0
        // The search only asks whether a level is feasible: no objective (GLPK stops at the first
        // point), then the shortest week at the level found, from that point.
        try model.setObjective(feasibility: true)
        var solution: Solution?
        var level = reached
        var l = reached + 1
        while l <= top {
            let result = try attempt(l)
            if !result.hasFeasiblePoint {
                if result.termination == .infeasible { if loose { provenInfeasible(l, key) } } else { unproven = true }
                break
            }
            solution = result
            level = l
            l += 1
        }
        if solution == nil { solution = try attempt(level) }
        if let found = solution, found.hasFeasiblePoint, level >= 0 {
            solution = try shortest(model, from: found, level: level, options: options)
        } else {
            try model.setObjective(shortfall: false)
        }
        return (level, solution, unproven)
    }

    /// The programme week of a solved model: its days, coverage and binding rules; an
    /// infeasible week says why, and a week not proven shortest says so.
    private func week(number w: Int, spec: WeekSpec, model: WeekModel, solution: Solution?, dates: [CalendarDate],
                      walks: WalkingSchedule.Week, ladders: [String: String], notes: [String]) -> ProgrammeWeek {
        var notes = notes
        let minimums = Dictionary(uniqueKeysWithValues: catalogue.causes.enumerated().map { ($1.id, spec.sessionMinimums[$0]) })
        guard let solution, let values = solution.allValues else {
            let why = solution.map { $0.termination == .infeasible } ?? true
                ? "no week of \(spec.pattern.count) \(spec.phase.rawValue) sessions of at most \(clock(spec.sessionBudget)) keeps every rule: try more minutes a session, fewer days, or more days for each exercise"
                : "the solver stopped (\(solution!.termination)) before finding any week; try a longer time limit"
            return ProgrammeWeek(number: w, phase: spec.phase, status: .infeasible,
                                 days: dates.map { ProgrammeDay(date: $0, session: [], walkMinutes: 0, walkID: nil, sessionName: nil) },
                                 totalSeconds: 0, coverage: [:], sessionMinimums: minimums, binding: [], ladders: ladders,
                                 notes: notes + [why])
        }
        var days: [ProgrammeDay] = []
        var coverage: [String: Double] = [:]
        var sessionOf: [Int: Int] = [:]
        for p in spec.pattern { sessionOf[p.day] = p.session }
        let sessions = model.sessions.map { block -> [PlannedExercise] in
            var chosen: [(Int, Double)] = []
            for (k, e) in block.members.enumerated() where values[block.y[k].index] > 0.5 {
                chosen.append((e, values[block.x[k].index]))
            }
            return catalogue.session(chosen, conditions: request.conditions)
        }
        for (d, date) in dates.enumerated() {
            let session = sessionOf[d].map { sessions[$0] } ?? []
            for p in session { for (cause, points) in p.coverage { coverage[cause, default: 0] += points } }
            days.append(ProgrammeDay(date: date, session: session, walkMinutes: walks.days[d], walkID: walks.days[d] > 0 ? walks.exerciseID : nil,
                                     sessionName: sessionOf[d].map { WeekModel.names[$0] }))
        }
        notes += model.shortOfFloors(values)
        let proven = solution.termination == .optimal
        if !proven {
            notes.append("not proven the best for its rules: the solver stopped at its work bound (\(solution.termination)); the week keeps every rule")
        }
        return ProgrammeWeek(number: w, phase: spec.phase, status: proven ? .optimal : .feasible, days: days,
                             totalSeconds: model.sessionSeconds(values) + spec.walkSeconds, coverage: coverage, sessionMinimums: minimums,
                             binding: model.binding(values), ladders: ladders, notes: notes)
    }
}
