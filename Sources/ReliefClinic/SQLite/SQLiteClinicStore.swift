import Foundation
import GRDB

/// The clinic in one SQLite file, through GRDB: a `DatabasePool` (WAL, so readers never wait
/// for the writer), foreign keys on, the schema's migrations through `DatabaseMigrator`, and
/// every write one `pool.write` transaction. SQLite has one writer at a time: concurrent
/// writes queue, none is lost.
public final class SQLiteClinicStore: ClinicStore {
    let pool: DatabasePool
    let options: ClinicStoreOptions
    /// A bcrypt hash of nothing anyone knows, checked when an email is unknown so a sign-in
    /// takes the same time either way.
    let dummyHash: String
    public let path: String
    /// WAL checkpoints off the writer's path: SQLite's automatic checkpoint runs inside the
    /// commit that crosses 1,000 pages and syncs the database file there, so every writer queued
    /// behind that commit waited for it (the log write's p99, benchmarks/README.md). The writer's
    /// automatic checkpoint is off, and a connection of its own runs a PASSIVE checkpoint (it
    /// takes no write lock: commits go on during it) every ``checkpointInterval``.
    let checkpointer: Task<Void, Never>?
    static let checkpointInterval: UInt64 = 250_000_000   // ns

    /// Opens (creating when missing) the file at `path` and brings its schema up to date.
    public init(path: String, options: ClinicStoreOptions = ClinicStoreOptions()) async throws {
        self.options = try options.validated()
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.label = "relief-clinic"
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // GRDB sets NORMAL on the pool's one writer connection when it turns WAL on; the
            // setting is per connection, and only the writer commits.
            let synchronous = options.sqliteSynchronous.rawValue
            try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
            try Self.migrator.migrate(pool)
            var cfg = Configuration()
            cfg.label = "relief-clinic-checkpoint"
            cfg.busyMode = .timeout(10)
            let side = try DatabaseQueue(path: path, configuration: cfg)
            try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            checkpointer = Task.detached(priority: .utility) {
                while !Task.isCancelled {
                    do { try await Task.sleep(nanoseconds: Self.checkpointInterval) } catch { break }
                    // A checkpoint that cannot finish (a reader's snapshot holds old frames) copies
                    // what it can; the next one goes on from there.
                    _ = try? await side.writeWithoutTransaction { db in try db.checkpoint(.passive) }
                }
                try? side.close()
            }
        } catch {
            throw ClinicStoreError.cannotOpen(url: "sqlite:\(path)", reason: Self.message(error))
        }
        dummyHash = try await Secrets.bcrypt(Secrets.newToken(), cost: options.bcryptCost)
    }

    /// The schema's migrations, registered by name: GRDB records each applied name in
    /// `grdb_migrations`, so opening a file twice applies nothing the second time.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        for migration in ClinicSchema.migrations {
            m.registerMigration(migration.name) { db in
                for s in migration.statements { try db.execute(sql: s) }
            }
        }
        return m
    }

    /// The names of the migrations applied to this file, in order.
    public func appliedMigrations() async throws -> [String] {
        try await pool.read { db in try Self.migrator.appliedMigrations(db) }
    }

    /// An online copy of the whole database into a new file at `path`, consistent as of one
    /// moment, while readers and writers go on (SQLite's backup API).
    public func backup(to path: String) async throws {
        do {
            let target = try DatabaseQueue(path: path)
            try pool.backup(to: target)
            try target.close()
        } catch {
            throw ClinicStoreError.database("backup to \(path) failed: \(Self.message(error))")
        }
    }

    public func close() async throws {
        checkpointer?.cancel()
        await checkpointer?.value
        do { try pool.close() } catch { throw ClinicStoreError.database(Self.message(error)) }
    }

    // MARK: Running statements

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.write(body) } catch { throw Self.mapped(error) }
    }

    /// Reads that need no one snapshot: a read here (GRDB's reads are snapshots anyway, at no cost).
    func unsnapshotted<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await read(body)
    }

    /// An insert and its audit line as one statement: SQLite has no data-modifying WITH (nil:
    /// the two go in one transaction).
    static func oneStatement(_ insert: SQL, _ audit: SQL) -> SQL? { nil }

    /// For a body whose one write is a single statement: the same transaction as ``write(_:)``
    /// here (the PostgreSQL store saves its BEGIN and COMMIT round trips).
    func autocommit<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await write(body)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch { throw Self.mapped(error) }
    }

    static func mapped(_ error: any Error) -> any Error {
        if error is ClinicStoreError { return error }
        if let e = error as? DatabaseError, e.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            return ClinicStoreError.conflict(field: "unique", value: e.message ?? "a unique constraint")
        }
        return ClinicStoreError.database(message(error))
    }

    /// The driver's message without the statement's arguments (GRDB leaves them out unless
    /// `publicStatementArguments` is set, which this store never does).
    static func message(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
        return String(describing: error)
    }

    /// The clock, at the columns' millisecond resolution, so a returned value equals its read-back.
    var now: Date { Stored.date(options.now()) }
}

extension Database {
    /// Runs `q` and reads what it returns (a `SELECT`, or a statement with `RETURNING`).
    func rows(_ q: SQL, table: String) throws -> [SQLRow] {
        let statement = try cachedStatement(sql: q.text)
        try statement.setArguments(StatementArguments(q.values.map(\.databaseValue)))
        // A cursor reuses one row buffer, and the names are read once per statement.
        let names = statement.columnNames
        let cursor = try Row.fetchCursor(statement)
        var out: [SQLRow] = []
        while let row = try cursor.next() {
            var columns: [String: SQLValue] = [:]
            columns.reserveCapacity(names.count)
            for (i, name) in names.enumerated() {
                let value: DatabaseValue = row[i]
                switch value.storage {
                case .null: columns[name] = .null
                case .int64(let v): columns[name] = .int(v)
                case .string(let s): columns[name] = .text(s)
                case .double(let d): columns[name] = Int64(exactly: d).map(SQLValue.int) ?? .text(String(d))
                case .blob: columns[name] = .text("(blob)")
                }
            }
            out.append(SQLRow(table: table, columns: columns))
        }
        return out
    }

    func run(_ q: SQL) throws {
        let statement = try cachedStatement(sql: q.text)
        try statement.setArguments(StatementArguments(q.values.map(\.databaseValue)))
        try statement.execute()
    }

    func exists(_ q: SQL) throws -> Bool { try !rows(q, table: "").isEmpty }
}

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .int(let i): i.databaseValue
        case .text(let s): s.databaseValue
        }
    }
}
