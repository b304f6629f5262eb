/// The strengthening-share rule, stated once for every model and check: at least `share` of a
/// session's time on strengthening itself. Getting into position does not count, so a used flag
/// without sets cannot meet it:
///
///     Σ_strengthen seconds·x − share·Σ_e (seconds·x + setup·y) ≥ 0
enum StrengthShareRule {
    /// An exercise's coefficients in the rule's row: on its units and on its used flag.
    static func coefficients(_ ex: Exercise, share: Double) -> (units: Double, used: Double) {
        (((ex.modality == .strengthen ? 1 : 0) - share) * ex.secondsPerUnit, -share * ex.setupSeconds)
    }

    /// The tolerance the checks below allow, as GLPK's on a row of `total` seconds.
    static func tolerance(_ total: Double) -> Double { 1e-6 * max(1, total) }

    /// Whether `strength` seconds of strengthening in a routine of `total` seconds keep the rule.
    static func isMet(strength: Double, total: Double, share: Double) -> Bool {
        strength >= share * total - tolerance(total)
    }

    /// Whether the rule holds with equality (it binds): no strengthening to spare.
    static func binds(strength: Double, total: Double, share: Double) -> Bool {
        strength <= share * total + tolerance(total)
    }
}
