import CSV
import Foundation

/// A CSV file read with a maintained parser (yaslab/CSV.swift), keeping for every record the
/// line it starts on so that errors can point at `file:line:column`.
///
/// Lines starting with `#` before the header are comments (the catalogue uses them to say
/// that its weights are expert judgement); blank lines are skipped.
struct CSVTable {
    struct Record {
        let line: Int
        let fields: [String]
    }
    let file: String
    let header: [String]
    let headerLine: Int
    let records: [Record]

    /// Reads `path`; `displayName` is how messages name the file.
    static func read(path: String, displayName: String) throws -> CSVTable {
        let bytes: [UInt8]
        do { bytes = try readInputFile(path) } catch let e as DataErrors {
            throw DataErrors(e.issues.map { DataIssue(file: displayName, $0.message, fileMissing: $0.fileMissing) })
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DataErrors([DataIssue(file: displayName, "cannot be read as UTF-8 text")])
        }
        return try parse(text, file: displayName)
    }

    static func parse(_ text: String, file: String) throws -> CSVTable {
        // "\r\n" is one Character in Swift: search for line ends among the scalars.
        var body = Substring(text)
        var line = 1
        // Leading comments and blank lines.
        while !body.isEmpty {
            let scalars = body.unicodeScalars
            let end = scalars.firstIndex(of: "\n") ?? scalars.endIndex
            let first = String(scalars[..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
            guard first.hasPrefix("#") || first.isEmpty else { break }
            body = end == scalars.endIndex ? body[body.endIndex...] : Substring(scalars[scalars.index(after: end)...])
            line += 1
        }
        guard !body.isEmpty else {
            throw DataErrors([DataIssue(file: file, line: line, "the file has no header row")])
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: String(body), hasHeaderRow: true, trimFields: false)
        } catch {
            throw DataErrors([DataIssue(file: file, line: line, "the header row cannot be read as CSV")])
        }
        let header = (reader.headerRow ?? []).map(trimmed)
        let headerLine = line
        line += newlines(in: header) + 1
        var records: [Record] = []
        while let raw = reader.next() {
            let fields = raw.map(trimmed)
            let start = line
            line += newlines(in: fields) + 1
            if fields.allSatisfy({ $0.isEmpty }) { continue }
            records.append(Record(line: start, fields: fields))
        }
        if reader.error != nil {
            throw DataErrors([DataIssue(file: file, line: line, "the file is not valid CSV")])
        }
        return CSVTable(file: file, header: header, headerLine: headerLine, records: records)
    }

    /// Spaces and tabs around a field are not part of it (CSV.swift's own trimming tests each
    /// character against a Foundation CharacterSet, which made loading several times slower).
    private static func trimmed(_ field: String) -> String {
        guard let first = field.utf8.first, let last = field.utf8.last,
              first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 else { return field }
        return String(field.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    private static func newlines(in fields: [String]) -> Int {
        fields.reduce(0) { $0 + $1.reduce(0) { $1 == "\n" ? $0 + 1 : $0 } }
    }
}

/// Strict parsing of one field, reporting the value and what was expected.
struct FieldReader {
    let file: String
    let line: Int
    let columns: [String: Int]     // header name → 0-based position
    let fields: [String]
    var issues: IssueCollector

    func raw(_ name: String) -> String {
        guard let k = columns[name], k < fields.count else { return "" }
        return fields[k]
    }

    func column(_ name: String) -> Int? { columns[name].map { $0 + 1 } }

    mutating func fail(_ name: String, _ message: String) {
        issues.add(file, line, column(name), message)
    }

    mutating func text(_ name: String, required: Bool = true) -> String {
        let value = raw(name)
        if required && value.isEmpty { fail(name, "\(name) must not be empty") }
        return value
    }

    /// A number within `range` (see ``Limits``); anything else is reported with the value
    /// and the range.
    mutating func number(_ name: String, _ range: NumberRange) -> Double? {
        let value = raw(name)
        guard let x = decimalNumber(value), range.contains(x) else {
            fail(name, "\(name) must be \(range.expected), got \"\(value.count > 40 ? String(value.prefix(40)) + "…" : value)\"")
            return nil
        }
        return x
    }

    mutating func yesNo(_ name: String) -> Bool? {
        switch raw(name).lowercased() {
        case "yes": return true
        case "no": return false
        default:
            fail(name, "\(name) must be \"yes\" or \"no\", got \"\(raw(name))\"")
            return nil
        }
    }

    /// A `;`-separated list; empty or "none" is the empty list.
    func list(_ name: String) -> [String] {
        let value = raw(name)
        if value.isEmpty || value.lowercased() == "none" { return [] }
        return value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
    }
}

/// Checks a header against the columns a file must have (and may have).
func checkHeader(_ table: CSVTable, required: [String], optional: [String] = [],
                 issues: inout IssueCollector, hint: String) -> [String: Int] {
    var columns: [String: Int] = [:]
    for (k, name) in table.header.enumerated() {
        let name = name.trimmingCharacters(in: .whitespaces)
        if columns[name] != nil {
            issues.add(table.file, table.headerLine, k + 1, "column \"\(name)\" appears twice in the header")
        } else if !required.contains(name) && !optional.contains(name) {
            issues.add(table.file, table.headerLine, k + 1, "unknown column \"\(name)\"; expected \(hint)")
        }
        columns[name] = k
    }
    for name in required where columns[name] == nil {
        issues.add(table.file, table.headerLine, nil, "missing column \"\(name)\"; expected \(hint)")
    }
    return columns
}

/// The line each key of a table was first seen on, for rows that may appear only once (a weight
/// for an exercise and cause, a session's exercise, a session's response for a cause).
struct FirstLines {
    private var lines: [String: Int] = [:]

    /// The line `key` was first seen on when this sighting (on `line`) repeats it; nil, and the
    /// line recorded, when it is the first.
    mutating func repeated(_ key: String, on line: Int) -> Int? {
        if let first = lines[key] { return first }
        lines[key] = line
        return nil
    }
}
