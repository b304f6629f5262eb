import CGLPK

/// How far a number can move while the optimal basis stays optimal (for an objective
/// coefficient) or primal feasible (for a constraint's active bound). Unlimited sides are
/// infinite.
public struct SensitivityRange: Sendable, Hashable {
    public let lower: Double
    public let upper: Double
}

extension Problem {
    private func requireOptimalBasis(_ what: String) throws {
        guard optimalBasisRevision == revision, glp_bf_exists(prob) != 0,
              glp_get_status(prob) == GLP_OPT else {
            throw GLPKError.noOptimalBasis("\(what) needs an optimal LP solved (without presolve) since the last change to the model")
        }
    }

    private static func unlimited(_ x: Double) -> Double {
        x <= -Double.greatestFiniteMagnitude ? -.infinity : x >= Double.greatestFiniteMagnitude ? .infinity : x
    }

    /// The range of `variable`'s objective coefficient over which the current optimal basis
    /// stays optimal. The corresponding C function is `glp_analyze_coef`.
    public func objectiveRange(_ variable: Variable) throws -> SensitivityRange {
        checkThread()
        let j = try column(variable)
        try requireOptimalBasis("objective ranging")
        var coef1 = 0.0, coef2 = 0.0, value1 = 0.0, value2 = 0.0
        var var1: Int32 = 0, var2: Int32 = 0
        glp_analyze_coef(prob, Int32(constraintCount) + j, &coef1, &var1, &value1, &coef2, &var2, &value2)
        return SensitivityRange(lower: Self.unlimited(coef1), upper: Self.unlimited(coef2))
    }

    /// The range over which `constraint`'s active bound can move while the current basis
    /// stays primal feasible, or nil when the constraint is not binding (basic: its bounds
    /// can move freely until they reach the activity).
    /// The corresponding C function is `glp_analyze_bound`.
    public func activeBoundRange(_ constraint: Constraint) throws -> SensitivityRange? {
        checkThread()
        let i = try row(constraint)
        try requireOptimalBasis("bound ranging")
        // glp_analyze_bound aborts on a basic variable: a non-binding row has no active bound.
        guard glp_get_row_stat(prob, i) != GLP_BS else { return nil }
        var value1 = 0.0, value2 = 0.0
        var var1: Int32 = 0, var2: Int32 = 0
        glp_analyze_bound(prob, i, &value1, &var1, &value2, &var2)
        return SensitivityRange(lower: Self.unlimited(value1), upper: Self.unlimited(value2))
    }
}
