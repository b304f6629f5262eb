import Foundation

/// Who did something: a clinician in a browser, a patient through their link, an API client.
public enum Actor: Sendable, Hashable, Codable {
    case clinician(Clinician.ID)
    case patientLink(PatientLink.ID)
    case apiToken(ApiToken.ID)

    var kind: String {
        switch self {
        case .clinician: "clinician"
        case .patientLink: "patient-link"
        case .apiToken: "api-token"
        }
    }

    var rawID: String {
        switch self {
        case .clinician(let id): id.rawValue
        case .patientLink(let id): id.rawValue
        case .apiToken(let id): id.rawValue
        }
    }

    init?(kind: String, id: String) {
        switch kind {
        case "clinician": self = .clinician(.init(rawValue: id))
        case "patient-link": self = .patientLink(.init(rawValue: id))
        case "api-token": self = .apiToken(.init(rawValue: id))
        default: return nil
        }
    }
}

/// What was done: reading a record counts as much as changing it.
public enum AuditAction: String, Sendable, Hashable, Codable, CaseIterable {
    case viewPatient = "view-patient"
    case createPatient = "create-patient"
    case updatePatient = "update-patient"
    case erasePatient = "erase-patient"
    case exportPatient = "export-patient"
    case saveDraft = "save-draft"
    case publish
    case createLink = "create-link"
    case revokeLink = "revoke-link"
    case appendLog = "append-log"
    case appendOutcome = "append-outcome"
    case acknowledgeAlert = "acknowledge-alert"
    case clearToExercise = "clear-to-exercise"
}

/// One line of the audit log. `patient` is not a foreign key: the line outlives an erased
/// patient, which is the point of auditing an erasure.
public struct AuditEvent: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = EntityID<AuditEvent>
    public let id: ID
    public let clinic: Clinic.ID
    public let actor: Actor
    public let action: AuditAction
    public let patient: Patient.ID?
    public let at: Date
    public let detail: String

    public init(id: ID, clinic: Clinic.ID, actor: Actor, action: AuditAction, patient: Patient.ID?, at: Date, detail: String) {
        self.id = id
        self.clinic = clinic
        self.actor = actor
        self.action = action
        self.patient = patient
        self.at = at
        self.detail = detail
    }
}
