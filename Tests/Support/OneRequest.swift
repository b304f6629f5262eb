import Relief

/// One request written in the words of every entry point (flags, a profile, a batch line, an
/// HTTP body, the page's form, a programme file), with the ``PlanRequest`` each must give,
/// written out by hand, field by field: the one request reader's tests feed it through all of them.
public struct OneRequest: Sendable {
    /// `relief plan`'s flags for it (without `--screen`: ``screen`` is written to a file).
    public let flags: [String]
    /// The request as a JSON object: a profile's, a batch line's, an HTTP body's, a programme
    /// file's keys (a profile adds a name).
    public let json: String
    /// The page's form body, when the form can say it (it has no minimums, shares or includes).
    public let form: String?
    /// The screen answers, as the file `relief screen --out` writes and `--screen` reads.
    public let screenFile: String
    /// What every entry point must give, `explain` as the command line, profiles and the API
    /// default to (true); batch lines and programme files default to false.
    public let expected: PlanRequest

    /// The value a batch line or programme file gives: `expected` without explanations.
    public var unexplained: PlanRequest {
        var r = expected
        r.explain = false
        return r
    }

    /// Every screen answer "no" but the ones in `yes`, as JSON.
    static func screenJSON(yes: Set<String>) -> String {
        "{" + RedFlagScreen.questions.map { "\"\($0.id)\": \(yes.contains($0.id))" }.joined(separator: ", ") + "}"
    }

    /// What the page's form can say: minutes, a condition, equipment, an exclusion and the
    /// screen with one question ticked yes (night pain, which only advises).
    public static let everyEntryPoint: OneRequest = {
        var r = PlanRequest()
        r.budgetSeconds = 12 * 60
        r.conditions = ["flexion-intolerant"]
        r.equipment = ["foam roller"]
        r.excluded = ["cat-camel"]
        var answers: [String: Bool] = [:]
        for q in RedFlagScreen.questions { answers[q.id] = q.id == "night-pain" }
        r.screen = answers
        let screen = screenJSON(yes: ["night-pain"])
        return OneRequest(
            flags: ["--minutes", "12", "--avoid", "Flexion-Intolerant", "--equipment", "Foam Roller", "--exclude", "cat-camel"],
            json: #"{"minutes": 12, "conditions": ["Flexion-Intolerant"], "equipment": ["Foam Roller"], "exclude": ["cat-camel"], "screen": \#(screen)}"#,
            form: "minutes=12&condition=flexion-intolerant&equipment=foam+roller&exclude=cat-camel&screen_done=yes&flag=night-pain",
            screenFile: screen, expected: r)
    }()

    /// Every other field a request has, through every entry point but the form: minimums,
    /// both shares, a cap, an include, any equipment, a time limit, a clear screen.
    public static let everyField: OneRequest = {
        var r = PlanRequest()
        r.budgetSeconds = 25 * 60
        r.minimums = ["trigger": 16]
        r.maxShare = 0.6
        r.maxExercises = 8
        r.conditions = ["radicular-pain"]
        r.excluded = ["cat-camel"]
        r.included = ["sciatic-slider"]
        r.equipment = nil
        r.strengthShare = 0.3
        r.timeLimit = 20
        var answers: [String: Bool] = [:]
        for q in RedFlagScreen.questions { answers[q.id] = false }
        r.screen = answers
        return OneRequest(
            flags: ["--minutes", "25", "--min", "trigger=16", "--max-share", "0.6", "--max-exercises", "8", "--avoid", "radicular-pain",
                    "--exclude", "cat-camel", "--include", "sciatic-slider", "--equipment", "none, any", "--strength-share", "0.3",
                    "--time-limit", "20"],
            json: #"{"minutes": 25, "minimums": {"trigger": 16}, "max_share": 0.6, "max_exercises": 8, "conditions": ["radicular-pain"], "exclude": ["cat-camel"], "include": ["sciatic-slider"], "equipment": ["none", "any"], "strength_share": 0.3, "time_limit": 20, "screen": "clear"}"#,
            form: nil, screenFile: screenJSON(yes: []), expected: r)
    }()
}
