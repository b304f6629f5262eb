import Foundation
import PostgresNIO
import Relief

extension PostgresClinicStore {
    public func appendLog(_ entry: LogDraft, patient: Patient.ID, clinic: Clinic.ID, audit: (actor: Actor, detail: String)?) async throws -> PatientLogEntry? {
        try Validate.check(entry.problems())
        let e = PatientLogEntry(id: .random(), patient: patient, entry: entry, recordedAt: now)
        // One statement that inserts only for the clinic's patient (one round trip), and with an
        // alert or an audit line, those in the same transaction.
        let q = try Statements.insertLogIfPatient(e, clinic: clinic)
        let alert = Statements.alert(for: e)
        guard alert != nil || audit != nil else {
            return try await autocommit { db -> PatientLogEntry? in
                try await db.rows(q, table: "log_entry").isEmpty ? nil : e
            }
        }
        let auditLine = audit.map { Statements.audit($0.actor, .appendLog, patient: patient, clinic: clinic, at: e.recordedAt, detail: String($0.detail.prefix(500))) }
        if alert == nil, let auditLine, let both = Self.oneStatement(q, auditLine) {
            // The entry and its audit line in one statement, where the dialect has one.
            return try await autocommit { db -> PatientLogEntry? in try await db.rows(both, table: "log_entry").isEmpty ? nil : e }
        }
        return try await write { db -> PatientLogEntry? in
            guard try await !db.rows(q, table: "log_entry").isEmpty else { return nil }
            if let alert { try await db.run(Statements.insertAlert(alert, clinic: clinic)) }
            if let auditLine { try await db.run(auditLine) }
            return e
        }
    }

    public func sweepRecord(patient: Patient.ID, clinic: Clinic.ID, today: CalendarDate) async throws -> SweepRecord {
        // The sweep needs no snapshot: an alert already raised is never raised again (AlertRules' keys).
        try await unsnapshotted { db in
            let published = try await db.rows(Statements.prescriptions(patient, clinic: clinic), table: "prescription").map(Prescription.init(row:))
                .first { $0.status == .published }
            let from = AlertSweep.logsFrom(published: published, today: today)
            return SweepRecord(
                published: published,
                logs: try await db.rows(Statements.logs(patient, clinic: clinic, from: from, to: nil), table: "log_entry").map(PatientLogEntry.init(row:)),
                alerts: try await db.rows(Statements.alerts(patient: patient, clinic: clinic), table: "alert").map(Alert.init(row:)).sorted(by: Ordering.alerts))
        }
    }

    public func logs(patient: Patient.ID, clinic: Clinic.ID, from: CalendarDate?, to: CalendarDate?) async throws -> [PatientLogEntry] {
        let q = Statements.logs(patient, clinic: clinic, from: from, to: to)
        return try await read { db in try await db.rows(q, table: "log_entry").map(PatientLogEntry.init(row:)) }
    }

    public func appendOutcome(_ fact: OutcomeFact, day: CalendarDate, patient: Patient.ID, clinic: Clinic.ID) async throws -> PatientOutcome? {
        try Validate.check(fact.problems())
        let o = PatientOutcome(id: .random(), patient: patient, day: day, fact: fact, recordedAt: now)
        return try await autocommit { db -> PatientOutcome? in
            guard try await db.exists(Statements.patientExists(patient, clinic: clinic)) else { return nil }
            try await db.run(try Statements.insertOutcome(o, clinic: clinic))
            return o
        }
    }

    public func outcomes(patient: Patient.ID, clinic: Clinic.ID) async throws -> [PatientOutcome] {
        let q = Statements.outcomes(patient, clinic: clinic)
        return try await read { db in try await db.rows(q, table: "outcome_entry").map(PatientOutcome.init(row:)) }
    }

    public func outcomes(clinic: Clinic.ID) async throws -> [PatientOutcome] {
        let q = Statements.clinicOutcomes(clinic)
        return try await read { db in try await db.rows(q, table: "outcome_entry").map(PatientOutcome.init(row:)) }
    }

    public func clear(patient: Patient.ID, clinic: Clinic.ID, day: CalendarDate, by clinician: Clinician.ID, note: String) async throws -> Clearance? {
        let c = Clearance(id: .random(), patient: patient, day: day, clearedBy: clinician, note: String(note.prefix(Clearance.noteLimit)), recordedAt: now)
        return try await write { db -> Clearance? in
            guard try await db.exists(Statements.patientExists(patient, clinic: clinic)),
                  try await db.exists(Statements.clinicianExists(clinician, clinic: clinic)) else { return nil }
            try await db.run(Statements.insertClearance(c, clinic: clinic))
            try await db.run(Statements.audit(.clinician(clinician), .clearToExercise, patient: patient, clinic: clinic, at: c.recordedAt, detail: "cleared on \(day)"))
            return c
        }
    }

    public func clearances(patient: Patient.ID, clinic: Clinic.ID) async throws -> [Clearance] {
        let q = Statements.clearances(patient, clinic: clinic)
        return try await read { db in try await db.rows(q, table: "clearance").map(Clearance.init(row:)) }
    }

    public func raiseAlert(_ kind: AlertKind, detail: String, patient: Patient.ID, clinic: Clinic.ID) async throws -> Alert? {
        let a = Alert(id: .random(), patient: patient, kind: kind, detail: String(detail.prefix(500)), raisedAt: now, acknowledged: nil)
        return try await write { db -> Alert? in
            guard try await db.exists(Statements.patientExists(patient, clinic: clinic)) else { return nil }
            try await db.run(Statements.insertAlert(a, clinic: clinic))
            return a
        }
    }

    public func alerts(patient: Patient.ID?, clinic: Clinic.ID) async throws -> [Alert] {
        let q = Statements.alerts(patient: patient, clinic: clinic)
        return try await read { db in try await db.rows(q, table: "alert").map(Alert.init(row:)) }.sorted(by: Ordering.alerts)
    }

    public func acknowledgeAlert(id: Alert.ID, clinic: Clinic.ID, by clinician: Clinician.ID, note: String) async throws -> Alert? {
        let at = now
        return try await write { db -> Alert? in
            guard try await db.exists(Statements.clinicianExists(clinician, clinic: clinic)) else { return nil }
            let q = SQL("""
                UPDATE alert SET acknowledged_by = ?, acknowledged_at = ?, note = ?
                WHERE id = ? AND clinic_id = ? AND acknowledged_at IS NULL RETURNING \(Columns.alert)
                """, [SQLValue(clinician), SQLValue(at), .text(String(note.prefix(2_000))), SQLValue(id), SQLValue(clinic)])
            if let row = try await db.rows(q, table: "alert").first {
                let a = try Alert(row: row)
                try await db.run(Statements.audit(.clinician(clinician), .acknowledgeAlert, patient: a.patient, clinic: clinic, at: at, detail: a.kind.code))
                return a
            }
            // Already acknowledged: the first acknowledgement stands.
            return try await db.rows(SQL("SELECT \(Columns.alert) FROM alert WHERE id = ? AND clinic_id = ?", [SQLValue(id), SQLValue(clinic)]),
                               table: "alert").first.map(Alert.init(row:))
        }
    }

    public func appendAudit(actor: Actor, action: AuditAction, patient: Patient.ID?, clinic: Clinic.ID, detail: String) async throws {
        let q = Statements.audit(actor, action, patient: patient, clinic: clinic, at: now, detail: String(detail.prefix(500)))
        try await write { db in try await db.run(q) }
    }

    public func audit(patient: Patient.ID, clinic: Clinic.ID) async throws -> [AuditEvent] {
        try await read { db in try await db.rows(Statements.audit(patient, clinic: clinic), table: "audit_event").map(AuditEvent.init(row:)) }
    }

    public func export(patient: Patient.ID, clinic: Clinic.ID, by actor: Actor) async throws -> PatientRecord? {
        let at = now
        let audited = try await write { db -> Bool in
            guard try await db.exists(Statements.patientExists(patient, clinic: clinic)) else { return false }
            try await db.run(Statements.audit(actor, .exportPatient, patient: patient, clinic: clinic, at: at))
            return true
        }
        guard audited else { return nil }
        return try await read { db -> PatientRecord? in
            guard let p = try await db.rows(Statements.patient(patient, clinic: clinic), table: "patient").first.map(Patient.init(row:)) else { return nil }
            return PatientRecord(
                patient: p,
                prescriptions: try await db.rows(Statements.prescriptions(patient, clinic: clinic), table: "prescription").map(Prescription.init(row:)),
                logs: try await db.rows(Statements.logs(patient, clinic: clinic, from: nil, to: nil), table: "log_entry").map(PatientLogEntry.init(row:)),
                outcomes: try await db.rows(Statements.outcomes(patient, clinic: clinic), table: "outcome_entry").map(PatientOutcome.init(row:)),
                alerts: try await db.rows(Statements.alerts(patient: patient, clinic: clinic), table: "alert").map(Alert.init(row:)).sorted(by: Ordering.alerts),
                clearances: try await db.rows(Statements.clearances(patient, clinic: clinic), table: "clearance").map(Clearance.init(row:)),
                links: try await db.rows(Statements.links(patient, clinic: clinic), table: "patient_link").map(PatientLink.init(row:)),
                audit: try await db.rows(Statements.audit(patient, clinic: clinic), table: "audit_event").map(AuditEvent.init(row:)),
                exportedAt: at)
        }
    }
}
