import Foundation
import Relief
import Testing
@testable import ReliefClinic

/// The store's contract, run against every backend (``Backend/available``). Expected values are
/// worked out by hand from what each test writes.
@Suite("Clinic store")
struct ClinicStoreTests {
    @Test("another clinic's clinician sees nothing of this clinic's patient", arguments: Backend.available)
    func clinicBoundary(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let a = try await Fixture.make(store)
            let b = try await Fixture.make(store, name: "Southside", email: "ben@southside.example", reference: "SS-0001")
            let day = try #require(CalendarDate("2026-12-01"))
            #expect(try await store.appendLog(LogDraft(day: day, sessionDone: true, pain: 3), patient: a.patient.id, clinic: a.clinic.id) != nil)
            #expect(try await store.raiseAlert(.flare, detail: "pain 8", patient: a.patient.id, clinic: a.clinic.id) != nil)

            // Clinic B asks for A's patient by its real id: nil or empty everywhere.
            #expect(try await store.patient(id: a.patient.id, clinic: b.clinic.id) == nil)
            #expect(try await store.patients(clinic: b.clinic.id).map(\.id) == [b.patient.id])
            #expect(try await store.patientList(clinic: b.clinic.id).map(\.patient.id) == [b.patient.id])
            #expect(try await store.logs(patient: a.patient.id, clinic: b.clinic.id, from: nil, to: nil).isEmpty)
            #expect(try await store.alerts(patient: a.patient.id, clinic: b.clinic.id).isEmpty)
            #expect(try await store.alerts(patient: nil, clinic: b.clinic.id).isEmpty)
            #expect(try await store.export(patient: a.patient.id, clinic: b.clinic.id, by: .clinician(b.clinician.id)) == nil)
            #expect(try await store.audit(patient: a.patient.id, clinic: b.clinic.id).isEmpty)
            #expect(try await store.prescriptions(patient: a.patient.id, clinic: b.clinic.id).isEmpty)
            #expect(try await store.clinician(id: a.clinician.id, clinic: b.clinic.id) == nil)
            // … and cannot write to it either.
            #expect(try await store.appendLog(LogDraft(day: day, sessionDone: false), patient: a.patient.id, clinic: b.clinic.id) == nil)
            #expect(try await store.updatePatient(id: a.patient.id, clinic: b.clinic.id, details: b.patient.details, by: .clinician(b.clinician.id)) == nil)
            #expect(try await store.saveDraft(PrescriptionPlan(weeks: 4, daysPerWeek: 3, minutes: 20), patient: a.patient.id,
                                              clinic: b.clinic.id, by: b.clinician.id) == nil)
            #expect(try await store.createLink(patient: a.patient.id, clinic: b.clinic.id, by: b.clinician.id,
                                               expiresAt: Date().addingTimeInterval(86_400 * 3650)) == nil)
            #expect(try await !store.erasePatient(id: a.patient.id, clinic: b.clinic.id, by: .clinician(b.clinician.id)))
            let alert = try #require(try await store.alerts(patient: a.patient.id, clinic: a.clinic.id).first)
            #expect(try await store.acknowledgeAlert(id: alert.id, clinic: b.clinic.id, by: b.clinician.id, note: "x") == nil)
            // A's clinician cannot act in B's name: their id with B's clinic is refused.
            #expect(try await store.saveDraft(PrescriptionPlan(weeks: 4, daysPerWeek: 3, minutes: 20), patient: b.patient.id,
                                              clinic: b.clinic.id, by: a.clinician.id) == nil)

            // A still sees all of it: one log, one open alert.
            #expect(try await store.logs(patient: a.patient.id, clinic: a.clinic.id, from: nil, to: nil).count == 1)
            #expect(try await store.alerts(patient: a.patient.id, clinic: a.clinic.id).map(\.isOpen) == [true])
        }
    }

    @Test("a patient link's token is stored only as its SHA-256; expired and revoked links are refused", arguments: Backend.available)
    func linkTokens(_ backend: Backend) async throws {
        try await withStore(backend) { store, h in
            let f = try await Fixture.make(store)
            let issued = try #require(try await store.createLink(patient: f.patient.id, clinic: f.clinic.id, by: f.clinician.id,
                                                                expiresAt: h.clock.now.addingTimeInterval(7 * 86_400)))
            #expect(issued.token.count == 43)   // 256 bits in base64url without padding: ceil(32 * 4 / 3)
            let rows = try await Harness.dump(store, "patient_link")
            #expect(rows.count == 1)
            #expect(!rows.flatMap(\.values).contains { $0.contains(issued.token) })
            // The hash, recomputed here with the definition: SHA-256 of the token's UTF-8, hex.
            #expect(rows.first?["token_hash"] == Secrets.hash(token: issued.token))
            #expect(rows.first?["token_hash"]?.count == 64)

            #expect(try await store.resolveLink(token: issued.token)?.patient == f.patient.id)
            #expect(try await store.resolveLink(token: issued.token + "x") == nil)
            #expect(try await store.resolveLink(token: "") == nil)

            h.clock.advance(7 * 86_400)   // exactly at expiry: refused (valid while now < expires_at)
            #expect(try await store.resolveLink(token: issued.token) == nil)

            let second = try #require(try await store.createLink(patient: f.patient.id, clinic: f.clinic.id, by: f.clinician.id,
                                                                expiresAt: h.clock.now.addingTimeInterval(86_400)))
            #expect(try await store.resolveLink(token: second.token) != nil)
            let other = try await Fixture.make(store, name: "Other", email: "o@other.example", reference: "O-1")
            #expect(try await !store.revokeLink(id: second.record.id, clinic: other.clinic.id, by: other.clinician.id))
            #expect(try await store.revokeLink(id: second.record.id, clinic: f.clinic.id, by: f.clinician.id))
            #expect(try await !store.revokeLink(id: second.record.id, clinic: f.clinic.id, by: f.clinician.id))   // once
            #expect(try await store.resolveLink(token: second.token) == nil)
            #expect(try await store.links(patient: f.patient.id, clinic: f.clinic.id).map { $0.revokedAt != nil } == [false, true])

            await #expect(throws: ClinicStoreError.self) {
                _ = try await store.createLink(patient: f.patient.id, clinic: f.clinic.id, by: f.clinician.id, expiresAt: h.clock.now)
            }
        }
    }

    @Test("passwords are stored as bcrypt; a wrong password or unknown email signs no one in", arguments: Backend.available)
    func passwords(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let f = try await Fixture.make(store)
            let row = try #require(try await Harness.dump(store, "clinician").first)
            let stored = try #require(row["password_hash"])
            #expect(stored.hasPrefix("$2b$04$"))   // bcrypt, version 2b, the tests' cost 4
            #expect(stored.count == 60)          // bcrypt's fixed length
            #expect(!row.values.contains { $0.contains("correct horse battery") })

            #expect(try await store.verifySignIn(email: "ana@northside.example", password: "correct horse battery")?.id == f.clinician.id)
            #expect(try await store.verifySignIn(email: "  ANA@Northside.example ", password: "correct horse battery")?.id == f.clinician.id)
            #expect(try await store.verifySignIn(email: "ana@northside.example", password: "correct horse batterY") == nil)
            #expect(try await store.verifySignIn(email: "nobody@northside.example", password: "correct horse battery") == nil)

            await #expect(throws: ClinicStoreError.conflict(field: "email", value: "ana@northside.example")) {
                _ = try await store.createClinician(clinic: f.clinic.id, email: "Ana@northside.example", displayName: "Ana 2", password: "another password")
            }
            await #expect(throws: ClinicStoreError.invalid([FieldProblem(field: "password", value: "5 bytes", expected: "8 to 72 bytes")])) {
                _ = try await store.createClinician(clinic: f.clinic.id, email: "x@northside.example", displayName: "X", password: "short")
            }
        }
    }

    @Test("a clinic and its first clinician are made together: a taken email leaves no clinic behind", arguments: Backend.available)
    func clinicWithClinician(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let (clinic, clinician) = try await store.createClinic(name: "Northside", email: "Lead@northside.example", displayName: "Lead", password: "correct horse battery")
            #expect(clinician.clinic == clinic.id && clinician.email == "lead@northside.example")
            #expect(try await store.verifySignIn(email: "lead@northside.example", password: "correct horse battery")?.id == clinician.id)
            await #expect(throws: ClinicStoreError.conflict(field: "email", value: "lead@northside.example")) {
                _ = try await store.createClinic(name: "Southside", email: "lead@northside.example", displayName: "Other", password: "another password")
            }
            await #expect(throws: ClinicStoreError.self) {
                _ = try await store.createClinic(name: "Eastside", email: "e@eastside.example", displayName: "E", password: "short")
            }
            #expect(try await Harness.dump(store, "clinic").map { $0["name"] } == ["Northside"])
            // The alert sweep's walk: every clinic, the failed ones not among them.
            #expect(try await store.clinics().map(\.name) == ["Northside"])
            let second = try await store.createClinic(name: "Westside")
            #expect(Set(try await store.clinics().map(\.id)) == [clinic.id, second.id])
        }
    }

    @Test("sessions and API tokens are kept as hashes; expired sessions and revoked tokens open nothing", arguments: Backend.available)
    func sessionsAndTokens(_ backend: Backend) async throws {
        try await withStore(backend) { store, h in
            let f = try await Fixture.make(store)
            let s = try #require(try await store.createSession(clinician: f.clinician.id, clinic: f.clinic.id, lifetime: 3_600))
            #expect(s.record.csrfSecret != s.token)
            #expect(try await store.session(token: s.token)?.clinician == f.clinician.id)
            #expect(try await !Harness.dump(store, "clinician_session").flatMap(\.values).contains(s.token))
            h.clock.advance(3_600)
            #expect(try await store.session(token: s.token) == nil)
            let s2 = try #require(try await store.createSession(clinician: f.clinician.id, clinic: f.clinic.id, lifetime: 3_600))
            try await store.deleteSession(token: s2.token)
            #expect(try await store.session(token: s2.token) == nil)

            let t = try #require(try await store.createApiToken(clinician: f.clinician.id, clinic: f.clinic.id, name: "EHR sync"))
            #expect(try await store.apiToken(token: t.token)?.clinician == f.clinician.id)
            #expect(try await !Harness.dump(store, "api_token").flatMap(\.values).contains(t.token))
            #expect(try await store.revokeApiToken(id: t.record.id, clinic: f.clinic.id))
            #expect(try await store.apiToken(token: t.token) == nil)
        }
    }

    @Test("opening the same database twice applies each migration once and keeps the rows", arguments: Backend.available)
    func migrationsIdempotent(_ backend: Backend) async throws {
        try await withStore(backend) { store, h in
            let f = try await Fixture.make(store)
            let again = try await h.reopen()
            let names = ClinicSchema.migrations.map(\.name)
            #expect(names == ["v1-accounts", "v1-patients", "v1-logs-alerts-audit", "v2-outcomes", "v3-clearances"])
            if let s = again as? SQLiteClinicStore { #expect(try await s.appliedMigrations() == names) }
            if let s = again as? PostgresClinicStore { #expect(try await s.appliedMigrations() == names) }
            #expect(try await again.patient(id: f.patient.id, clinic: f.clinic.id) == f.patient)
            try await again.close()
        }
    }

    @Test("erasing a patient removes their logs, alerts, links and programme, and leaves an audit event", arguments: Backend.available)
    func erase(_ backend: Backend) async throws {
        try await withStore(backend) { store, h in
            let f = try await Fixture.make(store)
            let day = try #require(CalendarDate("2026-12-01"))
            for i in 0..<3 { _ = try await store.appendLog(LogDraft(day: day.adding(days: i), sessionDone: true), patient: f.patient.id, clinic: f.clinic.id) }
            _ = try await store.raiseAlert(.noLog, detail: "", patient: f.patient.id, clinic: f.clinic.id)
            _ = try await store.createLink(patient: f.patient.id, clinic: f.clinic.id, by: f.clinician.id, expiresAt: h.clock.now.addingTimeInterval(60))
            _ = try await store.saveDraft(PrescriptionPlan(weeks: 2, daysPerWeek: 3, minutes: 15), patient: f.patient.id, clinic: f.clinic.id, by: f.clinician.id)
            _ = try await store.clear(patient: f.patient.id, clinic: f.clinic.id, day: day, by: f.clinician.id, note: "seen")
            #expect(try await Harness.dump(store, "log_entry").count == 3)
            #expect(try await Harness.dump(store, "clearance").count == 1)

            #expect(try await store.erasePatient(id: f.patient.id, clinic: f.clinic.id, by: .clinician(f.clinician.id)))
            #expect(try await store.patient(id: f.patient.id, clinic: f.clinic.id) == nil)
            for table in ["log_entry", "alert", "patient_link", "prescription", "clearance", "patient"] {
                #expect(try await Harness.dump(store, table).isEmpty, "\(table) still has rows")
            }
            let audit = try await store.audit(patient: f.patient.id, clinic: f.clinic.id)
            #expect(audit.map(\.action) == [.createPatient, .createLink, .saveDraft, .clearToExercise, .erasePatient])
            #expect(audit.last?.actor == .clinician(f.clinician.id))
            #expect(try await !store.erasePatient(id: f.patient.id, clinic: f.clinic.id, by: .clinician(f.clinician.id)))
        }
    }

    @Test("an export holds the whole record and is itself audited", arguments: Backend.available)
    func export(_ backend: Backend) async throws {
        try await withStore(backend) { store, h in
            let f = try await Fixture.make(store)
            let day = try #require(CalendarDate("2026-12-02"))
            let symptom = LoggedSymptom(symptom: .legPain, tier: .routine)
            let log = try #require(try await store.appendLog(LogDraft(day: day, sessionDone: true, exercisesDone: ["bridge"], pain: 5, effort: 6, symptom: symptom),
                                                            patient: f.patient.id, clinic: f.clinic.id))
            // The symptom raised its alert with the log: one, open, with the tier given.
            let alert = try #require(try await store.alerts(patient: f.patient.id, clinic: f.clinic.id).first)
            #expect(alert.kind == .redFlag(.routine) && alert.isOpen)
            #expect(alert.detail == "2026-12-02: pain spreading down the leg")
            let link = try #require(try await store.createLink(patient: f.patient.id, clinic: f.clinic.id, by: f.clinician.id,
                                                              expiresAt: h.clock.now.addingTimeInterval(60)))
            let plan = PrescriptionPlan(weeks: 6, daysPerWeek: 3, minutes: 20, minimums: ["muscle": 6], locked: [LockedExercise(exercise: "bird-dog", units: 2)],
                                        excluded: ["sit-up"], notes: "gentle start")
            let draft = try #require(try await store.saveDraft(plan, patient: f.patient.id, clinic: f.clinic.id, by: f.clinician.id))
            let cleared = try #require(try await store.clear(patient: f.patient.id, clinic: f.clinic.id, day: day, by: f.clinician.id, note: "seen, no red flags"))

            let record = try #require(try await store.export(patient: f.patient.id, clinic: f.clinic.id, by: .clinician(f.clinician.id)))
            #expect(record.patient == f.patient.with(lastLogDay: day))
            #expect(record.logs == [log])
            #expect(record.alerts == [alert])
            #expect(record.links == [link.record])
            #expect(record.prescriptions == [draft])
            #expect(record.clearances == [cleared])
            #expect(record.audit.map(\.action) == [.createPatient, .createLink, .saveDraft, .clearToExercise, .exportPatient])
            // One Codable value: it survives JSON both ways, and holds no token.
            let json = try JSONEncoder().encode(record)
            #expect(try JSONDecoder().decode(PatientRecord.self, from: json) == record)
            #expect(!String(decoding: json, as: UTF8.self).contains(link.token))
        }
    }

    @Test("a clearance is kept with its day, clinician and note, and audited; another clinic's clinician or patient clears no one", arguments: Backend.available)
    func clearances(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let f = try await Fixture.make(store)
            let g = try await Fixture.make(store, name: "Southside", email: "bo@southside.example", reference: "SS-0001")
            let day = try #require(CalendarDate("2026-12-05"))
            let c = try #require(try await store.clear(patient: f.patient.id, clinic: f.clinic.id, day: day, by: f.clinician.id,
                                                        note: String(repeating: "x", count: Clearance.noteLimit + 5)))
            #expect(c.day == day && c.clearedBy == f.clinician.id && c.patient == f.patient.id)
            #expect(c.note.count == Clearance.noteLimit)
            #expect(try await store.clearances(patient: f.patient.id, clinic: f.clinic.id) == [c])
            // Across the boundary: the other clinic's clinician, the other clinic's patient.
            #expect(try await store.clear(patient: f.patient.id, clinic: f.clinic.id, day: day, by: g.clinician.id, note: "") == nil)
            #expect(try await store.clear(patient: g.patient.id, clinic: f.clinic.id, day: day, by: f.clinician.id, note: "") == nil)
            #expect(try await store.clearances(patient: f.patient.id, clinic: g.clinic.id) == [])
            #expect(try await store.clearances(patient: f.patient.id, clinic: f.clinic.id).count == 1)
            let audit = try await store.audit(patient: f.patient.id, clinic: f.clinic.id)
            #expect(audit.last?.action == .clearToExercise && audit.last?.actor == .clinician(f.clinician.id))
            #expect(audit.last?.detail == "cleared on 2026-12-05")
        }
    }

    @Test("8 tasks × 50 concurrent log writes: all 400 are stored", arguments: Backend.available)
    func concurrentAppends(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let f = try await Fixture.make(store)
            let start = try #require(CalendarDate("2026-01-01"))
            try await withThrowingTaskGroup(of: Int.self) { group in
                for t in 0..<8 {
                    group.addTask {
                        var n = 0
                        for i in 0..<50 {
                            // Task t logs days t, t+8, t+16, …: 400 distinct days from 2026-01-01.
                            let day = start.adding(days: t + 8 * i)
                            if try await store.appendLog(LogDraft(day: day, sessionDone: i % 2 == 0, pain: i % 11), patient: f.patient.id, clinic: f.clinic.id) != nil { n += 1 }
                        }
                        return n
                    }
                }
                var acknowledged = 0
                for try await n in group { acknowledged += n }
                #expect(acknowledged == 400)
            }
            let logs = try await store.logs(patient: f.patient.id, clinic: f.clinic.id, from: nil, to: nil)
            #expect(logs.count == 400)
            #expect(Set(logs.map(\.entry.day)).count == 400)
            #expect(logs.map(\.entry.day) == logs.map(\.entry.day).sorted())
            // The latest day written is 7 + 8 * 49 = 399 days after the start.
            #expect(try await store.patient(id: f.patient.id, clinic: f.clinic.id)?.lastLogDay == start.adding(days: 399))
            // A range: days 0 to 9 inclusive are ten entries (each day once).
            #expect(try await store.logs(patient: f.patient.id, clinic: f.clinic.id, from: start, to: start.adding(days: 9)).count == 10)
        }
    }

    @Test("publishing keeps one version published, and re-prescribing keeps the log", arguments: Backend.available)
    func prescriptions(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let f = try await Fixture.make(store)
            let v1 = try #require(try await store.saveDraft(PrescriptionPlan(weeks: 4, daysPerWeek: 3, minutes: 20), patient: f.patient.id, clinic: f.clinic.id, by: f.clinician.id))
            #expect(v1.version == 1 && v1.status == .draft)
            // Saving again edits the same draft.
            let v1b = try #require(try await store.saveDraft(PrescriptionPlan(weeks: 4, daysPerWeek: 3, minutes: 25), patient: f.patient.id, clinic: f.clinic.id, by: f.clinician.id))
            #expect(v1b.id == v1.id && v1b.version == 1)
            #expect(try await store.publish(prescription: v1.id, clinic: f.clinic.id, by: f.clinician.id)?.status == .published)
            _ = try await store.appendLog(LogDraft(day: try #require(CalendarDate("2026-12-03")), sessionDone: true), patient: f.patient.id, clinic: f.clinic.id)

            let v2 = try #require(try await store.saveDraft(PrescriptionPlan(weeks: 4, daysPerWeek: 4, minutes: 30), patient: f.patient.id, clinic: f.clinic.id, by: f.clinician.id))
            #expect(v2.version == 2)
            #expect(try await store.publishedPrescription(patient: f.patient.id, clinic: f.clinic.id)?.id == v1.id)
            #expect(try await store.publish(prescription: v2.id, clinic: f.clinic.id, by: f.clinician.id)?.status == .published)
            let all = try await store.prescriptions(patient: f.patient.id, clinic: f.clinic.id)
            #expect(all.map(\.status) == [.superseded, .published])
            #expect(all.first?.plan.minutes == 25)
            #expect(try await store.logs(patient: f.patient.id, clinic: f.clinic.id, from: nil, to: nil).count == 1)
            #expect(try await store.patientList(clinic: f.clinic.id).first?.publishedVersion == 2)
            await #expect(throws: ClinicStoreError.self) { _ = try await store.publish(prescription: v1.id, clinic: f.clinic.id, by: f.clinician.id) }
            await #expect(throws: ClinicStoreError.invalid([FieldProblem(field: "days_per_week", value: "8", expected: "1 to 7")])) {
                _ = try await store.saveDraft(PrescriptionPlan(weeks: 4, daysPerWeek: 8, minutes: 30), patient: f.patient.id, clinic: f.clinic.id, by: f.clinician.id)
            }
        }
    }

    @Test("the list puts the most severe open alert first; an acknowledged alert stays in the record", arguments: Backend.available)
    func alertsAndList(_ backend: Backend) async throws {
        try await withStore(backend) { store, h in
            let f = try await Fixture.make(store, reference: "A-quiet")
            let by = Actor.clinician(f.clinician.id)
            let flare = try await store.createPatient(PatientDetails(reference: "B-flare", usualPain: 3), clinic: f.clinic.id, by: by)
            let urgent = try await store.createPatient(PatientDetails(reference: "C-urgent", usualPain: 3), clinic: f.clinic.id, by: by)
            _ = try await store.raiseAlert(.noLog, detail: "5 days", patient: flare.id, clinic: f.clinic.id)
            h.clock.advance(1)
            _ = try await store.raiseAlert(.flare, detail: "pain 8", patient: flare.id, clinic: f.clinic.id)
            let red = try #require(try await store.raiseAlert(.redFlag(.emergency), detail: "saddle numbness", patient: urgent.id, clinic: f.clinic.id))

            // Severity: emergency red flag 100 > flare 50 > no log 30 > none 0.
            let list = try await store.patientList(clinic: f.clinic.id)
            #expect(list.map(\.patient.details.reference) == ["C-urgent", "B-flare", "A-quiet"])
            #expect(list[1].openAlerts.map(\.kind) == [.flare, .noLog])

            h.clock.advance(60)
            let acked = try #require(try await store.acknowledgeAlert(id: red.id, clinic: f.clinic.id, by: f.clinician.id, note: "sent to ED"))
            #expect(acked.acknowledged?.note == "sent to ED")
            #expect(acked.acknowledged?.at == h.clock.now)
            // A second acknowledgement changes nothing.
            #expect(try await store.acknowledgeAlert(id: red.id, clinic: f.clinic.id, by: f.clinician.id, note: "again")?.acknowledged?.note == "sent to ED")
            #expect(try await store.patientList(clinic: f.clinic.id).map(\.patient.details.reference) == ["B-flare", "A-quiet", "C-urgent"])
            let record = try await store.alerts(patient: urgent.id, clinic: f.clinic.id)
            #expect(record.count == 1 && record.first?.isOpen == false)
            #expect(try await store.audit(patient: urgent.id, clinic: f.clinic.id).map(\.action) == [.createPatient, .acknowledgeAlert])
        }
    }

    @Test("bad input is refused with the field and value named", arguments: Backend.available)
    func validation(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let f = try await Fixture.make(store)
            await #expect(throws: ClinicStoreError.invalid([
                FieldProblem(field: "usual_pain", value: "11", expected: "a whole number from 0 to 10"),
                FieldProblem(field: "screen_answers", value: "headache", expected: "a red-flag question id"),
            ])) {
                _ = try await store.createPatient(PatientDetails(reference: "X", screenAnswers: ["headache": true], usualPain: 11), clinic: f.clinic.id, by: .clinician(f.clinician.id))
            }
            await #expect(throws: ClinicStoreError.conflict(field: "reference", value: "NS-0001")) {
                _ = try await store.createPatient(PatientDetails(reference: "NS-0001", usualPain: 1), clinic: f.clinic.id, by: .clinician(f.clinician.id))
            }
            let day = try #require(CalendarDate("2026-12-01"))
            await #expect(throws: ClinicStoreError.invalid([FieldProblem(field: "pain", value: "-1", expected: "a whole number from 0 to 10")])) {
                _ = try await store.appendLog(LogDraft(day: day, sessionDone: true, pain: -1), patient: f.patient.id, clinic: f.clinic.id)
            }
            let message = ClinicStoreError.invalid([FieldProblem(field: "pain", value: "-1", expected: "a whole number from 0 to 10")]).localizedDescription
            #expect(message == "invalid request: pain: expected a whole number from 0 to 10, got \"-1\"")
        }
    }
}

extension Patient {
    func with(lastLogDay day: CalendarDate?) -> Patient {
        var p = self
        p.lastLogDay = day
        return p
    }
}

/// Several `relief serve` nodes start at once on one new database: each migrates, none fails,
/// and each migration is applied once (an advisory lock on PostgreSQL, SQLite's write lock).
@Suite("Nodes starting together")
struct ConcurrentOpenTests {
    @Test("four stores opening one empty database at once all open, on one schema", arguments: Backend.available)
    func openTogether(_ backend: Backend) async throws {
        let h = try await Harness.make(backend)
        do {
            let stores = try await withThrowingTaskGroup(of: (any ClinicStore).self) { group in
                for _ in 0..<4 { group.addTask { try await h.reopen() } }
                var all: [any ClinicStore] = []
                for try await s in group { all.append(s) }
                return all
            }
            #expect(stores.count == 4)
            let clinic = try await stores[0].createClinic(name: "Shared")
            let patient = try await stores[1].createPatient(PatientDetails(reference: "S-1", usualPain: 2), clinic: clinic.id,
                                                           by: .apiToken(.init(rawValue: "node-test")))
            #expect(try await stores[3].patient(id: patient.id, clinic: clinic.id) == patient)
            if let s = stores[2] as? PostgresClinicStore {
                #expect(try await s.appliedMigrations() == ClinicSchema.migrations.map(\.name))
            }
            if let s = stores[2] as? SQLiteClinicStore {
                #expect(try await s.appliedMigrations() == ClinicSchema.migrations.map(\.name))
            }
            for s in stores { try await s.close() }
        } catch {
            try? await h.cleanup()
            throw error
        }
        try await h.cleanup()
    }
}
