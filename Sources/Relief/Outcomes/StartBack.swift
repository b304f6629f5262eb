/// The Keele STarT Back Screening Tool (Hill et al., Arthritis Rheum 2008;59:632): nine items
/// about the last two weeks; scored as published, it sorts a person into low, medium or high
/// risk of persistent disabling back pain.
///
/// Items 1-8: agree scores 1, disagree 0. Item 9 (how bothersome the back pain has been):
/// not at all, slightly, moderately score 0; very much, extremely score 1. Total 0-9: 3 or less
/// is low risk; 4 or more, the psychosocial subscale (items 5-9, 0-5) decides: 3 or less medium,
/// 4 or more high.
///
/// © Keele University. The tool is free to use with its copyright and funding statement kept
/// (Keele University, part-funded by Arthritis Research UK); incorporating it in a commercial
/// product needs Keele's advice (README, "Licences"). Relief ships each item's topic, not the
/// validated wording: ask the items with Keele's form.
public struct StartBack: Sendable, Hashable, Codable {
    /// How bothersome the back pain has been in the last two weeks (item 9).
    public enum Bothersome: Int, Sendable, Hashable, Codable, CaseIterable {
        case notAtAll = 0, slightly, moderately, veryMuch, extremely

        public var key: String {
            switch self {
            case .notAtAll: "not-at-all"
            case .slightly: "slightly"
            case .moderately: "moderately"
            case .veryMuch: "very-much"
            case .extremely: "extremely"
            }
        }
        /// Its score: very much and extremely count 1.
        public var score: Int { rawValue >= Bothersome.veryMuch.rawValue ? 1 : 0 }
        public init?(key text: String) {
            if let n = Int(text), let b = Bothersome(rawValue: n) { self = b; return }
            guard let b = Self.allCases.first(where: { $0.key == text }) else { return nil }
            self = b
        }
        public static var keys: String { allCases.map { "\($0.rawValue) \($0.key)" }.joined(separator: ", ") }
    }

    /// The risk groups.
    public enum Group: String, Sendable, Hashable, Codable, CaseIterable {
        case low, medium, high

        /// What NICE NG59 gives each group (1.1.2: stratify at first contact, e.g. with STarT
        /// Back; 1.1.3: simpler, less intensive support for those likely to improve quickly,
        /// more complex and intensive support for those at higher risk), with the matched care
        /// of the STarT Back trial (Hill et al., Lancet 2011;378:1560).
        public var care: String {
            switch self {
            case .low:
                "low risk: support self-management: advice and reassurance that back pain usually improves, staying active and returning to normal activities, this programme (NICE NG59 1.1.3 and its advice on self-management; STarT Back trial: one session of advice and reassurance)"
            case .medium:
                "medium risk: physiotherapy-led exercise and advice to stay active, this programme with a physiotherapist's support (NICE NG59 1.1.3 and its exercise programmes; STarT Back trial: physiotherapy)"
            case .high:
                "high risk: psychologically informed care: a combined physical and psychological programme with a cognitive behavioural approach; consider referral to a clinician who provides it, and an early review (NICE NG59 1.1.3 and its combined physical and psychological programmes; STarT Back trial: psychologically informed physiotherapy)"
            }
        }
    }

    /// Items 1-8 (true: agree).
    public let agree: [Bool]
    public let bothersome: Bothersome

    public static let itemCount = 9

    /// Each item's topic (not the validated wording: see Keele's form).
    public static let topics = [
        "1 back pain has spread down the leg(s)",
        "2 pain in the shoulder or neck as well",
        "3 walked only short distances because of the back pain",
        "4 dressed more slowly than usual because of the back pain",
        "5 not really safe to be physically active with a condition like mine (fear)",
        "6 worrying thoughts a lot of the time (worry)",
        "7 the back pain feels terrible and as if it will never get better (catastrophising)",
        "8 not enjoying the things I used to enjoy (low mood)",
        "9 how bothersome the back pain has been (not at all, slightly, moderately, very much, extremely)",
    ]

    public init(agree: [Bool], bothersome: Bothersome) {
        self.agree = agree
        self.bothersome = bothersome
    }

    /// From the nine answers as numbers: items 1-8 0 (disagree) or 1 (agree), item 9 0-4
    /// (not at all ... extremely). Every problem, naming its item.
    public static func read(_ answers: [Int]) -> Result<StartBack, MeasureErrors> {
        guard answers.count == itemCount else {
            return .failure(MeasureErrors([MeasureProblem(field: "startback", item: nil, value: "\(answers.count) answers",
                                                         expected: "\(itemCount) answers: items 1-8 0 or 1, item 9 0-4")]))
        }
        var problems: [MeasureProblem] = []
        for (k, a) in answers.prefix(8).enumerated() where a != 0 && a != 1 {
            problems.append(MeasureProblem(field: "startback", item: k + 1, value: "\(a)", expected: "0 (disagree) or 1 (agree)"))
        }
        guard let b = Bothersome(rawValue: answers[8]) else {
            problems.append(MeasureProblem(field: "startback", item: 9, value: "\(answers[8])", expected: "0-4 (\(Bothersome.keys))"))
            return .failure(MeasureErrors(problems))
        }
        if !problems.isEmpty { return .failure(MeasureErrors(problems)) }
        return .success(StartBack(agree: answers.prefix(8).map { $0 == 1 }, bothersome: b))
    }

    /// The answers as the log writes them: items 1-8 0/1, item 9 0-4.
    public var answers: [Int] { agree.map { $0 ? 1 : 0 } + [bothersome.rawValue] }

    /// Items 1-9 scored (item 9: 1 for very much or extremely).
    public var itemScores: [Int] { agree.map { $0 ? 1 : 0 } + [bothersome.score] }
    /// The total, 0-9.
    public var total: Int { itemScores.reduce(0, +) }
    /// The psychosocial subscale, items 5-9, 0-5.
    public var psychosocial: Int { itemScores[4...].reduce(0, +) }

    public var group: Group {
        total <= 3 ? .low : psychosocial <= 3 ? .medium : .high
    }

    /// "total 5/9, psychosocial 4/5: high risk".
    public var shown: String { "total \(total)/9, psychosocial subscale \(psychosocial)/5: \(group.rawValue) risk" }
}

/// Several problems with one questionnaire's answers.
public struct MeasureErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public let problems: [MeasureProblem]
    public init(_ problems: [MeasureProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "; ") }
}
