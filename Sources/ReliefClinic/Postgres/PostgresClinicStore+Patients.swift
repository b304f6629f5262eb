import Foundation
import PostgresNIO

extension PostgresClinicStore {
    public func createPatient(_ details: PatientDetails, clinic: Clinic.ID, by actor: Actor) async throws -> Patient {
        try Validate.check(details.problems())
        let at = now
        let p = Patient(id: .random(), clinic: clinic, details: details, createdAt: at, updatedAt: at, lastLogDay: nil)
        try await write { db in
            guard try await db.exists(SQL("SELECT id FROM clinic WHERE id = ?", [SQLValue(clinic)])) else {
                throw ClinicStoreError.invalid([FieldProblem(field: "clinic", value: clinic.rawValue, expected: "an existing clinic")])
            }
            guard try await !db.exists(Statements.referenceTaken(details.reference, clinic: clinic, except: nil)) else {
                throw ClinicStoreError.conflict(field: "reference", value: details.reference)
            }
            try await db.run(try Statements.insertPatient(p))
            try await db.run(Statements.audit(actor, .createPatient, patient: p.id, clinic: clinic, at: at))
        }
        return p
    }

    public func patients(clinic: Clinic.ID) async throws -> [Patient] {
        let q = SQL("SELECT \(Columns.patient) FROM patient WHERE clinic_id = ? ORDER BY reference, id", [SQLValue(clinic)])
        return try await read { db in try await db.rows(q, table: "patient").map(Patient.init(row:)) }
    }

    public func patient(id: Patient.ID, clinic: Clinic.ID) async throws -> Patient? {
        try await read { db in try await db.rows(Statements.patient(id, clinic: clinic), table: "patient").first.map(Patient.init(row:)) }
    }

    public func updatePatient(id: Patient.ID, clinic: Clinic.ID, details: PatientDetails, by actor: Actor) async throws -> Patient? {
        try Validate.check(details.problems())
        let at = now
        return try await write { db -> Patient? in
            guard try await db.exists(Statements.patientExists(id, clinic: clinic)) else { return nil }
            guard try await !db.exists(Statements.referenceTaken(details.reference, clinic: clinic, except: id)) else {
                throw ClinicStoreError.conflict(field: "reference", value: details.reference)
            }
            try await db.run(try Statements.updatePatient(id, clinic: clinic, details, at: at))
            try await db.run(Statements.audit(actor, .updatePatient, patient: id, clinic: clinic, at: at))
            return try await db.rows(Statements.patient(id, clinic: clinic), table: "patient").first.map(Patient.init(row:))
        }
    }

    public func erasePatient(id: Patient.ID, clinic: Clinic.ID, by actor: Actor) async throws -> Bool {
        let at = now
        return try await write { db -> Bool in
            // The foreign keys' ON DELETE CASCADE removes prescriptions, links, logs and alerts.
            let gone = try await db.rows(SQL("DELETE FROM patient WHERE id = ? AND clinic_id = ? RETURNING id", [SQLValue(id), SQLValue(clinic)]),
                                   table: "patient")
            guard !gone.isEmpty else { return false }
            try await db.run(Statements.audit(actor, .erasePatient, patient: id, clinic: clinic, at: at))
            return true
        }
    }

    public func patientList(clinic: Clinic.ID) async throws -> [PatientListRow] {
        try await read { db in
            let patients = try await db.rows(SQL("SELECT \(Columns.patient) FROM patient WHERE clinic_id = ?", [SQLValue(clinic)]), table: "patient")
                .map(Patient.init(row:))
            let alerts = try await db.rows(Statements.openAlerts(clinic: clinic), table: "alert").map(Alert.init(row:))
            let published = try await db.rows(SQL("SELECT patient_id, version FROM prescription WHERE clinic_id = ? AND status = 'published'",
                                             [SQLValue(clinic)]), table: "prescription")
            return try ListAssembly.rows(patients: patients, openAlerts: alerts, published: published)
        }
    }
}
