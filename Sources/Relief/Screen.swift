/// The red-flag screen asked before any plan: signs that back pain needs a doctor, not a
/// routine. Questions and advice follow NICE NG59 (low back pain), NICE NG65 (spondyloarthritis),
/// the GIRFT national suspected cauda equina pathway and the AHCPR red-flag table; the wording is
/// for the person, in plain words. A "yes" to any question plans nothing.
public enum RedFlagScreen {
    /// How soon to see someone.
    public enum Urgency: String, Sendable, Hashable, Codable, Comparable {
        case routine, urgent, emergency
        public static func < (a: Urgency, b: Urgency) -> Bool {
            [Urgency.routine, .urgent, .emergency].firstIndex(of: a)! < [Urgency.routine, .urgent, .emergency].firstIndex(of: b)!
        }

        public var advice: String {
            switch self {
            case .emergency:
                "These can be signs of cauda equina syndrome, pressure on the nerves at the base of the spine. Go to an emergency department today, or call emergency services; do not wait to see if it settles. Do not start these exercises."
            case .urgent:
                "See a doctor within the next few days, before starting exercises: these signs need checking for an infection, a fracture or another cause that exercise will not treat."
            case .routine:
                "Book an appointment with your GP or physiotherapist before starting a programme, so that this can be checked first."
            }
        }
    }

    public struct Question: Sendable, Hashable {
        public let id: String
        public let text: String
        public let urgency: Urgency
    }

    public static let questions: [Question] = [
        Question(id: "saddle-numbness", text: "Do you have numbness or tingling around your back passage, genitals or inner thighs (the saddle area)?", urgency: .emergency),
        Question(id: "bladder-bowel", text: "Have you had new difficulty passing urine, loss of bladder or bowel control, or new sexual problems?", urgency: .emergency),
        Question(id: "both-legs", text: "Do you have pain, numbness or weakness in both legs?", urgency: .emergency),
        Question(id: "progressive-weakness", text: "Is a leg or foot getting weaker (tripping, a foot that slaps down)?", urgency: .emergency),
        Question(id: "fever", text: "Do you have a fever or chills, or feel generally unwell, with the back pain?", urgency: .urgent),
        Question(id: "weight-loss", text: "Have you lost weight without trying?", urgency: .urgent),
        Question(id: "cancer-history", text: "Have you ever had cancer?", urgency: .urgent),
        Question(id: "night-pain", text: "Is the pain constant, or there at night, and unchanged whether you move or rest?", urgency: .urgent),
        Question(id: "trauma", text: "Did the pain start after a fall, an accident or another significant injury?", urgency: .urgent),
        Question(id: "osteoporosis-sudden-pain", text: "Do you have osteoporosis (thin bones) and sudden new back pain?", urgency: .urgent),
        Question(id: "steroids-immunosuppression", text: "Do you take steroid tablets long term or drugs that lower your immunity, or inject drugs?", urgency: .urgent),
        Question(id: "new-pain-age", text: "Is this new back pain, and are you under 20 or over 50?", urgency: .routine),
        Question(id: "upper-back-pain", text: "Is the pain mainly in your upper or middle back, between the shoulder blades?", urgency: .routine),
        Question(id: "inflammatory", text: "Is your back stiff for more than 30 minutes in the morning and better with movement, or did it start before you were 45 and last over 3 months?", urgency: .routine),
    ]

    public static func question(_ id: String) -> Question? { questions.first { $0.id == id } }

    /// Every question answered "no".
    public static var allClear: [String: Bool] { Dictionary(uniqueKeysWithValues: questions.map { ($0.id, false) }) }

    /// What the answers mean.
    public static func assess(_ answers: [String: Bool]?) -> ScreenResult {
        guard let answers else {
            return ScreenResult(status: .notDone, positive: [], unanswered: questions.map(\.id), urgency: nil, advice: nil)
        }
        let positive = questions.filter { answers[$0.id] == true }
        let unanswered = questions.filter { answers[$0.id] == nil }.map(\.id)
        if let worst = positive.map(\.urgency).max() {
            return ScreenResult(status: .redFlag, positive: positive.map(\.id), unanswered: unanswered, urgency: worst, advice: worst.advice)
        }
        return ScreenResult(status: unanswered.isEmpty ? .clear : .incomplete, positive: [], unanswered: unanswered,
                            urgency: nil, advice: nil)
    }
}

/// The outcome of the red-flag screen, as every plan reports it.
public struct ScreenResult: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// Every question answered "no".
        case clear
        /// Not asked (scripts, batch lines without `screen`): the plan says so.
        case notDone = "not_done"
        /// Some questions unanswered, none "yes".
        case incomplete
        /// A "yes": nothing is planned.
        case redFlag = "red_flag"
    }
    public let status: Status
    /// The question ids answered "yes".
    public let positive: [String]
    public let unanswered: [String]
    public let urgency: RedFlagScreen.Urgency?
    public let advice: String?

    // Every key always present (null when not applicable), as in the rest of the plan document.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(positive, forKey: .positive)
        try c.encode(unanswered, forKey: .unanswered)
        try c.encode(urgency, forKey: .urgency)
        try c.encode(advice, forKey: .advice)
    }

    /// The plan's words about the screen, or nil when it was clear.
    public var note: String? {
        switch status {
        case .clear: nil
        case .notDone: "The red-flag screen was not done. Run `relief screen` first (or give \"screen\" in a profile or request): some back pain needs a doctor, not exercises."
        case .incomplete: "The red-flag screen is incomplete: \(unanswered.count) question\(unanswered.count == 1 ? "" : "s") unanswered (\(unanswered.joined(separator: ", ")))."
        case .redFlag: advice
        }
    }
}
