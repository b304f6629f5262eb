/// A programme's walking, fixed by rule rather than by the week's model: the relief phase's
/// minutes in relief; in maintenance the minutes grow from the week before's by at most
/// `max_growth` (from the relief minutes) up to `walk_minutes`.
struct WalkingSchedule {
    /// The walking exercise (the first usable aerobic one); nil: no walking is planned.
    let exercise: Exercise?
    let settings: ProgrammeSettings
    let causeCount: Int

    /// `usable`: the exercises the person may do (catalogue indices).
    init(catalogue: Catalogue, usable: Set<Int>, settings: ProgrammeSettings) {
        exercise = usable.filter { catalogue.exercises[$0].modality == .aerobic }.sorted().first.map { catalogue.exercises[$0] }
        self.settings = settings
        causeCount = catalogue.causes.count
    }

    /// One week's walks.
    struct Week {
        /// Minutes per day, offset 0-6.
        let days: [Double]
        let minutes: Double
        /// Per cause, what the week's walks cover.
        let coverage: [Double]
        /// The walking exercise's id, when it walks.
        let exerciseID: String?
    }

    /// The minutes a week in `phase` walks, after `previous`.
    func minutes(phase: Phase, previous: ProgrammeWeek?) -> Double {
        exercise == nil ? 0 : phase == .relief ? settings.reliefWalk
            : min(settings.walkMinutes, max(settings.reliefWalk, (previous?.walkingMinutes ?? 0) * (1 + settings.maxGrowth)))
    }

    /// The walks of a week in `phase`, after `previous`.
    func week(phase: Phase, previous: ProgrammeWeek?) -> Week {
        let days = Self.walkingDays(minutes: minutes(phase: phase, previous: previous), exercise: exercise)
        let minutes = days.reduce(0, +)
        let coverage = (0..<causeCount).map { c in
            exercise.map { $0.benefits[c] * minutes * 60 / $0.secondsPerUnit } ?? 0
        }
        return Week(days: days, minutes: minutes, coverage: coverage, exerciseID: exercise?.id)
    }

    /// The week's walking, by rule: `minutes` spread over as many days as keep each walk a real
    /// dose (at least the exercise's least amount, at most its most), evenly through the week,
    /// in whole minutes. Per day offset 0-6.
    static func walkingDays(minutes: Double, exercise: Exercise?) -> [Double] {
        guard let ex = exercise, minutes > 0 else { return [Double](repeating: 0, count: 7) }
        let perUnit = ex.secondsPerUnit / 60
        let least = max(ex.minUnits * perUnit, 1), most = ex.maxUnits * perUnit
        var n = max(1, min(7, Int((minutes / least + 1e-9).rounded(.down))))
        while n < 7 && (minutes / Double(n)).rounded(.up) > most { n += 1 }
        let each = min(most, max(least, (minutes / Double(n) - 1e-9).rounded(.up)))
        var days = [Double](repeating: 0, count: 7)
        for i in 0..<n { days[i * 7 / n] = each }
        return days
    }
}
