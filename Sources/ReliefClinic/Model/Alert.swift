import Foundation
import Relief

/// Why a patient needs the clinician's attention.
public enum AlertKind: Sendable, Hashable, Codable {
    /// A red-flag symptom, with its tier: shown at once, above everything else.
    case redFlag(RedFlagScreen.Urgency)
    /// Pain well above the patient's usual for days running.
    case flare
    /// Fewer than half the week's sessions done.
    case lowAdherence
    /// No log for a number of days.
    case noLog
    /// No improvement at the review week.
    case nonResponse

    /// Higher first in the clinician's list: red flags by tier, then the issue's order.
    public var severity: Int {
        switch self {
        case .redFlag(let tier):
            switch tier {
            case .emergency: 100
            case .sameDay: 90
            case .soon: 80
            case .routine: 70
            }
        case .flare: 50
        case .lowAdherence: 40
        case .noLog: 30
        case .nonResponse: 20
        }
    }

    /// The stored code: `red-flag`, `flare`, … (the tier has its own column).
    public var code: String {
        switch self {
        case .redFlag: "red-flag"
        case .flare: "flare"
        case .lowAdherence: "low-adherence"
        case .noLog: "no-log"
        case .nonResponse: "non-response"
        }
    }

    public var tier: RedFlagScreen.Urgency? {
        if case .redFlag(let t) = self { t } else { nil }
    }

    /// The kind from its stored code and tier; nil for a pair the store never writes.
    public init?(code: String, tier: String?) {
        switch code {
        case "red-flag":
            guard let t = tier.flatMap(RedFlagScreen.Urgency.init(rawValue:)) else { return nil }
            self = .redFlag(t)
        case "flare": self = .flare
        case "low-adherence": self = .lowAdherence
        case "no-log": self = .noLog
        case "non-response": self = .nonResponse
        default: return nil
        }
    }

    enum CodingKeys: String, CodingKey { case kind, tier }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let code = try c.decode(String.self, forKey: .kind)
        let tier = try c.decodeIfPresent(String.self, forKey: .tier)
        guard let k = AlertKind(code: code, tier: tier) else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown alert kind \"\(code)\" with tier \"\(tier ?? "")\"")
        }
        self = k
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .kind)
        try c.encodeIfPresent(tier?.rawValue, forKey: .tier)
    }
}

/// An alert stays in the record after it is acknowledged: acknowledging fills in who, when and
/// the note, and never deletes the row.
public struct Alert: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = EntityID<Alert>
    public struct Acknowledgement: Sendable, Hashable, Codable {
        public let by: Clinician.ID
        public let at: Date
        public let note: String
    }
    public let id: ID
    public let patient: Patient.ID
    public let kind: AlertKind
    /// A line for the list, such as the symptom's words.
    public let detail: String
    public let raisedAt: Date
    public var acknowledged: Acknowledgement?

    public init(id: ID, patient: Patient.ID, kind: AlertKind, detail: String, raisedAt: Date, acknowledged: Acknowledgement?) {
        self.id = id
        self.patient = patient
        self.kind = kind
        self.detail = detail
        self.raisedAt = raisedAt
        self.acknowledged = acknowledged
    }

    public var isOpen: Bool { acknowledged == nil }
}
