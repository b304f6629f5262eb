/// One set of an exercise in numbers: how many repetitions (or holds), how long each takes,
/// how long each is held. The time a set takes follows from it, and so does the text a person
/// reads, so neither can be typed wrong:
///
///     work = reps × (rep_seconds + hold_seconds) × sides
///     seconds_per_unit ≥ work + rest_seconds
///
/// (`rest_seconds` is the rest after each set, inside `seconds_per_unit` as the model has always
/// counted it; `setup_seconds` is paid once per exercise, outside it.) A timed bout (a release,
/// a minute of walking) is one "rep" of no movement held for its length: 1 × (0 + 90) × 2.
public struct Dose: Sendable, Hashable {
    /// What a repetition is: a timed bout, a hold, or a movement repeated (the plural noun the
    /// dose text uses: "10 circles", "8 reps").
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case timed, holds, reps, cycles, circles, tilts, rolls, steps

        /// The noun for `n` of them ("1 rep", "8 reps").
        func noun(_ n: Int) -> String { n == 1 ? String(rawValue.dropLast()) : rawValue }
    }

    public let kind: Kind
    /// Repetitions (or holds) on each side, in one set.
    public let reps: Int
    /// The tempo: seconds one repetition's movement takes, getting into and out of a hold
    /// included, the hold itself not (0 for a timed bout).
    public let repSeconds: Double
    /// Seconds each repetition is held (0: none; for a timed bout, its length).
    public let holdSeconds: Double
    /// Words shown after the generated text ("in a reverse pyramid"), never numbers: the numbers
    /// are the columns'.
    public var note: String = ""

    public init(kind: Kind, reps: Int, repSeconds: Double, holdSeconds: Double, note: String = "") {
        self.kind = kind
        self.reps = reps
        self.repSeconds = repSeconds
        self.holdSeconds = holdSeconds
        self.note = note
    }

    /// Seconds of work in one set: reps × (rep_seconds + hold_seconds) × sides.
    public func workSeconds(sides: Int) -> Double {
        Double(reps) * (repSeconds + holdSeconds) * Double(max(sides, 1))
    }

    /// Seconds one set needs, its rest included: the least `seconds_per_unit` may be.
    public func neededSeconds(sides: Int, rest: Double) -> Double { workSeconds(sides: sides) + rest }

    /// The arithmetic of ``neededSeconds(sides:rest:)`` in words, for messages:
    /// "8 reps × (2 s + 2 s hold) × 2 sides + 15 s rest = 79 s".
    public func arithmetic(sides: Int, rest: Double) -> String {
        var text: String
        switch kind {
        case .timed:
            text = "\(seconds(holdSeconds))"
        default:
            let each = holdSeconds > 0 ? "(\(seconds(repSeconds)) + \(seconds(holdSeconds)) hold)" : seconds(repSeconds)
            text = "\(reps) \(kind.noun(reps)) × \(each)"
        }
        if sides > 1 { text += " × \(sides) sides" }
        if rest > 0 { text += " + \(seconds(rest)) rest" }
        return text + " = \(seconds(neededSeconds(sides: sides, rest: rest)))"
    }

    /// What a person reads: "8 reps each side, 2 s hold", "3 holds of 20 s", "90 s each side".
    /// A timed bout done in any amount (`whole` no: minutes of walking) shows only its note,
    /// since the amount itself ("12 minutes") is the time.
    public func text(sides: Int, whole: Bool) -> String {
        let each = sides > 1 ? " each side" : ""
        var text: String
        switch kind {
        case .timed:
            text = whole ? duration(holdSeconds) + each : ""
        case .holds:
            text = "\(reps) \(kind.noun(reps)) of \(duration(holdSeconds))\(each)"
        default:
            text = "\(reps) \(kind.noun(reps))\(each)"
            if holdSeconds > 0 { text += ", \(duration(holdSeconds)) hold" }
        }
        if !note.isEmpty { text += text.isEmpty ? note : ", " + note }
        return text
    }

    /// "20 s", "1.5 s" (arithmetic keeps seconds).
    private func seconds(_ x: Double) -> String { "\(readable(x)) s" }

    /// "20 s", "90 s", "2 min" (whole minutes from 2 minutes up, as people say them).
    private func duration(_ x: Double) -> String {
        x >= 120 && x.truncatingRemainder(dividingBy: 60) == 0 ? "\(readable(x / 60)) min" : seconds(x)
    }
}

extension Limits {
    /// Repetitions or holds per side in one set.
    public static let reps = NumberRange(1, 1_000, whole: true)
    /// A repetition's tempo or a hold, in seconds.
    public static let doseSeconds = NumberRange(0, 3_600)
}
