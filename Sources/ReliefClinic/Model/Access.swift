import Foundation

/// A patient's personal link. The token itself is shown once, when the link is made
/// (``IssuedLink``); the store keeps only its SHA-256, so a copy of the database opens no
/// patient's programme.
public struct PatientLink: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = EntityID<PatientLink>
    public let id: ID
    public let patient: Patient.ID
    public let clinic: Clinic.ID
    /// Lowercase hex SHA-256 of the token.
    public let tokenHash: String
    public let createdBy: Clinician.ID
    public let createdAt: Date
    public let expiresAt: Date
    public var revokedAt: Date?

    public init(id: ID, patient: Patient.ID, clinic: Clinic.ID, tokenHash: String, createdBy: Clinician.ID,
                createdAt: Date, expiresAt: Date, revokedAt: Date?) {
        self.id = id
        self.patient = patient
        self.clinic = clinic
        self.tokenHash = tokenHash
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// A bearer token for an API client acting as one clinician; stored as its SHA-256.
public struct ApiToken: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = EntityID<ApiToken>
    public let id: ID
    public let clinician: Clinician.ID
    public let clinic: Clinic.ID
    public var name: String
    public let tokenHash: String
    public let createdAt: Date
    public var revokedAt: Date?

    public init(id: ID, clinician: Clinician.ID, clinic: Clinic.ID, name: String, tokenHash: String, createdAt: Date, revokedAt: Date?) {
        self.id = id
        self.clinician = clinician
        self.clinic = clinic
        self.name = name
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// A signed-in clinician's browser session. The cookie carries a random id; the store keeps its
/// SHA-256 (`idHash`), so reading the table does not let anyone sign in. `csrfSecret` is what
/// forms must echo back; it is never the cookie's value.
public struct ClinicianSession: Sendable, Hashable, Codable {
    public let idHash: String
    public let clinician: Clinician.ID
    public let clinic: Clinic.ID
    public let csrfSecret: String
    public let createdAt: Date
    public let expiresAt: Date

    public init(idHash: String, clinician: Clinician.ID, clinic: Clinic.ID, csrfSecret: String, createdAt: Date, expiresAt: Date) {
        self.idHash = idHash
        self.clinician = clinician
        self.clinic = clinic
        self.csrfSecret = csrfSecret
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A secret shown once with the record it opens: the caller hands `token` to the person (a
/// link, a cookie, an API client's configuration) and never stores it.
public struct Issued<Record: Sendable>: Sendable {
    public let token: String
    public let record: Record
}

public typealias IssuedLink = Issued<PatientLink>
public typealias IssuedApiToken = Issued<ApiToken>
public typealias IssuedSession = Issued<ClinicianSession>
