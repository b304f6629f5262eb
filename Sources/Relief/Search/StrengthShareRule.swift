/// The strengthening-share rule, stated once for every model and check: at least `share` of a
/// session's time on strengthening itself. Getting into position does not count, so a used flag
/// without sets cannot meet it. Balance is counted apart (``Exercise/isBalance``): it is not
/// strengthening, and its time is not in the time the share is taken of, so a session with its
/// balance asks no more strengthening than one without (the fourth physiotherapist read, WRONG 9):
///
///     Σ_strengthen seconds·x − share·Σ_{e not balance} (seconds·x + setup·y) ≥ 0
enum StrengthShareRule {
    /// An exercise's coefficients in the rule's row: on its units and on its used flag.
    static func coefficients(_ ex: Exercise, share: Double) -> (units: Double, used: Double) {
        if ex.isBalance { return (0, 0) }
        return (((ex.strengthens ? 1 : 0) - share) * ex.secondsPerUnit, -share * ex.setupSeconds)
    }

    /// The tolerance the checks below allow, as GLPK's on a row of `total` seconds.
    static func tolerance(_ total: Double) -> Double { 1e-6 * max(1, total) }

    /// Whether `strength` seconds of strengthening in a routine of `total` seconds (balance not
    /// included) keep the rule.
    static func isMet(strength: Double, total: Double, share: Double) -> Bool {
        strength >= share * total - tolerance(total)
    }

    /// Whether the rule holds with equality (it binds): no strengthening to spare.
    static func binds(strength: Double, total: Double, share: Double) -> Bool {
        strength <= share * total + tolerance(total)
    }
}
