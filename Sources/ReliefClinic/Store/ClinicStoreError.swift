import Foundation

/// One bad field of a request to the store: its name (as the API spells it), the value given and
/// what was expected, so a page or the API can show it next to the field.
public struct FieldProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public let field: String
    public let value: String
    public let expected: String

    public init(field: String, value: String, expected: String) {
        self.field = field
        self.value = value
        self.expected = expected
    }

    public var description: String { "\(field): expected \(expected), got \"\(value)\"" }
}

/// Why the store refused or failed. Never carries a password, token or hash.
public enum ClinicStoreError: Error, Sendable, Equatable, LocalizedError {
    /// The request itself is wrong; every problem is listed.
    case invalid([FieldProblem])
    /// A value that must be unique is taken (`email`, a patient's `reference` in the clinic).
    case conflict(field: String, value: String)
    /// The store could not be opened from this address (the password, if any, left out).
    case cannotOpen(url: String, reason: String)
    /// A stored row could not be read back: a column with a value the store never writes.
    case corruptRow(table: String, column: String, value: String)
    /// The database failed; the message is the driver's, without bound values.
    case database(String)

    public var errorDescription: String? {
        switch self {
        case .invalid(let problems): "invalid request: " + problems.map(\.description).joined(separator: "; ")
        case let .conflict(field, value): "\(field) \"\(value)\" is already taken"
        case let .cannotOpen(url, reason): "cannot open the clinic store at \(url): \(reason)"
        case let .corruptRow(table, column, value): "\(table).\(column) holds \"\(value)\", which the store never writes"
        case .database(let message): "database error: \(message)"
        }
    }
}
