import Foundation
import PostgresNIO

extension PostgresClinicStore {
    public func saveDraft(_ plan: PrescriptionPlan, patient: Patient.ID, clinic: Clinic.ID, by clinician: Clinician.ID) async throws -> Prescription? {
        try Validate.check(plan.problems())
        let at = now
        return try await write { db -> Prescription? in
            guard try await db.exists(Statements.patientExists(patient, clinic: clinic)),
                  try await db.exists(Statements.clinicianExists(clinician, clinic: clinic)) else { return nil }
            let existing = try await db.rows(Statements.prescriptions(patient, clinic: clinic), table: "prescription").map(Prescription.init(row:))
            let draft: Prescription
            if let open = existing.first(where: { $0.status == .draft }) {
                draft = Prescription(id: open.id, patient: patient, version: open.version, status: .draft, plan: plan,
                                     createdBy: clinician, createdAt: at, publishedAt: nil)
                try await db.run(SQL("UPDATE prescription SET plan = ?, created_by = ?, created_at = ? WHERE id = ? AND clinic_id = ?",
                               [try .json(plan), SQLValue(clinician), SQLValue(at), SQLValue(open.id), SQLValue(clinic)]))
            } else {
                draft = Prescription(id: .random(), patient: patient, version: (existing.map(\.version).max() ?? 0) + 1, status: .draft,
                                     plan: plan, createdBy: clinician, createdAt: at, publishedAt: nil)
                try await db.run(try Statements.insertPrescription(draft, clinic: clinic))
            }
            try await db.run(Statements.audit(.clinician(clinician), .saveDraft, patient: patient, clinic: clinic, at: at, detail: "version \(draft.version)"))
            return draft
        }
    }

    public func publish(prescription id: Prescription.ID, clinic: Clinic.ID, by clinician: Clinician.ID) async throws -> Prescription? {
        let at = now
        return try await write { db -> Prescription? in
            guard try await db.exists(Statements.clinicianExists(clinician, clinic: clinic)),
                  let row = try await db.rows(SQL("SELECT \(Columns.prescription) FROM prescription WHERE id = ? AND clinic_id = ?",
                                            [SQLValue(id), SQLValue(clinic)]), table: "prescription").first else { return nil }
            var p = try Prescription(row: row)
            switch p.status {
            case .published: return p
            case .superseded:
                throw ClinicStoreError.invalid([FieldProblem(field: "prescription", value: id.rawValue, expected: "a draft (this version was superseded)")])
            case .draft: break
            }
            // Supersede first: the unique partial index allows one published row per patient.
            try await db.run(SQL("UPDATE prescription SET status = 'superseded' WHERE patient_id = ? AND clinic_id = ? AND status = 'published'",
                           [SQLValue(p.patient), SQLValue(clinic)]))
            try await db.run(SQL("UPDATE prescription SET status = 'published', published_at = ? WHERE id = ? AND clinic_id = ?",
                           [SQLValue(at), SQLValue(id), SQLValue(clinic)]))
            try await db.run(Statements.audit(.clinician(clinician), .publish, patient: p.patient, clinic: clinic, at: at, detail: "version \(p.version)"))
            p.status = .published
            p.publishedAt = at
            return p
        }
    }

    public func prescriptions(patient: Patient.ID, clinic: Clinic.ID) async throws -> [Prescription] {
        try await read { db in try await db.rows(Statements.prescriptions(patient, clinic: clinic), table: "prescription").map(Prescription.init(row:)) }
    }

    public func publishedPrescription(patient: Patient.ID, clinic: Clinic.ID) async throws -> Prescription? {
        try await prescriptions(patient: patient, clinic: clinic).first { $0.status == .published }
    }

    public func createLink(patient: Patient.ID, clinic: Clinic.ID, by clinician: Clinician.ID, expiresAt: Date) async throws -> IssuedLink? {
        let at = now
        guard expiresAt > at else {
            throw ClinicStoreError.invalid([FieldProblem(field: "expires_at", value: "\(expiresAt)", expected: "a time after now (\(at))")])
        }
        let token = Secrets.newToken()
        let link = PatientLink(id: .random(), patient: patient, clinic: clinic, tokenHash: Secrets.hash(token: token),
                               createdBy: clinician, createdAt: at, expiresAt: expiresAt, revokedAt: nil)
        let made = try await write { db -> Bool in
            guard try await db.exists(Statements.patientExists(patient, clinic: clinic)),
                  try await db.exists(Statements.clinicianExists(clinician, clinic: clinic)) else { return false }
            try await db.run(Statements.insert("patient_link", [
                "id": SQLValue(link.id), "token_hash": .text(link.tokenHash), "patient_id": SQLValue(patient), "clinic_id": SQLValue(clinic),
                "created_by": SQLValue(clinician), "created_at": SQLValue(at), "expires_at": SQLValue(expiresAt), "revoked_at": .null,
            ]))
            try await db.run(Statements.audit(.clinician(clinician), .createLink, patient: patient, clinic: clinic, at: at))
            return true
        }
        return made ? Issued(token: token, record: link) : nil
    }

    public func resolveLink(token: String) async throws -> PatientLink? {
        let q = SQL("SELECT \(Columns.link) FROM patient_link WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?",
                    [.text(Secrets.hash(token: token)), SQLValue(now)])
        return try await read { db in try await db.rows(q, table: "patient_link").first.map(PatientLink.init(row:)) }
    }

    public func revokeLink(id: PatientLink.ID, clinic: Clinic.ID, by clinician: Clinician.ID) async throws -> Bool {
        let at = now
        return try await write { db -> Bool in
            guard try await db.exists(Statements.clinicianExists(clinician, clinic: clinic)),
                  let row = try await db.rows(SQL("UPDATE patient_link SET revoked_at = ? WHERE id = ? AND clinic_id = ? AND revoked_at IS NULL RETURNING patient_id",
                                            [SQLValue(at), SQLValue(id), SQLValue(clinic)]), table: "patient_link").first else { return false }
            try await db.run(Statements.audit(.clinician(clinician), .revokeLink, patient: try row.id("patient_id"), clinic: clinic, at: at))
            return true
        }
    }

    public func links(patient: Patient.ID, clinic: Clinic.ID) async throws -> [PatientLink] {
        try await read { db in try await db.rows(Statements.links(patient, clinic: clinic), table: "patient_link").map(PatientLink.init(row:)) }
    }
}
