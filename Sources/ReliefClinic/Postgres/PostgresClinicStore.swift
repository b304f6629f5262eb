import Foundation
import Logging
import PostgresNIO

/// The clinic on a PostgreSQL server, so several `relief serve` nodes share one clinic. The same
/// tables as SQLite (``ClinicSchema``), applied through a `relief_migrations` table under an
/// advisory lock (two nodes starting at once do not both migrate); every statement's values are
/// bound parameters; every write, and every read of more than one statement, is one transaction.
public final class PostgresClinicStore: ClinicStore {
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    let options: ClinicStoreOptions
    let dummyHash: String
    /// The address without its password, for messages.
    public let address: String

    /// Connects, and migrates the schema; throws ``ClinicStoreError/cannotOpen(url:reason:)``
    /// naming `address` when the server cannot be reached or refuses.
    public init(configuration: PostgresClient.Configuration, address: String, options: ClinicStoreOptions = ClinicStoreOptions()) async throws {
        self.options = try options.validated()
        self.address = address
        var logger = Logger(label: "relief-clinic-postgres")
        logger.logLevel = .critical
        self.logger = logger
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        do {
            let quiet = logger
            try await Self.within(options.openTimeout) { try await Self.migrate(client, logger: quiet) }
        } catch {
            runner.cancel()
            throw ClinicStoreError.cannotOpen(url: address, reason: Self.message(error))
        }
        dummyHash = try await Secrets.bcrypt(Secrets.newToken(), cost: options.bcryptCost)
    }

    deinit { runner.cancel() }

    /// `body`, or an error once `limit` has passed (the body is cancelled).
    static func within(_ limit: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await body(); return true }
            group.addTask { try await Task.sleep(for: limit); return false }
            defer { group.cancelAll() }
            guard try await group.next() == true else {
                throw ClinicStoreError.database("no connection within \(limit.components.seconds) s")
            }
        }
    }

    static let migrationLock: Int64 = 0x5245_4c49_4546   // "RELIEF"

    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { conn in
            let db = PGTransaction(connection: conn, logger: logger)
            try await db.run(SQL("SELECT pg_advisory_xact_lock(?)", [.int(migrationLock)]))
            try await db.run(SQL("CREATE TABLE IF NOT EXISTS relief_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)"))
            let applied = Set(try await db.rows(SQL("SELECT name FROM relief_migrations"), table: "relief_migrations").map { try $0.text("name") })
            for m in ClinicSchema.migrations where !applied.contains(m.name) {
                for s in m.statements { try await db.run(SQL(s)) }
                try await db.run(SQL("INSERT INTO relief_migrations (name, applied_at) VALUES (?, ?)", [.text(m.name), SQLValue(Date())]))
            }
        }
    }

    /// The names of the migrations applied to this database, in the order applied.
    public func appliedMigrations() async throws -> [String] {
        try await read { db in
            try await db.rows(SQL("SELECT name FROM relief_migrations ORDER BY applied_at, name"), table: "relief_migrations").map { try $0.text("name") }
        }.sorted { a, b in
            (ClinicSchema.migrations.firstIndex { $0.name == a } ?? .max) < (ClinicSchema.migrations.firstIndex { $0.name == b } ?? .max)
        }
    }

    public func close() async throws {
        runner.cancel()
        await runner.value
    }

    // MARK: Running statements

    func write<T: Sendable>(_ body: (PGTransaction) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { conn in
                try await body(PGTransaction(connection: conn, logger: logger))
            }
        } catch {
            throw Self.mapped(error)
        }
    }

    /// For a body whose one write is a single statement, which PostgreSQL runs as its own
    /// transaction: no BEGIN and COMMIT round trips (a log write is two round trips, not four).
    func autocommit<T: Sendable>(_ body: (PGTransaction) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { conn in try await body(PGTransaction(connection: conn, logger: logger)) }
        } catch {
            throw Self.mapped(error)
        }
    }

    /// Reads that need no one snapshot, on one connection without a transaction: no BEGIN, SET
    /// and COMMIT round trips.
    func unsnapshotted<T: Sendable>(_ body: (PGTransaction) async throws -> T) async throws -> T {
        try await autocommit(body)
    }

    /// An insert and its audit line as one statement (a data-modifying WITH): one round trip.
    static func oneStatement(_ insert: SQL, _ audit: SQL) -> SQL? { Statements.withAuditLine(insert, audit) }

    /// A read in one snapshot (REPEATABLE READ), so the list's three queries agree.
    func read<T: Sendable>(_ body: (PGTransaction) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { conn in
                let db = PGTransaction(connection: conn, logger: logger)
                try await db.run(SQL("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
                return try await body(db)
            }
        } catch {
            throw Self.mapped(error)
        }
    }

    static func mapped(_ error: any Error) -> any Error {
        if error is ClinicStoreError { return error }
        if let t = error as? PostgresTransactionError {
            if let e = t.closureError { return mapped(e) }
            if let e = t.beginError { return mapped(e) }
            if let e = t.commitError { return mapped(e) }
        }
        if let e = error as? PSQLError, e.serverInfo?[.sqlState] == "23505" {
            return ClinicStoreError.conflict(field: e.serverInfo?[.constraintName] ?? "unique", value: e.serverInfo?[.detail] ?? "")
        }
        return ClinicStoreError.database(message(error))
    }

    /// The server's message (never the bound values: postgres-nio marks them protected).
    static func message(_ error: any Error) -> String {
        if let t = error as? PostgresTransactionError, let e = t.closureError ?? t.beginError ?? t.commitError { return message(e) }
        if let e = error as? PSQLError {
            if let m = e.serverInfo?[.message] { return m }
            if let u = e.underlying { return String(describing: u) }
            return "\(e.code)"
        }
        return String(describing: error)
    }

    var now: Date { Stored.date(options.now()) }
}

/// One connection inside a transaction, speaking the stores' ``SQL``.
struct PGTransaction {
    let connection: PostgresConnection
    let logger: Logger

    func query(_ q: SQL) -> PostgresQuery {
        var binds = PostgresBindings(capacity: q.values.count)
        for v in q.values {
            switch v {
            case .null: binds.appendNull()
            case .int(let i): binds.append(i)
            case .text(let s): binds.append(s)
            }
        }
        return PostgresQuery(unsafeSQL: q.numbered, binds: binds)
    }

    func rows(_ q: SQL, table: String) async throws -> [SQLRow] {
        var out: [SQLRow] = []
        for try await row in try await connection.query(query(q), logger: logger) {
            var columns: [String: SQLValue] = [:]
            for cell in row {
                if cell.bytes == nil {
                    columns[cell.columnName] = .null
                    continue
                }
                switch cell.dataType {
                case .int8, .int4, .int2: columns[cell.columnName] = .int(try cell.decode(Int64.self))
                default: columns[cell.columnName] = .text(try cell.decode(String.self))
                }
            }
            out.append(SQLRow(table: table, columns: columns))
        }
        return out
    }

    /// Runs a statement whose rows, if any, are not read (`SELECT pg_advisory_xact_lock` returns void).
    func run(_ q: SQL) async throws {
        for try await _ in try await connection.query(query(q), logger: logger) {}
    }

    func exists(_ q: SQL) async throws -> Bool { try await !rows(q, table: "").isEmpty }
}
