import Foundation
import GRDB
import Relief
import Testing
@testable import ReliefClinic

/// What only the SQLite store has: its file, WAL, foreign keys, the online backup.
@Suite("SQLite clinic store")
struct SQLiteStoreTests {
    @Test("the file is in WAL mode with foreign keys on")
    func pragmas() async throws {
        try await withStore(.sqlite) { store, _ in
            let s = try #require(store as? SQLiteClinicStore)
            let (mode, keys) = try await s.pool.read { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
            }
            #expect(mode == "wal")
            #expect(keys == 1)
        }
    }

    @Test("a backup taken while the store is open is a database with the same rows")
    func backup() async throws {
        try await withStore(.sqlite) { store, _ in
            let s = try #require(store as? SQLiteClinicStore)
            let f = try await Fixture.make(store)
            let day = try #require(CalendarDate("2026-12-01"))
            for i in 0..<5 { _ = try await store.appendLog(LogDraft(day: day.adding(days: i), sessionDone: true), patient: f.patient.id, clinic: f.clinic.id) }
            let target = URL(fileURLWithPath: s.path).deletingLastPathComponent().appendingPathComponent("backup.sqlite").path
            try await s.backup(to: target)

            // The copy opens as a store of its own (its migrations already applied) with the rows.
            let copy = try await SQLiteClinicStore(path: target, options: ClinicStoreOptions(bcryptCost: 4))
            #expect(try await copy.appliedMigrations() == ClinicSchema.migrations.map(\.name))
            #expect(try await copy.patient(id: f.patient.id, clinic: f.clinic.id)?.details == f.patient.details)
            #expect(try await copy.logs(patient: f.patient.id, clinic: f.clinic.id, from: nil, to: nil).count == 5)
            #expect(try await copy.verifySignIn(email: "ana@northside.example", password: "correct horse battery")?.id == f.clinician.id)
            try await copy.close()
        }
    }

    @Test("a path that cannot be opened is an error naming it")
    func cannotOpen() async throws {
        let missing = "/nonexistent-relief-dir/clinic.sqlite"
        do {
            _ = try await ClinicStores.open("sqlite:\(missing)", options: ClinicStoreOptions(bcryptCost: 4))
            Issue.record("opened \(missing)")
        } catch let ClinicStoreError.cannotOpen(url, _) {
            #expect(url == "sqlite:\(missing)")
        }
    }
}

/// Reading addresses: which store, and what a message may show of them.
@Suite("Clinic store addresses")
struct AddressTests {
    @Test("sqlite:PATH and a plain path are SQLite files")
    func sqlite() throws {
        guard case .sqlite(let a) = try ClinicStores.Address("sqlite:/var/lib/relief/clinic.sqlite") else { Issue.record("not sqlite"); return }
        #expect(a == "/var/lib/relief/clinic.sqlite")
        guard case .sqlite(let b) = try ClinicStores.Address("clinic.sqlite") else { Issue.record("not sqlite"); return }
        #expect(b == "clinic.sqlite")
        #expect(throws: ClinicStoreError.self) { try ClinicStores.Address("sqlite:") }
    }

    @Test("a postgres:// address is parsed, and its password never shown")
    func postgres() throws {
        guard case let .postgres(config, shown) = try ClinicStores.Address("postgres://relief:s3cret@db.internal:6543/clinic") else {
            Issue.record("not postgres"); return
        }
        #expect(shown == "postgres://relief:***@db.internal:6543/clinic")
        #expect(config.username == "relief")
        #expect(config.password == "s3cret")
        #expect(config.database == "clinic")
        #expect(config.host == "db.internal")
        #expect(config.port == 6543)
        #expect(throws: ClinicStoreError.cannotOpen(url: "postgres://db.internal/clinic", reason: "the address names no user (postgres://user@host:port/database)")) {
            try ClinicStores.Address("postgres://db.internal/clinic")
        }
    }

    @Test("an unreachable server is an error naming the address without its password")
    func unreachable() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        do {
            _ = try await ClinicStores.open("postgres://relief:pw@127.0.0.1:1/clinic", options: ClinicStoreOptions(bcryptCost: 4, openTimeout: .seconds(1)))
            Issue.record("opened a store on port 1")
        } catch let ClinicStoreError.cannotOpen(url, reason) {
            #expect(url == "postgres://relief:***@127.0.0.1:1/clinic")
            #expect(!reason.contains("pw"))
        }
    }
}

@Suite("SQLite durability setting")
struct SQLiteSynchronousTests {
    @Test("synchronous is NORMAL by default and FULL when asked", arguments: ClinicStoreOptions.SQLiteSynchronous.allCases)
    func synchronous(_ setting: ClinicStoreOptions.SQLiteSynchronous) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-clinic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try await SQLiteClinicStore(path: dir.appendingPathComponent("c.sqlite").path,
                                                options: ClinicStoreOptions(bcryptCost: 4, sqliteSynchronous: setting))
        // SQLite's PRAGMA synchronous reads back 2 for FULL and 1 for NORMAL.
        let value = try await store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(value == (setting == .full ? 2 : 1))
        #expect(ClinicStoreOptions().sqliteSynchronous == .normal)
        try await store.close()
    }
}
