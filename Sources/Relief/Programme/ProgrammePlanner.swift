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
        let excluded = planner.exclusions(for: request)
        if screen.status == .redFlag {
            return Programme(settings: settings, request: request, weeks: [], decisions: [], excluded: excluded.filter(\.shown),
                             notes: [], screen: screen)
        }
        let usable = Set(planner.usableIndices(excluding: excluded))
        let ladders = Ladders(catalogue: catalogue)
        let facts = LogFacts(entries: log?.entries ?? [], file: log?.file ?? "log", settings: settings)
        // Symptoms and clearances, from the log alone: a symptom that blocks stops the sessions
        // from its own date until a clearance (README, "Symptoms and clearance").
        let safety = try LogSafety(entries: facts.entries, request: request, file: facts.file)
        let rules = ProgrammeRules(log: facts, safety: safety, exercises: catalogue.exercises, ladders: ladders,
                                   usable: usable, excluded: excluded)
        let walking = WalkingSchedule(catalogue: catalogue, usable: usable, settings: settings)
        let specs = WeekSpecBuilder(catalogue: catalogue, settings: settings, request: request, ladders: ladders, usable: usable,
                                    minimums: planner.minimums(for: request))
        var solver = WeekSolver(catalogue: catalogue, request: request, stop: stop, observe: observe)
        var state = ProgrammeState(ladders: ladders.chains.count)
        var decisions = rules.safetyDecisions()
        var weeks: [ProgrammeWeek] = []
        var notes: [String] = []

        for w in 1...settings.weeks {
            let dates = (0..<7).map { facts.firstDay(ofWeek: w).adding(days: $0) }
            decisions += rules.resume(week: w, state: &state)
            let pausedDays = Set(dates.filter { safety.pause(on: $0) != nil })
            if pausedDays.count == 7, let pause = safety.pause(on: dates[0]) {
                weeks.append(Self.stoppedWeek(w, phase: state.phase, dates: dates, pause: pause))
                continue
            }
            let walks = walking.week(phase: state.phase, previous: state.previous)
            let spec = specs.spec(state, walks: walks)
            state.cutNext = false
            if walking.exercise == nil && w == 1 {
                notes.append("no walking is planned: the walking exercise is left out for you")
            }
            let planned = try solver.solve(number: w, spec: spec, previousSessions: state.sessionsToReuse, dates: dates, walks: walks,
                                           ladders: ladders.shown(state.levels, catalogue.exercises))
            let week = pausedDays.isEmpty ? planned : planned.pausing(pausedDays)
            weeks.append(week)
            state.record(planned)
            if w <= facts.lastLoggedWeek {
                decisions += try rules.judge(week: w, planned: week, state: &state)
            } else {
                state.phase = state.scheduledPhase(after: w, reliefWeeks: settings.reliefWeeks)
            }
        }
        if log != nil && facts.lastLoggedWeek < settings.weeks && facts.lastLoggedWeek > 0 {
            notes.append("weeks \(facts.lastLoggedWeek + 1)-\(settings.weeks) follow the default schedule until the log reaches them; re-plan after each week")
        }
        return Programme(settings: settings, request: request, weeks: weeks,
                         decisions: decisions.filter { $0.week <= settings.weeks || $0.kind == .stop || $0.kind == .review },
                         excluded: excluded.filter(\.shown), notes: notes, screen: screen, pauses: safety.pauses)
    }

    /// A week a symptom's pause covers from its first day to its last: nothing is planned.
    static func stoppedWeek(_ w: Int, phase: Phase, dates: [CalendarDate], pause: SessionPause) -> ProgrammeWeek {
        ProgrammeWeek(number: w, phase: phase, status: .stopped,
                      days: dates.map { ProgrammeDay(date: $0, session: [], walkMinutes: 0, walkID: nil, sessionName: nil, paused: true) },
                      totalSeconds: 0, coverage: [:], sessionMinimums: [:], binding: [], ladders: [:],
                      notes: ["not planned: \(pause.symptoms.joined(separator: " and ")) needs a clinician (\(pause.finding.urgency.words)); log a clearance (relief log ... cleared) once a clinician has seen you"])
    }
}
