import Foundation

/// A practice: the boundary of everything a clinician may see.
public struct Clinic: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = EntityID<Clinic>
    public let id: ID
    public var name: String
    public let createdAt: Date

    public init(id: ID, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}

/// A physiotherapist with an account in one clinic.
///
/// `passwordHash` is a bcrypt string (`$2b$…`); it is kept out of ``PatientRecord`` exports and
/// out of `description`, so logging a clinician never prints it.
public struct Clinician: Sendable, Hashable, Codable, Identifiable, CustomStringConvertible {
    public typealias ID = EntityID<Clinician>
    public let id: ID
    public let clinic: Clinic.ID
    /// Lowercased and trimmed: sign-in compares it exactly.
    public var email: String
    public var displayName: String
    public var passwordHash: String
    public let createdAt: Date

    public init(id: ID, clinic: Clinic.ID, email: String, displayName: String, passwordHash: String, createdAt: Date) {
        self.id = id
        self.clinic = clinic
        self.email = email
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }

    public var description: String { "clinician \(id) <\(email)> of clinic \(clinic)" }
}
