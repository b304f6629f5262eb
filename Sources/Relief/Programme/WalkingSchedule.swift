/// A programme's walking, fixed by rule rather than by the week's model: from the first
/// week's minutes (`relief_walk_minutes`, else 10 a relief session day) up each week by the
/// larger of `max_growth` and ``DoseRamp/walkStep`` to `walk_minutes` (``DoseRamp/walk(after:_:)``),
/// held while a flare or overload is not settled. Walking is its own line: it counts toward no
/// cause's coverage.
struct WalkingSchedule {
    /// The walking exercise (the first usable aerobic one); nil: no walking is planned.
    let exercise: Exercise?
    let settings: ProgrammeSettings

    /// `usable`: the exercises the person may do (catalogue indices).
    init(catalogue: Catalogue, usable: Set<Int>, settings: ProgrammeSettings) {
        exercise = usable.filter { catalogue.exercises[$0].modality == .aerobic }.sorted().first.map { catalogue.exercises[$0] }
        self.settings = settings
    }

    /// One week's walks.
    struct Week {
        /// Minutes per day, offset 0-6.
        let days: [Double]
        let minutes: Double
        /// The walking exercise's id, when it walks.
        let exerciseID: String?
    }

    /// The walks of a week of `minutes` (the ramp's).
    func week(minutes target: Double) -> Week {
        let days = Self.walkingDays(minutes: exercise == nil ? 0 : target, exercise: exercise)
        return Week(days: days, minutes: days.reduce(0, +), exerciseID: exercise?.id)
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
