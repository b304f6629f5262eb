import Relief

/// The code systems and URLs the export writes, each exactly as its publisher spells it.
public enum FHIRSystems {
    public static let snomed = "http://snomed.info/sct"
    public static let loinc = "http://loinc.org"
    public static let ucum = "http://unitsofmeasure.org"
    public static let observationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
    /// Relief's own codes (catalogue exercise ids, logged symptoms). No terminology server
    /// knows them, so `.invalid` (RFC 2606) says they are local; each has its text beside it.
    public static let reliefExercise = "https://relief.invalid/fhir/CodeSystem/exercise"
    public static let reliefSymptom = "https://relief.invalid/fhir/CodeSystem/log-symptom"

    /// A namespace of one's own for identifiers (a clinic's patient references): `urn:uuid:`
    /// and the name-based UUID of `name`, the same for the same name.
    public static func namespace(_ name: String) -> String { "urn:uuid:" + nameBasedUUID(name) }
}

/// A code from a code system.
public struct FHIRCoding: Sendable, Hashable {
    public var system: String
    public var code: String
    public var display: String?
    public init(system: String, code: String, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }

    /// SNOMED CT 229065009 |Exercise therapy (regime/therapy)|, the code the HL7 US Physical
    /// Activity IG gives an exercise prescription's ServiceRequest.
    public static let exerciseTherapy = FHIRCoding(system: FHIRSystems.snomed, code: "229065009", display: "Exercise therapy")
    /// LOINC 72514-3, the 0-10 numeric pain rating the person reports (NPRS).
    public static let painSeverity = FHIRCoding(system: FHIRSystems.loinc, code: "72514-3",
                                                display: "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
}

/// An identifier of the patient: pseudonymous (a clinic's chart code, Relief's own id), never
/// a name.
public struct FHIRIdentifier: Sendable, Hashable {
    /// The namespace the value is unique in (a URI); nil when the caller has none.
    public var system: String?
    public var value: String
    public init(system: String? = nil, value: String) {
        self.system = system
        self.value = value
    }
}

/// A pain the person reported on the 0-10 scale: an Observation coded LOINC 72514-3.
public struct FHIRPainReport: Sendable, Hashable {
    public enum Context: String, Sendable, Hashable, CaseIterable {
        case morning, beforeSession = "before-session", afterSession = "after-session",
             /// A day's pain with no more said (the clinic's patient page logs one a day).
             day
        var words: String {
            switch self {
            case .morning: "Morning pain (0-10)"
            case .beforeSession: "Pain before the session (0-10)"
            case .afterSession: "Pain after the session (0-10)"
            case .day: "Pain (0-10)"
            }
        }
    }
    public var date: CalendarDate
    public var pain: Double
    public var context: Context
    /// What names this report among the log's, for its stable id (a log line's date and
    /// context, a stored entry's id).
    public var key: String
    public init(date: CalendarDate, pain: Double, context: Context, key: String) {
        self.date = date
        self.pain = pain
        self.context = context
        self.key = key
    }
}

/// A symptom the person logged: an Observation whose code is the symptom (Relief's own code,
/// with its words) and whose value is `true`, present.
public struct FHIRSymptomReport: Sendable, Hashable {
    public var date: CalendarDate
    public var symptom: LogEntry.Symptom
    public var key: String
    public init(date: CalendarDate, symptom: LogEntry.Symptom, key: String) {
        self.date = date
        self.symptom = symptom
        self.key = key
    }
}

/// A scored outcome measure (RMDQ, ODI, PSFS, PGIC, STarT Back, ...): one more Observation
/// (the score) and, with its answers, the QuestionnaireResponse it was scored from, which the
/// Observation names in `derivedFrom`. The questionnaires' scoring lives elsewhere
/// (Sources/Relief/Outcomes); a scored result becomes one of these through
/// ``FHIROutcomeConvertible``.
public struct FHIROutcomeScore: Sendable, Hashable {
    /// One answer of the response, by the questionnaire item's `linkId`.
    public struct Answer: Sendable, Hashable {
        public enum Value: Sendable, Hashable {
            case integer(Int), decimal(Double), string(String), coding(FHIRCoding), boolean(Bool)
        }
        public var linkId: String
        public var text: String?
        public var value: Value
        public init(linkId: String, text: String? = nil, value: Value) {
            self.linkId = linkId
            self.text = text
            self.value = value
        }
    }
    public var date: CalendarDate
    /// What the score is: a LOINC code where one exists, else a code of the instrument's own
    /// canonical system (no LOINC code for RMDQ or STarT Back was found; clinic notes).
    public var code: FHIRCoding
    /// The measure's name, e.g. "Roland-Morris Disability Questionnaire score".
    public var title: String
    public var score: Double
    /// UCUM; `{score}` for a questionnaire's points, `%` for ODI's percentage.
    public var unit: String
    /// The Questionnaire's canonical URL, when the instrument has one.
    public var questionnaire: String?
    /// The answers; none: no QuestionnaireResponse is written.
    public var answers: [Answer]
    /// What the score means against its minimal important change, in words ("meaningfully
    /// better than at baseline").
    public var interpretation: String?
    /// Names this score among the patient's (the measure and its date, a stored id).
    public var key: String

    public init(date: CalendarDate, code: FHIRCoding, title: String, score: Double, unit: String = "{score}",
                questionnaire: String? = nil, answers: [Answer] = [], interpretation: String? = nil, key: String) {
        self.date = date
        self.code = code
        self.title = title
        self.score = score
        self.unit = unit
        self.questionnaire = questionnaire
        self.answers = answers
        self.interpretation = interpretation
        self.key = key
    }
}

/// A scored measure that knows its FHIR form: the seam the outcome measures plug into.
public protocol FHIROutcomeConvertible {
    var fhirOutcome: FHIROutcomeScore { get }
}

/// What a FHIR export holds: the patient, their programme (nil: none published yet) and what
/// they reported. Build it with ``init(patient:programme:log:)`` from a programme's log, or
/// field by field (the clinic's stored logs).
public struct FHIRExport: Sendable {
    public var identifiers: [FHIRIdentifier]
    /// The person's name, only when the caller gives one.
    public var name: String?
    public var programme: Programme?
    public var pains: [FHIRPainReport]
    public var symptoms: [FHIRSymptomReport]
    public var outcomes: [FHIROutcomeScore]
    /// When the programme was prescribed (a FHIR dateTime), only when it is a recorded fact
    /// (a prescription's publication): never the clock's time, so an export is reproducible.
    public var authoredOn: String?

    public init(identifiers: [FHIRIdentifier], name: String? = nil, programme: Programme?, pains: [FHIRPainReport] = [],
                symptoms: [FHIRSymptomReport] = [], outcomes: [FHIROutcomeScore] = [], authoredOn: String? = nil) {
        self.identifiers = identifiers
        self.name = name
        self.programme = programme
        self.pains = pains
        self.symptoms = symptoms
        self.outcomes = outcomes
        self.authoredOn = authoredOn
    }

    /// A programme and its log (`relief programme --replan FILE`): each session's pain before
    /// and after, each morning's pain, each symptom, and each outcome measure and STarT Back
    /// screen (``FHIROutcomeScore/scores(of:settings:)``). A skipped session, effort and a
    /// clinician's clearance are not exported (no published code carries them).
    public init(identifiers: [FHIRIdentifier], name: String? = nil, programme: Programme, log: ProgrammeLog?) {
        var pains: [FHIRPainReport] = [], symptoms: [FHIRSymptomReport] = []
        for e in log?.entries ?? [] {
            switch e.fact {
            case let .session(_, before, after, _):
                if let before { pains.append(FHIRPainReport(date: e.date, pain: before, context: .beforeSession, key: "\(e.date)/before-session")) }
                if let after { pains.append(FHIRPainReport(date: e.date, pain: after, context: .afterSession, key: "\(e.date)/after-session")) }
            case .morning(let pain):
                pains.append(FHIRPainReport(date: e.date, pain: pain, context: .morning, key: "\(e.date)/morning"))
            case .symptom(let s):
                symptoms.append(FHIRSymptomReport(date: e.date, symptom: s, key: "\(e.date)/\(s.rawValue)/line-\(e.line)"))
            case .cleared:
                break
            case .outcome, .startBack:
                break   // below, scored with their baselines
            }
        }
        let outcomes = log.map { FHIROutcomeScore.scores(of: $0.entries, settings: programme.settings) } ?? []
        self.init(identifiers: identifiers, name: name, programme: programme, pains: pains, symptoms: symptoms, outcomes: outcomes)
    }

    /// The Bundle as JSON (two spaces a level, sorted keys) with a final newline.
    public func jsonText() throws -> String {
        try JSONWriter.indented.text(FHIRBundleWriter(self).bundle()) + "\n"
    }
}

/// Writes an export as a Bundle of type `collection`.
///
/// Why `collection` and not `document`: a document Bundle must open with a Composition and
/// carry an identifier and a `timestamp` (R4 Bundle invariants bdl-9, bdl-10, bdl-11), an
/// attested, signed-off record of one moment. The export is a set of resources handed over
/// for the receiver to file, and the same programme and log must give the same bytes, which a
/// timestamp of the export would break. `collection` has neither requirement.
///
/// Every entry's `fullUrl` is `urn:uuid:` + a name-based UUID (``nameBasedUUID(_:)``) of the
/// patient's identifiers, the programme's start, the resource's kind and its place (a week
/// and an exercise, a log entry's date and context), and its `id` is that UUID: the same
/// input names the same resources, and references between entries resolve inside the Bundle.
struct FHIRBundleWriter {
    let export: FHIRExport
    let seed: String

    init(_ export: FHIRExport) {
        self.export = export
        let who = export.identifiers.map { ($0.system ?? "") + "|" + $0.value }.joined(separator: "\n")
        seed = "relief-fhir/1\n" + who + "\n" + (export.programme.map { "\($0.settings.start)" } ?? "")
    }

    func uuid(_ kind: String, _ key: String) -> String { nameBasedUUID(seed + "\n" + kind + "\n" + key) }

    struct Entry { let fullUrl: String; let resource: [String: FHIRElement] }

    func entry(_ type: String, _ key: String, _ build: (inout [String: FHIRElement]) -> Void) -> Entry {
        let id = uuid(type, key)
        var r: [String: FHIRElement] = ["resourceType": .string(type), "id": .string(id)]
        build(&r)
        return Entry(fullUrl: "urn:uuid:" + id, resource: r)
    }

    func bundle() -> FHIRElement {
        var entries: [Entry] = []
        let patient = patientEntry()
        entries.append(patient)
        let subject = FHIR.reference(patient.fullUrl)
        var order: String?
        if let p = export.programme {
            let requestURL = "urn:uuid:" + uuid("ServiceRequest", "programme")
            let planURL = "urn:uuid:" + uuid("CarePlan", "programme")
            entries.append(serviceRequest(p, subject: subject, patient: patient.fullUrl, plan: planURL))
            entries.append(carePlan(p, subject: subject, request: requestURL))
            order = requestURL
        }
        entries += observations(subject: subject, order: order)
        return [
            "resourceType": "Bundle",
            "id": .string(uuid("Bundle", "export")),
            "type": "collection",
            "entry": .array(entries.map { e -> FHIRElement in ["fullUrl": .string(e.fullUrl), "resource": .object(e.resource)] }),
        ]
    }

    // MARK: Patient

    func patientEntry() -> Entry {
        entry("Patient", "patient") { r in
            r.set("identifier", .array(export.identifiers.map { i -> FHIRElement in
                var o: [String: FHIRElement] = ["value": .string(i.value)]
                o.set("system", i.system.map(FHIRElement.string))
                return .object(o)
            }))
            if let name = export.name { r["name"] = [["text": .string(name)]] }
        }
    }

    // MARK: The order and the plan

    /// The programme's status in FHIR's request statuses: on hold while a symptom that needs a
    /// clinician has stopped the sessions, or the red-flag screen stopped it before it began.
    func status(_ p: Programme) -> String { p.stopped || p.screen.status == .redFlag ? "on-hold" : "active" }

    func programmePeriod(_ p: Programme) -> FHIRElement { FHIR.period("\(p.settings.start)", "\(p.settings.end)") }

    /// The exercise prescription, as the Physical Activity IG orders one: SNOMED CT 229065009,
    /// intent `order`, the patient both subject and performer (they do the exercise), based on
    /// the CarePlan that says what each week holds. (R4's CarePlan.basedOn may name only
    /// another CarePlan, so the plan points at this order from an activity instead.)
    func serviceRequest(_ p: Programme, subject: FHIRElement, patient: String, plan: String) -> Entry {
        entry("ServiceRequest", "programme") { r in
            r["status"] = .string(status(p))
            r["intent"] = "order"
            r["code"] = FHIR.concept([.exerciseTherapy], text: "Exercise therapy: a Relief programme of \(p.settings.weeks) week\(p.settings.weeks == 1 ? "" : "s")")
            r["subject"] = subject
            r["occurrencePeriod"] = programmePeriod(p)
            r["performer"] = [FHIR.reference(patient)]
            r["basedOn"] = [FHIR.reference(plan)]
            r.set("authoredOn", export.authoredOn.map(FHIRElement.string))
            r["patientInstruction"] = .string(p.phaseSummary + ". " + p.doseSummary + ".")
        }
    }

    func carePlan(_ p: Programme, subject: FHIRElement, request: String) -> Entry {
        entry("CarePlan", "programme") { r in
            r["status"] = .string(status(p))
            r["intent"] = "plan"
            r["title"] = .string("Relief programme: \(p.settings.weeks) week\(p.settings.weeks == 1 ? "" : "s") from \(p.settings.start)")
            r["description"] = .string(p.phaseSummary)
            r["subject"] = subject
            r["period"] = programmePeriod(p)
            var list: [FHIRElement] = [["reference": FHIR.reference(request, display: "Exercise therapy")]]
            for week in p.weeks { list += activities(of: week, programme: p) }
            r["activity"] = .array(list)
            if let u = p.urgency {
                r["note"] = [["text": .string("Sessions stopped from \(u.from): \(u.symptoms.joined(separator: " and ")). \(u.finding.advice)")]]
            } else if p.screen.status == .redFlag, let advice = p.screen.advice {
                r["note"] = [["text": .string(advice)]]
            }
        }
    }

    /// A week's activities: each exercise at each amount and dose it has that week (units, as
    /// `relief programme` prints them: "2 sets, 10 reps"), on its days, then the
    /// week's walking; in the order they first appear in the week's sessions.
    func activities(of week: ProgrammeWeek, programme p: Programme) -> [FHIRElement] {
        struct Group { let exercise: PlannedExercise; var days: [CalendarDate] }
        var groups: [Group] = []
        for day in week.days {
            for e in day.session {
                if let k = groups.firstIndex(where: { $0.exercise.id == e.id && $0.exercise.units == e.units && $0.exercise.dose == e.dose }) {
                    if !groups[k].days.contains(day.date) { groups[k].days.append(day.date) }
                } else {
                    groups.append(Group(exercise: e, days: [day.date]))
                }
            }
        }
        let first = week.days.first?.date ?? p.settings.start.adding(days: 7 * (week.number - 1))
        let last = first.adding(days: 6)
        let time = p.settings.sessionTime + ":00"
        // The session time is the sessions' (`session_time`); a walk has none of its own.
        func timing(_ days: [CalendarDate], session: Bool) -> FHIRElement {
            var repeating: [String: FHIRElement] = [
                "boundsPeriod": FHIR.period("\(first)", "\(last)"),
                "frequency": .integer(days.count), "period": 1, "periodUnit": "wk",
            ]
            if session { repeating["timeOfDay"] = [.string(time)] }
            return ["event": .array(days.map { .string("\($0)") }), "repeat": .object(repeating)]
        }
        var out: [FHIRElement] = groups.map { g -> FHIRElement in
            let e = g.exercise
            var text = "Week \(week.number) (\(week.phase.rawValue)): \(e.name), \(amountText(e))\(e.dose.isEmpty ? "" : ", " + e.dose)"
            if !e.instructions.isEmpty { text += ". " + e.instructions }
            if !e.stopIf.isEmpty { text += " Stop if: " + e.stopIf }
            for c in e.cautions { text += " " + c.cue }
            return ["detail": [
                "status": "scheduled",
                "code": FHIR.concept([FHIRCoding(system: FHIRSystems.reliefExercise, code: e.id, display: e.name)], text: e.name),
                "description": .string(text),
                "scheduledTiming": timing(g.days, session: true),
            ]]
        }
        // Walking, grouped by its minutes a day.
        var walks: [(minutes: Double, days: [CalendarDate])] = []
        for day in week.days where day.walkMinutes > 0 {
            if let k = walks.firstIndex(where: { $0.minutes == day.walkMinutes }) { walks[k].days.append(day.date) }
            else { walks.append((day.walkMinutes, [day.date])) }
        }
        let walkName = p.walking?.name ?? "Walking"
        for w in walks {
            var detail: [String: FHIRElement] = [
                "status": "scheduled",
                "description": .string("Week \(week.number) (\(week.phase.rawValue)): \(walkName), \(formatAmount((w.minutes * 10).rounded() / 10)) minutes a day"),
                "scheduledTiming": timing(w.days, session: false),
            ]
            if let id = p.walking?.id {
                detail["code"] = FHIR.concept([FHIRCoding(system: FHIRSystems.reliefExercise, code: id, display: walkName)], text: walkName)
            } else {
                detail["code"] = FHIR.concept([], text: walkName)
            }
            out.append(["detail": .object(detail)])
        }
        return out
    }

    // MARK: What the person reported

    func observations(subject: FHIRElement, order: String?) -> [Entry] {
        let survey = FHIR.concept([FHIRCoding(system: FHIRSystems.observationCategory, code: "survey", display: "Survey")], text: nil)
        let contextRank = Dictionary(uniqueKeysWithValues: FHIRPainReport.Context.allCases.enumerated().map { ($1, $0) })
        func common(_ r: inout [String: FHIRElement], date: CalendarDate) {
            r["status"] = "final"
            r["category"] = [survey]
            r["subject"] = subject
            r["effectiveDateTime"] = .string("\(date)")
            if let order { r["basedOn"] = [FHIR.reference(order)] }
        }
        var out: [(date: CalendarDate, rank: Int, key: String, entries: [Entry])] = []
        for pain in export.pains {
            let e = entry("Observation", "pain/" + pain.key) { r in
                common(&r, date: pain.date)
                r["code"] = FHIR.concept([.painSeverity], text: pain.context.words)
                r["valueQuantity"] = FHIR.score(pain.pain)
            }
            out.append((pain.date, contextRank[pain.context] ?? 0, pain.key, [e]))
        }
        for s in export.symptoms {
            let e = entry("Observation", "symptom/" + s.key) { r in
                common(&r, date: s.date)
                r["code"] = FHIR.concept([FHIRCoding(system: FHIRSystems.reliefSymptom, code: s.symptom.rawValue, display: s.symptom.words)],
                                         text: s.symptom.plainWords)
                r["valueBoolean"] = true
            }
            out.append((s.date, 10, s.key, [e]))
        }
        for o in export.outcomes {
            var group: [Entry] = []
            var responseURL: String?
            if !o.answers.isEmpty {
                let response = entry("QuestionnaireResponse", "outcome/" + o.key) { r in
                    r["status"] = "completed"
                    r.set("questionnaire", o.questionnaire.map(FHIRElement.string))
                    r["subject"] = subject
                    r["authored"] = .string("\(o.date)")
                    if let order { r["basedOn"] = [FHIR.reference(order)] }
                    r["item"] = .array(o.answers.map { a -> FHIRElement in
                        var item: [String: FHIRElement] = ["linkId": .string(a.linkId)]
                        item.set("text", a.text.map(FHIRElement.string))
                        let value: (String, FHIRElement) = switch a.value {
                        case .integer(let n): ("valueInteger", .integer(n))
                        case .decimal(let x): ("valueDecimal", .number(x))
                        case .string(let s): ("valueString", .string(s))
                        case .coding(let c): ("valueCoding", FHIR.coding(c))
                        case .boolean(let b): ("valueBoolean", .bool(b))
                        }
                        item["answer"] = [[value.0: value.1]]
                        return .object(item)
                    })
                }
                responseURL = response.fullUrl
                group.append(response)
            }
            let score = entry("Observation", "outcome/" + o.key) { r in
                common(&r, date: o.date)
                r["code"] = FHIR.concept([o.code], text: o.title)
                r["valueQuantity"] = FHIR.score(o.score, unit: o.unit)
                if let responseURL { r["derivedFrom"] = [FHIR.reference(responseURL)] }
                if let i = o.interpretation { r["interpretation"] = [FHIR.concept([], text: i)] }
            }
            group.insert(score, at: 0)
            out.append((o.date, 20, o.key, group))
        }
        out.sort { ($0.date, $0.rank, $0.key) < ($1.date, $1.rank, $1.key) }
        return out.flatMap(\.entries)
    }
}
