import Foundation

/// An exercise the clinician locks into every session, with the dose the optimiser must keep.
public struct LockedExercise: Sendable, Hashable, Codable {
    /// Catalogue id.
    public var exercise: String
    /// Units per session (sets, or minutes for a timed exercise).
    public var units: Double

    public init(exercise: String, units: Double) {
        self.exercise = exercise
        self.units = units
    }
}

/// What a clinician prescribes: the programme's shape, the exercises they fix and those they
/// forbid. Relief optimises the rest; the store keeps only what the clinician chose.
public struct PrescriptionPlan: Sendable, Hashable, Codable {
    public var weeks: Int
    /// Sessions per week.
    public var daysPerWeek: Int
    public var minutes: Int
    /// Per-cause minimum coverage (cause id → points), empty for the catalogue's defaults.
    public var minimums: [String: Double]
    public var locked: [LockedExercise]
    public var excluded: [String]
    public var notes: String

    public init(weeks: Int, daysPerWeek: Int, minutes: Int, minimums: [String: Double] = [:],
                locked: [LockedExercise] = [], excluded: [String] = [], notes: String = "") {
        self.weeks = weeks
        self.daysPerWeek = daysPerWeek
        self.minutes = minutes
        self.minimums = minimums
        self.locked = locked
        self.excluded = excluded
        self.notes = notes
    }

    public func problems() -> [FieldProblem] {
        var p: [FieldProblem] = []
        if !(1...52).contains(weeks) { p.append(FieldProblem(field: "weeks", value: String(weeks), expected: "1 to 52")) }
        if !(1...7).contains(daysPerWeek) { p.append(FieldProblem(field: "days_per_week", value: String(daysPerWeek), expected: "1 to 7")) }
        if !(1...240).contains(minutes) { p.append(FieldProblem(field: "minutes", value: String(minutes), expected: "1 to 240")) }
        for (cause, v) in minimums.sorted(by: { $0.key < $1.key }) where !(v.isFinite && v >= 0) {
            p.append(FieldProblem(field: "minimums.\(cause)", value: String(v), expected: "a finite number ≥ 0"))
        }
        for (i, l) in locked.enumerated() {
            if l.exercise.isEmpty { p.append(FieldProblem(field: "locked[\(i)].exercise", value: l.exercise, expected: "an exercise id")) }
            if !(l.units.isFinite && l.units > 0) {
                p.append(FieldProblem(field: "locked[\(i)].units", value: String(l.units), expected: "a finite number > 0"))
            }
            if excluded.contains(l.exercise) {
                p.append(FieldProblem(field: "locked[\(i)].exercise", value: l.exercise, expected: "an exercise that is not also excluded"))
            }
        }
        if notes.count > 4_000 { p.append(FieldProblem(field: "notes", value: "\(notes.count) characters", expected: "at most 4000 characters")) }
        return p
    }
}

/// One version of a patient's programme. Versions are numbered 1, 2, … per patient; at most one
/// is published at a time (a unique partial index says so in the schema, not only in code), and
/// publishing a new one supersedes the old. The log belongs to the patient, not the version, so
/// re-prescribing keeps it.
public struct Prescription: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = EntityID<Prescription>
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case draft, published, superseded
    }
    public let id: ID
    public let patient: Patient.ID
    public let version: Int
    public var status: Status
    public var plan: PrescriptionPlan
    public let createdBy: Clinician.ID
    public let createdAt: Date
    public var publishedAt: Date?

    public init(id: ID, patient: Patient.ID, version: Int, status: Status, plan: PrescriptionPlan,
                createdBy: Clinician.ID, createdAt: Date, publishedAt: Date?) {
        self.id = id
        self.patient = patient
        self.version = version
        self.status = status
        self.plan = plan
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.publishedAt = publishedAt
    }
}
