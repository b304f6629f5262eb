/// What a programme carries from one week to the next: each ladder's step and the good
/// sessions on it, the phase, and what a flare, an overload, a clearance or a review left.
/// ``ProgrammeRules`` advance it at the end of each logged week; ``ProgrammePlanner`` records
/// each week planned.
struct ProgrammeState {
    /// The phase of the week being planned.
    var phase: Phase = .relief
    /// Per ladder (``Ladders/chains``), the step in use: 0 is the easiest.
    var levels: [Int]
    /// Per ladder, the easiest step the person may do: where it starts, and the lowest a step
    /// down goes (a standing variant for other people is never a step down to).
    let bottoms: [Int]
    /// Per ladder, the log lines of the good sessions on its current step, and how many.
    var good: [[String]]
    var goodSessions: [Int]
    /// Relief weeks planned so far.
    var reliefWeeksDone = 0
    /// The relief phase is kept up to and including this week.
    var forcedReliefThrough = 0
    /// The last week planned (before any pause took days from it): the base of the next
    /// week's growth, new-exercise and walking rules.
    var previous: ProgrammeWeek?
    /// Relief sessions planned and done so far (a session counts as done unless skipped).
    var adherence: (planned: Int, done: Int) = (0, 0)
    /// A flare or overload holds progression until the mornings settle against its reference.
    var holding: (reference: Double, since: Int)?
    /// The week after a flare or overload: its time is cut and nothing new comes in.
    var cutNext = false
    /// Weeks with a flare or sessions that were too much.
    var troubled: Set<Int> = []
    /// The pauses (indices into ``LogSafety/pauses``) whose clearance has been applied.
    var resumed: Set<Int> = []
    /// Whether the non-response review has been asked for: it is asked once.
    var reviewed = false
    /// The first days of the flares already reported.
    var flareStarts: Set<CalendarDate> = []
    /// Whether the usual pain learned from the log has been reported.
    var learned = false
    /// The dose ramp's step this week (0: the first week's; ``DoseRamp/sessionShare(step:_:)``).
    var rampStep = 0
    /// The walking ramp's minutes last week (nil: the ramp starts this week).
    var walkRamp: Double?
    /// Last week's strengthening seconds: this week's floor until the target (nil: the first
    /// week, or after a cut).
    var strengthBefore: Double?
    /// The exercises the person knows (catalogue indices): every week's so far, with the other
    /// steps of their ladders (a step up or down is not a new exercise).
    var known: Set<Int> = []

    /// `bottoms`: per ladder, its easiest usable step (``Ladders/bottoms(usable:)``).
    init(bottoms: [Int]) {
        self.bottoms = bottoms
        levels = bottoms
        good = [[String]](repeating: [], count: bottoms.count)
        goodSessions = [Int](repeating: 0, count: bottoms.count)
    }

    /// Every ladder starting at its first step.
    init(ladders: Int) { self.init(bottoms: [Int](repeating: 0, count: ladders)) }

    /// Whether ladder `l` is above its easiest usable step.
    func isAboveBottom(_ l: Int) -> Bool { levels[l] > bottoms[l] }

    /// Whether this week's session time may not grow and nothing new may come in: the week
    /// after a flare or overload, or until the mornings settle.
    var progressionHeld: Bool { cutNext || holding != nil }

    /// Keeps the relief phase up to and including `week`.
    mutating func keepRelief(through week: Int) { forcedReliefThrough = max(forcedReliefThrough, week) }

    /// Every ladder a step down where it can go, and every good session forgotten.
    mutating func stepEveryLadderDown() {
        strengthBefore = nil
        for l in levels.indices where isAboveBottom(l) { levels[l] -= 1 }
        good = good.map { _ in [] }
        goodSessions = goodSessions.map { _ in 0 }
    }

    /// The good sessions on ladder `l`'s step forgotten: two more are needed to step up.
    mutating func forgetGoodSessions(ofLadder l: Int) {
        good[l] = []
        goodSessions[l] = 0
    }

    /// A flare or overload in `week`: every ladder a step down, next week's time cut with
    /// nothing new, and no step up until the mornings settle against `reference`.
    mutating func holdProgression(from week: Int, reference: Double) {
        stepEveryLadderDown()
        holding = (reference, week)
        cutNext = true
        rampStep = max(0, rampStep - DoseRamp.stepsBackAfterCut)
        troubled.insert(week)
    }

    /// Records the week planned (before any pause took days from it): its exercises become
    /// known, and unless progression was held the dose ramp takes its next step (walking
    /// holds while held).
    mutating func record(_ planned: ProgrammeWeek, held: Bool, walked: Double, ladders: Ladders, catalogue: Catalogue) {
        if phase == .relief { reliefWeeksDone += 1 }
        previous = planned
        let used = Set(planned.exerciseIDs.compactMap(catalogue.exerciseIndex))
        known.formUnion(used)
        for chain in ladders.chains where !used.isDisjoint(with: chain) { known.formUnion(chain) }
        if planned.status == .optimal || planned.status == .feasible { strengthBefore = planned.strengthSeconds }
        if !held {
            rampStep += 1
            walkRamp = walked
        } else if walkRamp == nil {
            walkRamp = walked
        }
    }

    /// Back to the start of the dose ramp (after a clinician's clearance).
    mutating func restartRamp() {
        rampStep = 0
        walkRamp = nil
        strengthBefore = nil
    }

    /// Last week's sessions A and B, a first routine for this week when the phase is the same.
    var sessionsToReuse: [[PlannedExercise]]? {
        guard let previous, previous.phase == phase else { return nil }
        return WeekModel.names.map { name in previous.days.first { $0.sessionName == name }?.session ?? [] }
    }

    /// The phase after `week` by the default schedule: relief while it is kept, while a flare
    /// or overload is not settled, or for the first `reliefWeeks` relief weeks; then maintenance.
    func scheduledPhase(after week: Int, reliefWeeks: Int) -> Phase {
        forcedReliefThrough >= week + 1 || holding != nil || (phase == .relief && reliefWeeksDone < reliefWeeks) ? .relief : .maintenance
    }
}
