/// One problem found in a data file, located as precisely as the file allows.
///
/// Its description reads like a compiler diagnostic:
/// `data/exercises.csv:14:5: seconds_per_unit must be a positive number, got "-30"`.
public struct DataIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String
    /// The file itself is missing (a program may exit differently for it, as `relief-serve`
    /// does with 66), rather than its content or its reading being wrong.
    public let fileMissing: Bool

    public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String, fileMissing: Bool = false) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.fileMissing = fileMissing
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(message)"
    }
}

/// Every problem found in the data; nothing is solved on bad data.
public struct DataErrors: Error, Sendable, CustomStringConvertible {
    public let issues: [DataIssue]
    public init(_ issues: [DataIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Collects issues while a file is read, so a check can report all of them, not the first.
struct IssueCollector {
    var issues: [DataIssue] = []
    mutating func add(_ file: String, _ line: Int?, _ column: Int?, _ message: String) {
        issues.append(DataIssue(file: file, line: line, column: column, message))
    }
    func throwIfAny() throws {
        if !issues.isEmpty { throw DataErrors(issues) }
    }
}
