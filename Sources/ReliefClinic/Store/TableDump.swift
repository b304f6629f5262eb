/// The tables a test may read whole, to check what the store really keeps (hashes, not
/// tokens). A fixed list: the name is spliced into SQL, so only these names are accepted.
enum TableDump {
    static let tables: Set<String> = ["clinic", "clinician", "clinician_session", "api_token", "patient", "prescription",
                                      "patient_link", "log_entry", "alert", "audit_event", "outcome_entry", "clearance"]

    static func sql(_ table: String) throws -> SQL {
        guard tables.contains(table) else {
            throw ClinicStoreError.invalid([FieldProblem(field: "table", value: table, expected: "one of \(tables.sorted().joined(separator: ", "))")])
        }
        return SQL("SELECT * FROM \(table)")
    }

    /// Every column as text (`NULL` for null), for a test to search.
    static func text(_ rows: [SQLRow]) -> [[String: String]] {
        rows.map { r in
            r.columns.mapValues { v in
                switch v {
                case .null: "NULL"
                case .int(let i): String(i)
                case .text(let s): s
                }
            }
        }
    }
}

extension SQLiteClinicStore {
    /// Every row of `table`, as stored (tests only).
    func dump(table: String) async throws -> [[String: String]] {
        let q = try TableDump.sql(table)
        return TableDump.text(try await read { db in try db.rows(q, table: table) })
    }
}

extension PostgresClinicStore {
    /// Every row of `table`, as stored (tests only).
    func dump(table: String) async throws -> [[String: String]] {
        let q = try TableDump.sql(table)
        return TableDump.text(try await read { db in try await db.rows(q, table: table) })
    }
}
