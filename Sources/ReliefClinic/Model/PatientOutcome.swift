import Foundation
import Relief

/// What an outcome record holds: a day's measures (any of NPRS, RMDQ, ODI, PSFS, PGIC), or
/// the STarT Back screen's nine answers. The answers are kept, not only the scores, so a
/// record can be scored again and exported as its questionnaire's response.
public enum OutcomeFact: Sendable, Hashable {
    case measures(OutcomeAnswers)
    case startBack(StartBack)

    /// The stored kind: `measures` or `startback`.
    public var kind: String {
        switch self {
        case .measures: "measures"
        case .startBack: "startback"
        }
    }

    public func problems() -> [FieldProblem] {
        switch self {
        case .measures(let a):
            var p = a.problems().map { m in
                FieldProblem(field: m.item.map { "\(m.field)[\($0)]" } ?? m.field, value: m.value, expected: m.expected)
            }
            if a.isEmpty { p.append(FieldProblem(field: "measures", value: "none", expected: "at least one of nprs, rmdq, odi, psfs, pgic")) }
            return p
        case .startBack:
            return []   // a StartBack is valid by construction (StartBack.read)
        }
    }
}

/// One stored outcome record of a patient: a day's answers, entered by the clinician or the
/// patient through their link (the audit log says who).
public struct PatientOutcome: Sendable, Hashable, Identifiable {
    public typealias ID = EntityID<PatientOutcome>
    public let id: ID
    public let patient: Patient.ID
    public let day: CalendarDate
    public let fact: OutcomeFact
    public let recordedAt: Date

    public init(id: ID, patient: Patient.ID, day: CalendarDate, fact: OutcomeFact, recordedAt: Date) {
        self.id = id
        self.patient = patient
        self.day = day
        self.fact = fact
        self.recordedAt = recordedAt
    }

    /// The records as a programme log's entries (line = place in `records`, 1-based), for
    /// ``ProgrammeOutcomes`` and the FHIR export, which read a log.
    public static func logEntries(_ records: [PatientOutcome]) -> [LogEntry] {
        records.enumerated().map { k, r in
            var e: LogEntry
            switch r.fact {
            case .measures(let a): e = LogEntry(date: r.day, fact: .outcome(a))
            case .startBack(let s): e = LogEntry(date: r.day, fact: .startBack(s))
            }
            e.line = k + 1
            return e
        }
    }
}

extension PatientOutcome: Codable {
    enum CodingKeys: String, CodingKey { case id, patient, day, kind, answers, recordedAt }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(ID.self, forKey: .id)
        patient = try c.decode(Patient.ID.self, forKey: .patient)
        day = try c.decode(CalendarDate.self, forKey: .day)
        recordedAt = try c.decode(Date.self, forKey: .recordedAt)
        switch try c.decode(String.self, forKey: .kind) {
        case "measures": fact = .measures(try c.decode(OutcomeAnswers.self, forKey: .answers))
        case "startback": fact = .startBack(try c.decode(StartBack.self, forKey: .answers))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "expected measures or startback, got \"\(other)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(patient, forKey: .patient)
        try c.encode(day, forKey: .day)
        try c.encode(recordedAt, forKey: .recordedAt)
        try c.encode(fact.kind, forKey: .kind)
        switch fact {
        case .measures(let a): try c.encode(a, forKey: .answers)
        case .startBack(let s): try c.encode(s, forKey: .answers)
        }
    }
}
