import Foundation

/// Filling a store fast for benchmarks: many log rows per statement, one transaction. Not
/// part of the store's contract (no clinic check per row, no audit), hence the SPI.
enum BulkSeed {
    /// Rows per `INSERT`: 200 × 11 bound values stays far below both databases' limits
    /// (SQLite 32,766, PostgreSQL 65,535).
    static let batch = 200

    static func logStatements(_ entries: [PatientLogEntry], clinic: Clinic.ID) throws -> [SQL] {
        var out: [SQL] = []
        var start = 0
        while start < entries.count {
            let chunk = entries[start..<min(start + batch, entries.count)]
            let one = try chunk.map { try Statements.insertLog($0, clinic: clinic) }
            guard let first = one.first, let values = first.text.range(of: " VALUES ") else { break }
            let head = String(first.text[..<values.upperBound])
            let row = String(first.text[values.upperBound...])
            out.append(SQL(head + Array(repeating: row, count: one.count).joined(separator: ", "), one.flatMap(\.values)))
            start += batch
        }
        return out
    }
}

extension SQLiteClinicStore {
    /// Inserts `entries` (of patients of `clinic`) in one transaction, for benchmarks.
    @_spi(Benchmarks) public func bulkAppendLogs(_ entries: [PatientLogEntry], clinic: Clinic.ID) async throws {
        let statements = try BulkSeed.logStatements(entries, clinic: clinic)
        try await write { db in for s in statements { try db.run(s) } }
    }
}

extension PostgresClinicStore {
    /// Inserts `entries` (of patients of `clinic`) in one transaction, for benchmarks.
    @_spi(Benchmarks) public func bulkAppendLogs(_ entries: [PatientLogEntry], clinic: Clinic.ID) async throws {
        let statements = try BulkSeed.logStatements(entries, clinic: clinic)
        try await write { db in for s in statements { try await db.run(s) } }
        try await write { db in try await db.run(SQL("ANALYZE")) }
    }
}
