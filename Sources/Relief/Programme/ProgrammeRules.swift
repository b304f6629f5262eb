/// The log's rules (README, "Adapting to the log"; docs/safe-programme-note.md), read at the
/// end of each logged week and applied from the next: each takes the week's facts and the
/// ``ProgrammeState``, advances the state and returns its decisions. Pure: no GLPK and no
/// ``Planner``; the numbers and pain tests are ``PainRules``'s, the symptoms ``LogSafety``'s.
struct ProgrammeRules {
    let log: LogFacts
    let safety: LogSafety
    let exercises: [Exercise]
    let ladders: Ladders
    /// The exercises the person may do (catalogue indices): a ladder never steps up to another.
    let usable: Set<Int>
    /// The exercises left out, with their reasons.
    let excluded: [Exclusion]

    var settings: ProgrammeSettings { log.settings }

    /// What the symptoms of the log decide, before any week: a stop for each pause, and the
    /// advice of each symptom whose tier only advises.
    func safetyDecisions() -> [Decision] {
        var decisions: [Decision] = []
        for pause in safety.pauses {
            decisions.append(Decision(week: log.week(of: pause.from), kind: .stop,
                                      text: "stop the exercises from \(pause.from) (\(pause.finding.urgency.words)): the log reports \(pause.symptoms.joined(separator: " and ")). \(pause.finding.advice) Nothing more is planned until you log that a clinician has cleared you (relief log ... cleared). Source: \(pause.finding.source)",
                                      evidence: pause.cleared == nil ? pause.evidence : Array(pause.evidence.dropLast()), date: pause.from))
        }
        for (entry, finding) in safety.advisories {
            decisions.append(Decision(week: log.week(of: entry.date), kind: .advice,
                                      text: "\(finding.advice) (\(finding.urgency.words); \(finding.source))", evidence: [entry.summary], date: entry.date))
        }
        return decisions
    }

    /// A clearance before or in week `w`: back gently, in relief, every ladder a step down.
    func resume(week w: Int, state: inout ProgrammeState) -> [Decision] {
        var decisions: [Decision] = []
        for (k, pause) in safety.pauses.enumerated() where !state.resumed.contains(k) {
            guard let resumes = pause.resumes, let cleared = pause.cleared, resumes <= log.lastDay(ofWeek: w) else { continue }
            state.resumed.insert(k)
            state.stepEveryLadderDown()
            state.restartRamp()
            state.phase = .relief
            state.keepRelief(through: w + 1)
            decisions.append(Decision(week: w, kind: .resume,
                                      text: "a clinician cleared you on \(cleared): sessions resume on \(resumes) in the relief phase with every ladder one step down; re-screen (relief screen) if anything has changed",
                                      evidence: Array(pause.evidence.suffix(1)), date: resumes))
        }
        return decisions
    }

    /// What the log of week `w` decides for the next, in the README's order: the usual pain
    /// learned, a flare, the sessions (too much, the ladders), mornings settled, the phase, and
    /// non-response. `week` is the week as planned, pauses applied.
    func judge(week w: Int, planned week: ProgrammeWeek, state: inout ProgrammeState) throws -> [Decision] {
        let entries = try checkDoneAll(log.entries(ofWeek: w), in: week)
        let usual = log.usualPain(by: log.lastDay(ofWeek: w))
        var decisions: [Decision] = []
        if let learned = learnedUsualPain(usual, week: w, state: &state) { decisions.append(learned) }
        let flared = flare(week: w, state: &state)
        if let flared { decisions.append(flared) }
        let sessions = judgeSessions(entries, of: week, usual: usual, flared: flared != nil, state: &state)
        decisions += sessions.decisions
        let overloaded = flared == nil ? overload(sessions.tooMuch, usual: usual, week: w, state: &state) : nil
        if let overloaded { decisions.append(overloaded) }
        if flared == nil && overloaded == nil, usual != nil {
            decisions += ladderSteps(sessions, week: w, state: &state)
        }
        if let settled = settled(week: w, state: &state) { decisions.append(settled) }
        state.countAdherence(planned: week, entries: entries)
        let (next, phaseDecision) = nextPhase(week: w, usual: usual, state: state)
        if let phaseDecision { decisions.append(phaseDecision) }
        if let review = review(week: w, usual: usual, state: &state) { decisions.append(review) }
        state.phase = next
        return decisions
    }

    /// "done": "all" on a day with no session planned (none, or paused) is refused: the log
    /// must list the exercises done. A log that ignores them (a clinic's) has them left out:
    /// the week's entries the rules read are returned.
    func checkDoneAll(_ entries: [LogEntry], in week: ProgrammeWeek) throws -> [LogEntry] {
        var kept: [LogEntry] = []
        for entry in entries {
            guard case .session(.all, _, _, _) = entry.fact, let day = week.days.first(where: { $0.date == entry.date }), !day.isSessionDay else {
                kept.append(entry)
                continue
            }
            if log.ignoresDoneOnNoSessionDays { continue }
            if let pause = safety.pause(on: entry.date) {
                throw DataErrors([DataIssue(file: log.file, line: entry.line, column: entry.doneColumn,
                                            "done is \"all\" but the sessions are paused from \(pause.from) (\(pause.symptoms.joined(separator: " and "))) until you log that a clinician has cleared you")])
            }
            throw DataErrors([DataIssue(file: log.file, line: entry.line, column: entry.doneColumn,
                                        "done is \"all\" but no session is planned on \(entry.date) (\(entry.date.weekdayName)); list the exercises done instead")])
        }
        return kept
    }

    /// The usual pain learned from the log, reported once, the first week it is known.
    func learnedUsualPain(_ usual: Double?, week w: Int, state: inout ProgrammeState) -> Decision? {
        guard settings.usualPain == nil, let usual, !state.learned else { return nil }
        state.learned = true
        let used = log.learningMornings(by: log.lastDay(ofWeek: w)).map(\.summary)
        return Decision(week: w + 1, kind: .baseline,
                        text: "usual pain learned as \(formatAmount(usual))/10: the median of the \(used.count) mornings logged in the first \(PainRules.window) days (set it with usual_pain)",
                        evidence: used)
    }

    /// 1. A flare: mornings 2 or more above recent pain (the median of the 14 days before the
    /// rise) on 2 or more days in a row. A run that goes on past a week's end is the same flare
    /// the week after: it is reported once, by its first day.
    func flare(week w: Int, state: inout ProgrammeState) -> Decision? {
        guard let found = PainRules.flares(in: log.firstDay(ofWeek: w)...log.lastDay(ofWeek: w), log.pains, usual: settings.usualPain)
            .filter({ !state.flareStarts.contains($0.days[0]) }).max(by: { $0.days.count < $1.days.count }) else { return nil }
        state.flareStarts.insert(found.days[0])
        state.keepRelief(through: w + 2)
        state.holdProgression(from: w, reference: found.reference)
        let shown = found.days.compactMap { log.pains[$0] }.map(formatAmount).joined(separator: ", ")
        return Decision(week: w + 1, kind: .flare,
                        text: "a flare (morning pain \(shown), 2 or more above your recent \(formatAmount(found.reference)) for \(found.days.count) days): the relief phase for weeks \(w + 1)-\(min(settings.weeks, w + 2)), every ladder one step down, the week's session time cut to \(percent(PainRules.cutShare)) with no new exercises, and no step up until mornings settle (3 in a row at most \(formatAmount(found.reference + PainRules.settledMargin)))",
                        evidence: found.days.compactMap { log.mornings[$0]?.summary })
    }

    /// What a week's sessions say: per ladder, the log lines that step it down or hold it;
    /// the sessions that were too much; and the decisions to go back to relief.
    struct SessionVerdicts {
        var down: [Int: [String]] = [:]
        var hold: [Int: [String]] = [:]
        var tooMuch: [String] = []
        var decisions: [Decision] = []
    }

    /// 2. The sessions of week `w` (its `entries`): which were too much (pain after above 5 and
    /// 2+ above before), and against the usual pain, for each ladder step used: the next
    /// morning 2+ above usual or 6+ above during steps it down, 4-5 above holds it, and at
    /// most 3 above, back to usual by the next morning with effort at most 6, is a good
    /// session (counted into `state`). In maintenance a bad morning after a session without a
    /// ladder step keeps relief for a week (unless the week flared).
    func judgeSessions(_ entries: [LogEntry], of week: ProgrammeWeek, usual: Double?, flared: Bool,
                       state: inout ProgrammeState) -> SessionVerdicts {
        var out = SessionVerdicts()
        for entry in entries {
            guard case let .session(done, before, after, effort) = entry.fact else { continue }
            let doneIDs: [String]
            switch done {
            case .all: doneIDs = week.days.first { $0.date == entry.date }?.session.map(\.id) ?? []   // a session day: checked
            case .none: doneIDs = []
            case .some(let ids): doneIDs = ids
            }
            if done != .none, PainRules.tooMuch(after: after, before: before, reference: PainRules.reference(at: entry.date, log.pains, usual: settings.usualPain)) {
                out.tooMuch.append(entry.summary)
            }
            guard let usual else { continue }
            let morning = log.mornings[entry.date.adding(days: 1)]
            let nextPain = morning?.morningPain
            let used = ladders.chains.indices.filter { doneIDs.contains(exercises[ladders.step($0, state.levels)].id) }
            let cited = [entry.summary] + (morning.map { [$0.summary] } ?? [])
            if let nextPain, nextPain >= usual + 2 {
                if used.isEmpty && state.phase == .maintenance && !flared {
                    state.keepRelief(through: week.number + 1)
                    out.decisions.append(Decision(week: week.number + 1, kind: .backToRelief,
                                                  text: "next-morning pain \(formatAmount(nextPain)) is 2 or more above your usual \(formatAmount(usual)): back to the relief phase for a week",
                                                  evidence: cited))
                }
                for l in used { out.down[l, default: []] += cited }
                continue
            }
            guard let after else { continue }
            let rise = after - usual
            for l in used {
                if rise > 5 { out.down[l, default: []] += cited }
                else if rise >= 4 { out.hold[l, default: []] += cited; state.forgetGoodSessions(ofLadder: l) }
                else if let nextPain, nextPain <= usual, (effort ?? 0) <= 6 { state.good[l] += cited; state.goodSessions[l] += 1 }
            }
        }
        return out
    }

    /// Overload: `PainRules.tooMuchSessions` or more sessions too much in a week (with no
    /// flare) cut next week's time, step every ladder down and hold progression until the
    /// mornings settle against recent pain.
    func overload(_ tooMuch: [String], usual: Double?, week w: Int, state: inout ProgrammeState) -> Decision? {
        guard tooMuch.count >= PainRules.tooMuchSessions else { return nil }
        let reference = PainRules.reference(at: log.lastDay(ofWeek: w).adding(days: 1), log.pains, usual: settings.usualPain) ?? usual ?? PainRules.tolerablePain
        state.holdProgression(from: w, reference: min(reference, state.holding?.reference ?? .infinity))
        return Decision(week: w + 1, kind: .overload,
                        text: "\(tooMuch.count) sessions were too much (pain after above \(formatAmount(PainRules.tolerablePain))/10 and 2 or more above the pain before): next week's session time is cut to \(percent(PainRules.cutShare)) of this week's, every ladder one step down, no new exercises, and no step up until mornings settle",
                        evidence: tooMuch)
    }

    /// The ladder rules, with no flare or overload this week: a step down on pain that rose
    /// too far, a step up after two good sessions (never while held or after a review, never
    /// to an exercise left out), else the step holds.
    func ladderSteps(_ sessions: SessionVerdicts, week w: Int, state: inout ProgrammeState) -> [Decision] {
        var decisions: [Decision] = []
        for l in ladders.chains.indices {
            let current = exercises[ladders.step(l, state.levels)]
            if let why = sessions.down[l] {
                if state.isAboveBottom(l) {
                    state.levels[l] -= 1
                    decisions.append(Decision(week: w + 1, kind: .stepDown,
                                              text: "\(current.name) → \(exercises[ladders.step(l, state.levels)].name): pain rose too far (next morning 2+ above your usual, or 6+ during)",
                                              evidence: why))
                } else {
                    decisions.append(Decision(week: w + 1, kind: .hold,
                                              text: "\(current.name) stays (already the easiest step) though pain rose too far; if it keeps happening, ask your physiotherapist",
                                              evidence: why))
                }
                state.forgetGoodSessions(ofLadder: l)
            } else if state.goodSessions[l] >= 2 {
                let evidence = state.good[l]
                state.forgetGoodSessions(ofLadder: l)
                let chain = ladders.chains[l]
                if state.holding != nil || state.reviewed {
                    decisions.append(Decision(week: w + 1, kind: .hold,
                                              text: "\(current.name) stays: no step up \(state.holding != nil ? "until mornings settle after the flare or overload" : "until the review")",
                                              evidence: evidence))
                } else if state.levels[l] + 1 < chain.count, usable.contains(chain[state.levels[l] + 1]) {
                    state.levels[l] += 1
                    decisions.append(Decision(week: w + 1, kind: .stepUp,
                                              text: "\(current.name) → \(exercises[ladders.step(l, state.levels)].name): two sessions with pain at most 3 above your usual and back to it by the next morning",
                                              evidence: evidence))
                } else if state.levels[l] + 1 < chain.count {
                    let harder = exercises[chain[state.levels[l] + 1]]
                    let reason = excluded.first { $0.id == harder.id }?.reasons.joined(separator: "; ") ?? "left out for you"
                    decisions.append(Decision(week: w + 1, kind: .hold,
                                              text: "\(current.name) stays: the harder \(harder.name) is left out for you (\(reason))",
                                              evidence: evidence))
                }
            } else if let why = sessions.hold[l] {
                decisions.append(Decision(week: w + 1, kind: .hold,
                                          text: "\(current.name) stays: pain rose 4-5 above your usual",
                                          evidence: why))
            }
        }
        return decisions
    }

    /// 3. Settled: after a flare or overload, 3 mornings in a row after its week at most 1
    /// above its reference end the hold.
    func settled(week w: Int, state: inout ProgrammeState) -> Decision? {
        let weekEnd = log.lastDay(ofWeek: w)
        guard let h = state.holding, h.since < w,
              PainRules.settled(by: weekEnd, after: log.lastDay(ofWeek: h.since), log.pains, reference: h.reference) else { return nil }
        state.holding = nil
        let last = log.pains.keys.filter { $0 <= weekEnd }.sorted().suffix(PainRules.settledMornings)
        return Decision(week: w + 1, kind: .settled,
                        text: "mornings have settled (\(PainRules.settledMornings) in a row at most \(formatAmount(h.reference + PainRules.settledMargin))): progression resumes gradually (the week's time grows by at most \(percent(settings.maxGrowth)))",
                        evidence: last.compactMap { log.mornings[$0]?.summary })
    }

    /// 4. The phase after week `w`: the default schedule, except that a relief phase that has
    /// had its `relief_weeks` moves to maintenance only when the mornings of the last two weeks
    /// average at most 3 or 30% below usual, nothing flared or was too much in them, the mornings
    /// have settled, and 70% of relief sessions were done; the decision says what is missing.
    func nextPhase(week w: Int, usual: Double?, state: ProgrammeState) -> (Phase, Decision?) {
        guard state.forcedReliefThrough < w + 1, state.phase == .relief, state.reliefWeeksDone >= settings.reliefWeeks else {
            return (state.scheduledPhase(after: w, reliefWeeks: settings.reliefWeeks), nil)
        }
        let threshold = usual.map { max(0.7 * $0, 3) }
        let recent = [w - 1, w].filter { $0 >= 1 }.map(log.meanMorningPain(ofWeek:))
        let adherence = state.adherence
        let rate = adherence.planned == 0 ? 0 : Double(adherence.done) / Double(adherence.planned)
        var missing: [String] = []
        if usual == nil { missing.append("no usual pain is known (log 3 or more mornings or give usual_pain)") }
        if recent.count < 2 || recent.contains(where: { $0 == nil }) {
            missing.append("morning pain is not logged in each of the last two weeks")
        } else if let threshold, let over = recent.compactMap({ $0 }).first(where: { $0.pain > threshold + 1e-9 }) {
            missing.append("morning pain averaged \(format(over.pain)), above \(format(threshold)) (30% below your usual, or 3)")
        }
        if state.troubled.contains(w) || state.troubled.contains(w - 1) {
            missing.append("a flare or sessions that were too much in the last two weeks")
        } else if state.holding != nil {
            missing.append("mornings have not settled since the flare or overload")
        }
        if rate < 0.7 - 1e-9 { missing.append("\(adherence.done) of \(adherence.planned) relief sessions were done (\(percent(rate)); 70% needed)") }
        let cited = recent.compactMap { $0?.evidence }.flatMap { $0 }
        if missing.isEmpty, let threshold {
            return (.maintenance, Decision(week: w + 1, kind: .toMaintenance,
                                           text: "to the maintenance phase: morning pain at most \(format(threshold)) for two weeks, settled, and \(percent(rate)) of relief sessions done",
                                           evidence: cited))
        }
        return (.relief, Decision(week: w + 1, kind: .stayInRelief,
                                  text: "stay in the relief phase: " + missing.joined(separator: "; "), evidence: cited))
    }

    /// 5. Non-response: from week `PainRules.reviewWeeks`, a week's mean morning pain not at
    /// least 2 points or 30% below the usual pain asks for a review (NICE NG59; Ostelo et al.
    /// 2008), once.
    func review(week w: Int, usual: Double?, state: inout ProgrammeState) -> Decision? {
        guard !state.reviewed, w >= PainRules.reviewWeeks, let usual, let now = log.meanMorningPain(ofWeek: w),
              !PainRules.improved(from: usual, to: now.pain) else { return nil }
        state.reviewed = true
        return Decision(week: w + 1, kind: .review,
                        text: "see your GP or physiotherapist for a review: after \(w) weeks your morning pain averages \(format(now.pain)) against your usual \(formatAmount(usual)), less than the 2 points or 30% that count as a real change (Ostelo et al. 2008). NICE NG59 advises a review when a programme is not helping: the exercises may need changing, or other treatment considered. Until then the programme holds its steps",
                        evidence: now.evidence)
    }
}

extension ProgrammeState {
    /// Counts a relief week's sessions: those planned, and those logged as done (not skipped),
    /// at most the planned.
    mutating func countAdherence(planned week: ProgrammeWeek, entries: [LogEntry]) {
        guard phase == .relief else { return }
        let planned = week.days.filter(\.isSessionDay).count
        let done = entries.filter { if case .session(let d, _, _, _) = $0.fact, d != .none { return true }; return false }.count
        adherence = (adherence.planned + planned, adherence.done + min(done, planned))
    }
}
