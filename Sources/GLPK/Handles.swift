/// A variable (a column of the constraint matrix) of one ``Problem``.
///
/// Handles are small values that remember which problem made them, so a handle from one
/// problem can never index into another (GLPK would abort on an index out of range).
public struct Variable: Hashable, Sendable, CustomStringConvertible {
    /// The position of the variable, from 0, in the order it was added.
    public let index: Int
    let problemID: UInt64
    public var description: String { "variable #\(index)" }
}

/// A linear constraint (a row of the constraint matrix) of one ``Problem``.
public struct Constraint: Hashable, Sendable, CustomStringConvertible {
    /// The position of the constraint, from 0, in the order it was added.
    public let index: Int
    let problemID: UInt64
    public var description: String { "constraint #\(index)" }
}

/// What values a variable may take.
public enum VariableKind: Sendable, Hashable {
    /// Any real number between the bounds.
    case continuous
    /// Whole numbers between the bounds (which must themselves be whole).
    case integer
    /// 0 or 1.
    case binary
}

/// Whether the objective is minimised or maximised.
public enum Direction: Sendable, Hashable {
    case minimize, maximize
}
