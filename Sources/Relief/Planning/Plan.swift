/// What the planner concluded.
public enum PlanStatus: String, Sendable, Hashable, Codable {
    /// The shortest routine meeting every minimum within the budget, proven by GLPK.
    case optimal
    /// A routine meeting every minimum within the budget, not proven shortest (see `gap`).
    case feasible
    /// A result: the routine fits the budget but the budget is too short for every cause's
    /// full minimum, so `exercises` works on each cause as evenly as that time allows.
    case partial
    /// A failure: the budget is shorter than any usable exercise, so nothing can be done in it.
    case overBudget = "over_budget"
    /// Some cause cannot reach its minimum with the exercises left after exclusions.
    case uncoverable
    /// The time limit ran out before any routine was found.
    case noSolution = "no_solution"
    /// The red-flag screen found a sign that needs a doctor: nothing is planned.
    case redFlag = "red_flag"
}

/// One exercise of a routine, in the order to do it.
public struct PlannedExercise: Sendable, Hashable, Codable {
    public let order: Int
    public let id: String
    public let name: String
    public let modality: Modality
    public let unit: String
    public let dose: String
    public let units: Double
    /// Time for this exercise: units × seconds per unit + setup.
    public let seconds: Double
    public let setupSeconds: Double
    /// Time from the start of the routine to the end of this exercise.
    public let runningSeconds: Double
    /// Points this exercise gives each cause (by cause id).
    public let coverage: [String: Double]
    public let instructions: String
    /// 2 when the dose is done on each side.
    public var sides: Int = 1
    /// Rest after each set, in seconds (included in `seconds`).
    public var restSeconds: Double = 0
    /// When to stop, for everyone.
    public var stopIf: String = ""
    /// Cues for the conditions this person has.
    public var cautions: [Caution] = []
    public var position: Position? = nil
    public var warmUp: Bool = false
    /// The exercise's muscle group (``Exercise/group``): balance is not strengthening.
    public var group: String? = nil

    /// Whether its sets count as strengthening (``Exercise/strengthens``).
    public var strengthens: Bool { modality == .strengthen && group != Exercise.balanceGroup }
}

/// What a person in a flare reads first, in a plan and in a flare week's handout: staying
/// active is the treatment in the acute phase, and specific exercise is no better (NICE NG59
/// 1.2; sources.md `acute-phase`). One source of the words for both (fourth physiotherapist
/// read, WRONG 5).
public enum FlareAdvice {
    public static let settles = "flares are common and usually settle within days to a few weeks."
    public static let keepMoving = "Keep moving through the day as far as the pain allows: short, easy walks through the day and your normal activities help a flare settle more than rest does."
    /// The plan's paragraph.
    public static let plan = "You are in a flare: " + settles + " This session is short and gentle, and some exercises wait until it settles; it is enough for now. " + keepMoving
    /// The handout's paragraph for a flare week; `span`: "week 1", "weeks 1-2".
    public static func week(_ span: String) -> String {
        "This is a flare week (\(span)): " + settles + " The sessions are short and gentle, some exercises wait until it settles, and the programme builds again after it. " + keepMoving
    }
}

/// What one more piece of equipment would save.
public struct EquipmentSaving: Sendable, Hashable, Codable {
    public let equipment: String
    /// Seconds shorter the shortest routine would be with it.
    public let secondsSaved: Double

    public init(equipment: String, secondsSaved: Double) {
        self.equipment = equipment
        self.secondsSaved = secondsSaved
    }
}

/// The rules every session ends with: what is normal, and when to stop and get advice
/// (Smith et al., BJSM 2017;51:1679 on pain during exercise; NICE NG59; the clinical review).
/// Weakness is not "get advice": a leg or foot getting weaker, and symptoms in both legs, are
/// signs of cauda equina syndrome, an emergency now (GIRFT 2023; the red-flag table says the
/// same, fourth physiotherapist read, WRONG 1). New pins and needles has one rule, the one of
/// the nerve exercises' cues and of "New symptoms" (fifth read, WRONG 6).
public let stopRules = [
    "Mild discomfort during or after the exercises that settles within a few hours is normal and safe: sore does not mean harm. Keep going, gently.",
    "A brief tingle that goes at once: ease the range and carry on. Tingling or numbness that is new and lasts after the session, or pain spreading further down a leg: stop that exercise and see your GP or physiotherapist within 24-48 hours.",
    "Stop and get advice if the pain has not settled back to your usual level by the next morning.",
    "Go to an emergency department now if a leg or foot is getting weaker, or for symptoms in both legs, numbness in the saddle area or new bladder or bowel problems.",
]

/// How well a routine covers one cause.
public struct CauseCoverage: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let achieved: Double
    public let minimum: Double
    /// Whether `achieved ≥ minimum`.
    public let met: Bool
}

/// An exercise left out, and every reason why.
public struct Exclusion: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let reasons: [String]
    /// Whether a plan lists it: a standing or sitting variant for people with other
    /// conditions (``Exercise/onlyFor``) is not "left out" for anyone else, whatever else it
    /// would need.
    /// A harder step of a ladder is not "left out" either: it comes later (``Plan/notes`` say so).
    public var shown: Bool { !reasons.contains { $0.hasPrefix(Exclusion.variantPrefix) || $0.hasPrefix(Exclusion.harderPrefix) } }
    static let variantPrefix = "a variant for "

    /// Why an exercise is left out for a condition, in words the person reads (the condition's
    /// id in brackets, so a physiotherapist and a script can match it). `why`: what the
    /// exercise itself does (the catalogue's `avoid_why`), in place of the condition's general
    /// words, which fit some of its exercises and not others.
    static func unsafe(_ condition: String, why: String? = nil) -> String {
        if let why, !why.isEmpty { return "\(why), left out with \(condition.replacingOccurrences(of: "-", with: " ")) (\(condition))" }
        return switch condition {
        case "pregnancy": "unsafe with pregnancy (lying on the back or front: ACOG Committee Opinion 804)"
        case "no-floor": "done on the floor, which you cannot get down to (no-floor)"
        case "acute-flare": "too much during a flare, for now (acute-flare)"
        case "anticoagulants": "firm pressure can bruise with blood thinners (anticoagulants)"
        case "recent-spinal-surgery": "not soon after spinal surgery unless your surgeon says so (recent-spinal-surgery)"
        case "osteoporosis": "loaded bending, twisting or rolling on the spine, left out with osteoporosis (osteoporosis)"
        case "knee-pain": "weight through painful knees (knee-pain)"
        case "wrist-pain": "weight through painful wrists (wrist-pain)"
        case "flexion-intolerant": "bends the back forwards, which hurts you for now (flexion-intolerant)"
        case "extension-intolerant": "bends the back backwards, which hurts you for now (extension-intolerant)"
        case "radicular-pain": "can irritate a nerve that gives pain down the leg (radicular-pain)"
        default: "unsafe with \(condition)"
        }
    }
    static let harderPrefix = "a harder step of the "
}

/// A cause the usable exercises cannot cover, and what took its exercises away.
public struct UncoverableCause: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let minimum: Double
    /// The most coverage the usable exercises can give it.
    public let reachable: Double
    public let reason: String
    /// Exercises that would cover it but were excluded.
    public let removedBy: [String]

    public init(id: String, name: String, minimum: Double, reachable: Double, reason: String, removedBy: [String]) {
        self.id = id
        self.name = name
        self.minimum = minimum
        self.reachable = reachable
        self.reason = reason
        self.removedBy = removedBy
    }
}

/// The price of one more point of a cause's minimum.
public struct MarginalCost: Sendable, Hashable, Codable {
    public let cause: String
    /// Extra seconds the shortest routine needs; nil when one more point cannot be had.
    public let secondsPerPoint: Double?
    public let note: String?
}

/// Why the routine is shaped the way it is.
/// A limit of the request that holds with equality at the routine: what stops it being shorter.
public enum BindingLimit: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The time budget.
    case budget
    /// A cause's minimum coverage.
    case causeMinimum(cause: String)
    /// The blend rule: the exercise gives its full share of the cause's minimum.
    case blend(exercise: String, cause: String)
    /// The exercise is at the most units it may have.
    case maxUnits(exercise: String)
    /// The cap on the number of different exercises.
    case maxExercises
    /// The least share of time on strengthening.
    case strengthShare

    /// The limit as plans write it: `budget`, `cause:ID`, `blend:EXERCISE:CAUSE`,
    /// `max_units:EXERCISE`, `max_exercises`, `strength_share`.
    public var description: String {
        switch self {
        case .budget: "budget"
        case .causeMinimum(let cause): "cause:\(cause)"
        case .blend(let exercise, let cause): "blend:\(exercise):\(cause)"
        case .maxUnits(let exercise): "max_units:\(exercise)"
        case .maxExercises: "max_exercises"
        case .strengthShare: "strength_share"
        }
    }

    /// Reads ``description``'s form back (ids never contain `:`).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("budget", 1): self = .budget
        case ("cause", 2): self = .causeMinimum(cause: parts[1])
        case ("blend", 3): self = .blend(exercise: parts[1], cause: parts[2])
        case ("max_units", 2): self = .maxUnits(exercise: parts[1])
        case ("max_exercises", 1): self = .maxExercises
        case ("strength_share", 1): self = .strengthShare
        default: return nil
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let limit = BindingLimit(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a binding limit: \(text)")
        }
        self = limit
    }
}

public struct Explanation: Sendable, Hashable, Codable {
    /// The limits that hold with equality at the routine.
    public let binding: [BindingLimit]
    /// How the marginal costs were computed.
    public let method: String
    public let marginalCosts: [MarginalCost]
}

/// A routine and everything known about it.
public struct Plan: Sendable, Hashable, Codable {
    public let status: PlanStatus
    public let totalSeconds: Double
    public let budgetSeconds: Double?
    /// When partial or over budget: the shortest routine that meets every minimum takes this long.
    public let minimumSecondsNeeded: Double?
    /// When not proven optimal: GLPK's relative gap between the routine and the best bound.
    public let gap: Double?
    public let coverage: [CauseCoverage]
    public let exercises: [PlannedExercise]
    public let excluded: [Exclusion]
    public let uncoverable: [UncoverableCause]
    public var explanation: Explanation?
    public var notes: [String]
    /// The red-flag screen's outcome.
    public var screen: ScreenResult = RedFlagScreen.assess(nil)
    /// Why the exercises come in this order.
    public var orderReason: String? = nil
    /// Equipment the person did not list that would make the routine shorter.
    public var equipmentSavings: [EquipmentSaving] = []
    /// The condition pathways' notes (``ConditionPathway``), shown at the top.
    public var pathways: [String] = []
    /// Each focus that applied (``Focus``): McGill's three, a region, balance, a direction.
    public var focus: [FocusCoverage] = []
    /// The "New symptoms" block, as the programme's handouts give it
    /// (``RedFlagScreen/symptomTiers(answers:conditions:)``).
    public var newSymptoms: [SymptomTier] = []
    /// What a person in a flare is told first (``flareAdvice``); nil when not in a flare.
    public var flareAdvice: String? = nil

    /// The flare's note among ``notes`` (for the JSON's readers); the text formats give
    /// ``flareAdvice`` at the top instead.
    public static let flareNote = "in a flare, keep moving through the day: short, easy walks and normal activity as far as pain allows help more than rest (NICE NG59); the session is gentle movement, and the trunk endurance holds (McGill's curl-up, side bridge and bird dog) wait until the flare settles"

    func with(explanation: Explanation) -> Plan {
        var plan = self
        plan.explanation = explanation
        return plan
    }

    /// Whether the plan meets the request: every minimum within the budget.
    public var meetsRequest: Bool { status == .optimal || status == .feasible }

    /// Whether the plan is a routine to do: one that meets the request, or a partial one that
    /// fits the time (exit status 0 for the command).
    public var isRoutine: Bool { meetsRequest || status == .partial }

}
