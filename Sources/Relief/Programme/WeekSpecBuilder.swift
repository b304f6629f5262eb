/// Each programme week's ``WeekSpec`` from the settings, the request and the
/// ``ProgrammeState``: the phase's session days, budget and minimums, the ladders' steps, and
/// the week-to-week rules (growth, new exercises), cut or held after a flare or overload.
struct WeekSpecBuilder {
    let catalogue: Catalogue
    let settings: ProgrammeSettings
    let request: PlanRequest
    let ladders: Ladders
    /// The exercises the person may do (catalogue indices).
    let usable: Set<Int>
    /// The exercises every session includes.
    let included: Set<Int>
    /// Per cause, what each relief session covers, and each maintenance session.
    let reliefMinimums: [Double]
    let maintenanceMinimums: [Double]
    /// The trigger-point cause, met once over a maintenance week rather than in every session.
    let triggerCause: Int?

    /// `minimums`: per cause, what each session of a plan covers (``Planner/minimums(for:)``).
    init(catalogue: Catalogue, settings: ProgrammeSettings, request: PlanRequest, ladders: Ladders, usable: Set<Int>, minimums: [Double]) {
        self.catalogue = catalogue
        self.settings = settings
        self.request = request
        self.ladders = ladders
        self.usable = usable
        included = Set(request.included.compactMap(catalogue.exerciseIndex)).intersection(usable)
        // Maintenance keeps the relief phase's weekly dose of each cause in fewer, longer sessions
        // (the total dose matters: Hayden et al. 2005), except trigger points, whose minimum is
        // met once over the week rather than in every session (docs/clinical-review.md).
        triggerCause = catalogue.causeIndex("trigger")
        reliefMinimums = minimums
        let doseFactor = Double(settings.days) / Double(settings.maintenanceDays)
        var maintenance = minimums.map { $0 * doseFactor }
        if let t = triggerCause { maintenance[t] = 0 }
        maintenanceMinimums = maintenance
    }

    /// This week's session exercises: the current step of each ladder, and everything off the
    /// ladders that is not walking.
    func sessionExercises(_ state: ProgrammeState) -> [Int] {
        let rungs = ladders.rungs(state.levels)
        return usable.filter { catalogue.exercises[$0].modality != .aerobic && (!ladders.members.contains($0) || rungs.contains($0)) }.sorted()
    }

    /// The week's specification in `state.phase`, with `walks`. After a flare or overload the
    /// session time is cut to 80% of the week before's (fewer sets) with no new exercises;
    /// while progression is held it does not grow. A ladder's easier step is not new.
    func spec(_ state: ProgrammeState, walks: WalkingSchedule.Week) -> WeekSpec {
        let relief = state.phase == .relief
        let previous = state.previous
        let growth = state.cutNext ? PainRules.cutShare - 1 : state.holding != nil ? 0 : settings.maxGrowth
        let previousIDs = Set((previous?.exerciseIDs ?? []).compactMap(catalogue.exerciseIndex))
        let held = state.progressionHeld
        return WeekSpec(
            phase: state.phase,
            pattern: WeekModel.pattern(sessions: relief ? settings.days : settings.maintenanceDays),
            sessionBudget: relief ? (request.budgetSeconds ?? 15 * 60) : settings.maintenanceMinutes * 60,
            sessionMinimums: relief ? reliefMinimums : maintenanceMinimums,
            weeklyMinimums: catalogue.causes.indices.map { c in
                !relief && c == triggerCause ? reliefMinimums[c] : 0
            },
            sessionStrengthShare: relief ? request.strengthShare : 0,
            weeklyStrengthShare: relief ? 0 : settings.maintenanceStrengthShare,
            walkSeconds: walks.minutes * 60, walkCoverage: walks.coverage,
            maxDaysPerExercise: settings.maxDaysPerExercise,
            maxNew: (previous?.exerciseIDs.isEmpty ?? true) ? nil : held ? 0 : settings.maxNewExercises,
            previous: held ? previousIDs.union(ladders.rungs(state.levels)) : previousIDs,
            maxVolume: previous.flatMap { p in
                guard p.status != .infeasible else { return nil }
                // Cut or held: the sessions' time against last week's sessions (walks are set apart).
                return held ? (p.totalSeconds - p.walkingMinutes * 60) * (1 + growth) + walks.minutes * 60
                    : p.totalSeconds * (1 + growth)
            },
            usable: sessionExercises(state), included: included,
            maxExercises: request.maxExercises, maxShare: request.maxShare)
    }
}
