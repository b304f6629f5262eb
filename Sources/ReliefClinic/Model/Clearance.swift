import Foundation
import Relief

/// A clinician's word that a patient whose logged symptom paused their sessions has been seen
/// and may exercise again (the programme log's `cleared`, README "Symptoms and clearance").
/// Kept for good: the record shows who cleared whom, when, and why.
public struct Clearance: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = EntityID<Clearance>
    public let id: ID
    public let patient: Patient.ID
    /// The day the clinician cleared them: sessions resume the day after.
    public let day: CalendarDate
    public let clearedBy: Clinician.ID
    public let note: String
    public let recordedAt: Date

    public init(id: ID, patient: Patient.ID, day: CalendarDate, clearedBy: Clinician.ID, note: String, recordedAt: Date) {
        self.id = id
        self.patient = patient
        self.day = day
        self.clearedBy = clearedBy
        self.note = note
        self.recordedAt = recordedAt
    }

    /// The longest note kept.
    public static let noteLimit = 2_000
}
