import Foundation
import PostgresNIO

extension PostgresClinicStore {
    public func clinics() async throws -> [Clinic] {
        let q = SQL("SELECT id, name, created_at FROM clinic ORDER BY id", [])
        return try await read { db in try await db.rows(q, table: "clinic").map(Clinic.init(row:)) }
    }

    public func createClinic(name: String) async throws -> Clinic {
        try Validate.check(Validate.name("name", name))
        let clinic = Clinic(id: .random(), name: name.trimmingCharacters(in: .whitespacesAndNewlines), createdAt: now)
        try await write { db in
            try await db.run(Statements.insertClinic(clinic))
        }
        return clinic
    }

    public func createClinic(name: String, email: String, displayName: String, password: String) async throws -> (Clinic, Clinician) {
        let (address, emailProblems) = Validate.email(email)
        try Validate.check(Validate.name("name", name) + emailProblems + Validate.name("display_name", displayName) + Validate.password(password))
        let hash = try await Secrets.bcrypt(password, cost: options.bcryptCost)
        let clinic = Clinic(id: .random(), name: name.trimmingCharacters(in: .whitespacesAndNewlines), createdAt: now)
        let c = Clinician(id: .random(), clinic: clinic.id, email: address, displayName: displayName, passwordHash: hash, createdAt: now)
        try await write { db in
            guard try await !db.exists(Statements.emailTaken(address)) else {
                throw ClinicStoreError.conflict(field: "email", value: address)
            }
            try await db.run(Statements.insertClinic(clinic))
            try await db.run(Statements.insertClinician(c))
        }
        return (clinic, c)
    }

    public func createClinician(clinic: Clinic.ID, email: String, displayName: String, password: String) async throws -> Clinician {
        let (address, emailProblems) = Validate.email(email)
        try Validate.check(emailProblems + Validate.name("display_name", displayName) + Validate.password(password))
        let hash = try await Secrets.bcrypt(password, cost: options.bcryptCost)
        let c = Clinician(id: .random(), clinic: clinic, email: address, displayName: displayName, passwordHash: hash, createdAt: now)
        try await write { db in
            guard try await db.exists(SQL("SELECT id FROM clinic WHERE id = ?", [SQLValue(clinic)])) else {
                throw ClinicStoreError.invalid([FieldProblem(field: "clinic", value: clinic.rawValue, expected: "an existing clinic")])
            }
            guard try await !db.exists(Statements.emailTaken(address)) else {
                throw ClinicStoreError.conflict(field: "email", value: address)
            }
            try await db.run(Statements.insertClinician(c))
        }
        return c
    }

    public func clinician(id: Clinician.ID, clinic: Clinic.ID) async throws -> Clinician? {
        try await read { db in
            try await db.rows(SQL("SELECT \(Columns.clinician) FROM clinician WHERE id = ? AND clinic_id = ?", [SQLValue(id), SQLValue(clinic)]),
                        table: "clinician").first.map(Clinician.init(row:))
        }
    }

    public func verifySignIn(email: String, password: String) async throws -> Clinician? {
        let address = Validate.email(email).0
        let found = try await read { db in
            try await db.rows(SQL("SELECT \(Columns.clinician) FROM clinician WHERE email = ?", [.text(address)]), table: "clinician")
                .first.map(Clinician.init(row:))
        }
        guard let found else {
            _ = try await Secrets.verify(password, hash: dummyHash)
            return nil
        }
        return try await Secrets.verify(password, hash: found.passwordHash) ? found : nil
    }

    public func createSession(clinician: Clinician.ID, clinic: Clinic.ID, lifetime: TimeInterval) async throws -> IssuedSession? {
        let token = Secrets.newToken()
        let start = now
        let s = ClinicianSession(idHash: Secrets.hash(token: token), clinician: clinician, clinic: clinic,
                                 csrfSecret: Secrets.newToken(), createdAt: start, expiresAt: start.addingTimeInterval(lifetime))
        let made = try await write { db -> Bool in
            guard try await db.exists(Statements.clinicianExists(clinician, clinic: clinic)) else { return false }
            try await db.run(Statements.insert("clinician_session", [
                "id_hash": .text(s.idHash), "clinician_id": SQLValue(clinician), "clinic_id": SQLValue(clinic),
                "csrf_secret": .text(s.csrfSecret), "created_at": SQLValue(s.createdAt), "expires_at": SQLValue(s.expiresAt),
            ]))
            return true
        }
        return made ? Issued(token: token, record: s) : nil
    }

    public func session(token: String) async throws -> ClinicianSession? {
        let q = SQL("SELECT \(Columns.session) FROM clinician_session WHERE id_hash = ? AND expires_at > ?",
                    [.text(Secrets.hash(token: token)), SQLValue(now)])
        return try await read { db in try await db.rows(q, table: "clinician_session").first.map(ClinicianSession.init(row:)) }
    }

    public func deleteSession(token: String) async throws {
        let q = SQL("DELETE FROM clinician_session WHERE id_hash = ?", [.text(Secrets.hash(token: token))])
        try await write { db in try await db.run(q) }
    }

    public func createApiToken(clinician: Clinician.ID, clinic: Clinic.ID, name: String) async throws -> IssuedApiToken? {
        try Validate.check(Validate.name("name", name))
        let token = Secrets.newToken()
        let t = ApiToken(id: .random(), clinician: clinician, clinic: clinic, name: name, tokenHash: Secrets.hash(token: token),
                         createdAt: now, revokedAt: nil)
        let made = try await write { db -> Bool in
            guard try await db.exists(Statements.clinicianExists(clinician, clinic: clinic)) else { return false }
            try await db.run(Statements.insert("api_token", [
                "id": SQLValue(t.id), "token_hash": .text(t.tokenHash), "clinician_id": SQLValue(clinician),
                "clinic_id": SQLValue(clinic), "name": .text(name), "created_at": SQLValue(t.createdAt), "revoked_at": .null,
            ]))
            return true
        }
        return made ? Issued(token: token, record: t) : nil
    }

    public func apiToken(token: String) async throws -> ApiToken? {
        let q = SQL("SELECT \(Columns.apiToken) FROM api_token WHERE token_hash = ? AND revoked_at IS NULL", [.text(Secrets.hash(token: token))])
        return try await read { db in try await db.rows(q, table: "api_token").first.map(ApiToken.init(row:)) }
    }

    public func revokeApiToken(id: ApiToken.ID, clinic: Clinic.ID) async throws -> Bool {
        let q = SQL("UPDATE api_token SET revoked_at = ? WHERE id = ? AND clinic_id = ? AND revoked_at IS NULL RETURNING id",
                    [SQLValue(now), SQLValue(id), SQLValue(clinic)])
        return try await write { db in try await !db.rows(q, table: "api_token").isEmpty }
    }
}
