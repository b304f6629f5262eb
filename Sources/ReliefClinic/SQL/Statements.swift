import Foundation
import Relief

/// The statements both stores run, built from domain values. Each has its clinic in the
/// `WHERE` clause where the row is a clinic's: the boundary is in the SQL.
enum Statements {
    static func insert(_ table: String, _ pairs: KeyValuePairs<String, SQLValue>) -> SQL {
        let cols = pairs.map(\.key).joined(separator: ", ")
        let marks = Array(repeating: "?", count: pairs.count).joined(separator: ", ")
        return SQL("INSERT INTO \(table) (\(cols)) VALUES (\(marks))", pairs.map(\.value))
    }

    static func audit(_ actor: Actor, _ action: AuditAction, patient: Patient.ID?, clinic: Clinic.ID, at: Date, detail: String = "") -> SQL {
        insert("audit_event", [
            "id": SQLValue(AuditEvent.ID.random()), "clinic_id": SQLValue(clinic), "actor_kind": .text(actor.kind),
            "actor_id": .text(actor.rawID), "action": .text(action.rawValue), "patient_id": SQLValue(patient),
            "at": SQLValue(at), "detail": .text(detail),
        ])
    }

    static func insertClinic(_ c: Clinic) -> SQL {
        insert("clinic", ["id": SQLValue(c.id), "name": .text(c.name), "created_at": SQLValue(c.createdAt)])
    }

    static func insertClinician(_ c: Clinician) -> SQL {
        insert("clinician", [
            "id": SQLValue(c.id), "clinic_id": SQLValue(c.clinic), "email": .text(c.email), "display_name": .text(c.displayName),
            "password_hash": .text(c.passwordHash), "created_at": SQLValue(c.createdAt),
        ])
    }

    static func emailTaken(_ address: String) -> SQL { SQL("SELECT id FROM clinician WHERE email = ?", [.text(address)]) }

    static func patient(_ id: Patient.ID, clinic: Clinic.ID) -> SQL {
        SQL("SELECT \(Columns.patient) FROM patient WHERE id = ? AND clinic_id = ?", [SQLValue(id), SQLValue(clinic)])
    }

    static func patientExists(_ id: Patient.ID, clinic: Clinic.ID) -> SQL {
        SQL("SELECT id FROM patient WHERE id = ? AND clinic_id = ?", [SQLValue(id), SQLValue(clinic)])
    }

    static func clinicianExists(_ id: Clinician.ID, clinic: Clinic.ID) -> SQL {
        SQL("SELECT id FROM clinician WHERE id = ? AND clinic_id = ?", [SQLValue(id), SQLValue(clinic)])
    }

    static func insertPatient(_ p: Patient) throws -> SQL {
        insert("patient", [
            "id": SQLValue(p.id), "clinic_id": SQLValue(p.clinic), "reference": .text(p.details.reference),
            "conditions": try .json(p.details.conditions.sorted()), "equipment": try .json(p.details.equipment.sorted()),
            "screen_answers": try .json(p.details.screenAnswers), "usual_pain": SQLValue(p.details.usualPain),
            "created_at": SQLValue(p.createdAt), "updated_at": SQLValue(p.updatedAt),
        ])
    }

    static func updatePatient(_ id: Patient.ID, clinic: Clinic.ID, _ d: PatientDetails, at: Date) throws -> SQL {
        SQL("""
            UPDATE patient SET reference = ?, conditions = ?, equipment = ?, screen_answers = ?, usual_pain = ?, updated_at = ?
            WHERE id = ? AND clinic_id = ?
            """, [.text(d.reference), try .json(d.conditions.sorted()), try .json(d.equipment.sorted()),
                  try .json(d.screenAnswers), SQLValue(d.usualPain), SQLValue(at), SQLValue(id), SQLValue(clinic)])
    }

    static func referenceTaken(_ reference: String, clinic: Clinic.ID, except id: Patient.ID?) -> SQL {
        SQL("SELECT id FROM patient WHERE clinic_id = ? AND reference = ? AND id <> ?",
            [SQLValue(clinic), .text(reference), .text(id?.rawValue ?? "")])
    }

    static func insertPrescription(_ p: Prescription, clinic: Clinic.ID) throws -> SQL {
        insert("prescription", [
            "id": SQLValue(p.id), "patient_id": SQLValue(p.patient), "clinic_id": SQLValue(clinic),
            "version": SQLValue(p.version), "status": .text(p.status.rawValue), "plan": try .json(p.plan),
            "created_by": SQLValue(p.createdBy), "created_at": SQLValue(p.createdAt), "published_at": SQLValue(p.publishedAt),
        ])
    }

    static func insertLog(_ e: PatientLogEntry, clinic: Clinic.ID) throws -> SQL {
        insert("log_entry", [
            "id": SQLValue(e.id), "patient_id": SQLValue(e.patient), "clinic_id": SQLValue(clinic), "day": SQLValue(e.entry.day),
            "session_done": SQLValue(e.entry.sessionDone), "exercises_done": try .json(e.entry.exercisesDone),
            "pain": SQLValue(e.entry.pain), "effort": SQLValue(e.entry.effort), "symptom": SQLValue(e.entry.symptom?.symptom.rawValue),
            "symptom_tier": SQLValue(e.entry.symptom?.tier.rawValue), "recorded_at": SQLValue(e.recordedAt),
        ])
    }

    /// `INSERT INTO t (cols) VALUES (marks)` (``insert(_:_:)``'s form) as
    /// `INSERT INTO t (cols) SELECT marks <rest>`, with `values` after the insert's own.
    static func selecting(_ insert: SQL, _ rest: String, _ values: [SQLValue] = []) -> SQL {
        guard let v = insert.text.range(of: " VALUES (") else { return insert }
        let head = insert.text[..<v.lowerBound]
        let marks = insert.text[v.upperBound...].dropLast()   // the trailing ")"
        return SQL("\(head) SELECT \(marks) \(rest)", insert.values + values)
    }

    /// The entry inserted only when the patient is the clinic's, in one statement: the check
    /// and the insert are one round trip and one snapshot (a patient erased in between fails the
    /// foreign key instead of leaving a stray row). Its one row back (the id) says it was stored.
    static func insertLogIfPatient(_ e: PatientLogEntry, clinic: Clinic.ID) throws -> SQL {
        selecting(try insertLog(e, clinic: clinic), "WHERE EXISTS (SELECT 1 FROM patient WHERE id = ? AND clinic_id = ?) RETURNING id",
                  [SQLValue(e.patient), SQLValue(clinic)])
    }

    /// PostgreSQL only (a data-modifying WITH): `insert` (one that ends `RETURNING id`) and, for
    /// the row it inserts, `audit` (a plain INSERT … VALUES), in one statement: one round trip,
    /// atomic as any statement. Its rows back are the inserted ids.
    static func withAuditLine(_ insert: SQL, _ audit: SQL) -> SQL {
        let line = selecting(audit, "FROM ins RETURNING 1")
        return SQL("WITH ins AS (\(insert.text)), aud AS (\(line.text)) SELECT id FROM ins", insert.values + line.values)
    }

    static func logs(_ id: Patient.ID, clinic: Clinic.ID, from: CalendarDate?, to: CalendarDate?) -> SQL {
        SQL("""
            SELECT \(Columns.log) FROM log_entry WHERE patient_id = ? AND clinic_id = ? AND day >= ? AND day <= ?
            ORDER BY day, recorded_at, id
            """, [SQLValue(id), SQLValue(clinic), .text(from?.description ?? "0000"), .text(to?.description ?? "9999")])
    }

    static func insertOutcome(_ o: PatientOutcome, clinic: Clinic.ID) throws -> SQL {
        let answers: SQLValue
        switch o.fact {
        case .measures(let a): answers = try .json(a)
        case .startBack(let s): answers = try .json(s)
        }
        return insert("outcome_entry", [
            "id": SQLValue(o.id), "patient_id": SQLValue(o.patient), "clinic_id": SQLValue(clinic), "day": SQLValue(o.day),
            "kind": .text(o.fact.kind), "answers": answers, "recorded_at": SQLValue(o.recordedAt),
        ])
    }

    static func outcomes(_ id: Patient.ID, clinic: Clinic.ID) -> SQL {
        SQL("SELECT \(Columns.outcome) FROM outcome_entry WHERE patient_id = ? AND clinic_id = ? ORDER BY day, recorded_at, id",
            [SQLValue(id), SQLValue(clinic)])
    }

    static func clinicOutcomes(_ clinic: Clinic.ID) -> SQL {
        SQL("SELECT \(Columns.outcome) FROM outcome_entry WHERE clinic_id = ? ORDER BY patient_id, day, recorded_at, id", [SQLValue(clinic)])
    }

    static func insertClearance(_ c: Clearance, clinic: Clinic.ID) -> SQL {
        insert("clearance", [
            "id": SQLValue(c.id), "patient_id": SQLValue(c.patient), "clinic_id": SQLValue(clinic), "day": SQLValue(c.day),
            "cleared_by": SQLValue(c.clearedBy), "note": .text(c.note), "recorded_at": SQLValue(c.recordedAt),
        ])
    }

    static func clearances(_ id: Patient.ID, clinic: Clinic.ID) -> SQL {
        SQL("SELECT \(Columns.clearance) FROM clearance WHERE patient_id = ? AND clinic_id = ? ORDER BY day, recorded_at, id",
            [SQLValue(id), SQLValue(clinic)])
    }

    static func insertAlert(_ a: Alert, clinic: Clinic.ID) -> SQL {
        insert("alert", [
            "id": SQLValue(a.id), "patient_id": SQLValue(a.patient), "clinic_id": SQLValue(clinic), "kind": .text(a.kind.code),
            "tier": SQLValue(a.kind.tier?.rawValue), "severity": SQLValue(a.kind.severity), "detail": .text(a.detail),
            "raised_at": SQLValue(a.raisedAt), "acknowledged_by": .null, "acknowledged_at": .null, "note": .null,
        ])
    }

    /// A logged symptom raises its red-flag alert in the log's own transaction: the entry and the
    /// clinician's alert are written together or not at all.
    static func alert(for e: PatientLogEntry) -> Alert? {
        guard let s = e.entry.symptom else { return nil }
        return Alert(id: .random(), patient: e.patient, kind: .redFlag(s.tier), detail: "\(e.entry.day): \(s.symptom.words)",
                     raisedAt: e.recordedAt, acknowledged: nil)
    }

    static func alerts(patient: Patient.ID?, clinic: Clinic.ID) -> SQL {
        if let patient {
            return SQL("SELECT \(Columns.alert) FROM alert WHERE patient_id = ? AND clinic_id = ?", [SQLValue(patient), SQLValue(clinic)])
        }
        return SQL("SELECT \(Columns.alert) FROM alert WHERE clinic_id = ?", [SQLValue(clinic)])
    }

    /// Open alerts of the clinic: served by the partial index `alert_open_by_clinic`.
    static func openAlerts(clinic: Clinic.ID) -> SQL {
        SQL("SELECT \(Columns.alert) FROM alert WHERE clinic_id = ? AND acknowledged_at IS NULL", [SQLValue(clinic)])
    }

    static func prescriptions(_ id: Patient.ID, clinic: Clinic.ID) -> SQL {
        SQL("SELECT \(Columns.prescription) FROM prescription WHERE patient_id = ? AND clinic_id = ? ORDER BY version",
            [SQLValue(id), SQLValue(clinic)])
    }

    static func links(_ id: Patient.ID, clinic: Clinic.ID) -> SQL {
        SQL("SELECT \(Columns.link) FROM patient_link WHERE patient_id = ? AND clinic_id = ? ORDER BY created_at, id",
            [SQLValue(id), SQLValue(clinic)])
    }

    static func audit(_ id: Patient.ID, clinic: Clinic.ID) -> SQL {
        SQL("SELECT \(Columns.audit) FROM audit_event WHERE clinic_id = ? AND patient_id = ? ORDER BY at, id",
            [SQLValue(clinic), SQLValue(id)])
    }
}

/// Checks shared by both stores before anything is written.
enum Validate {
    static func email(_ raw: String) -> (String, [FieldProblem]) {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), email.count <= 254,
              !email.contains(where: \.isWhitespace) else {
            return (email, [FieldProblem(field: "email", value: raw, expected: "an email address such as name@clinic.example")])
        }
        return (email, [])
    }

    /// bcrypt reads at most 72 bytes: a longer password would be silently cut, so it is refused.
    static func password(_ p: String) -> [FieldProblem] {
        let n = p.utf8.count
        return (8...72).contains(n) ? [] : [FieldProblem(field: "password", value: "\(n) bytes", expected: "8 to 72 bytes")]
    }

    static func name(_ field: String, _ s: String) -> [FieldProblem] {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return (1...200).contains(t.count) ? [] : [FieldProblem(field: field, value: s, expected: "1 to 200 characters")]
    }

    static func check(_ problems: [FieldProblem]) throws {
        if !problems.isEmpty { throw ClinicStoreError.invalid(problems) }
    }
}
