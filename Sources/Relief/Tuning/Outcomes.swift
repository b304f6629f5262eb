import Foundation

/// An outcome log: what each session did and how each cause responded.
///
/// Two CSV files in one folder, one fact per row:
/// - `sessions.csv`: `session_id,exercise_id,units` (one row per exercise done in a session);
/// - `responses.csv`: `session_id,cause,response` (one row per cause measured after a session,
///   in the catalogue's coverage points; e.g. the change in that cause's symptoms).
public struct OutcomeLog: Sendable {
    public struct Session: Sendable, Hashable {
        public let id: String
        /// Units per catalogue exercise index.
        public var units: [Int: Double]
        /// Response per catalogue cause index (missing: not measured).
        public var responses: [Int: Double]
    }
    public let sessions: [Session]

    public init(sessions: [Session]) { self.sessions = sessions }

    /// Reads and checks a log folder against the catalogue; every problem is reported with
    /// file, line and column.
    public static func load(directory: String, catalogue: Catalogue) throws -> OutcomeLog {
        let dir = directory.hasSuffix("/") ? directory : directory + "/"
        let sessionsPath = dir + "sessions.csv", responsesPath = dir + "responses.csv"
        return try parse(sessions: CSVTable.read(path: sessionsPath, displayName: sessionsPath),
                         responses: CSVTable.read(path: responsesPath, displayName: responsesPath), catalogue: catalogue)
    }

    /// Reads a log from the texts of its two files.
    public static func parse(sessions: String, responses: String, catalogue: Catalogue,
                             names: (sessions: String, responses: String) = ("sessions.csv", "responses.csv")) throws -> OutcomeLog {
        try parse(sessions: CSVTable.parse(sessions, file: names.sessions),
                  responses: CSVTable.parse(responses, file: names.responses), catalogue: catalogue)
    }

    static func parse(sessions sessionsTable: CSVTable, responses responsesTable: CSVTable, catalogue: Catalogue) throws -> OutcomeLog {
        var issues = IssueCollector()
        var order: [String] = []
        var byID: [String: Session] = [:]
        var firstLine = FirstLines()

        let sessionsPath = sessionsTable.file, responsesPath = responsesTable.file
        let sessionColumns = checkHeader(sessionsTable, required: ["session_id", "exercise_id", "units"],
                                         issues: &issues, hint: "session_id,exercise_id,units")
        let responseColumns = checkHeader(responsesTable, required: ["session_id", "cause", "response"],
                                          issues: &issues, hint: "session_id,cause,response")
        try issues.throwIfAny()

        for record in sessionsTable.records {
            var f = FieldReader(file: sessionsPath, line: record.line, columns: sessionColumns, fields: record.fields, issues: issues)
            let session = f.text("session_id")
            let exercise = f.text("exercise_id")
            let e = catalogue.exerciseIndex(exercise)
            if !exercise.isEmpty && e == nil { f.fail("exercise_id", "unknown exercise id \"\(exercise)\"; it is not in the catalogue") }
            if let first = firstLine.repeated(session + "\u{0}" + exercise, on: record.line) {
                f.fail("session_id", "session \"\(session)\" lists \"\(exercise)\" twice (first on line \(first))")
            }
            let units = f.number("units", Limits.loggedUnits)
            issues = f.issues
            guard let e, let units, !session.isEmpty else { continue }
            if byID[session] == nil { order.append(session); byID[session] = Session(id: session, units: [:], responses: [:]) }
            byID[session]!.units[e, default: 0] += units
        }
        var responseLine = FirstLines()
        for record in responsesTable.records {
            var f = FieldReader(file: responsesPath, line: record.line, columns: responseColumns, fields: record.fields, issues: issues)
            let session = f.text("session_id")
            let cause = f.text("cause")
            let c = catalogue.causeIndex(cause)
            if !cause.isEmpty && c == nil {
                f.fail("cause", "unknown cause \"\(cause)\"; expected one of \(catalogue.causes.map(\.id).joined(separator: ", "))")
            }
            if !session.isEmpty && byID[session] == nil {
                f.fail("session_id", "session \"\(session)\" has a response but no exercises in sessions.csv")
            }
            if let first = responseLine.repeated(session + "\u{0}" + cause, on: record.line) {
                f.fail("session_id", "session \"\(session)\" has two responses for \"\(cause)\" (first on line \(first))")
            }
            let value = f.number("response", Limits.response)
            issues = f.issues
            guard let c, let value, byID[session] != nil else { continue }
            byID[session]!.responses[c] = value
        }
        if order.isEmpty { issues.add(sessionsPath, nil, nil, "no sessions: the log needs at least one row") }
        try issues.throwIfAny()
        return OutcomeLog(sessions: order.map { byID[$0]! })
    }

    /// Writes the log in its two-file format (used by the synthetic-log generator).
    public func write(directory: String, catalogue: Catalogue) throws {
        var sessionsText = "session_id,exercise_id,units\n"
        var responsesText = "session_id,cause,response\n"
        for s in sessions {
            for (e, u) in s.units.sorted(by: { $0.key < $1.key }) {
                sessionsText += "\(s.id),\(catalogue.exercises[e].id),\(formatNumber(u))\n"
            }
            for (c, r) in s.responses.sorted(by: { $0.key < $1.key }) {
                responsesText += "\(s.id),\(catalogue.causes[c].id),\(formatNumber(r))\n"
            }
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try writeAtomically(sessionsText, to: directory + "/sessions.csv")
        try writeAtomically(responsesText, to: directory + "/responses.csv")
    }
}

/// Numbers in files: up to 4 decimals, no trailing zeros, the same text on every machine.
public func formatNumber(_ x: Double) -> String {
    let r = (x * 10_000).rounded() / 10_000
    if r == r.rounded(), abs(r) < 1e15 { return String(Int(r)) }
    var s = String(format: "%.4f", r)
    while s.hasSuffix("0") { s.removeLast() }
    return s
}

