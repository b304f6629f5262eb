import Foundation

/// The outcome measures Relief scores (README, "Outcome measures"): each as its manual scores it.
///
/// Named `OutcomeMeasure` (not `Outcome`): ``OutcomeLog`` in Tuning is the tuner's own record.
public enum OutcomeMeasure: String, Sendable, Hashable, Codable, CaseIterable {
    /// Numeric pain rating scale, 0-10 (0 no pain, 10 the worst imaginable).
    case nprs
    /// Roland-Morris Disability Questionnaire, 24 yes/no items, score 0-24 (Roland & Morris 1983).
    case rmdq
    /// Oswestry Disability Index v2.1a, 10 sections 0-5, score 0-100 (Fairbank & Pynsent 2000).
    case odi
    /// Patient-Specific Functional Scale: 1-5 activities the person names, each 0-10 (Stratford et al. 1995).
    case psfs
    /// Patient's Global Impression of Change, 7 points (Farrar et al. 2001; Guy 1976).
    case pgic

    /// The short name a clinician reads.
    public var name: String {
        switch self {
        case .nprs: "NPRS"
        case .rmdq: "RMDQ"
        case .odi: "ODI"
        case .psfs: "PSFS"
        case .pgic: "PGIC"
        }
    }

    /// What it measures, in words.
    public var words: String {
        switch self {
        case .nprs: "pain, 0-10"
        case .rmdq: "disability, Roland-Morris 0-24"
        case .odi: "disability, Oswestry 0-100 %"
        case .psfs: "the activities you named, 0-10 (10: as before the back pain)"
        case .pgic: "your impression of change since the start"
        }
    }

    /// Whether a higher score is better (PSFS) or worse (NPRS, RMDQ, ODI). PGIC has no score to compare.
    public var higherIsBetter: Bool { self == .psfs }
}

/// A problem with one answer, naming the measure, the item (1-based) when there is one, the
/// value and what was expected: "rmdq item 7: expected 0 (no) or 1 (yes), got 2".
public struct MeasureProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The measure's key as the log spells it (`rmdq`, `startback`).
    public let field: String
    /// The item (1-based), or nil for the whole measure (its count of items).
    public let item: Int?
    public let value: String
    public let expected: String

    public init(field: String, item: Int?, value: String, expected: String) {
        self.field = field; self.item = item; self.value = value; self.expected = expected
    }

    public var description: String {
        (item.map { "\(field) item \($0)" } ?? field) + ": expected \(expected), got \(value)"
    }
}

/// One activity of a PSFS: what the person named and how well they can do it now (0 unable,
/// 10 as before the back pain).
public struct PSFSActivity: Sendable, Hashable, Codable {
    public let activity: String
    public let score: Double
    public init(activity: String, score: Double) { self.activity = activity; self.score = score }
}

/// The 7-point PGIC as Farrar et al. (Pain 2001;94:149) asked it: since the start, is your
/// condition very much improved ... very much worse. "Much improved" and "very much improved"
/// are the answers Farrar et al. took as a clinically important improvement (they matched a
/// 30 % / 2-point fall in 0-10 pain); "much worse" and "very much worse" are read the same way
/// the other side (Relief's symmetric reading).
public enum PGICAnswer: Int, Sendable, Hashable, Codable, CaseIterable {
    case veryMuchImproved = 1, muchImproved, minimallyImproved, noChange, minimallyWorse, muchWorse, veryMuchWorse

    /// The answer as the log and `relief log` spell it.
    public var key: String {
        switch self {
        case .veryMuchImproved: "very-much-improved"
        case .muchImproved: "much-improved"
        case .minimallyImproved: "minimally-improved"
        case .noChange: "no-change"
        case .minimallyWorse: "minimally-worse"
        case .muchWorse: "much-worse"
        case .veryMuchWorse: "very-much-worse"
        }
    }

    public var words: String { key.replacingOccurrences(of: "-", with: " ") }

    /// From its key or its number (1 very much improved ... 7 very much worse).
    public init?(key text: String) {
        if let n = Int(text), let a = PGICAnswer(rawValue: n) { self = a; return }
        guard let a = Self.allCases.first(where: { $0.key == text }) else { return nil }
        self = a
    }

    public static var keys: String { allCases.map { "\($0.rawValue) \($0.key)" }.joined(separator: ", ") }
}

/// What a person answered on one day: any of the measures (at least one).
public struct OutcomeAnswers: Sendable, Hashable, Codable {
    /// 0-10, whole numbers (the 11-point scale).
    public var nprs: Double?
    /// The 24 RMDQ items in order: true for "yes, this applies to me today".
    public var rmdq: [Bool]?
    /// The 10 ODI sections in order, each 0-5, nil for a section skipped. Only the section
    /// scores are kept: the ODI's text is licensed (README, "Licences").
    public var odi: [Int?]?
    public var psfs: [PSFSActivity]?
    public var pgic: PGICAnswer?

    public init(nprs: Double? = nil, rmdq: [Bool]? = nil, odi: [Int?]? = nil, psfs: [PSFSActivity]? = nil, pgic: PGICAnswer? = nil) {
        self.nprs = nprs; self.rmdq = rmdq; self.odi = odi; self.psfs = psfs; self.pgic = pgic
    }

    public var isEmpty: Bool { nprs == nil && rmdq == nil && odi == nil && psfs == nil && pgic == nil }

    /// The measures answered, in ``OutcomeMeasure`` order.
    public var measures: [OutcomeMeasure] {
        OutcomeMeasure.allCases.filter { m in
            switch m {
            case .nprs: nprs != nil
            case .rmdq: rmdq != nil
            case .odi: odi != nil
            case .psfs: psfs != nil
            case .pgic: pgic != nil
            }
        }
    }

    /// Every answer outside its range (item counts, values), in measure then item order.
    public func problems() -> [MeasureProblem] {
        var out: [MeasureProblem] = []
        if let nprs, !(0...10).contains(nprs) || nprs.rounded() != nprs {
            out.append(MeasureProblem(field: "nprs", item: nil, value: formatAmount(nprs), expected: "a whole number from 0 to 10"))
        }
        if let rmdq, rmdq.count != OutcomeScoring.rmdqItems {
            out.append(MeasureProblem(field: "rmdq", item: nil, value: "\(rmdq.count) items",
                                      expected: "\(OutcomeScoring.rmdqItems) items, one for each statement in order"))
        }
        if let odi {
            if odi.count != OutcomeScoring.odiSections {
                out.append(MeasureProblem(field: "odi", item: nil, value: "\(odi.count) sections",
                                          expected: "\(OutcomeScoring.odiSections) sections in order (a skipped one as -)"))
            } else {
                for (k, s) in odi.enumerated() {
                    if let s, !(0...5).contains(s) {
                        out.append(MeasureProblem(field: "odi", item: k + 1, value: "\(s)", expected: "a section score from 0 to 5, or skipped"))
                    }
                }
                let skipped = odi.filter { $0 == nil }.count
                if skipped > OutcomeScoring.odiMostSkipped {
                    out.append(MeasureProblem(field: "odi", item: nil, value: "\(skipped) sections skipped",
                                              expected: "at most \(OutcomeScoring.odiMostSkipped) skipped (at least \(OutcomeScoring.odiSections - OutcomeScoring.odiMostSkipped) of 10 answered)"))
                }
            }
        }
        if let psfs {
            if !(1...OutcomeScoring.psfsMostActivities).contains(psfs.count) {
                out.append(MeasureProblem(field: "psfs", item: nil, value: "\(psfs.count) activities", expected: "1 to \(OutcomeScoring.psfsMostActivities) activities"))
            }
            for (k, a) in psfs.enumerated() {
                if a.activity.trimmingCharacters(in: .whitespaces).isEmpty {
                    out.append(MeasureProblem(field: "psfs", item: k + 1, value: "an empty activity", expected: "the activity's name, e.g. bending"))
                }
                if !(0...10).contains(a.score) || a.score.rounded() != a.score {
                    out.append(MeasureProblem(field: "psfs", item: k + 1, value: formatAmount(a.score), expected: "a whole number from 0 (unable) to 10 (as before)"))
                }
            }
            var seen: Set<String> = []
            for (k, a) in psfs.enumerated() where !seen.insert(a.activity.lowercased()).inserted {
                out.append(MeasureProblem(field: "psfs", item: k + 1, value: "\"\(a.activity)\" again", expected: "each activity once"))
            }
        }
        return out
    }

    /// The scores, in ``measures`` order; the first problem throws.
    public func scores() throws(MeasureProblem) -> [MeasureScore] {
        if let p = problems().first { throw p }
        var out: [MeasureScore] = []
        if let nprs { out.append(try OutcomeScoring.nprs(nprs)) }
        if let rmdq { out.append(try OutcomeScoring.rmdq(rmdq)) }
        if let odi { out.append(try OutcomeScoring.odi(odi)) }
        if let psfs { out.append(try OutcomeScoring.psfs(psfs)) }
        if let pgic { out.append(OutcomeScoring.pgic(pgic)) }
        return out
    }
}

/// A measure's score with how it was reached ("14 of 24 statements", "16 of 45: 9 sections").
public struct MeasureScore: Sendable, Hashable, Codable {
    public let measure: OutcomeMeasure
    /// The score on the measure's scale (PGIC: its answer's number, 1-7).
    public let value: Double
    public let detail: String
    public init(measure: OutcomeMeasure, value: Double, detail: String) {
        self.measure = measure; self.value = value; self.detail = detail
    }

    /// "RMDQ 14/24", "ODI 35.6 %", "PGIC much improved".
    public var shown: String {
        switch measure {
        case .nprs: "NPRS \(formatAmount(value))/10"
        case .rmdq: "RMDQ \(formatAmount(value))/24"
        case .odi: "ODI \(formatAmount((value * 10).rounded() / 10)) %"
        case .psfs: "PSFS \(formatAmount((value * 100).rounded() / 100))/10"
        case .pgic: "PGIC \(PGICAnswer(rawValue: Int(value))?.words ?? formatAmount(value))"
        }
    }
}

/// Each measure's scoring as its manual gives it.
public enum OutcomeScoring {
    public static let rmdqItems = 24
    public static let odiSections = 10
    /// The ODI sections that may be skipped and still give a score: Fairbank & Pynsent (Spine
    /// 2000;25:2940) divide by 5 × the sections answered (their example: one section missed,
    /// 16/45 = 35.6 %); they give no limit, so Relief sets one: at most 2 skipped, 8 of 10 answered.
    public static let odiMostSkipped = 2
    public static let psfsMostActivities = 5

    /// NPRS: the number itself, 0-10.
    public static func nprs(_ x: Double) throws(MeasureProblem) -> MeasureScore {
        if let p = OutcomeAnswers(nprs: x).problems().first { throw p }
        return MeasureScore(measure: .nprs, value: x, detail: "\(formatAmount(x)) of 10")
    }

    /// RMDQ: the count of statements answered yes (Roland & Morris, Spine 1983;8:141), 0-24.
    public static func rmdq(_ items: [Bool]) throws(MeasureProblem) -> MeasureScore {
        if let p = OutcomeAnswers(rmdq: items).problems().first { throw p }
        let yes = items.filter { $0 }.count
        return MeasureScore(measure: .rmdq, value: Double(yes), detail: "\(yes) of \(rmdqItems) statements apply")
    }

    /// ODI v2.1a: sum of the sections answered / (5 × sections answered) × 100.
    public static func odi(_ sections: [Int?]) throws(MeasureProblem) -> MeasureScore {
        if let p = OutcomeAnswers(odi: sections).problems().first { throw p }
        let answered = sections.compactMap { $0 }
        let sum = answered.reduce(0, +), possible = 5 * answered.count
        let skipped = sections.count - answered.count
        return MeasureScore(measure: .odi, value: Double(sum) / Double(possible) * 100,
                            detail: "\(sum) of \(possible)" + (skipped == 0 ? "" : " (\(skipped) section\(skipped == 1 ? "" : "s") skipped)"))
    }

    /// PSFS: the mean of the activities' scores (Stratford et al., Physiother Can 1995;47:258).
    public static func psfs(_ activities: [PSFSActivity]) throws(MeasureProblem) -> MeasureScore {
        if let p = OutcomeAnswers(psfs: activities).problems().first { throw p }
        let mean = activities.reduce(0) { $0 + $1.score } / Double(activities.count)
        return MeasureScore(measure: .psfs, value: mean,
                            detail: activities.map { "\($0.activity) \(formatAmount($0.score))" }.joined(separator: ", "))
    }

    /// PGIC: the answer (1 very much improved ... 7 very much worse).
    public static func pgic(_ a: PGICAnswer) -> MeasureScore {
        MeasureScore(measure: .pgic, value: Double(a.rawValue), detail: a.words)
    }
}
