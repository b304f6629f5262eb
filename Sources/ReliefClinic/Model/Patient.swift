import Foundation
import Relief

/// What a clinician says about a patient. No name, no date of birth: `reference` is the clinic's
/// own pseudonymous code (a chart number, initials), unique within the clinic.
public struct PatientDetails: Sendable, Hashable, Codable {
    public var reference: String
    /// Condition tags of the catalogue (`flexion-intolerant`, `radicular-pain`, …).
    public var conditions: Set<String>
    /// Equipment the patient has at home (catalogue names).
    public var equipment: Set<String>
    /// The red-flag screen's answers: question id → yes/no (``RedFlagScreen/questions``).
    public var screenAnswers: [String: Bool]
    /// Usual pain on the 0-10 numeric rating scale.
    public var usualPain: Int

    public init(reference: String, conditions: Set<String> = [], equipment: Set<String> = [],
                screenAnswers: [String: Bool] = [:], usualPain: Int) {
        self.reference = reference
        self.conditions = conditions
        self.equipment = equipment
        self.screenAnswers = screenAnswers
        self.usualPain = usualPain
    }

    /// Every problem at once, each naming the field and the value.
    public func problems() -> [FieldProblem] {
        var p: [FieldProblem] = []
        let ref = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        if ref.isEmpty || ref.count > 64 {
            p.append(FieldProblem(field: "reference", value: reference, expected: "1 to 64 characters"))
        }
        if !(0...10).contains(usualPain) {
            p.append(FieldProblem(field: "usual_pain", value: String(usualPain), expected: "a whole number from 0 to 10"))
        }
        let known = Set(RedFlagScreen.questions.map(\.id))
        for id in screenAnswers.keys.sorted() where !known.contains(id) {
            p.append(FieldProblem(field: "screen_answers", value: id, expected: "a red-flag question id"))
        }
        for c in conditions.sorted() where c.isEmpty || c.count > 64 {
            p.append(FieldProblem(field: "conditions", value: c, expected: "a condition tag of 1 to 64 characters"))
        }
        for e in equipment.sorted() where e.isEmpty || e.count > 64 {
            p.append(FieldProblem(field: "equipment", value: e, expected: "an equipment name of 1 to 64 characters"))
        }
        return p
    }
}

/// A patient of one clinic.
public struct Patient: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = EntityID<Patient>
    public let id: ID
    public let clinic: Clinic.ID
    public var details: PatientDetails
    public let createdAt: Date
    public var updatedAt: Date
    /// The latest day with a log entry, read with the patient (from the end of the log index,
    /// not a scan of a year of logs), for the list's "no log for 5 days".
    public var lastLogDay: CalendarDate?

    public init(id: ID, clinic: Clinic.ID, details: PatientDetails, createdAt: Date, updatedAt: Date, lastLogDay: CalendarDate?) {
        self.id = id
        self.clinic = clinic
        self.details = details
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastLogDay = lastLogDay
    }
}

extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let d = CalendarDate(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected \(CalendarDate.expected), got \"\(text)\"")
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
