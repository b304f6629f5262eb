import Relief

/// The outcome measures and the STarT Back screen in FHIR: each day's scored measure is an
/// Observation of the score, derived from a QuestionnaireResponse of the answers it was scored
/// from (NPRS, a single number, is its Observation alone).
///
/// Codes: NPRS is LOINC 72514-3, as the logged pains are. No LOINC code for RMDQ, PSFS, PGIC
/// or STarT Back was found in the guides read, and the Oswestry panel code seen (97908-8) could
/// not be checked against loinc.org here, so those are coded in Relief's own system (`.invalid`,
/// RFC 2606: a local code, its text beside it) rather than with a code that might be wrong; a
/// receiver maps them by the text and the questionnaire's URL. The ODI's and RMDQ's item texts
/// are not exported (the ODI's are licensed; README, "Licences"): each answer is by its item's
/// number.
extension FHIRSystems {
    public static let reliefMeasure = "https://relief.invalid/fhir/CodeSystem/outcome-measure"
    public static let reliefBothersome = "https://relief.invalid/fhir/CodeSystem/startback-bothersome"
    public static let reliefPGIC = "https://relief.invalid/fhir/CodeSystem/pgic"
    /// The canonical URL of Relief's form of a questionnaire (`rmdq`, `odi`, `psfs`, `pgic`, `startback`).
    public static func reliefQuestionnaire(_ id: String) -> String { "https://relief.invalid/fhir/Questionnaire/" + id }
}

extension OutcomeMeasure {
    /// The score's name in the export.
    var fhirTitle: String {
        switch self {
        case .nprs: "Pain intensity, numeric rating scale (0-10)"
        case .rmdq: "Roland-Morris Disability Questionnaire score (0-24)"
        case .odi: "Oswestry Disability Index score (0-100 %)"
        case .psfs: "Patient-Specific Functional Scale, mean score (0-10)"
        case .pgic: "Patient Global Impression of Change (1 very much improved - 7 very much worse)"
        }
    }

    var fhirCode: FHIRCoding {
        self == .nprs ? .painSeverity : FHIRCoding(system: FHIRSystems.reliefMeasure, code: rawValue, display: fhirTitle)
    }
}

extension FHIROutcomeScore {
    /// Every outcome the log holds, in its order: each measure of each day's answers (with its
    /// verdict against the baseline, or "baseline" for the first), then each STarT Back screen.
    /// `key` names an entry among the log's (its line by default; a store gives its row's id),
    /// so a resource's id stays the same when other records are added.
    public static func scores(of entries: [LogEntry], settings: ProgrammeSettings,
                              key: (LogEntry) -> String = { "line-\($0.line)" }) -> [FHIROutcomeScore] {
        let outcomes = ProgrammeOutcomes(entries: entries, settings: settings)
        var out: [FHIROutcomeScore] = []
        for record in outcomes.records {
            guard let entry = entries.first(where: { $0.line == record.line && $0.date == record.date }),
                  case .outcome(let answers) = entry.fact else { continue }
            for score in record.scores {
                let change = record.changes.first { $0.measure == score.measure }
                let isBaseline = outcomes.baselines[score.measure]?.line == record.line
                var words = score.measure.name + " " + score.detail
                if let change { words += score.measure == .pgic ? ": " + change.verdict.words : ". Against the baseline: " + change.shown }
                else if isBaseline { words += ": the baseline" }
                out.append(FHIROutcomeScore(
                    date: record.date, code: score.measure.fhirCode, title: score.measure.fhirTitle, score: score.value,
                    unit: score.measure == .odi ? "%" : "{score}",
                    questionnaire: score.measure == .nprs ? nil : FHIRSystems.reliefQuestionnaire(score.measure.rawValue),
                    answers: score.measure == .nprs ? [] : Self.answers(score.measure, answers),
                    interpretation: words, key: "\(record.date)/\(score.measure.rawValue)/" + key(entry)))
            }
        }
        for e in entries {
            guard case .startBack(let s) = e.fact else { continue }
            var answers: [Answer] = s.agree.enumerated().map { k, yes in
                Answer(linkId: "startback-\(k + 1)", text: StartBack.topics[k], value: .boolean(yes))
            }
            answers.append(Answer(linkId: "startback-9", text: StartBack.topics[8],
                                  value: .coding(FHIRCoding(system: FHIRSystems.reliefBothersome, code: s.bothersome.key,
                                                            display: s.bothersome.key.replacingOccurrences(of: "-", with: " ")))))
            out.append(FHIROutcomeScore(
                date: e.date,
                code: FHIRCoding(system: FHIRSystems.reliefMeasure, code: "startback", display: "STarT Back Screening Tool total score (0-9)"),
                title: "STarT Back Screening Tool total score (0-9)", score: Double(s.total),
                questionnaire: FHIRSystems.reliefQuestionnaire("startback"), answers: answers,
                interpretation: "STarT Back total \(s.total)/9, psychosocial subscale \(s.psychosocial)/5: \(s.group.care)", key: "\(e.date)/startback/" + key(e)))
        }
        return out
    }

    /// A measure's answers by item: RMDQ's 24 yes/no, ODI's section scores (a skipped section
    /// has no item), PSFS's activities with their scores, PGIC's answer.
    static func answers(_ m: OutcomeMeasure, _ a: OutcomeAnswers) -> [Answer] {
        switch m {
        case .nprs:
            return []
        case .rmdq:
            return (a.rmdq ?? []).enumerated().map { Answer(linkId: "rmdq-\($0 + 1)", value: .boolean($1)) }
        case .odi:
            return (a.odi ?? []).enumerated().compactMap { k, s in s.map { Answer(linkId: "odi-\(k + 1)", value: .integer($0)) } }
        case .psfs:
            return (a.psfs ?? []).enumerated().map { Answer(linkId: "psfs-\($0 + 1)", text: $1.activity, value: .integer(Int($1.score))) }
        case .pgic:
            guard let p = a.pgic else { return [] }
            return [Answer(linkId: "pgic", text: "Change since the start of the programme",
                           value: .coding(FHIRCoding(system: FHIRSystems.reliefPGIC, code: p.key, display: p.words)))]
        }
    }
}
