import Foundation

/// A patient's whole record, as one value: what an export hands over (a person's data), and
/// what erasure removes (except the audit lines, which stay).
public struct PatientRecord: Sendable, Hashable, Codable {
    public let patient: Patient
    public let prescriptions: [Prescription]
    public let logs: [PatientLogEntry]
    /// Outcome measures and STarT Back screens, by day.
    public let outcomes: [PatientOutcome]
    public let alerts: [Alert]
    /// The clinicians' clearances to exercise after a symptom paused the sessions.
    public let clearances: [Clearance]
    /// The links made for the patient, without their tokens (only hashes are stored).
    public let links: [PatientLink]
    public let audit: [AuditEvent]
    public let exportedAt: Date
}

/// One row of the clinician's patient list: the patient, their open alerts (most severe first)
/// and the published programme's version, read in one call.
public struct PatientListRow: Sendable, Hashable, Codable {
    public let patient: Patient
    public let openAlerts: [Alert]
    public let publishedVersion: Int?

    /// The most severe open alert's severity, 0 with none: the list's first sort key.
    public var severity: Int { openAlerts.map(\.kind.severity).max() ?? 0 }
}
