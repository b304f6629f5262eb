/// Reduced-cost fixing, the one argument both searches rest on (the whole-catalogue core search,
/// ``CoreSearch``, and the tie-break and pricing stages on a model, ``RoutineModel/lagrangian(_:)``);
/// the proof is in ``CoreSearch``'s documentation. Prices on the rows exercises share give each
/// exercise reduced costs c_x (per unit) and c_y (for being used); its value v is the least that
/// using it adds to the Lagrangian bound, and an exercise whose value lifts the bound above the
/// incumbent is in no routine as good.
enum Fixing {
    /// v = c_y + min(c_x·least, c_x·cap): the exercise's part is linear in its units, so an end
    /// of its range [least, cap] is the least.
    static func value(unitCost cx: Double, useCost cy: Double, least: Double, cap: Double) -> Double {
        cy + min(cx * least, cx * cap)
    }

    /// An exercise's part of the bound: all of v when it must be used, else only what using it
    /// could save (unused, it adds nothing).
    static func share(_ value: Double, forced: Bool) -> Double { forced ? value : min(0, value) }

    /// How far above the incumbent a bound must be before an exercise is dropped: 1e-5 of the
    /// incumbent plus 1e-6 s, far above the rounding of the sums (about 1e-12 relative per term)
    /// and above GLPK's 1e-6 relative optimality tolerance, so rounding can only keep an
    /// exercise, never drop one wrongly.
    static func tolerance(_ incumbent: Double) -> Double { 1e-5 * max(1, abs(incumbent)) + 1e-6 }

    /// Positions (in `values`) of the exercises a point of objective at most `limit` may use:
    /// those whose value keeps the bound within the tolerance, and those that must be used
    /// (asked only for the rest: on a model it reads a bound from GLPK).
    static func survivors(values: [Double], forced: (Int) -> Bool, bound: Double, limit: Double) -> [Int] {
        let slack = limit + tolerance(limit) - bound
        return values.indices.filter { values[$0].isFinite && max(0, values[$0]) <= slack || forced($0) }
    }
}
