internal import GLPK

/// Plans a programme week by week, each week one MILP (``WeekModel``) solved with GLPK, and
/// adapts the weeks after the log's last entry to what the log shows (README, "Programme").
///
/// The programme is a function of the catalogue, the settings, the request and the log: weeks
/// are planned in order, week w from the state the log of weeks before w leaves, so logging
/// this week never changes an earlier week and the same inputs give the same bytes.
public struct ProgrammePlanner: Sendable {
    public let planner: Planner
    /// When another thread stops it, the week under way ends at its next branch-and-cut
    /// callback and ``plan(settings:request:log:)`` throws `CancellationError` (a server's
    /// client went away or its deadline passed).
    public var stop: Cancellation?
    public init(planner: Planner, stop: Cancellation? = nil) { self.planner = planner; self.stop = stop }
    var catalogue: Catalogue { planner.catalogue }

    /// Each week's model as CPLEX LP text (the model last solved for that week), for other solvers.
    public func exportWeeks(settings: ProgrammeSettings, request: PlanRequest, log: ProgrammeLog? = nil) throws -> [(Int, String)] {
        var out: [(Int, String)] = []
        _ = try plan(settings: settings, request: request, log: log) { number, model in
            out.append((number, try model.problem.text(format: .cplexLP)))
        }
        return out
    }

    public func plan(settings: ProgrammeSettings, request: PlanRequest, log: ProgrammeLog? = nil) throws -> Programme {
        let programme = try plan(settings: settings, request: request, log: log, observe: nil)
        if stop?.isStopped == true { throw CancellationError() }
        return programme
    }

    /// Plans week by week: each week the clearances the log reached, the week's walks and
    /// specification, its solve, and then what the log of that week decides for the next
    /// (``ProgrammeRules``); weeks beyond the log follow the default schedule.
    func plan(settings: ProgrammeSettings, request: PlanRequest, log: ProgrammeLog?,
              observe: ((Int, WeekModel) throws -> Void)?) throws -> Programme {
        try planner.checked(request)
        let settingProblems = settings.problems()
        if !settingProblems.isEmpty { throw RequestError(problems: settingProblems) }
        let screen = RedFlagScreen.assess(request.screen, conditions: request.conditions)
        if screen.status == .redFlag {
            return Programme(settings: settings, request: request, weeks: [], decisions: [], excluded: planner.exclusions(for: request).filter(\.shown),
                             notes: [], screen: screen)
        }
        // A flare at the start (`acute-flare` among the conditions, or `flare_weeks`) lasts
        // `flare_weeks` weeks: its exclusions hold in them, then lift (README, "A flare ends").
        let flareWeeks = Self.flareWeeks(settings: settings, request: request)
        var lifted = request
        lifted.conditions.remove("acute-flare")
        var flaring = request
        flaring.conditions.insert("acute-flare")
        let liftedExcluded = planner.exclusions(for: lifted)
        let flareExcluded = flareWeeks > 0 ? planner.exclusions(for: flaring) : liftedExcluded
        let usable = Set(planner.usableIndices(excluding: liftedExcluded))
        let flareUsable = Set(planner.usableIndices(excluding: flareExcluded))
        let ladders = Ladders(catalogue: catalogue)
        let facts = LogFacts(entries: log?.entries ?? [], file: log?.file ?? "log", settings: settings,
                             ignoresDoneOnNoSessionDays: log?.ignoresDoneOnNoSessionDays ?? false)
        // Symptoms and clearances, from the log alone: a symptom that blocks stops the sessions
        // from its own date until a clearance (README, "Symptoms and clearance").
        let safety = try LogSafety(entries: facts.entries, request: request, file: facts.file)
        let rules = ProgrammeRules(log: facts, safety: safety, exercises: catalogue.exercises, ladders: ladders,
                                   usable: usable, excluded: liftedExcluded)
        let walking = WalkingSchedule(catalogue: catalogue, usable: flareWeeks > 0 ? flareUsable : usable, settings: settings)
        let specs = WeekSpecBuilder(catalogue: catalogue, settings: settings, request: lifted, ladders: ladders, usable: usable,
                                    minimums: planner.minimums(for: request))
        let flareSpecs = WeekSpecBuilder(catalogue: catalogue, settings: settings, request: flaring, ladders: ladders, usable: flareUsable,
                                         minimums: planner.minimums(for: request))
        var solver = WeekSolver(catalogue: catalogue, request: request, stop: stop, observe: observe)
        var state = ProgrammeState(bottoms: ladders.bottoms(usable: usable))
        if flareWeeks > 0 { state.keepRelief(through: flareWeeks) }
        var decisions = rules.safetyDecisions()
        var weeks: [ProgrammeWeek] = []
        var notes: [String] = []
        if flareWeeks > 0 && flareWeeks < settings.weeks {
            let back = flareExcluded.filter { e in e.shown && !liftedExcluded.contains { $0.id == e.id } }.map(\.name)
            decisions.append(Decision(week: flareWeeks + 1, kind: .flareEnds,
                                      text: "the flare at the start has had its \(flareWeeks) week\(flareWeeks == 1 ? "" : "s"): back to the plan, easy does it" + (back.isEmpty ? "" : "; exercises kept back for the flare may come in again, at most \(settings.maxNewExercises) new a week (\(back.joined(separator: ", ")))") + ". If your mornings have not eased, ask your physiotherapist before going on",
                                      evidence: []))
        }

        for w in 1...settings.weeks {
            let dates = (0..<7).map { facts.firstDay(ofWeek: w).adding(days: $0) }
            decisions += rules.resume(week: w, state: &state)
            let pausedDays = Set(dates.filter { safety.pause(on: $0) != nil })
            if pausedDays.count == 7, let pause = safety.pause(on: dates[0]) {
                weeks.append(Self.stoppedWeek(w, phase: state.phase, dates: dates, pause: pause))
                continue
            }
            let held = state.progressionHeld
            let walkTarget = held ? (state.walkRamp ?? DoseRamp.walk(after: nil, settings)) : DoseRamp.walk(after: state.walkRamp, settings)
            let walks = walking.week(minutes: walkTarget)
            let spec = (w <= flareWeeks ? flareSpecs : specs).spec(state, walks: walks)
            state.cutNext = false
            if walking.exercise == nil && w == 1 {
                notes.append("no walking is planned: the walking exercise is left out for you")
            }
            let planned = try solver.solve(number: w, spec: spec, previousSessions: state.sessionsToReuse, dates: dates, walks: walks,
                                           ladders: ladders.shown(state.levels, bottoms: state.bottoms, usable: usable, catalogue.exercises))
            let week = pausedDays.isEmpty ? planned : planned.pausing(pausedDays)
            weeks.append(week)
            state.record(planned, held: held, walked: walkTarget, ladders: ladders, catalogue: catalogue)
            if w <= facts.lastLoggedWeek {
                decisions += try rules.judge(week: w, planned: week, state: &state)
            } else {
                state.phase = state.scheduledPhase(after: w, reliefWeeks: settings.reliefWeeks)
            }
        }
        if log != nil && facts.lastLoggedWeek < settings.weeks && facts.lastLoggedWeek > 0 {
            notes.append("weeks \(facts.lastLoggedWeek + 1)-\(settings.weeks) follow the default schedule until the log reaches them; re-plan after each week")
        }
        // Left out for good, or (in catalogue order) only in the flare's weeks.
        let liftedByID = Dictionary(liftedExcluded.filter(\.shown).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let flareByID = Dictionary(flareExcluded.filter(\.shown).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let shownExcluded = catalogue.exercises.compactMap { ex -> Exclusion? in
            if let e = liftedByID[ex.id] { return e }
            guard let e = flareByID[ex.id] else { return nil }
            let span = min(flareWeeks, settings.weeks) == 1 ? "week 1" : "weeks 1-\(min(flareWeeks, settings.weeks))"
            return Exclusion(id: e.id, name: e.name, reasons: e.reasons.map { "\($0) (in the flare, \(span))" })
        }
        let walkingGuide = walking.exercise.flatMap { catalogue.exerciseIndex($0.id) }
            .flatMap { catalogue.session([($0, 1)], conditions: request.conditions).first }
        return Programme(settings: settings, request: request, weeks: weeks,
                         decisions: decisions.filter { $0.week <= settings.weeks || $0.kind == .stop || $0.kind == .review },
                         excluded: shownExcluded, notes: notes, screen: screen, pauses: safety.pauses,
                         flareWeeks: min(flareWeeks, settings.weeks), walking: walkingGuide,
                         outcomes: ProgrammeOutcomes(entries: facts.entries, settings: settings))
    }

    /// The weeks a flare at the start lasts: `flare_weeks`, else ``DoseRamp/flareWeeks`` when the
    /// conditions include `acute-flare`, else none.
    static func flareWeeks(settings: ProgrammeSettings, request: PlanRequest) -> Int {
        settings.flareWeeks ?? (request.conditions.contains("acute-flare") ? DoseRamp.flareWeeks : 0)
    }

    /// A week a symptom's pause covers from its first day to its last: nothing is planned.
    static func stoppedWeek(_ w: Int, phase: Phase, dates: [CalendarDate], pause: SessionPause) -> ProgrammeWeek {
        ProgrammeWeek(number: w, phase: phase, status: .stopped,
                      days: dates.map { ProgrammeDay(date: $0, session: [], walkMinutes: 0, walkID: nil, sessionName: nil, paused: true) },
                      totalSeconds: 0, coverage: [:], sessionMinimums: [:], binding: [], ladders: [:],
                      notes: ["not planned: \(pause.symptoms.joined(separator: " and ")) needs a clinician (\(pause.finding.urgency.words)); log a clearance (relief log ... cleared) once a clinician has seen you"])
    }
}
