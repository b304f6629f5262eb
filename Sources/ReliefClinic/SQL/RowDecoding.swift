import Foundation
import Relief

/// Reading the store's rows back into domain values: one function per table, shared by both
/// stores so they cannot disagree about a column.
enum Columns {
    static let clinician = "id, clinic_id, email, display_name, password_hash, created_at"
    static let session = "id_hash, clinician_id, clinic_id, csrf_secret, created_at, expires_at"
    static let apiToken = "id, token_hash, clinician_id, clinic_id, name, created_at, revoked_at"
    static let patient = """
        id, clinic_id, reference, conditions, equipment, screen_answers, usual_pain, created_at, updated_at,
        (SELECT MAX(day) FROM log_entry WHERE log_entry.patient_id = patient.id) AS last_log_day
        """
    static let prescription = "id, patient_id, version, status, plan, created_by, created_at, published_at"
    static let link = "id, token_hash, patient_id, clinic_id, created_by, created_at, expires_at, revoked_at"
    static let outcome = "id, patient_id, day, kind, answers, recorded_at"
    static let log = "id, patient_id, day, session_done, exercises_done, pain, effort, symptom, symptom_tier, recorded_at"
    static let clearance = "id, patient_id, day, cleared_by, note, recorded_at"
    static let alert = "id, patient_id, kind, tier, detail, raised_at, acknowledged_by, acknowledged_at, note"
    static let audit = "id, clinic_id, actor_kind, actor_id, action, patient_id, at, detail"
}

extension Clinic {
    init(row r: SQLRow) throws {
        self.init(id: try r.id("id"), name: try r.text("name"), createdAt: try r.date("created_at"))
    }
}

extension Clinician {
    init(row r: SQLRow) throws {
        self.init(id: try r.id("id"), clinic: try r.id("clinic_id"), email: try r.text("email"),
                  displayName: try r.text("display_name"), passwordHash: try r.text("password_hash"),
                  createdAt: try r.date("created_at"))
    }
}

extension ClinicianSession {
    init(row r: SQLRow) throws {
        self.init(idHash: try r.text("id_hash"), clinician: try r.id("clinician_id"), clinic: try r.id("clinic_id"),
                  csrfSecret: try r.text("csrf_secret"), createdAt: try r.date("created_at"), expiresAt: try r.date("expires_at"))
    }
}

extension ApiToken {
    init(row r: SQLRow) throws {
        self.init(id: try r.id("id"), clinician: try r.id("clinician_id"), clinic: try r.id("clinic_id"),
                  name: try r.text("name"), tokenHash: try r.text("token_hash"), createdAt: try r.date("created_at"),
                  revokedAt: try r.optionalDate("revoked_at"))
    }
}

extension Patient {
    init(row r: SQLRow) throws {
        let details = PatientDetails(
            reference: try r.text("reference"),
            conditions: Set(try r.strings("conditions")),
            equipment: Set(try r.strings("equipment")),
            screenAnswers: try r.flags("screen_answers"),
            usualPain: try r.int("usual_pain"))
        self.init(id: try r.id("id"), clinic: try r.id("clinic_id"), details: details, createdAt: try r.date("created_at"),
                  updatedAt: try r.date("updated_at"), lastLogDay: try r.optionalDay("last_log_day"))
    }
}

extension Prescription {
    init(row r: SQLRow) throws {
        guard let status = Status(rawValue: try r.text("status")) else {
            throw ClinicStoreError.corruptRow(table: r.table, column: "status", value: (try? r.text("status")) ?? "")
        }
        self.init(id: try r.id("id"), patient: try r.id("patient_id"), version: try r.int("version"), status: status,
                  plan: try r.json("plan", as: PrescriptionPlan.self), createdBy: try r.id("created_by"),
                  createdAt: try r.date("created_at"), publishedAt: try r.optionalDate("published_at"))
    }
}

extension PatientLink {
    init(row r: SQLRow) throws {
        self.init(id: try r.id("id"), patient: try r.id("patient_id"), clinic: try r.id("clinic_id"),
                  tokenHash: try r.text("token_hash"), createdBy: try r.id("created_by"), createdAt: try r.date("created_at"),
                  expiresAt: try r.date("expires_at"), revokedAt: try r.optionalDate("revoked_at"))
    }
}

extension PatientLogEntry {
    init(row r: SQLRow) throws {
        var symptom: LoggedSymptom?
        if let code = try r.optionalText("symptom") {
            guard let s = LogEntry.Symptom(rawValue: code) else { throw ClinicStoreError.corruptRow(table: r.table, column: "symptom", value: code) }
            let tierCode = try r.optionalText("symptom_tier") ?? ""
            guard let t = RedFlagScreen.Urgency(rawValue: tierCode) else {
                throw ClinicStoreError.corruptRow(table: r.table, column: "symptom_tier", value: tierCode)
            }
            symptom = LoggedSymptom(symptom: s, tier: t)
        }
        let entry = LogDraft(day: try r.day("day"), sessionDone: try r.bool("session_done"),
                             exercisesDone: try r.strings("exercises_done"),
                             pain: try r.optionalInt("pain"), effort: try r.optionalInt("effort"), symptom: symptom)
        self.init(id: try r.id("id"), patient: try r.id("patient_id"), entry: entry, recordedAt: try r.date("recorded_at"))
    }
}

extension PatientOutcome {
    init(row r: SQLRow) throws {
        let fact: OutcomeFact
        switch try r.text("kind") {
        case "measures": fact = .measures(try r.json("answers", as: OutcomeAnswers.self))
        case "startback": fact = .startBack(try r.json("answers", as: StartBack.self))
        case let other: throw ClinicStoreError.corruptRow(table: r.table, column: "kind", value: other)
        }
        self.init(id: try r.id("id"), patient: try r.id("patient_id"), day: try r.day("day"), fact: fact, recordedAt: try r.date("recorded_at"))
    }
}

extension Clearance {
    init(row r: SQLRow) throws {
        self.init(id: try r.id("id"), patient: try r.id("patient_id"), day: try r.day("day"), clearedBy: try r.id("cleared_by"),
                  note: try r.text("note"), recordedAt: try r.date("recorded_at"))
    }
}

extension Alert {
    init(row r: SQLRow) throws {
        let code = try r.text("kind")
        let tier = try r.optionalText("tier")
        guard let kind = AlertKind(code: code, tier: tier) else {
            throw ClinicStoreError.corruptRow(table: r.table, column: "kind", value: "\(code)/\(tier ?? "")")
        }
        var ack: Acknowledgement?
        if let at = try r.optionalDate("acknowledged_at") {
            ack = Acknowledgement(by: try r.id("acknowledged_by"), at: at, note: try r.optionalText("note") ?? "")
        }
        self.init(id: try r.id("id"), patient: try r.id("patient_id"), kind: kind, detail: try r.text("detail"),
                  raisedAt: try r.date("raised_at"), acknowledged: ack)
    }
}

extension AuditEvent {
    init(row r: SQLRow) throws {
        let kind = try r.text("actor_kind"), actorID = try r.text("actor_id")
        guard let actor = Actor(kind: kind, id: actorID) else {
            throw ClinicStoreError.corruptRow(table: r.table, column: "actor_kind", value: kind)
        }
        let actionCode = try r.text("action")
        guard let action = AuditAction(rawValue: actionCode) else {
            throw ClinicStoreError.corruptRow(table: r.table, column: "action", value: actionCode)
        }
        self.init(id: try r.id("id"), clinic: try r.id("clinic_id"), actor: actor, action: action,
                  patient: try r.optionalText("patient_id").map(Patient.ID.init(rawValue:)), at: try r.date("at"),
                  detail: try r.text("detail"))
    }
}

/// Orders shared by both stores, applied in Swift after the query so the two cannot differ on
/// how text collates.
enum Ordering {
    /// Open first, most severe first, newest first; then acknowledged, newest first.
    static func alerts(_ a: Alert, _ b: Alert) -> Bool {
        if a.isOpen != b.isOpen { return a.isOpen }
        if a.isOpen, a.kind.severity != b.kind.severity { return a.kind.severity > b.kind.severity }
        if a.raisedAt != b.raisedAt { return a.raisedAt > b.raisedAt }
        return a.id < b.id
    }

    static func logs(_ a: PatientLogEntry, _ b: PatientLogEntry) -> Bool {
        if a.entry.day != b.entry.day { return a.entry.day < b.entry.day }
        if a.recordedAt != b.recordedAt { return a.recordedAt < b.recordedAt }
        return a.id < b.id
    }
}
