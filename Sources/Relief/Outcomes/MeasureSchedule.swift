/// Which questionnaires are due when across a programme (README, "Outcome measures").
///
/// - Week 1 (baseline): STarT Back (NICE NG59 1.1.2: stratify at the first contact), pain
///   (NPRS), function (RMDQ, or ODI when the baseline was an ODI) and the PSFS.
/// - Every 4 weeks (weeks 4, 8, ...) and in the last week: NPRS, the function measure, PSFS and
///   PGIC (PGIC only at follow-ups: it rates the change since the start). Four weeks is near the
///   trials' first follow-ups (STarT Back's 4 months is longer; selfBACK's 6 weeks) and short
///   enough for a programme of 6-12 weeks to see two.
/// - High risk on STarT Back: a clinician's review in week 2. NG59 1.1.3 asks for more complex
///   and intensive support at higher risk and sets no week; week 2 is Relief's choice, so the
///   psychologically informed care it may lead to starts early.
public struct MeasureSchedule: Sendable, Hashable, Codable {
    public enum Item: String, Sendable, Hashable, Codable, CaseIterable {
        case startBack = "startback", nprs, rmdq, odi, psfs, pgic
        case clinicianReview = "clinician_review"

        public var words: String {
            switch self {
            case .startBack: "STarT Back"
            case .nprs: "NPRS"
            case .rmdq: "RMDQ"
            case .odi: "ODI"
            case .psfs: "PSFS"
            case .pgic: "PGIC"
            case .clinicianReview: "a clinician's review (STarT Back high risk)"
            }
        }

        /// The questionnaire as a person's handout names it.
        public var plainWords: String {
            switch self {
            case .startBack: "how your back has affected you in the last 2 weeks (STarT Back)"
            case .nprs: "your pain, 0-10"
            case .rmdq: "what your back stops you doing today (Roland-Morris)"
            case .odi: "what your back stops you doing (Oswestry)"
            case .psfs: "the activities you named, 0-10"
            case .pgic: "how much you have changed since the start"
            case .clinicianReview: "a talk with a clinician"
            }
        }
    }

    public enum Purpose: String, Sendable, Hashable, Codable {
        case baseline, followUp = "follow_up", end, review
    }

    public struct Visit: Sendable, Hashable, Codable {
        public let week: Int
        public let purpose: Purpose
        public let items: [Item]
    }

    public static let followUpEvery = 4
    public static let highRiskReviewWeek = 2

    public let weeks: Int
    public let functionMeasure: OutcomeMeasure
    public let group: StartBack.Group?
    public let visits: [Visit]

    public init(weeks: Int, functionMeasure: OutcomeMeasure = .rmdq, group: StartBack.Group? = nil) {
        self.weeks = weeks
        self.functionMeasure = functionMeasure
        self.group = group
        let fn: Item = functionMeasure == .odi ? .odi : .rmdq
        var visits = [Visit(week: 1, purpose: .baseline, items: [.startBack, .nprs, fn, .psfs])]
        if group == .high && weeks >= Self.highRiskReviewWeek {
            visits.append(Visit(week: Self.highRiskReviewWeek, purpose: .review, items: [.clinicianReview]))
        }
        let followUp: [Item] = [.nprs, fn, .psfs, .pgic]
        for w in stride(from: Self.followUpEvery, to: weeks, by: Self.followUpEvery) where w > 1 {
            visits.append(Visit(week: w, purpose: .followUp, items: followUp))
        }
        if weeks > 1 { visits.append(Visit(week: weeks, purpose: .end, items: followUp)) }
        self.visits = visits.sorted { ($0.week, $0.purpose == .review ? 1 : 0) < ($1.week, $1.purpose == .review ? 1 : 0) }
    }

    /// What is due in week `w`, in order.
    public func due(week w: Int) -> [Item] { visits.filter { $0.week == w }.flatMap(\.items) }

    /// "baseline: STarT Back, NPRS, RMDQ, PSFS", or nil with nothing due.
    public func dueText(week w: Int) -> String? {
        let vs = visits.filter { $0.week == w }
        guard !vs.isEmpty else { return nil }
        return vs.map { v in
            let what: String
            switch v.purpose {
            case .baseline: what = "baseline"
            case .followUp: what = "follow-up"
            case .end: what = "end of the programme"
            case .review: what = "review"
            }
            return "\(what): " + v.items.map(\.words).joined(separator: ", ")
        }.joined(separator: "; ")
    }
}
