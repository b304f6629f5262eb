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
    /// The exercises the request includes: each in at least one session a week, on at most
    /// `max_days_per_exercise` days.
    let included: Set<Int>
    /// The included exercises' prescribed units (``PlanRequest/lockedUnits``).
    let lockedUnits: [Int: Double]
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
        var locked: [Int: Double] = [:]
        for (id, units) in request.lockedUnits {
            if let e = catalogue.exerciseIndex(id), included.contains(e) { locked[e] = units }
        }
        lockedUnits = locked
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

    /// The week's specification in `state.phase`, with `walks`. The week's session time (walks
    /// not included: they have their own ramp) and its strengthening each grow by at most
    /// `max_growth` over last week's, apart from each other and across the switch to
    /// maintenance, whose longer sessions come in over the weeks (docs/clinical-review.md,
    /// "Week to week: volume up at most 10-20 %"). After a flare or overload both are cut to 80%
    /// of the week before's (fewer sets) with no new exercises; while progression is held they
    /// do not grow. The dose ramp (``DoseRamp``) sets each session's least time and the week's
    /// least strengthening, within those bounds; a ladder step above the easiest is kept. New exercises are counted against every exercise the person knows (a ladder's
    /// other steps are not new); the first week has at most `first_week_exercises`.
    func spec(_ state: ProgrammeState, walks: WalkingSchedule.Week) -> WeekSpec {
        let relief = state.phase == .relief
        let previous = state.previous
        let growth = state.cutNext ? PainRules.cutShare - 1 : state.holding != nil ? 0 : settings.maxGrowth
        let held = state.progressionHeld
        let pattern = WeekModel.pattern(sessions: relief ? settings.days : settings.maintenanceDays)
        let budget = relief ? reliefBudget : settings.maintenanceMinutes * 60
        let rampFloor = DoseRamp.sessionShare(step: state.rampStep, settings) * budget
        // The growth bounds hold over the ramp's floors: a floor above them waits for the weeks.
        let solved = previous.flatMap { p in p.status == .optimal || p.status == .feasible ? p : nil }
        let maxVolume = solved.map { $0.sessionSeconds * (1 + growth) }
        // Strengthening grows from last week's; a week with none has nothing to grow from, and
        // only its session time bounds it.
        let maxStrength = solved.flatMap { $0.strengthSeconds > 0 ? $0.strengthSeconds * (1 + growth) : nil }
        let usable = sessionExercises(state)
        var floor = rampFloor
        if let maxVolume { floor = min(floor, maxVolume / Double(pattern.count)) }
        let target = DoseRamp.strengthTarget(settings, reliefBudget: reliefBudget, reliefShare: request.strengthShare)
        var strength = held ? 0 : DoseRamp.strengthFloor(step: state.rampStep, previous: nil, target: target, settings)
        var keepStrength = held ? 0 : min(target, state.strengthBefore ?? 0)
        if let maxStrength {
            strength = min(strength, maxStrength)
            keepStrength = min(keepStrength, maxStrength)
        }
        let keep = Set(ladders.chains.indices.filter { state.isAboveBottom($0) }.map { ladders.step($0, state.levels) }).intersection(usable)
        return WeekSpec(
            phase: state.phase,
            pattern: pattern,
            sessionBudget: budget,
            sessionMinimums: relief ? reliefMinimums : maintenanceMinimums,
            weeklyMinimums: catalogue.causes.indices.map { c in
                !relief && c == triggerCause ? reliefMinimums[c] : 0
            },
            sessionStrengthShare: relief ? request.strengthShare : 0,
            weeklyStrengthShare: relief ? 0 : settings.maintenanceStrengthShare,
            walkSeconds: walks.minutes * 60,
            sessionFloor: floor, strengthFloor: strength, strengthKept: keepStrength, keep: keep,
            maxDaysPerExercise: settings.maxDaysPerExercise,
            maxNew: state.known.isEmpty ? settings.firstWeekExercises : held ? 0 : settings.maxNewExercises,
            previous: held ? state.known.union(ladders.rungs(state.levels)) : state.known,
            maxVolume: maxVolume, maxStrength: maxStrength,
            usable: usable, focus: catalogue.focusBounds(for: request, usable: usable),
            floors: catalogue.focusFloors(for: request).filter { usable.contains($0.key) }, included: included,
            locked: lockedUnits, maxExercises: request.maxExercises, maxShare: request.maxShare)
    }

    /// Seconds of a relief session: the request's minutes (15 when it gives none).
    var reliefBudget: Double { request.budgetSeconds ?? 15 * 60 }
}
