import Foundation
import Testing

/// The two stores' method files are one logic written twice, once synchronous inside GRDB's
/// `pool.write { db in … }` and once asynchronous inside a PostgreSQL transaction (a GRDB write
/// closure cannot `await`, so one shared async body is not possible). This keeps them twins: the
/// PostgreSQL file must be the SQLite file with `try db.` read as `try await db.`, so a fix to
/// one that is not made to the other fails here.
@Suite("The stores stay twins")
struct TwinStoresTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/ReliefClinic")

    @Test("each PostgreSQL method file is its SQLite twin with await", arguments: ["Accounts", "Patients", "Programme", "Records"])
    func twins(_ part: String) throws {
        let sqlite = try String(contentsOf: Self.sources.appendingPathComponent("SQLite/SQLiteClinicStore+\(part).swift"), encoding: .utf8)
        let postgres = try String(contentsOf: Self.sources.appendingPathComponent("Postgres/PostgresClinicStore+\(part).swift"), encoding: .utf8)
        let expected = sqlite
            .replacingOccurrences(of: "import GRDB\n", with: "import PostgresNIO\n")
            .replacingOccurrences(of: "extension SQLiteClinicStore", with: "extension PostgresClinicStore")
            .replacingOccurrences(of: "try db.", with: "try await db.")
            .replacingOccurrences(of: "try !db.", with: "try await !db.")
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = postgres.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(first == nil && a.count == b.count,
                "PostgresClinicStore+\(part).swift differs from its SQLite twin at line \((first?.offset ?? min(a.count, b.count)) + 1)")
    }
}
