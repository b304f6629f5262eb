/// Per-exercise, per-cause benefit overrides read from a CSV of `exercise_id,cause,points`.
/// This is how weights tuned from data (`relief tune`) reach the planner.
public struct WeightOverrides: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public let exerciseID: String
        public let causeID: String
        public let points: Double
    }
    public let entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// Reads and checks the file against `catalogue`: unknown ids or causes, bad numbers and
    /// repeated pairs are all reported with file, line and column.
    public static func load(path: String, catalogue: Catalogue) throws -> WeightOverrides {
        try parse(table: CSVTable.read(path: path, displayName: path), catalogue: catalogue)
    }

    /// Reads a weights file's text; `file` names it in messages.
    public static func parse(_ text: String, file: String, catalogue: Catalogue) throws -> WeightOverrides {
        try parse(table: CSVTable.parse(text, file: file), catalogue: catalogue)
    }

    static func parse(table: CSVTable, catalogue: Catalogue) throws -> WeightOverrides {
        let path = table.file
        var issues = IssueCollector()
        let required = ["exercise_id", "cause", "points"]
        let columns = checkHeader(table, required: required, issues: &issues, hint: required.joined(separator: ","))
        try issues.throwIfAny()
        var entries: [Entry] = []
        var seen = FirstLines()
        for record in table.records {
            var f = FieldReader(file: path, line: record.line, columns: columns, fields: record.fields, issues: issues)
            let exercise = f.text("exercise_id")
            let cause = f.text("cause")
            if !exercise.isEmpty && catalogue.exerciseIndex(exercise) == nil {
                f.fail("exercise_id", "unknown exercise id \"\(exercise)\"; it is not in the catalogue")
            }
            if !cause.isEmpty && catalogue.causeIndex(cause) == nil {
                f.fail("cause", "unknown cause \"\(cause)\"; expected one of \(catalogue.causes.map(\.id).joined(separator: ", "))")
            }
            if let first = seen.repeated(exercise + "\u{0}" + cause, on: record.line) {
                f.fail("exercise_id", "\"\(exercise)\",\"\(cause)\" is given twice (first on line \(first))")
            }
            let points = f.number("points", Limits.benefit)
            issues = f.issues
            if let points { entries.append(Entry(exerciseID: exercise, causeID: cause, points: points)) }
        }
        try issues.throwIfAny()
        return WeightOverrides(entries: entries)
    }

    /// The catalogue with these weights in place of its own.
    public func applied(to catalogue: Catalogue) -> Catalogue {
        var exercises = catalogue.exercises
        for entry in entries {
            guard let e = catalogue.exerciseIndex(entry.exerciseID), let c = catalogue.causeIndex(entry.causeID) else { continue }
            exercises[e].benefits[c] = entry.points
        }
        return Catalogue(causes: catalogue.causes, exercises: exercises)
    }
}
