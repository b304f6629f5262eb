import Relief

/// The timed steps of one exercise, for the guided session's countdown: getting into position,
/// then each set (each side in turn) with its repetitions, holds and rests between sets, from
/// the catalogue's dose (``Dose``: reps × (movement + hold) on each side). A set's rest comes
/// between sets, not after the last: the next exercise's own setup follows.
public struct GuidedStep: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case setup, work, rest }
    public let kind: Kind
    /// What the person reads: "Set 1 of 2, first side: 8 reps, 2 s hold each".
    public let label: String
    /// Seconds the step lasts.
    public let seconds: Double
    /// Repetitions within it (0 for a setup or a rest, 1 for a timed bout).
    public let reps: Int
    /// Seconds each repetition's movement takes, and each is held.
    public let move: Double
    public let hold: Double
}

public enum GuidedTimeline {
    /// The steps of an exercise done at `units` (sets when `whole`, else minutes or another
    /// continuous amount lasting `seconds` in all, setup included).
    public static func steps(units: Double, whole: Bool, sides: Int, restSeconds: Double, setupSeconds: Double,
                             seconds: Double, dose: Dose?) -> [GuidedStep] {
        var out: [GuidedStep] = []
        if setupSeconds > 0 {
            out.append(GuidedStep(kind: .setup, label: "Get into position", seconds: setupSeconds, reps: 0, move: 0, hold: 0))
        }
        let sideNames = sides > 1 ? ["first side", "second side"] + (2..<max(2, sides)).map { "side \($0 + 1)" } : [""]
        guard let dose, whole else {
            // A continuous amount (minutes of walking, a timed release held as long as planned):
            // its time, shared between the sides.
            let work = max(0, seconds - setupSeconds)
            let each = work / Double(sideNames.count)
            for side in sideNames {
                out.append(GuidedStep(kind: .work, label: side.isEmpty ? "Keep going" : "Keep going, \(side)", seconds: each, reps: 1, move: 0, hold: each))
            }
            return out
        }
        let sets = max(1, Int(units.rounded()))
        let reps = dose.kind == .timed ? 1 : dose.reps
        let what: String
        switch dose.kind {
        case .timed: what = "hold \(amount(dose.holdSeconds)) s"
        case .holds: what = "\(reps) \(reps == 1 ? "hold" : "holds") of \(amount(dose.holdSeconds)) s"
        default: what = "\(reps) \(reps == 1 ? String(dose.kind.rawValue.dropLast()) : dose.kind.rawValue)" + (dose.holdSeconds > 0 ? ", \(amount(dose.holdSeconds)) s hold each" : "")
        }
        for s in 1...sets {
            for side in sideNames {
                let label = (sets > 1 ? "Set \(s) of \(sets)" : "The set") + (side.isEmpty ? "" : ", \(side)") + ": " + what
                out.append(GuidedStep(kind: .work, label: label, seconds: Double(reps) * (dose.repSeconds + dose.holdSeconds), reps: reps,
                                      move: dose.repSeconds, hold: dose.holdSeconds))
            }
            if s < sets && restSeconds > 0 {
                out.append(GuidedStep(kind: .rest, label: "Rest", seconds: restSeconds, reps: 0, move: 0, hold: 0))
            }
        }
        return out
    }

    /// The steps of a planned exercise, with its catalogue entry's dose.
    public static func steps(_ e: PlannedExercise, _ ex: Exercise?) -> [GuidedStep] {
        steps(units: e.units, whole: ex?.whole ?? true, sides: e.sides, restSeconds: e.restSeconds, setupSeconds: e.setupSeconds,
              seconds: e.seconds, dose: ex?.setDose)
    }

    static func amount(_ x: Double) -> String { formatAmount((x * 10).rounded() / 10) }
}
