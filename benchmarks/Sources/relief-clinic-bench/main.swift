// The clinic store's targets (issue 24): with 1,000 patients and a year of logs, the clinician's
// patient list with alerts under 50 ms p99, and a log write under 10 ms p99 at 8 concurrent
// writers, on SQLite and on PostgreSQL.
//
//   relief-clinic-bench [--patients 1000] [--days 365] [--sqlite PATH] [--sqlite-synchronous full|normal]
//                       [--postgres URL] [--keep FILE]
//
// --keep FILE (with --sqlite PATH) leaves the seeded clinics in place and writes FILE, a JSON
// object per store with its address, an API token and a link token per patient, for
// benchmarks/clinic_http.py to serve them with relief-serve and time the routes under wrk.
//
// Without --postgres it reads RELIEF_TEST_POSTGRES_URL (tests/clinic/postgres.sh sets it) and
// measures SQLite alone when neither is there. Prints a Markdown table.
import Foundation
import Relief
@_spi(Benchmarks) import ReliefClinic

struct Options {
    var patients = 1_000
    var days = 365
    var listRuns = 200
    var writers = 8
    var writesPerWriter = 200
    var sqlitePath: String?
    var synchronous = ClinicStoreOptions.SQLiteSynchronous.normal
    var postgres: String? = ProcessInfo.processInfo.environment["RELIEF_TEST_POSTGRES_URL"]
    var keep: String?

    init(_ args: [String]) throws {
        var it = args.makeIterator()
        while let a = it.next() {
            func value() throws -> String {
                guard let v = it.next() else { throw BenchError("\(a) needs a value") }
                return v
            }
            func number() throws -> Int {
                let v = try value()
                guard let n = Int(v), n > 0 else { throw BenchError("\(a) must be a positive whole number, got \"\(v)\"") }
                return n
            }
            switch a {
            case "--patients": patients = try number()
            case "--days": days = try number()
            case "--list-runs": listRuns = try number()
            case "--writers": writers = try number()
            case "--writes": writesPerWriter = try number()
            case "--sqlite": sqlitePath = try value()
            case "--postgres": postgres = try value()
            case "--keep": keep = try value()
            case "--sqlite-synchronous":
                let v = try value()
                guard let s = ClinicStoreOptions.SQLiteSynchronous(rawValue: v.uppercased()) else { throw BenchError("--sqlite-synchronous is full or normal, got \"\(v)\"") }
                synchronous = s
            default: throw BenchError("unknown argument \"\(a)\"")
            }
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let i = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
    return sorted[i]
}

func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

struct Result {
    let store: String
    let seed: Double
    let list: [Double]
    let writes: [Double]
    let writeWall: Double
    let rows: Int
    let alerts: Int
    /// The alert sweep: each patient's time, and the whole clinic's, with the alerts it raised.
    let sweeps: [Double]
    let sweepWall: Double
    let raised: Int
    let clinic: Clinic.ID, clinician: Clinician.ID, patients: [Patient.ID]
}

/// The seeded clinic for relief-serve: an API token for the list, a link for every patient.
func keepForServe(_ store: any ClinicStore, _ r: Result, address: String) async throws -> [String: Any] {
    guard let token = try await store.createApiToken(clinician: r.clinician, clinic: r.clinic, name: "bench") else { throw BenchError("no API token") }
    var links: [String] = []
    for p in r.patients {
        guard let l = try await store.createLink(patient: p, clinic: r.clinic, by: r.clinician, expiresAt: Date() + 28 * 86_400) else { throw BenchError("no link") }
        links.append(l.token)
    }
    return ["store": r.store, "address": address, "token": token.token, "links": links]
}

func run(_ name: String, _ store: any ClinicStore, _ o: Options,
         bulk: @Sendable ([PatientLogEntry], Clinic.ID) async throws -> Void) async throws -> Result {
    let clock = ContinuousClock()
    let seedStart = clock.now
    let clinic = try await store.createClinic(name: "Bench clinic")
    let clinician = try await store.createClinician(clinic: clinic.id, email: "bench@clinic.example", displayName: "Bench", password: "bench password")
    let first = CalendarDate("2025-12-01") ?? CalendarDate(ordinal: 20_423)
    var patients: [Patient] = []
    var alerts = 0
    var pending: [PatientLogEntry] = []   // logs of 20 patients per bulk transaction
    for i in 0..<o.patients {
        let p = try await store.createPatient(PatientDetails(reference: String(format: "P-%05d", i), conditions: ["flexion-intolerant"],
                                                             equipment: ["mat"], screenAnswers: ["fever": false], usualPain: i % 8),
                                              clinic: clinic.id, by: .clinician(clinician.id))
        patients.append(p)
        // A programme published for everyone: the sweep reads it (6 weeks, 5 sessions a week).
        if let draft = try await store.saveDraft(PrescriptionPlan(weeks: 6, daysPerWeek: 5, minutes: 15), patient: p.id, clinic: clinic.id, by: clinician.id) {
            _ = try await store.publish(prescription: draft.id, clinic: clinic.id, by: clinician.id)
        }
        var entries: [PatientLogEntry] = []
        for d in 0..<o.days {
            let symptom: LoggedSymptom? = d % 60 == 59 ? LoggedSymptom(symptom: .legPain, tier: .routine) : nil
            entries.append(PatientLogEntry(id: .random(), patient: p.id,
                                           entry: LogDraft(day: first.adding(days: d), sessionDone: d % 3 != 2, exercisesDone: ["bridge", "bird-dog"],
                                                           pain: (i + d) % 11, effort: (i * 7 + d) % 11, symptom: symptom),
                                           recordedAt: Date()))
        }
        pending += entries
        if pending.count >= 20 * o.days || i == o.patients - 1 {
            try await bulk(pending, clinic.id)
            pending.removeAll(keepingCapacity: true)
        }
        // A year of alert history: every patient has some acknowledged ones; one in ten has open ones.
        for k in 0..<3 {
            if let a = try await store.raiseAlert(k == 0 ? .noLog : .lowAdherence, detail: "history", patient: p.id, clinic: clinic.id) {
                _ = try await store.acknowledgeAlert(id: a.id, clinic: clinic.id, by: clinician.id, note: "seen")
            }
        }
        if i % 10 == 0 {
            _ = try await store.raiseAlert(i % 20 == 0 ? .redFlag(.sameDay) : .flare, detail: "open", patient: p.id, clinic: clinic.id)
            alerts += 1
        }
    }
    let seed = ms(clock.now - seedStart)

    // The list: warm up, then time each call.
    var rows = 0
    for _ in 0..<5 { rows = try await store.patientList(clinic: clinic.id).count }
    var list: [Double] = []
    for _ in 0..<o.listRuns {
        let t = clock.now
        rows = try await store.patientList(clinic: clinic.id).count
        list.append(ms(clock.now - t))
    }

    // Log writes: `writers` tasks at once, each for its own patients, each write timed alone.
    let today = first.adding(days: o.days)
    let wallStart = clock.now
    let writes = try await withThrowingTaskGroup(of: [Double].self) { group in
        for w in 0..<o.writers {
            let mine = patients.enumerated().filter { $0.offset % o.writers == w }.map(\.element.id)
            group.addTask {
                var times: [Double] = []
                for k in 0..<o.writesPerWriter {
                    let t = clock.now
                    guard try await store.appendLog(LogDraft(day: today, sessionDone: true, pain: k % 11, effort: 5),
                                                    patient: mine[k % mine.count], clinic: clinic.id) != nil else {
                        throw BenchError("a log write was refused")
                    }
                    times.append(ms(clock.now - t))
                }
                return times
            }
        }
        var all: [Double] = []
        for try await t in group { all += t }
        return all
    }
    let writeWall = ms(clock.now - wallStart)

    // The alert sweep over every patient, one after another as the server's timer runs it,
    // today (each programme was published today: the flare rule over the logs' last fortnight;
    // the reads are a sweep's whatever it finds).
    var sweeps: [Double] = []
    var raised = 0
    let sweepStart = clock.now
    for p in patients {
        let t = clock.now
        raised += try await AlertSweep.sweep(p, clinic: clinic.id, store: store, today: CalendarDate.today(secondsSince1970: Date().timeIntervalSince1970)).count
        sweeps.append(ms(clock.now - t))
    }
    let sweepWall = ms(clock.now - sweepStart)
    return Result(store: name, seed: seed, list: list.sorted(), writes: writes.sorted(), writeWall: writeWall, rows: rows, alerts: alerts,
                  sweeps: sweeps.sorted(), sweepWall: sweepWall, raised: raised,
                  clinic: clinic.id, clinician: clinician.id, patients: patients.map(\.id))
}

@main
enum Bench {
    static func main() async {
        do {
            let o = try Options(Array(CommandLine.arguments.dropFirst()))
            let options = ClinicStoreOptions(bcryptCost: 4, sqliteSynchronous: o.synchronous)
            var results: [Result] = []
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-clinic-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            if o.keep != nil && o.sqlitePath == nil { throw BenchError("--keep needs --sqlite PATH (the file to keep)") }
            var kept: [[String: Any]] = []
            let path = o.sqlitePath ?? dir.appendingPathComponent("clinic.sqlite").path
            let sqlite = try await SQLiteClinicStore(path: path, options: options)
            results.append(try await run("SQLite (GRDB, WAL, synchronous=\(o.synchronous.rawValue))", sqlite, o) { try await sqlite.bulkAppendLogs($0, clinic: $1) })
            if o.keep != nil { kept.append(try await keepForServe(sqlite, results[results.count - 1], address: path)) }
            try await sqlite.close()
            if let url = o.postgres {
                guard let pg = try await ClinicStores.open(url, options: options) as? PostgresClinicStore else { throw BenchError("\(url) is not a PostgreSQL address") }
                results.append(try await run("PostgreSQL 15 (postgres-nio)", pg, o) { try await pg.bulkAppendLogs($0, clinic: $1) })
                if o.keep != nil { kept.append(try await keepForServe(pg, results[results.count - 1], address: url)) }
                try await pg.close()
            }
            if let keep = o.keep {
                try JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys]).write(to: URL(fileURLWithPath: keep))
            }
            print("\(o.patients) patients × \(o.days) days of logs (\(o.patients * o.days) rows), 3 acknowledged alerts each and 1 open per 10 patients;")
            print("list: \(o.listRuns) calls after 5 warm-up; writes: \(o.writers) concurrent writers × \(o.writesPerWriter), each its own transaction.\n")
            print("| store | seed s | list rows | open alerts | list p50 ms | list p99 ms | write p50 ms | write p99 ms | writes/s | sweep p50 ms | sweep p99 ms | sweep all s | raised |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for r in results {
                let f = { (x: Double) in String(format: "%.2f", x) }
                print("| \(r.store) | \(String(format: "%.0f", r.seed / 1000)) | \(r.rows) | \(r.alerts) | \(f(percentile(r.list, 50))) | \(f(percentile(r.list, 99))) | \(f(percentile(r.writes, 50))) | \(f(percentile(r.writes, 99))) | \(String(format: "%.0f", Double(r.writes.count) / (r.writeWall / 1000))) | \(f(percentile(r.sweeps, 50))) | \(f(percentile(r.sweeps, 99))) | \(String(format: "%.2f", r.sweepWall / 1000)) | \(r.raised) |")
            }
        } catch {
            FileHandle.standardError.write(Data("relief-clinic-bench: \(error)\n".utf8))
            exit(1)
        }
    }
}
