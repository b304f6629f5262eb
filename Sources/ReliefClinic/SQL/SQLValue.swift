import Foundation
import Relief

/// A bound value or a read column, in the two types the schema uses (``ClinicSchema``). Both
/// stores translate it to their driver's own type at one place.
enum SQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case text(String)

    init(_ s: String) { self = .text(s) }
    init(_ s: String?) { self = s.map(SQLValue.text) ?? .null }
    init(_ i: Int) { self = .int(Int64(i)) }
    init(_ i: Int?) { self = i.map { .int(Int64($0)) } ?? .null }
    init(_ b: Bool) { self = .int(b ? 1 : 0) }
    /// Milliseconds since 1970: exact in both databases, and ordered.
    init(_ d: Date) { self = .int(Int64((d.timeIntervalSince1970 * 1000).rounded())) }
    init(_ d: Date?) { self = d.map(SQLValue.init) ?? .null }
    init(_ day: CalendarDate) { self = .text(day.description) }
    init<T>(_ id: EntityID<T>) { self = .text(id.rawValue) }
    init<T>(_ id: EntityID<T>?) { self = id.map { .text($0.rawValue) } ?? .null }

    /// A value as JSON text, keys sorted so equal values store equal bytes.
    static func json<T: Encodable>(_ value: T) throws -> SQLValue {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        guard let s = String(data: try e.encode(value), encoding: .utf8) else {
            throw ClinicStoreError.database("could not encode \(T.self) as JSON")
        }
        return .text(s)
    }
}

/// A statement and its bound values. The text uses `?` placeholders; the PostgreSQL store
/// renumbers them `$1`, `$2`, … Values are only ever bound, never spliced into the text.
struct SQL: Sendable {
    let text: String
    let values: [SQLValue]

    init(_ text: String, _ values: [SQLValue] = []) {
        self.text = text
        self.values = values
    }

    /// The text with `$n` placeholders (PostgreSQL). The store's statements have no `?` inside
    /// string literals, so each `?` is a placeholder.
    var numbered: String {
        var out = ""
        out.reserveCapacity(text.count + 16)
        var n = 0
        for ch in text {
            if ch == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(ch)
            }
        }
        return out
    }
}

/// One row read back, by column name, with typed getters that name the table and column when a
/// value is not what the store writes (a row edited by hand, a bad restore).
struct SQLRow: Sendable {
    let table: String
    let columns: [String: SQLValue]

    private func corrupt(_ column: String) -> ClinicStoreError {
        let shown: String
        switch columns[column] {
        case .none: shown = "(missing)"
        case .some(.null): shown = "NULL"
        case .some(.int(let i)): shown = String(i)
        case .some(.text(let s)): shown = String(s.prefix(80))
        }
        return .corruptRow(table: table, column: column, value: shown)
    }

    /// One decoder for every row (JSONDecoder is safe to share once configured).
    static let decoder = JSONDecoder()

    func text(_ column: String) throws -> String {
        guard case .text(let s)? = columns[column] else { throw corrupt(column) }
        return s
    }

    func optionalText(_ column: String) throws -> String? {
        switch columns[column] {
        case .some(.null): return nil
        case .some(.text(let s)): return s
        default: throw corrupt(column)
        }
    }

    func int(_ column: String) throws -> Int {
        guard case .int(let i)? = columns[column], let v = Int(exactly: i) else { throw corrupt(column) }
        return v
    }

    func optionalInt(_ column: String) throws -> Int? {
        if case .some(.null) = columns[column] { return nil }
        return try int(column)
    }

    func bool(_ column: String) throws -> Bool {
        switch try int(column) {
        case 0: return false
        case 1: return true
        default: throw corrupt(column)
        }
    }

    func date(_ column: String) throws -> Date {
        guard case .int(let ms)? = columns[column] else { throw corrupt(column) }
        return Date(timeIntervalSince1970: Double(ms) / 1000)
    }

    func optionalDate(_ column: String) throws -> Date? {
        if case .some(.null) = columns[column] { return nil }
        return try date(column)
    }

    func id<T>(_ column: String) throws -> EntityID<T> { EntityID(rawValue: try text(column)) }

    func day(_ column: String) throws -> CalendarDate {
        guard let d = CalendarDate(try text(column)) else { throw corrupt(column) }
        return d
    }

    func optionalDay(_ column: String) throws -> CalendarDate? {
        guard let s = try optionalText(column) else { return nil }
        guard let d = CalendarDate(s) else { throw corrupt(column) }
        return d
    }

    /// A list of strings (catalogue ids, tags), read fast when it is in the store's own layout.
    func strings(_ column: String) throws -> [String] {
        if let fast = CompactJSON.strings(try text(column)) { return fast }
        return try json(column, as: [String].self)
    }

    /// An object of booleans (screen answers), read fast when it is in the store's own layout.
    func flags(_ column: String) throws -> [String: Bool] {
        if let fast = CompactJSON.flags(try text(column)) { return fast }
        return try json(column, as: [String: Bool].self)
    }

    func json<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
        let s = try text(column)
        do { return try SQLRow.decoder.decode(T.self, from: Data(s.utf8)) } catch { throw corrupt(column) }
    }
}
