import Foundation
import Relief

/// A symptom a patient logged and the tier the red-flag table gave it when it was logged
/// (``RedFlagScreen/assess(symptom:answers:conditions:)``), kept as logged so a later change of
/// the table does not rewrite the record.
public struct LoggedSymptom: Sendable, Hashable, Codable {
    public let symptom: LogEntry.Symptom
    public let tier: RedFlagScreen.Urgency

    public init(symptom: LogEntry.Symptom, tier: RedFlagScreen.Urgency) {
        self.symptom = symptom
        self.tier = tier
    }

    enum CodingKeys: String, CodingKey { case symptom, tier }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let code = try c.decode(String.self, forKey: .symptom)
        guard let s = LogEntry.Symptom(rawValue: code) else {
            throw DecodingError.dataCorruptedError(forKey: .symptom, in: c, debugDescription: "expected one of \(LogEntry.Symptom.names), got \"\(code)\"")
        }
        symptom = s
        tier = try c.decode(RedFlagScreen.Urgency.self, forKey: .tier)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(symptom.rawValue, forKey: .symptom)
        try c.encode(tier, forKey: .tier)
    }
}

/// What a patient logs for a day.
public struct LogDraft: Sendable, Hashable, Codable {
    public var day: CalendarDate
    public var sessionDone: Bool
    /// Catalogue ids of the exercises done (all of the session's when `sessionDone` and empty).
    public var exercisesDone: [String]
    /// Pain 0-10 (NPRS).
    public var pain: Int?
    /// Effort 0-10.
    public var effort: Int?
    public var symptom: LoggedSymptom?

    public init(day: CalendarDate, sessionDone: Bool, exercisesDone: [String] = [], pain: Int? = nil,
                effort: Int? = nil, symptom: LoggedSymptom? = nil) {
        self.day = day
        self.sessionDone = sessionDone
        self.exercisesDone = exercisesDone
        self.pain = pain
        self.effort = effort
        self.symptom = symptom
    }

    public func problems() -> [FieldProblem] {
        var p: [FieldProblem] = []
        if day > CalendarDate.last || day.ordinal < CalendarDate(ordinal: 10_957).ordinal {
            p.append(FieldProblem(field: "day", value: day.description, expected: CalendarDate.expected))
        }
        if let pain, !(0...10).contains(pain) { p.append(FieldProblem(field: "pain", value: String(pain), expected: "a whole number from 0 to 10")) }
        if let effort, !(0...10).contains(effort) { p.append(FieldProblem(field: "effort", value: String(effort), expected: "a whole number from 0 to 10")) }
        for e in exercisesDone where e.isEmpty || e.count > 64 {
            p.append(FieldProblem(field: "exercises_done", value: e, expected: "an exercise id of 1 to 64 characters"))
        }
        return p
    }
}

/// A stored log entry. Several per day are allowed (a session, then a symptom in the evening);
/// each is its own row, so concurrent writers never overwrite one another.
public struct PatientLogEntry: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = EntityID<PatientLogEntry>
    public let id: ID
    public let patient: Patient.ID
    public let entry: LogDraft
    public let recordedAt: Date

    public init(id: ID, patient: Patient.ID, entry: LogDraft, recordedAt: Date) {
        self.id = id
        self.patient = patient
        self.entry = entry
        self.recordedAt = recordedAt
    }
}
