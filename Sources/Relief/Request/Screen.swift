/// The red-flag screen asked before any plan, and the symptoms a person can log during a
/// programme: signs that back pain needs a clinician, not a routine.
///
/// One table, ``rules``, gives every finding that matters: a question (or logged symptom) on
/// its own, or a combination of them (a cancer history with new night pain; fever with
/// immunosuppression), with its tier and its source. The README's "Red flags" table is this
/// table. Findings of the tiers that block (``Urgency/blocks``) plan nothing until the person
/// has been seen; routine findings (single low-specificity flags, the inflammatory features of
/// NICE NG65) are advice shown at the top of the plan, and exercise goes on: most single red
/// flags have high false-positive rates (Downie et al., BMJ 2013;347:f7095), and the IFOMPT
/// framework (Finucane et al., JOSPT 2020;50(7):350) weighs them in combination.
public enum RedFlagScreen {
    /// How soon to see someone: the tiers the screen and the log share.
    public enum Urgency: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
        /// Book a routine review with a GP or physiotherapist; exercise goes on.
        case routine
        /// See a GP within 24-48 hours, before (re)starting the exercises.
        case soon = "within_48h"
        /// Be assessed today (within 24 hours).
        case sameDay = "same_day"
        /// An emergency department now (not later today).
        case emergency

        var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
        public static func < (a: Urgency, b: Urgency) -> Bool { a.rank < b.rank }

        /// Whether nothing is planned (and a programme's sessions stop) until a clinician has
        /// seen the person.
        public var blocks: Bool { self >= .soon }

        /// The tier in a few words, for headings.
        public var words: String {
            switch self {
            case .emergency: "emergency: go to an emergency department now"
            case .sameDay: "same day: be assessed today"
            case .soon: "within 24-48 hours: see your GP"
            case .routine: "routine: mention it to your GP or physiotherapist"
            }
        }

        /// What a person with a symptom of this tier does, in the words of every page that
        /// lists symptoms (a plan's and a handout's "New symptoms", the page after a symptom is
        /// logged). An emergency is "now": "today" reads as "later today" (fourth
        /// physiotherapist read; GIRFT 2023: an emergency department immediately).
        public var action: String {
            switch self {
            case .emergency: "Go to an emergency department now, or call an ambulance (999 or 112)"
            case .sameDay: "Stop the exercises and be assessed today"
            case .soon: "Stop the exercises and see your GP within 24-48 hours"
            case .routine: "Tell whoever set up your programme, and mention it to your GP or physiotherapist; the exercises can go on"
            }
        }
    }

    public struct Question: Sendable, Hashable {
        public let id: String
        public let text: String
        /// The tier of a "yes" on its own (``rules``), for lists of the questions.
        public var urgency: Urgency { RedFlagScreen.rules.first { $0.all == [id] }?.urgency ?? .routine }
        /// Asked only when this question was answered yes (NICE NG65's features after its
        /// entry criterion); otherwise its answer may be left out.
        public let followUpOf: String?
        init(id: String, text: String, followUpOf: String? = nil) {
            self.id = id
            self.text = text
            self.followUpOf = followUpOf
        }
    }

    /// The questions, in the order they are asked.
    public static let questions: [Question] = [
        Question(id: "saddle-numbness", text: "Do you have numbness or tingling around your back passage, genitals or inner thighs (the saddle area)?"),
        Question(id: "bladder-bowel", text: "Have you had new difficulty passing urine, loss of bladder or bowel control, or new sexual problems?"),
        Question(id: "both-legs", text: "Do you have pain, numbness or weakness in both legs?"),
        Question(id: "progressive-weakness", text: "Is a leg or foot getting weaker (tripping, a foot that slaps down)?"),
        Question(id: "fever", text: "Do you have a fever or chills, or feel generally unwell, with the back pain?"),
        Question(id: "weight-loss", text: "Have you lost weight without trying?"),
        Question(id: "cancer-history", text: "Have you ever had cancer?"),
        Question(id: "night-pain", text: "Is the pain constant, or there at night, and unchanged whether you move or rest?"),
        Question(id: "trauma", text: "Did the pain start after a significant injury: a road accident, a fall from a height or down stairs, or a blow to the back?"),
        Question(id: "fall", text: "Did the pain start after a fall, even a small one from standing height, or a knock to the back?"),
        Question(id: "osteoporosis-sudden-pain", text: "Do you have osteoporosis (thin bones) and sudden new back pain?"),
        Question(id: "steroids-immunosuppression", text: "Do you take steroid tablets long term or drugs that lower your immunity, or inject drugs?"),
        Question(id: "new-pain-age", text: "Is this new back pain, and are you under 20 or over 50?"),
        Question(id: "upper-back-pain", text: "Is the pain mainly in your upper or middle back, between the shoulder blades?"),
        Question(id: "inflammatory", text: "Has your back pain lasted more than 3 months, and did it start before you were 45?"),
        // NICE NG65 1.1.1, asked after a yes to its entry criterion.
        Question(id: "spa-onset-under-35", text: "Did the back pain start before you were 35?", followUpOf: "inflammatory"),
        Question(id: "spa-night-waking", text: "Does it wake you in the second half of the night?", followUpOf: "inflammatory"),
        Question(id: "spa-buttock-pain", text: "Do you have pain in the buttocks?", followUpOf: "inflammatory"),
        Question(id: "spa-better-moving", text: "Does it get better when you move about?", followUpOf: "inflammatory"),
        Question(id: "spa-nsaid", text: "Does it get better within 48 hours of taking anti-inflammatory painkillers (such as ibuprofen)?", followUpOf: "inflammatory"),
        Question(id: "spa-family", text: "Does a parent, brother, sister or child have spondyloarthritis (such as ankylosing spondylitis)?", followUpOf: "inflammatory"),
        Question(id: "spa-arthritis", text: "Have you now or ever had arthritis (swollen, painful joints)?", followUpOf: "inflammatory"),
        Question(id: "spa-enthesitis", text: "Have you now or ever had enthesitis (pain where a tendon meets bone, such as the heel)?", followUpOf: "inflammatory"),
        Question(id: "spa-psoriasis", text: "Have you now or ever had psoriasis?", followUpOf: "inflammatory"),
    ]

    /// NICE NG65's further features of axial spondyloarthritis.
    static let spaFeatures = questions.filter { $0.followUpOf == "inflammatory" }.map(\.id)

    /// A fall (the screen's question and the log's symptom), and a fact that is not a
    /// question: the person's osteoporosis condition tag.
    public static let fallFact = "fall", osteoporosisFact = "condition:osteoporosis"

    /// One row of the red-flag table: when every fact of `all` holds (and at least `count` of
    /// `some`), the finding applies, at this tier, with this advice, from this source.
    public struct Rule: Sendable, Hashable {
        public let id: String
        public let all: [String]
        public let some: [String]
        public let count: Int
        public let urgency: Urgency
        public let advice: String
        public let source: String
        init(_ id: String, _ all: [String], some: [String] = [], count: Int = 0, _ urgency: Urgency, _ advice: String, source: String) {
            self.id = id
            self.all = all
            self.some = some
            self.count = count
            self.urgency = urgency
            self.advice = advice
            self.source = source
        }

        func matches(_ facts: Set<String>) -> Bool {
            all.allSatisfy(facts.contains) && some.filter(facts.contains).count >= count
        }
    }

    static let caudaEquina = "These can be signs of cauda equina syndrome, pressure on the nerves at the base of the spine. Go to an emergency department now, or call an ambulance (999 or 112); do not wait to see if it settles. Do not do the exercises."
    /// The fall advice with osteoporosis: the emergency tier (the banner of the osteoporosis
    /// pathway says the same, ``ConditionPathway``).
    static let fallWithOsteoporosis = "A fall with osteoporosis can break a bone, even a small fall. Get it checked for a fracture now: go to an emergency department, or call an ambulance (999 or 112) if you cannot get up or put weight on a leg; do not do the exercises."
    /// Sudden severe back pain after a minor strain, with or without a fall, in someone with
    /// fragile bones: a vertebral fragility fracture until shown otherwise (NICE CKS).
    static let suddenPainWithOsteoporosis = "Sudden severe back pain after a minor strain (a lift, a cough, a bend), with or without a fall, can be a fracture in the spine when bones are fragile. Be seen by a doctor the same day (your GP, urgent care or NHS 111); do not do the exercises until then."
    /// A fall that caused no injury: no fracture check, but a falls-risk check, and the
    /// exercises, balance training above all, go on (NICE NG249).
    static let fallWithoutInjury = "A fall that did not hurt you: tell your GP or physiotherapist within days, so they can check your risk of falling. The exercises, balance training above all, can go on."
    /// Night pain that no position eases, on its own: not a reason to stop, but a GP within a
    /// week, sooner with the features that make a serious cause likelier (fifth physiotherapist
    /// read, WRONG 3: it must not rank below weight loss and fever). The "New symptoms" block
    /// gives it this line of its own (``LogEntry/Symptom/ownAction``).
    static let nightPainAction = "See your GP within a week, and within 24-48 hours if you are over 50, have had cancer, or also have a fever or weight loss you cannot explain"
    static let nightPainAdvice = "Pain at night that no position eases, or constant pain: " + ConditionPathway.lowercasedFirst(nightPainAction) + ". Exercise gently until then; stop and see someone sooner if it keeps getting worse."
    static let nightPainAtRisk = "Pain at night that no position eases, or constant pain, over 50 or with thin bones needs checking for a serious cause. Stop the exercises and see your GP within 24-48 hours."
    static let girft = "GIRFT national suspected cauda equina pathway (2023); NICE NG59"
    static let oncology = "With a history of cancer, this can be a sign of cancer spreading to the spine. Contact your cancer team's acute oncology service (or your GP, or NHS 111) today, within 24 hours; go to an emergency department at once if you also get numbness, weakness or bladder or bowel changes. Do not do the exercises until you have been seen."

    /// The red-flag table, most urgent first (README, "Red flags").
    public static let rules: [Rule] = [
        Rule("cauda-equina-saddle", ["saddle-numbness"], .emergency, caudaEquina, source: girft),
        Rule("cauda-equina-sphincter", ["bladder-bowel"], .emergency, caudaEquina, source: girft),
        Rule("cauda-equina-both-legs", ["both-legs"], .emergency, caudaEquina, source: girft),
        Rule("progressive-weakness", ["progressive-weakness"], .emergency,
             "A leg or foot getting weaker is a progressive nerve problem. Go to an emergency department now; do not do the exercises.", source: girft),
        Rule("significant-trauma", ["trauma"], .emergency,
             "Back pain after a significant injury needs checking for a fracture. Go to an emergency department now; do not do the exercises.",
             source: "NICE NG41 (spinal injury: assessment and initial management)"),
        Rule("cannot-bear-weight", ["cannot-bear-weight"], .emergency,
             "Being unable to put weight on a leg after a fall can be a broken hip or leg, at any age. Go to an emergency department now, or call an ambulance (999 or 112); do not do the exercises.",
             source: "NICE NG41 (a fall that leaves the person unable to put weight on a leg)"),
        Rule("fall-osteoporosis", [fallFact, osteoporosisFact], .emergency,
             fallWithOsteoporosis,
             source: "NICE NG41; Royal Osteoporosis Society, Too Fit To Fracture (2019)"),
        Rule("fall-osteoporosis-screen", [fallFact, "osteoporosis-sudden-pain"], .emergency,
             fallWithOsteoporosis,
             source: "NICE NG41; Royal Osteoporosis Society, Too Fit To Fracture (2019)"),
        Rule("fall-steroids", [fallFact, "steroids-immunosuppression"], .emergency,
             "A fall while taking steroids long term can break a bone. Get it checked for a fracture now: go to an emergency department, or call an ambulance (999 or 112) if you cannot get up or put weight on a leg; do not do the exercises.",
             source: "NICE NG41; NICE CKS low back pain (red flags)"),
        Rule("spinal-infection", ["fever", "steroids-immunosuppression"], .sameDay,
             "A fever with lowered immunity (or injecting drugs) can be a sign of an infection in the spine. Be assessed today: call your GP or NHS 111 now. Do not do the exercises.",
             source: "NICE CKS low back pain without radiculopathy (red flags: spinal infection)"),
        Rule("mscc-night-pain", ["cancer-history", "night-pain"], .sameDay, oncology, source: "NICE NG234 (spinal metastases and metastatic spinal cord compression, 2023)"),
        Rule("mscc-upper-back", ["cancer-history", "upper-back-pain"], .sameDay, oncology, source: "NICE NG234"),
        Rule("mscc-weight-loss", ["cancer-history", "weight-loss"], .sameDay, oncology, source: "NICE NG234"),
        Rule("osteoporotic-fracture", ["osteoporosis-sudden-pain"], .sameDay,
             suddenPainWithOsteoporosis,
             source: "Royal Osteoporosis Society, Too Fit To Fracture (2019); NICE CKS low back pain (red flags for fracture)"),
        Rule("sudden-back-pain-osteoporosis", ["sudden-back-pain", osteoporosisFact], .sameDay, suddenPainWithOsteoporosis,
             source: "NICE CKS low back pain (red flags for fracture); Royal Osteoporosis Society, Too Fit To Fracture (2019)"),
        Rule("sudden-back-pain-osteoporosis-screen", ["sudden-back-pain", "osteoporosis-sudden-pain"], .sameDay, suddenPainWithOsteoporosis,
             source: "NICE CKS low back pain (red flags for fracture); Royal Osteoporosis Society, Too Fit To Fracture (2019)"),
        Rule("sudden-back-pain-steroids", ["sudden-back-pain", "steroids-immunosuppression"], .sameDay, suddenPainWithOsteoporosis,
             source: "NICE CKS low back pain (red flags for fracture: long-term steroids)"),
        Rule("fall", [fallFact], .sameDay,
             "After a fall or knock that hurt your back, get checked today (your GP, urgent care or NHS 111) before any exercise.",
             source: "NICE NG41"),
        Rule("night-pain-over-50", ["night-pain", "new-pain-age"], .soon, nightPainAtRisk,
             source: "NICE CKS low back pain (red flags: age over 50 with pain at night or at rest)"),
        Rule("night-pain-osteoporosis", ["night-pain", osteoporosisFact], .soon, nightPainAtRisk,
             source: "NICE CKS low back pain (red flags); Royal Osteoporosis Society, Too Fit To Fracture (2019)"),
        Rule("fever", ["fever"], .soon,
             "A fever or feeling unwell with back pain needs checking for an infection. See your GP within 24-48 hours, before doing the exercises (at once if it gets worse).",
             source: "NICE CKS low back pain (red flags)"),
        Rule("weight-loss", ["weight-loss"], .soon,
             "Losing weight without trying, with back pain, needs checking. See your GP within 24-48 hours, before doing the exercises.",
             source: "NICE NG59; NICE CKS low back pain (red flags)"),
        Rule("cancer-history", ["cancer-history"], .soon,
             "With a history of cancer, new back pain should be checked by your GP or cancer team within 24-48 hours before you start exercises (today if it is severe, at night or getting worse).",
             source: "NICE NG234; Downie et al., BMJ 2013 (a history of cancer is the red flag that most raises the chance of a serious cause)"),
        Rule("leg-pain", ["leg-pain"], .soon,
             "Pain spreading down the leg: stop the exercises and see your GP or physiotherapist within 24-48 hours (now, in an emergency department, if a leg or foot gets weaker, or both legs, the saddle area or your bladder or bowel are affected).",
             source: "NICE NG59 (sciatica); the stop rules"),
        Rule("pins-and-needles", ["pins-and-needles"], .soon,
             "New pins and needles: stop the exercises and see your GP or physiotherapist within 24-48 hours (now, in an emergency department, if a leg or foot gets weaker, or both legs, the saddle area or your bladder or bowel are affected).",
             source: "NICE NG59 (sciatica); the stop rules"),
        Rule("numbness", ["numbness"], .soon,
             "New or spreading numbness: stop the exercises and see your GP or physiotherapist within 24-48 hours (now, in an emergency department, if a leg or foot gets weaker, or both legs, the saddle area or your bladder or bowel are affected).",
             source: "NICE NG59 (sciatica); the stop rules"),
        Rule("axial-spa-referral", ["inflammatory"], some: spaFeatures, count: 4, .routine,
             "Back pain for over 3 months that started before 45, with 4 or more features of axial spondyloarthritis: ask your GP for a referral to a rheumatologist. Keep exercising: it helps this condition too.",
             source: "NICE NG65 1.1.1 (refer to rheumatology with 4 or more features)"),
        Rule("axial-spa-test", ["inflammatory"], some: spaFeatures, count: 3, .routine,
             "Back pain for over 3 months that started before 45, with 3 features of axial spondyloarthritis: ask your GP about an HLA-B27 blood test. Keep exercising.",
             source: "NICE NG65 1.1.2 (3 features: HLA-B27 test)"),
        Rule("inflammatory", ["inflammatory"], .routine,
             "Back pain for over 3 months that started before 45 is NICE's first question for axial spondyloarthritis. On its own it is common; mention it to your GP if you also have the features asked about. Exercise is recommended.",
             source: "NICE NG65 1.1.1 (entry criterion); NICE NG59 (exercise for low back pain)"),
        Rule("night-pain", ["night-pain"], .routine, nightPainAdvice,
             source: "Downie et al., BMJ 2013; Finucane et al. (IFOMPT), JOSPT 2020; NICE CKS low back pain (red flags)"),
        Rule("steroids-immunosuppression", ["steroids-immunosuppression"], .routine,
             "Long-term steroids or lowered immunity: the exercises are fine, but get checked the same day for a fever, a fall or sudden new pain.",
             source: "Downie et al., BMJ 2013; Finucane et al. (IFOMPT), JOSPT 2020"),
        Rule("new-pain-age", ["new-pain-age"], .routine,
             "New back pain under 20 or over 50 is usually not serious on its own. The exercises are fine; see your GP if it is not improving within a few weeks or other symptoms appear.",
             source: "Downie et al., BMJ 2013 (age alone has a high false-positive rate); Finucane et al. (IFOMPT), JOSPT 2020"),
        Rule("fall-no-injury", ["fall-no-injury"], .routine, fallWithoutInjury,
             source: "NICE NG249 (falls: assessment and prevention, 2025)"),
        Rule("sudden-back-pain", ["sudden-back-pain"], .routine,
             "Sudden back pain after a lift, a cough or a bend is usually a strain that settles. Keep moving gently; see your GP if it is severe, not easing within a few days or comes with other symptoms.",
             source: "NICE NG59; NICE CKS low back pain"),
        Rule("upper-back-pain", ["upper-back-pain"], .routine,
             "Pain mainly in the upper or middle back is usually muscular. The exercises are fine; see your GP if it is constant, at night or comes with other symptoms.",
             source: "Finucane et al. (IFOMPT), JOSPT 2020; NICE CKS low back pain"),
    ]

    public static func question(_ id: String) -> Question? { questions.first { $0.id == id } }

    /// Every question answered "no".
    public static var allClear: [String: Bool] { Dictionary(uniqueKeysWithValues: questions.map { ($0.id, false) }) }

    /// The one reader of screen answers written as JSON, an object of question id → true/false,
    /// wherever they come from (a request's `screen`, the file `relief screen --out` writes, the
    /// API's `answers`); `field` names them in problems. An unknown id is a problem here unless
    /// `checkingIDs` is false (a request checks its ids with its other fields, in
    /// ``PlanRequest/validate(against:)``).
    public static func answers(_ node: JSONNode, field: String, checkingIDs: Bool = true) -> ([String: Bool], [RequestProblem]) {
        guard case .object(let pairs) = node.value else {
            return ([:], [RequestProblem(field: field, value: node.shown, expected: "an object of question id → true/false",
                                         line: node.line, column: node.column)])
        }
        var answers: [String: Bool] = [:]
        var problems: [RequestProblem] = []
        for p in pairs {
            if checkingIDs && question(p.key) == nil {
                var unknown = unknownQuestion(p.key, field: field)
                unknown.line = p.value.line
                unknown.column = p.value.column
                problems.append(unknown)
            } else if case .bool(let b) = p.value.value {
                answers[p.key] = b
            } else {
                problems.append(RequestProblem(field: "\(field).\(p.key)", value: p.value.shown, expected: "true or false",
                                               line: p.value.line, column: p.value.column))
            }
        }
        return (answers, problems)
    }

    /// The problem of an answer to no question: `id` under `field`.
    static func unknownQuestion(_ id: String, field: String) -> RequestProblem {
        RequestProblem(field: field, value: "\"\(id)\"", expected: "a screen question id, one of \(questions.map(\.id).joined(separator: ", "))")
    }

    /// The findings of some facts, most urgent first; a finding whose facts a more urgent one
    /// already covers (cancer history alone, beside cancer with night pain) is left out.
    static func findings(_ facts: Set<String>) -> [ScreenFinding] {
        var out: [ScreenFinding] = []
        for rule in rules where rule.matches(facts) {
            let used = Set(rule.all + rule.some.filter(facts.contains))
            if out.contains(where: { used.isSubset(of: Set($0.facts)) && $0.urgency >= rule.urgency }) { continue }
            out.append(ScreenFinding(rule: rule, facts: rule.all + rule.some.filter(facts.contains)))
        }
        return out.sorted { $0.urgency > $1.urgency }
    }

    /// What the answers mean. `conditions`: the person's condition tags (osteoporosis makes a
    /// fall an emergency).
    public static func assess(_ answers: [String: Bool]?, conditions: Set<String> = []) -> ScreenResult {
        guard let answers else {
            return ScreenResult(status: .notDone, positive: [], unanswered: questions.filter { $0.followUpOf == nil }.map(\.id),
                                findings: [])
        }
        let positive = questions.filter { answers[$0.id] == true }.map(\.id)
        let unanswered = questions.filter { q in
            answers[q.id] == nil && (q.followUpOf.map { answers[$0] == true } ?? true)
        }.map(\.id)
        var facts = Set(positive)
        if conditions.contains("osteoporosis") { facts.insert(osteoporosisFact) }
        let found = findings(facts)
        let status: ScreenResult.Status = found.contains { $0.urgency.blocks } ? .redFlag
            : !found.isEmpty ? .advice : unanswered.isEmpty ? .clear : .incomplete
        return ScreenResult(status: status, positive: positive, unanswered: unanswered, findings: found)
    }

    /// What a symptom logged on a programme means, read with the person's screen answers and
    /// conditions (a fever with immunosuppression is same-day; a fall with osteoporosis an
    /// emergency): the most urgent finding that involves the symptom.
    public static func assess(symptom: LogEntry.Symptom, answers: [String: Bool]?, conditions: Set<String>) -> ScreenFinding {
        var facts = Set((answers ?? [:]).filter(\.value).map(\.key))
        if conditions.contains("osteoporosis") { facts.insert(osteoporosisFact) }
        facts.insert(symptom.fact)
        // The screen's own "yes" answers were already judged before the programme began:
        // only findings that involve the symptom count.
        let own = rules.filter { $0.matches(facts) && ($0.all + $0.some).contains(symptom.fact) }
        let rule = own.max { $0.urgency < $1.urgency } ?? rules.first { $0.all == [symptom.fact] } ?? rules[0]
        return ScreenFinding(rule: rule, facts: rule.all + rule.some.filter(facts.contains))
    }
}

/// One line of the "New symptoms" block every plan and handout ends with: what to do, and the
/// symptoms that call for it (``RedFlagScreen/symptomTiers(answers:conditions:)``).
public struct SymptomTier: Sendable, Hashable, Codable {
    public let urgency: RedFlagScreen.Urgency
    public let symptoms: [LogEntry.Symptom]
    /// What to do: the tier's ``RedFlagScreen/Urgency/action``, or a symptom's own
    /// (``LogEntry/Symptom/ownAction``).
    public let action: String

    /// The line as a person reads it: "Go to an emergency department now, ...: a leg or foot
    /// getting weaker; ...".
    public var line: String { "\(action): \(symptoms.map(\.plainWords).joined(separator: "; "))." }

    public init(urgency: RedFlagScreen.Urgency, symptoms: [LogEntry.Symptom], action: String? = nil) {
        self.urgency = urgency
        self.symptoms = symptoms
        self.action = action ?? urgency.action
    }

    enum CodingKeys: String, CodingKey { case urgency, symptoms, action }

    // The symptoms by their ids, as the log writes them.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        urgency = try c.decode(RedFlagScreen.Urgency.self, forKey: .urgency)
        symptoms = try c.decode([String].self, forKey: .symptoms).map { code in
            guard let s = LogEntry.Symptom(rawValue: code) else {
                throw DecodingError.dataCorruptedError(forKey: .symptoms, in: c, debugDescription: "expected one of \(LogEntry.Symptom.names), got \"\(code)\"")
            }
            return s
        }
        action = try c.decodeIfPresent(String.self, forKey: .action) ?? urgency.action
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(urgency, forKey: .urgency)
        try c.encode(symptoms.map(\.rawValue), forKey: .symptoms)
        try c.encode(action, forKey: .action)
    }
}

extension RedFlagScreen {
    /// Every symptom a person can note, in plain words, under the tier the red-flag table gives
    /// it for these answers and conditions (``assess(symptom:answers:conditions:)``), most urgent
    /// first: a cauda equina sign is an emergency, leg pain with radicular pain is not. The one
    /// source of the "New symptoms" block of plans and handouts alike. A fall without injury
    /// and sudden back pain after a strain are listed only where they mean something more
    /// (osteoporosis, long-term steroids, no floor: a person at risk of falls and fractures).
    public static func symptomTiers(answers: [String: Bool]?, conditions: Set<String>) -> [SymptomTier] {
        var tiers: [Urgency: [LogEntry.Symptom]] = [:]
        var own: [SymptomTier] = []
        for symptom in LogEntry.Symptom.allCases where symptom != .weakness {
            let tier = assess(symptom: symptom, answers: answers, conditions: conditions).urgency
            switch symptom {
            case .suddenBackPain where tier == .routine: continue
            case .fallNoInjury where !conditions.contains("osteoporosis") && !conditions.contains("no-floor")
                && answers?["steroids-immunosuppression"] != true && answers?["osteoporosis-sudden-pain"] != true: continue
            default: break
            }
            if tier == .routine, let action = symptom.ownAction {
                own.append(SymptomTier(urgency: tier, symptoms: [symptom], action: action))
                continue
            }
            tiers[tier, default: []].append(symptom)
        }
        return Urgency.allCases.reversed().flatMap { tier in
            (tier == .routine ? own : []) + (tiers[tier].map { [SymptomTier(urgency: tier, symptoms: $0)] } ?? [])
        }
    }
}

/// One finding of the red-flag table: the rule, the facts that met it, its tier, advice and
/// source.
public struct ScreenFinding: Sendable, Hashable, Codable {
    public let rule: String
    public let facts: [String]
    public let urgency: RedFlagScreen.Urgency
    public let blocks: Bool
    public let advice: String
    public let source: String

    init(rule: RedFlagScreen.Rule, facts: [String]) {
        self.rule = rule.id
        self.facts = facts
        urgency = rule.urgency
        blocks = rule.urgency.blocks
        advice = rule.advice
        source = rule.source
    }
}

/// The outcome of the red-flag screen, as every plan reports it.
public struct ScreenResult: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// Every question answered "no".
        case clear
        /// Not asked (scripts, batch lines without `screen`): the plan says so at its top.
        case notDone = "not_done"
        /// Some questions unanswered, none "yes".
        case incomplete
        /// Only findings that advise (a routine review): the plan goes on, the advice first.
        case advice
        /// A finding that blocks: nothing is planned.
        case redFlag = "red_flag"
    }
    public let status: Status
    /// The question ids answered "yes".
    public let positive: [String]
    public let unanswered: [String]
    /// The red-flag table's findings, most urgent first.
    public let findings: [ScreenFinding]
    /// The most urgent finding's tier and advice; nil with no finding.
    public var urgency: RedFlagScreen.Urgency? { findings.first?.urgency }
    public var advice: String? { findings.first?.advice }

    public init(status: Status, positive: [String], unanswered: [String], findings: [ScreenFinding]) {
        self.status = status
        self.positive = positive
        self.unanswered = unanswered
        self.findings = findings
    }

    enum CodingKeys: String, CodingKey { case status, positive, unanswered, urgency, advice, findings }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(Status.self, forKey: .status)
        positive = try c.decode([String].self, forKey: .positive)
        unanswered = try c.decode([String].self, forKey: .unanswered)
        findings = try c.decodeIfPresent([ScreenFinding].self, forKey: .findings) ?? []
    }

    // Every key always present (null when not applicable), as in the rest of the plan document.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(positive, forKey: .positive)
        try c.encode(unanswered, forKey: .unanswered)
        try c.encode(urgency, forKey: .urgency)
        try c.encode(advice, forKey: .advice)
        try c.encode(findings, forKey: .findings)
    }

    /// The plan's words about the screen, shown at its top; nil when it was clear.
    public var note: String? {
        switch status {
        case .clear: nil
        case .notDone: "The red-flag screen was not done, so this plan is UNSCREENED. Run `relief screen` first (or give \"screen\" in a profile or request): some back pain needs a doctor, not exercises."
        case .incomplete: "The red-flag screen is incomplete: \(unanswered.count) question\(unanswered.count == 1 ? "" : "s") unanswered (\(unanswered.joined(separator: ", ")))."
        case .advice, .redFlag: findings.map { "\($0.advice) (\($0.urgency.words); \($0.source))" }.joined(separator: " ")
        }
    }
}
