import CGLPK
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let nextProblemID = Atomic<UInt64>(1)

/// A linear or mixed-integer programme, owned by one GLPK problem object.
///
/// ```swift
/// let p = Problem()
/// let x = try p.addVariable(name: "x", kind: .integer, lower: 0, upper: 3, objective: 5)
/// let y = try p.addVariable(name: "y", lower: 0, objective: 4)
/// try p.addConstraint(name: "cover", terms: [(x, 2), (y, 1)], lower: 4)
/// let solution = try p.solve()
/// ```
///
/// ## Threads
/// GLPK keeps its working state and its memory accounting per thread: a problem freed on a
/// thread other than the one that made it can crash the process. A `Problem` is therefore
/// confined to the thread that created it. Every method, and `deinit`, checks this with a
/// precondition; the type is not `Sendable`, so the compiler refuses to hand it to another
/// isolation domain. Do not `await` between creating a problem and dropping it: an async
/// function may resume on another thread. For parallel work, build one problem per worker
/// thread (or per synchronous task body).
///
/// Every value that GLPK would abort on is checked before the C call, and refused with a
/// ``GLPKError``.
public final class Problem {
    let prob: OpaquePointer
    let id: UInt64
    private let owner: pthread_t

    // A Swift-side copy of the model: it lets us validate handles and check every solution
    // against the rows and bounds before we return it, without trusting GLPK's report.
    var kinds: [VariableKind] = []
    var columnLower: [Double?] = []
    var columnUpper: [Double?] = []
    var objective: [Double] = []
    var rowColumns: [[Int32]] = []   // 1-based GLPK column numbers, sorted, distinct
    var rowValues: [[Double]] = []
    var rowLower: [Double?] = []
    var rowUpper: [Double?] = []
    public private(set) var direction: Direction = .minimize
    public private(set) var objectiveConstant: Double = 0
    /// Increases on every change; sensitivity analysis is valid only for the revision solved.
    private(set) var revision = 0
    var optimalBasisRevision: Int?

    /// Creates an empty minimisation problem owned by the calling thread.
    /// The corresponding C function is `glp_create_prob`.
    public init() {
        guard let prob = glp_create_prob() else {
            preconditionFailure("glp_create_prob returned NULL (out of memory)")
        }
        self.prob = prob
        self.id = nextProblemID.wrappingAdd(1, ordering: .relaxed).oldValue
        self.owner = pthread_self()
    }

    deinit {
        precondition(pthread_equal(owner, pthread_self()) != 0,
                     "a GLPK problem must be freed on the thread that created it (GLPK's memory accounting is per thread)")
        glp_delete_prob(prob)
    }

    @inline(__always) func checkThread() {
        precondition(pthread_equal(owner, pthread_self()) != 0,
                     "a GLPK problem is confined to the thread that created it")
    }

    private func modified() {
        revision &+= 1
        optimalBasisRevision = nil
    }

    /// The number of variables (columns).
    public var variableCount: Int { kinds.count }
    /// The number of constraints (rows).
    public var constraintCount: Int { rowLower.count }
    /// Whether any variable is integer or binary.
    public var isMIP: Bool { kinds.contains { $0 != .continuous } }

    /// All variables, in the order they were added.
    public var variables: [Variable] { (0..<kinds.count).map { Variable(index: $0, problemID: id) } }
    /// All constraints, in the order they were added.
    public var constraints: [Constraint] { (0..<rowLower.count).map { Constraint(index: $0, problemID: id) } }

    // MARK: Names

    /// Sets the problem's name. The corresponding C function is `glp_set_prob_name`.
    public func setName(_ name: String) throws {
        checkThread()
        try Self.validate(name: name)
        glp_set_prob_name(prob, name)
    }

    static func validate(name: String) throws {
        if name.utf8.count > 255 {
            throw GLPKError.invalidName(name, reason: "GLPK names are at most 255 bytes, this one is \(name.utf8.count)")
        }
        if name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
            throw GLPKError.invalidName(name, reason: "names must not contain control characters")
        }
    }

    /// The name of a variable, or nil when it has none. The corresponding C function is `glp_get_col_name`.
    public func name(of variable: Variable) throws -> String? {
        checkThread()
        let j = try column(variable)
        return glp_get_col_name(prob, j).map { String(cString: $0) }
    }

    /// The name of a constraint, or nil when it has none. The corresponding C function is `glp_get_row_name`.
    public func name(of constraint: Constraint) throws -> String? {
        checkThread()
        let i = try row(constraint)
        return glp_get_row_name(prob, i).map { String(cString: $0) }
    }

    // MARK: Variables

    /// Adds a variable.
    ///
    /// - Parameters:
    ///   - lower: the lower bound, or nil for none (−∞). Binary variables default to 0.
    ///   - upper: the upper bound, or nil for none (+∞). Binary variables default to 1.
    ///   - objective: the variable's objective coefficient.
    /// The corresponding C functions are `glp_add_cols`, `glp_set_col_kind` and `glp_set_col_bnds`.
    @discardableResult
    public func addVariable(name: String? = nil, kind: VariableKind = .continuous,
                            lower: Double? = nil, upper: Double? = nil,
                            objective: Double = 0) throws -> Variable {
        checkThread()
        var lower = lower, upper = upper
        if kind == .binary {
            lower = lower ?? 0
            upper = upper ?? 1
            if let l = lower, let u = upper, l < 0 || u > 1 {
                throw GLPKError.invalidOption("a binary variable's bounds must lie within [0, 1], got [\(l), \(u)]")
            }
        }
        let index = kinds.count
        let what = { name.map { "variable \"\($0)\"" } ?? "variable #\(index)" }
        try Self.validateBounds(what: what(), lower: lower, upper: upper, integral: kind != .continuous)
        try Self.finite(objective, "objective coefficient of \(what())")
        if let name { try Self.validate(name: name) }

        let j = glp_add_cols(prob, 1)
        if let name { glp_set_col_name(prob, j, name) }
        if kind != .continuous { glp_set_col_kind(prob, j, GLP_IV) }
        Self.setBounds(lower: lower, upper: upper) { glp_set_col_bnds(prob, j, $0, $1, $2) }
        if objective != 0 { glp_set_obj_coef(prob, j, objective) }

        kinds.append(kind)
        columnLower.append(lower)
        columnUpper.append(upper)
        self.objective.append(objective)
        modified()
        return Variable(index: kinds.count - 1, problemID: id)
    }

    /// Changes a variable's bounds (nil: no bound on that side).
    /// The corresponding C function is `glp_set_col_bnds`.
    public func setBounds(_ variable: Variable, lower: Double?, upper: Double?) throws {
        checkThread()
        let j = try column(variable)
        let kind = kinds[variable.index]
        try Self.validateBounds(what: "\(variable)", lower: lower, upper: upper, integral: kind != .continuous)
        if kind == .binary, (lower ?? 0) < 0 || (upper ?? 1) > 1 {
            throw GLPKError.invalidOption("a binary variable's bounds must lie within [0, 1]")
        }
        Self.setBounds(lower: lower, upper: upper) { glp_set_col_bnds(prob, j, $0, $1, $2) }
        columnLower[variable.index] = lower
        columnUpper[variable.index] = upper
        modified()
    }

    /// The bounds of a variable (nil: none on that side).
    public func bounds(of variable: Variable) throws -> (lower: Double?, upper: Double?) {
        checkThread()
        _ = try column(variable)
        return (columnLower[variable.index], columnUpper[variable.index])
    }

    /// The kind of a variable.
    public func kind(of variable: Variable) throws -> VariableKind {
        _ = try column(variable)
        return kinds[variable.index]
    }

    // MARK: Objective

    /// Sets the optimisation direction and the objective's constant term.
    /// The corresponding C functions are `glp_set_obj_dir` and `glp_set_obj_coef` (column 0).
    public func setObjective(_ direction: Direction, constant: Double = 0) throws {
        checkThread()
        try Self.finite(constant, "objective constant")
        glp_set_obj_dir(prob, direction == .minimize ? GLP_MIN : GLP_MAX)
        glp_set_obj_coef(prob, 0, constant)
        self.direction = direction
        objectiveConstant = constant
        modified()
    }

    /// Sets one variable's objective coefficient. The corresponding C function is `glp_set_obj_coef`.
    public func setObjectiveCoefficient(_ variable: Variable, _ value: Double) throws {
        checkThread()
        let j = try column(variable)
        try Self.finite(value, "objective coefficient of \(variable)")
        glp_set_obj_coef(prob, j, value)
        objective[variable.index] = value
        modified()
    }

    /// The objective coefficient of a variable.
    public func objectiveCoefficient(_ variable: Variable) throws -> Double {
        _ = try column(variable)
        return objective[variable.index]
    }

    // MARK: Constraints

    /// Adds the constraint `lower ≤ Σ coefficient·variable ≤ upper` (nil: that side is open).
    ///
    /// A variable named twice has its coefficients added together.
    /// The corresponding C functions are `glp_add_rows`, `glp_set_row_bnds` and `glp_set_mat_row`.
    @discardableResult
    public func addConstraint(name: String? = nil, terms: [(Variable, Double)],
                              lower: Double? = nil, upper: Double? = nil) throws -> Constraint {
        checkThread()
        let index = rowLower.count
        let what = { name.map { "constraint \"\($0)\"" } ?? "constraint #\(index)" }
        try Self.validateBounds(what: what(), lower: lower, upper: upper, integral: false)
        if let name { try Self.validate(name: name) }
        let (columns, values) = try normalise(terms, what: what())

        let i = glp_add_rows(prob, 1)
        if let name { glp_set_row_name(prob, i, name) }
        Self.setBounds(lower: lower, upper: upper) { glp_set_row_bnds(prob, i, $0, $1, $2) }
        setMatrixRow(i, columns, values)

        rowColumns.append(columns)
        rowValues.append(values)
        rowLower.append(lower)
        rowUpper.append(upper)
        modified()
        return Constraint(index: rowLower.count - 1, problemID: id)
    }

    /// Changes a constraint's bounds (nil: that side is open).
    /// The corresponding C function is `glp_set_row_bnds`.
    public func setBounds(_ constraint: Constraint, lower: Double?, upper: Double?) throws {
        checkThread()
        let i = try row(constraint)
        try Self.validateBounds(what: "\(constraint)", lower: lower, upper: upper, integral: false)
        Self.setBounds(lower: lower, upper: upper) { glp_set_row_bnds(prob, i, $0, $1, $2) }
        rowLower[constraint.index] = lower
        rowUpper[constraint.index] = upper
        modified()
    }

    /// Replaces every coefficient of a constraint. The corresponding C function is `glp_set_mat_row`.
    public func setTerms(_ constraint: Constraint, _ terms: [(Variable, Double)]) throws {
        checkThread()
        let i = try row(constraint)
        let (columns, values) = try normalise(terms, what: "\(constraint)")
        setMatrixRow(i, columns, values)
        rowColumns[constraint.index] = columns
        rowValues[constraint.index] = values
        modified()
    }

    /// The bounds of a constraint (nil: open on that side).
    public func bounds(of constraint: Constraint) throws -> (lower: Double?, upper: Double?) {
        _ = try row(constraint)
        return (rowLower[constraint.index], rowUpper[constraint.index])
    }

    /// The terms of a constraint, in variable order, without zeros.
    public func terms(of constraint: Constraint) throws -> [(Variable, Double)] {
        _ = try row(constraint)
        let columns = rowColumns[constraint.index], values = rowValues[constraint.index]
        return zip(columns, values).map { (Variable(index: Int($0) - 1, problemID: id), $1) }
    }

    private func setMatrixRow(_ i: Int32, _ columns: [Int32], _ values: [Double]) {
        // GLPK's arrays are 1-based: element 0 is ignored.
        var ind = [Int32](repeating: 0, count: columns.count + 1)
        var val = [Double](repeating: 0, count: columns.count + 1)
        for k in columns.indices {
            ind[k + 1] = columns[k]
            val[k + 1] = values[k]
        }
        glp_set_mat_row(prob, i, Int32(columns.count), ind, val)
    }

    /// Checks handles and values, merges repeated variables, drops zeros and sorts by column.
    private func normalise(_ terms: [(Variable, Double)], what: @autoclosure () -> String) throws -> ([Int32], [Double]) {
        var sorted = terms
        for (variable, value) in terms {
            _ = try column(variable)
            try Self.finite(value, "coefficient of \(variable) in \(what())")
        }
        sorted.sort { $0.0.index < $1.0.index }
        var columns: [Int32] = []
        var values: [Double] = []
        columns.reserveCapacity(sorted.count)
        values.reserveCapacity(sorted.count)
        for (variable, value) in sorted {
            let j = Int32(variable.index + 1)
            if columns.last == j {
                values[values.count - 1] += value
            } else {
                columns.append(j)
                values.append(value)
            }
        }
        var k = 0
        for m in columns.indices where values[m] != 0 {
            columns[k] = columns[m]; values[k] = values[m]; k += 1
        }
        columns.removeLast(columns.count - k)
        values.removeLast(values.count - k)
        for value in values where !value.isFinite {
            throw GLPKError.nonFinite(what: "a summed coefficient in \(what())", value: value)
        }
        return (columns, values)
    }

    // MARK: Checks shared by every setter

    func column(_ variable: Variable) throws -> Int32 {
        guard variable.problemID == id, variable.index >= 0, variable.index < kinds.count else {
            throw GLPKError.foreignHandle("\(variable)")
        }
        return Int32(variable.index + 1)
    }

    func row(_ constraint: Constraint) throws -> Int32 {
        guard constraint.problemID == id, constraint.index >= 0, constraint.index < rowLower.count else {
            throw GLPKError.foreignHandle("\(constraint)")
        }
        return Int32(constraint.index + 1)
    }

    static func finite(_ value: Double, _ what: @autoclosure () -> String) throws {
        if !value.isFinite { throw GLPKError.nonFinite(what: what(), value: value) }
    }

    static func validateBounds(what: @autoclosure () -> String, lower: Double?, upper: Double?, integral: Bool) throws {
        if let lower { try finite(lower, "lower bound of \(what())") }
        if let upper { try finite(upper, "upper bound of \(what())") }
        if let lower, let upper, lower > upper {
            throw GLPKError.invertedBounds(what: what(), lower: lower, upper: upper)
        }
        if integral {
            if let lower, lower.rounded() != lower { throw GLPKError.fractionalIntegerBound(what: what(), value: lower) }
            if let upper, upper.rounded() != upper { throw GLPKError.fractionalIntegerBound(what: what(), value: upper) }
        }
    }

    /// Open sides are expressed with GLPK's bound type, never with an infinite number.
    static func setBounds(lower: Double?, upper: Double?, _ set: (Int32, Double, Double) -> Void) {
        switch (lower, upper) {
        case (nil, nil): set(GLP_FR, 0, 0)
        case let (l?, nil): set(GLP_LO, l, 0)
        case let (nil, u?): set(GLP_UP, 0, u)
        case let (l?, u?) where l == u: set(GLP_FX, l, u)
        case let (l?, u?): set(GLP_DB, l, u)
        }
    }

    /// Replaces the current simplex basis with the standard one (every row's slack basic), as
    /// in a newly built problem. A re-solve then no longer depends on what was solved before,
    /// so the same model gives the same answer whatever its history.
    /// The corresponding C function is `glp_std_basis`.
    public func resetBasis() {
        checkThread()
        glp_std_basis(prob)
        modified()
    }

    func markOptimalBasis() { optimalBasisRevision = revision }

    func setMirrorObjective(_ direction: Direction, constant: Double) {
        self.direction = direction
        objectiveConstant = constant
    }
}

@available(*, unavailable, message: "a GLPK problem is confined to the thread that created it")
extension Problem: @unchecked Sendable {}
