import GLPK
import Foundation

/// Plans a programme week by week, each week one MILP (``WeekModel``) solved with GLPK, and
/// adapts the weeks after the log's last entry to what the log shows (README, "Programme").
///
/// The programme is a function of the catalogue, the settings, the request and the log: weeks
/// are planned in order, week w from the state the log of weeks before w leaves, so logging
/// this week never changes an earlier week and the same inputs give the same bytes.
public struct ProgrammePlanner: Sendable {
    public let planner: Planner
    /// When another thread stops it, the week under way ends at its next branch-and-cut
    /// callback and ``plan(settings:request:log:)`` throws `CancellationError` (a server's
    /// client went away or its deadline passed).
    public var stop: StopSignal?
    public init(planner: Planner, stop: StopSignal? = nil) { self.planner = planner; self.stop = stop }
    var catalogue: Catalogue { planner.catalogue }

    /// The ladders of the catalogue: each from its easiest exercise up (catalogue indices).
    func ladders() -> [[Int]] {
        let harderOf = Set(catalogue.exercises.compactMap(\.harder))
        var out: [[Int]] = []
        for (e, ex) in catalogue.exercises.enumerated() where ex.harder != nil && !harderOf.contains(ex.id) {
            var chain = [e]
            var seen: Set<Int> = [e]
            while let next = catalogue.exercises[chain.last!].harder.flatMap(catalogue.exerciseIndex), seen.insert(next).inserted {
                chain.append(next)
            }
            out.append(chain)
        }
        return out
    }

    /// Each week's model as CPLEX LP text (the model last solved for that week), for other solvers.
    public func exportWeeks(settings: ProgrammeSettings, request: PlanRequest, log: ProgrammeLog? = nil) throws -> [(Int, String)] {
        var out: [(Int, String)] = []
        _ = try plan(settings: settings, request: request, log: log) { number, model in
            out.append((number, try model.problem.text(format: .cplexLP)))
        }
        return out
    }

    public func plan(settings: ProgrammeSettings, request: PlanRequest, log: ProgrammeLog? = nil) throws -> Programme {
        let programme = try plan(settings: settings, request: request, log: log, observe: nil)
        if stop?.isStopped == true { throw CancellationError() }
        return programme
    }

    func plan(settings: ProgrammeSettings, request: PlanRequest, log: ProgrammeLog?,
              observe: ((Int, WeekModel) throws -> Void)?) throws -> Programme {
        try planner.checked(request)
        let settingProblems = settings.problems()
        if !settingProblems.isEmpty { throw RequestError(problems: settingProblems) }
        let screen = RedFlagScreen.assess(request.screen, conditions: request.conditions)
        let excluded = planner.exclusions(for: request)
        if screen.status == .redFlag {
            return Programme(settings: settings, request: request, weeks: [], decisions: [], excluded: excluded.filter(\.shown),
                             notes: [], screen: screen)
        }
        let exercises = catalogue.exercises
        let usable = Set(planner.usableIndices(excluding: excluded))
        let walking = usable.filter { exercises[$0].modality == .aerobic }.sorted()
        let ladders = ladders()
        let onLadder = Set(ladders.flatMap { $0 })
        let included = Set(request.included.compactMap(catalogue.exerciseIndex)).intersection(usable)
        let minimums = planner.minimums(for: request)
        let triggerCause = catalogue.causeIndex("trigger")
        var notes: [String] = []

        // Maintenance keeps the relief phase's weekly dose of each cause in fewer, longer sessions
        // (the total dose matters: Hayden et al. 2005), except trigger points, whose minimum is
        // met once over the week rather than in every session (docs/clinical-review.md).
        let reliefMinimums = minimums
        let doseFactor = Double(settings.days) / Double(settings.maintenanceDays)
        var maintenanceMinimums = minimums.map { $0 * doseFactor }
        if let t = triggerCause { maintenanceMinimums[t] = 0 }
        let reliefBudget = request.budgetSeconds ?? 15 * 60

        // The log, by date.
        let entries = log?.entries ?? []
        var mornings: [CalendarDate: LogEntry] = [:]
        for e in entries { if case .morning = e.fact { mornings[e.date] = e } }
        let pains = mornings.compactMapValues { e -> Double? in if case .morning(let p) = e.fact { return p }; return nil }
        func weekOf(_ date: CalendarDate) -> Int { (date.ordinal - settings.start.ordinal) / 7 + 1 }
        let lastLoggedWeek = entries.map { weekOf($0.date) }.max() ?? 0
        // Symptoms and clearances, from the log alone: a symptom that blocks stops the sessions
        // from its own date until a clearance (README, "Symptoms and clearance").
        let safety = try LogSafety(entries: entries, request: request, file: log?.file ?? "log")
        var decisions: [Decision] = []
        for pause in safety.pauses {
            decisions.append(Decision(week: weekOf(pause.from), kind: .stop,
                                      text: "stop the exercises from \(pause.from) (\(pause.finding.urgency.words)): the log reports \(pause.symptoms.joined(separator: " and ")). \(pause.finding.advice) Nothing more is planned until you log that a clinician has cleared you (relief log ... cleared). Source: \(pause.finding.source)",
                                      evidence: pause.cleared == nil ? pause.evidence : Array(pause.evidence.dropLast()), date: pause.from))
        }
        for (entry, finding) in safety.advisories {
            decisions.append(Decision(week: weekOf(entry.date), kind: .advice,
                                      text: "\(finding.advice) (\(finding.urgency.words); \(finding.source))", evidence: [entry.summary], date: entry.date))
        }
        // The usual pain: given, or learned as the median of the mornings of the first
        // `PainRules.window` days of the log (at least 3 of them), never from one entry; only
        // mornings up to the week judged count, so a later week never changes an earlier one.
        let firstMorning = pains.keys.min()
        func usualPain(by day: CalendarDate) -> Double? {
            if let u = settings.usualPain { return u }
            guard let first = firstMorning else { return nil }
            let xs = (0..<PainRules.window).map { first.adding(days: $0) }.filter { $0 <= day }.compactMap { pains[$0] }
            return xs.count >= PainRules.leastMornings ? PainRules.median(xs) : nil
        }
        var learned = false

        var weeks: [ProgrammeWeek] = []
        var levels = [Int](repeating: 0, count: ladders.count)
        var good = [[String]](repeating: [], count: ladders.count)
        var goodSessions = [Int](repeating: 0, count: ladders.count)
        var phase = Phase.relief
        var reliefWeeksDone = 0
        var forcedReliefThrough = 0
        var previous: ProgrammeWeek?
        var ceilings: [String: Int] = [:]
        var adherence: (planned: Int, done: Int) = (0, 0)
        // A flare or overload holds progression until the mornings settle against its reference.
        var holding: (reference: Double, since: Int)?
        // The week after a flare or overload: its time is cut and nothing new comes in.
        var cutNext = false
        var troubled: Set<Int> = []
        var resumed: Set<Int> = []
        var reviewed = false
        var flareStarts: Set<CalendarDate> = []

        for w in 1...settings.weeks {
            let weekStart = settings.start.adding(days: 7 * (w - 1))
            let dates = (0..<7).map { weekStart.adding(days: $0) }
            let weekEnd = weekStart.adding(days: 6)
            // A clearance before or in this week: back gently, in relief, a step down.
            for (k, pause) in safety.pauses.enumerated() where !resumed.contains(k) {
                guard let resumes = pause.resumes, let cleared = pause.cleared, resumes <= weekEnd else { continue }
                resumed.insert(k)
                for l in ladders.indices where levels[l] > 0 { levels[l] -= 1 }
                good = good.map { _ in [] }
                goodSessions = goodSessions.map { _ in 0 }
                phase = .relief
                forcedReliefThrough = max(forcedReliefThrough, w + 1)
                decisions.append(Decision(week: w, kind: .resume,
                                          text: "a clinician cleared you on \(cleared): sessions resume on \(resumes) in the relief phase with every ladder one step down; re-screen (relief screen) if anything has changed",
                                          evidence: Array(pause.evidence.suffix(1)), date: resumes))
            }
            let pausedDays = Set(dates.filter { safety.pause(on: $0) != nil })
            if pausedDays.count == 7, let pause = safety.pause(on: weekStart) {
                weeks.append(ProgrammeWeek(number: w, phase: phase, status: .stopped,
                                           days: dates.map { ProgrammeDay(date: $0, session: [], walkMinutes: 0, walkID: nil, sessionName: nil, paused: true) },
                                           totalSeconds: 0, coverage: [:], sessionMinimums: [:], binding: [], ladders: [:],
                                           notes: ["not planned: \(pause.symptoms.joined(separator: " and ")) needs a clinician (\(pause.finding.urgency.words)); log a clearance (relief log ... cleared) once a clinician has seen you"]))
                continue
            }
            // This week's exercises: the current step of each ladder, and everything off the ladders.
            var rung: Set<Int> = []
            var ladderState: [String: String] = [:]
            for (l, chain) in ladders.enumerated() {
                rung.insert(chain[levels[l]])
                ladderState[exercises[chain[0]].id] = exercises[chain[levels[l]]].id
            }
            let sessionUsable = usable.filter { exercises[$0].modality != .aerobic && (!onLadder.contains($0) || rung.contains($0)) }.sorted()
            let walkTarget = walking.isEmpty ? 0 : phase == .relief ? settings.reliefWalk
                : min(settings.walkMinutes, max(settings.reliefWalk, (previous?.walkingMinutes ?? 0) * (1 + settings.maxGrowth)))
            let walks = Self.walkingDays(minutes: walkTarget, exercise: walking.first.map { exercises[$0] })
            let walkMinutes = walks.reduce(0, +)
            let walkCoverage = catalogue.causes.indices.map { c in
                walking.first.map { exercises[$0].benefits[c] * walkMinutes * 60 / exercises[$0].secondsPerUnit } ?? 0
            }
            // After a flare or overload the week's session time is cut to 80% of the week
            // before's (fewer sets) with no new exercises; while progression is held it does not
            // grow. A ladder's easier step is not new.
            let growth = cutNext ? PainRules.cutShare - 1 : holding != nil ? 0 : settings.maxGrowth
            let previousIDs = Set((previous?.exerciseIDs ?? []).compactMap(catalogue.exerciseIndex))
            let spec = WeekSpec(
                phase: phase,
                pattern: WeekModel.pattern(sessions: phase == .relief ? settings.days : settings.maintenanceDays),
                sessionBudget: phase == .relief ? reliefBudget : settings.maintenanceMinutes * 60,
                sessionMinimums: (phase == .relief ? reliefMinimums : maintenanceMinimums),
                weeklyMinimums: catalogue.causes.indices.map { c in
                    phase == .maintenance && c == triggerCause ? minimums[c] : 0
                },
                sessionStrengthShare: phase == .relief ? request.strengthShare : 0,
                weeklyStrengthShare: phase == .maintenance ? settings.maintenanceStrengthShare : 0,
                walkSeconds: walkMinutes * 60, walkCoverage: walkCoverage,
                maxDaysPerExercise: settings.maxDaysPerExercise,
                maxNew: (previous?.exerciseIDs.isEmpty ?? true) ? nil : (cutNext || holding != nil) ? 0 : settings.maxNewExercises,
                previous: (cutNext || holding != nil) ? previousIDs.union(rung) : previousIDs,
                maxVolume: previous.flatMap { p in
                    guard p.status != .infeasible else { return nil }
                    // Cut or held: the sessions' time against last week's sessions (walks are set apart).
                    return cutNext || holding != nil ? (p.totalSeconds - p.walkingMinutes * 60) * (1 + growth) + walkMinutes * 60
                        : p.totalSeconds * (1 + growth)
                },
                usable: sessionUsable, included: included,
                maxExercises: request.maxExercises, maxShare: request.maxShare)
            cutNext = false
            if walking.isEmpty && w == 1 {
                notes.append("no walking is planned: the walking exercise is left out for you")
            }
            let lastSessions = previous.map { week in WeekModel.names.map { name in week.days.first { $0.sessionName == name }?.session ?? [] } }
            let planned = try planWeek(number: w, spec: spec, ceilings: &ceilings,
                                       previousSessions: previous?.phase == phase ? lastSessions : nil, dates: dates, walks: walks, walkID: walking.first.map { exercises[$0].id },
                                       request: request, ladders: ladderState, observe: observe)
            let week = pausedDays.isEmpty ? planned : planned.pausing(pausedDays)
            weeks.append(week)
            if phase == .relief { reliefWeeksDone += 1 }
            previous = planned

            // What the log of this week decides for the next.
            var next = phase
            if w <= lastLoggedWeek {
                let inWeek = entries.filter { weekOf($0.date) == w }.sorted { ($0.date, $0.line) < ($1.date, $1.line) }
                for entry in inWeek {
                    guard case .session(.all, _, _, _) = entry.fact, let day = week.days.first(where: { $0.date == entry.date }), !day.isSessionDay else { continue }
                    if let pause = safety.pause(on: entry.date) {
                        throw DataErrors([DataIssue(file: log?.file ?? "log", line: entry.line, column: entry.doneColumn,
                                                    "done is \"all\" but the sessions are paused from \(pause.from) (\(pause.symptoms.joined(separator: " and "))) until you log that a clinician has cleared you")])
                    }
                    throw DataErrors([DataIssue(file: log?.file ?? "log", line: entry.line, column: entry.doneColumn,
                                                "done is \"all\" but no session is planned on \(entry.date) (\(entry.date.weekdayName)); list the exercises done instead")])
                }
                let b = usualPain(by: weekEnd)
                if settings.usualPain == nil, let b, !learned, let first = firstMorning {
                    learned = true
                    let used = (0..<PainRules.window).map { first.adding(days: $0) }.filter { $0 <= weekEnd }.compactMap { mornings[$0]?.summary }
                    decisions.append(Decision(week: w + 1, kind: .baseline,
                                              text: "usual pain learned as \(formatAmount(b))/10: the median of the \(used.count) mornings logged in the first \(PainRules.window) days (set it with usual_pain)",
                                              evidence: used))
                }
                // 1. A flare: mornings 2 or more above recent pain (the median of the 14 days
                // before the rise) on 2 or more days in a row.
                var flare: (days: [CalendarDate], reference: Double)?
                // A flare whose run goes on past a week's end is the same flare the week after:
                // it is reported once, by its first day.
                if let found = PainRules.flares(in: weekStart...weekEnd, pains, usual: settings.usualPain)
                    .filter({ !flareStarts.contains($0.days[0]) }).max(by: { $0.days.count < $1.days.count }) {
                    flare = found
                    flareStarts.insert(found.days[0])
                    forcedReliefThrough = max(forcedReliefThrough, w + 2)
                    for l in ladders.indices where levels[l] > 0 { levels[l] -= 1 }
                    good = good.map { _ in [] }
                    goodSessions = goodSessions.map { _ in 0 }
                    holding = (found.reference, w)
                    cutNext = true
                    troubled.insert(w)
                    let shown = found.days.compactMap { pains[$0] }.map(formatAmount).joined(separator: ", ")
                    decisions.append(Decision(week: w + 1, kind: .flare,
                                              text: "a flare (morning pain \(shown), 2 or more above your recent \(formatAmount(found.reference)) for \(found.days.count) days): the relief phase for weeks \(w + 1)-\(min(settings.weeks, w + 2)), every ladder one step down, the week's session time cut to \(percent(PainRules.cutShare)) with no new exercises, and no step up until mornings settle (3 in a row at most \(formatAmount(found.reference + PainRules.settledMargin)))",
                                              evidence: found.days.compactMap { mornings[$0]?.summary }))
                }
                // 2. Sessions: too much (pain after above 5 and 2+ above before) cuts the load;
                // otherwise the ladder rules.
                let sessions = inWeek.filter { if case .session = $0.fact { return true }; return false }
                var down: [Int: [String]] = [:]
                var hold: [Int: [String]] = [:]
                var tooMuch: [String] = []
                for entry in sessions {
                    guard case let .session(done, before, after, effort) = entry.fact else { continue }
                    let day = week.days.first { $0.date == entry.date }
                    let doneIDs: [String]
                    switch done {
                    case .all: doneIDs = day?.session.map(\.id) ?? []   // a session day: checked above
                    case .none: doneIDs = []
                    case .some(let ids): doneIDs = ids
                    }
                    if done != .none, PainRules.tooMuch(after: after, before: before, reference: PainRules.reference(at: entry.date, pains, usual: settings.usualPain)) {
                        tooMuch.append(entry.summary)
                    }
                    guard let b else { continue }
                    let morning = mornings[entry.date.adding(days: 1)]
                    let nextPain: Double? = morning.flatMap { if case .morning(let p) = $0.fact { return p }; return nil }
                    let used = ladders.indices.filter { doneIDs.contains(exercises[ladders[$0][levels[$0]]].id) }
                    let cited = [entry.summary] + (morning.map { [$0.summary] } ?? [])
                    if let nextPain, nextPain >= b + 2 {
                        if used.isEmpty && phase == .maintenance && flare == nil {
                            forcedReliefThrough = max(forcedReliefThrough, w + 1)
                            decisions.append(Decision(week: w + 1, kind: .backToRelief,
                                                      text: "next-morning pain \(formatAmount(nextPain)) is 2 or more above your usual \(formatAmount(b)): back to the relief phase for a week",
                                                      evidence: cited))
                        }
                        for l in used { down[l, default: []] += cited }
                        continue
                    }
                    guard let after else { continue }
                    let rise = after - b
                    for l in used {
                        if rise > 5 { down[l, default: []] += cited }
                        else if rise >= 4 { hold[l, default: []] += cited; good[l] = []; goodSessions[l] = 0 }
                        else if let nextPain, nextPain <= b, (effort ?? 0) <= 6 { good[l] += cited; goodSessions[l] += 1 }
                    }
                }
                var overload = false
                if flare == nil && tooMuch.count >= PainRules.tooMuchSessions {
                    overload = true
                    cutNext = true
                    troubled.insert(w)
                    for l in ladders.indices where levels[l] > 0 { levels[l] -= 1 }
                    good = good.map { _ in [] }
                    goodSessions = goodSessions.map { _ in 0 }
                    let reference = PainRules.reference(at: weekEnd.adding(days: 1), pains, usual: settings.usualPain) ?? b ?? PainRules.tolerablePain
                    holding = (min(reference, holding?.reference ?? .infinity), w)
                    decisions.append(Decision(week: w + 1, kind: .overload,
                                              text: "\(tooMuch.count) sessions were too much (pain after above \(formatAmount(PainRules.tolerablePain))/10 and 2 or more above the pain before): next week's session time is cut to \(percent(PainRules.cutShare)) of this week's, every ladder one step down, no new exercises, and no step up until mornings settle",
                                              evidence: tooMuch))
                }
                if flare == nil && !overload, b != nil {
                    for l in ladders.indices {
                        let current = exercises[ladders[l][levels[l]]]
                        if let why = down[l] {
                            if levels[l] > 0 {
                                levels[l] -= 1
                                decisions.append(Decision(week: w + 1, kind: .stepDown,
                                                          text: "\(current.name) → \(exercises[ladders[l][levels[l]]].name): pain rose too far (next morning 2+ above your usual, or 6+ during)",
                                                          evidence: why))
                            } else {
                                decisions.append(Decision(week: w + 1, kind: .hold,
                                                          text: "\(current.name) stays (already the easiest step) though pain rose too far; if it keeps happening, ask your physiotherapist",
                                                          evidence: why))
                            }
                            good[l] = []
                            goodSessions[l] = 0
                        } else if goodSessions[l] >= 2 {
                            let evidence = good[l]
                            good[l] = []
                            goodSessions[l] = 0
                            if holding != nil || reviewed {
                                decisions.append(Decision(week: w + 1, kind: .hold,
                                                          text: "\(current.name) stays: no step up \(holding != nil ? "until mornings settle after the flare or overload" : "until the review")",
                                                          evidence: evidence))
                            } else if levels[l] + 1 < ladders[l].count, usable.contains(ladders[l][levels[l] + 1]) {
                                levels[l] += 1
                                decisions.append(Decision(week: w + 1, kind: .stepUp,
                                                          text: "\(current.name) → \(exercises[ladders[l][levels[l]]].name): two sessions with pain at most 3 above your usual and back to it by the next morning",
                                                          evidence: evidence))
                            } else if levels[l] + 1 < ladders[l].count {
                                let harder = exercises[ladders[l][levels[l] + 1]]
                                let reason = excluded.first { $0.id == harder.id }?.reasons.joined(separator: "; ") ?? "left out for you"
                                decisions.append(Decision(week: w + 1, kind: .hold,
                                                          text: "\(current.name) stays: the harder \(harder.name) is left out for you (\(reason))",
                                                          evidence: evidence))
                            }
                        } else if let why = hold[l] {
                            decisions.append(Decision(week: w + 1, kind: .hold,
                                                      text: "\(current.name) stays: pain rose 4-5 above your usual",
                                                      evidence: why))
                        }
                    }
                }
                // 3. Settled: after a flare or overload, 3 mornings in a row at most 1 above its reference.
                if let h = holding, h.since < w, PainRules.settled(by: weekEnd, after: settings.start.adding(days: 7 * h.since - 1), pains, reference: h.reference) {
                    holding = nil
                    let last = pains.keys.filter { $0 <= weekEnd }.sorted().suffix(PainRules.settledMornings)
                    decisions.append(Decision(week: w + 1, kind: .settled,
                                              text: "mornings have settled (\(PainRules.settledMornings) in a row at most \(formatAmount(h.reference + PainRules.settledMargin))): progression resumes gradually (the week's time grows by at most \(percent(settings.maxGrowth)))",
                                              evidence: last.compactMap { mornings[$0]?.summary }))
                }
                // 4. Adherence, and the move from relief to maintenance.
                let plannedCount = week.days.filter(\.isSessionDay).count
                let done = inWeek.filter { if case .session(let d, _, _, _) = $0.fact, d != .none { return true }; return false }.count
                if phase == .relief { adherence = (adherence.planned + plannedCount, adherence.done + min(done, plannedCount)) }
                if forcedReliefThrough >= w + 1 {
                    next = .relief
                } else if phase == .relief && reliefWeeksDone >= settings.reliefWeeks {
                    let threshold = b.map { max(0.7 * $0, 3) }
                    func mean(_ week: Int) -> (Double, [String])? {
                        let ms = mornings.values.filter { weekOf($0.date) == week }.sorted { $0.date < $1.date }
                        let ps = ms.compactMap { m -> Double? in if case .morning(let p) = m.fact { return p }; return nil }
                        return ps.isEmpty ? nil : (ps.reduce(0, +) / Double(ps.count), ms.map(\.summary))
                    }
                    let recent = [w - 1, w].filter { $0 >= 1 }.map(mean)
                    let rate = adherence.planned == 0 ? 0 : Double(adherence.done) / Double(adherence.planned)
                    var missing: [String] = []
                    if b == nil { missing.append("no usual pain is known (log 3 or more mornings or give usual_pain)") }
                    if recent.count < 2 || recent.contains(where: { $0 == nil }) {
                        missing.append("morning pain is not logged in each of the last two weeks")
                    } else if let threshold, let over = recent.compactMap({ $0 }).first(where: { $0.0 > threshold + 1e-9 }) {
                        missing.append("morning pain averaged \(format(over.0)), above \(format(threshold)) (30% below your usual, or 3)")
                    }
                    if troubled.contains(w) || troubled.contains(w - 1) {
                        missing.append("a flare or sessions that were too much in the last two weeks")
                    } else if holding != nil {
                        missing.append("mornings have not settled since the flare or overload")
                    }
                    if rate < 0.7 - 1e-9 { missing.append("\(adherence.done) of \(adherence.planned) relief sessions were done (\(percent(rate)); 70% needed)") }
                    let cited = recent.compactMap { $0?.1 }.flatMap { $0 }
                    if missing.isEmpty, let threshold {
                        next = .maintenance
                        decisions.append(Decision(week: w + 1, kind: .toMaintenance,
                                                  text: "to the maintenance phase: morning pain at most \(format(threshold)) for two weeks, settled, and \(percent(rate)) of relief sessions done",
                                                  evidence: cited))
                    } else {
                        next = .relief
                        decisions.append(Decision(week: w + 1, kind: .stayInRelief,
                                                  text: "stay in the relief phase: " + missing.joined(separator: "; "), evidence: cited))
                    }
                } else if phase == .relief && reliefWeeksDone < settings.reliefWeeks {
                    next = .relief
                } else if holding != nil {
                    next = .relief
                } else {
                    next = .maintenance
                }
                // 5. Non-response: after `reviewWeeks` weeks, a week's mean morning pain not at
                // least 2 points or 30% below the usual pain asks for a review (NICE NG59;
                // Ostelo et al. 2008), once.
                if !reviewed, w >= PainRules.reviewWeeks, let start = b {
                    let ms = mornings.values.filter { weekOf($0.date) == w }.sorted { $0.date < $1.date }
                    let ps = ms.compactMap { m -> Double? in if case .morning(let p) = m.fact { return p }; return nil }
                    if !ps.isEmpty {
                        let now = ps.reduce(0, +) / Double(ps.count)
                        if !PainRules.improved(from: start, to: now) {
                            reviewed = true
                            decisions.append(Decision(week: w + 1, kind: .review,
                                                      text: "see your GP or physiotherapist for a review: after \(w) weeks your morning pain averages \(format(now)) against your usual \(formatAmount(start)), less than the 2 points or 30% that count as a real change (Ostelo et al. 2008). NICE NG59 advises a review when a programme is not helping: the exercises may need changing, or other treatment considered. Until then the programme holds its steps",
                                                      evidence: ms.map(\.summary)))
                        }
                    }
                }
            } else {
                // Beyond the log: the default schedule.
                next = forcedReliefThrough >= w + 1 || holding != nil || (phase == .relief && reliefWeeksDone < settings.reliefWeeks) ? .relief : .maintenance
            }
            phase = next
        }
        if log != nil && lastLoggedWeek < settings.weeks && lastLoggedWeek > 0 {
            notes.append("weeks \(lastLoggedWeek + 1)-\(settings.weeks) follow the default schedule until the log reaches them; re-plan after each week (relief programme --replan)")
        }
        return Programme(settings: settings, request: request, weeks: weeks,
                         decisions: decisions.filter { $0.week <= settings.weeks || $0.kind == .stop || $0.kind == .review },
                         excluded: excluded.filter(\.shown), notes: notes, screen: screen, pauses: safety.pauses)
    }

    /// The week's walking, by rule: `minutes` spread over as many days as keep each walk a real
    /// dose (at least the exercise's least amount, at most its most), evenly through the week,
    /// in whole minutes. Per day offset 0-6.
    static func walkingDays(minutes: Double, exercise: Exercise?) -> [Double] {
        guard let ex = exercise, minutes > 0 else { return [Double](repeating: 0, count: 7) }
        let perUnit = ex.secondsPerUnit / 60
        let least = max(ex.minUnits * perUnit, 1), most = ex.maxUnits * perUnit
        var n = max(1, min(7, Int((minutes / least + 1e-9).rounded(.down))))
        while n < 7 && (minutes / Double(n)).rounded(.up) > most { n += 1 }
        let each = min(most, max(least, (minutes / Double(n) - 1e-9).rounded(.up)))
        var days = [Double](repeating: 0, count: 7)
        for i in 0..<n { days[i * 7 / n] = each }
        return days
    }

    /// Coverage levels: each session covers a multiple of 1/levels of every minimum (5% steps).
    static let levels = 20

    /// What the session rules of a week depend on (without the week-to-week rules).
    func ceilingKey(_ spec: WeekSpec) -> String {
        "\(spec.phase)|\(spec.usable)|\(spec.pattern.map { "\($0.day)\($0.session)" })|\(spec.sessionBudget)|\(spec.sessionMinimums)|\(spec.weeklyMinimums)|\(spec.walkCoverage)"
    }

    /// Solves one week: at full minimums, or else at the highest 5% coverage level the rules
    /// allow (searched up from the level last week's sessions reach, else down from the LP
    /// bound), reusing levels proven infeasible for a looser week with the same session rules.
    func planWeek(number w: Int, spec: WeekSpec, ceilings: inout [String: Int], previousSessions: [[PlannedExercise]]?, dates: [CalendarDate], walks: [Double], walkID: String?, request: PlanRequest,
                  ladders: [String: String], observe: ((Int, WeekModel) throws -> Void)? = nil) throws -> ProgrammeWeek {
        var notes: [String] = []
        if stop?.isStopped == true { throw CancellationError() }
        var options = SolveOptions()
        options.timeLimit = request.timeLimit
        options.nodeLimit = WorkBounds.nodes
        options.stop = stop
        options.cuts = [.mixedIntegerRounding]
        let model = try WeekModel(catalogue: catalogue, spec: spec)
        let clockStart = ContinuousClock.now
        // Last week's sessions are a first routine for this week when they still fit (the
        // wrapper checks a start against every row before GLPK sees it).
        let last = previousSessions?.map { session in Dictionary(session.map { ($0.id, $0.units) }, uniquingKeysWith: +) }
        options.startingPoint = last.flatMap { model.start($0, shortfall: 0) }
        let key = ceilingKey(spec)
        let loose = spec.maxNew == nil && spec.maxVolume == nil
        // A strict week already proven infeasible for a looser week with the same session rules.
        var solution: Solution? = ceilings[key] != nil ? nil : try model.problem.solve(options)
        let strictInfeasible = solution.map { $0.termination == .infeasible } ?? true
        if strictInfeasible && loose { ceilings[key] = min(ceilings[key] ?? Self.levels, Self.levels) }
        var level = Self.levels
        if strictInfeasible {
            // Not every minimum fits with every rule: each session then covers the largest
            // multiple of 5% of each minimum that does. The LP relaxation's least shortfall
            // bounds the level from above; levels proven infeasible for this week's session
            // rules without the week-to-week ones (a looser week) are skipped too.
            let bound = try WeekModel(catalogue: catalogue, spec: spec, relaxed: true)
            try bound.allowShortfall(upTo: 1)
            try bound.setObjective(shortfall: true)
            let lp = try bound.problem.solve(SolveOptions())
            if lp.termination == .optimal, let least = lp.objectiveValue {
                let top = min(Self.levels - 1, Int(((1 - least) * Double(Self.levels) + 1e-9).rounded(.down)), (ceilings[key] ?? Self.levels) - 1)
                func attempt(_ l: Int) throws -> Solution {
                    try model.allowShortfall(upTo: 1 - Double(l) / Double(Self.levels) + 1e-9)
                    options.startingPoint = last.flatMap { model.start($0, shortfall: 1 - Double(l) / Double(Self.levels)) }
                    let t0 = ContinuousClock.now
                    let result = try model.problem.solve(options)
                    if ProcessInfo.processInfo.environment["RELIEF_TRACE"] == "2" {
                        FileHandle.standardError.write("  level \(l): \(result.termination) in \(ContinuousClock.now - t0) start \(options.startingPoint != nil)\n".data(using: .utf8)!)
                    }
                    return result
                }
                // Last week's sessions reach some level without a solve: search up from there
                // (one proof of infeasibility near the answer), else down from the LP bound.
                try model.allowShortfall(upTo: 1)
                let reached = last.flatMap { sessions in
                    stride(from: top, through: 0, by: -1).first { model.start(sessions, shortfall: 1 - Double($0) / Double(Self.levels)) != nil }
                }
                if let reached {
                    level = reached
                    solution = nil
                    var l = reached + 1
                    while l <= top {
                        let result = try attempt(l)
                        if result.termination == .infeasible {
                            if loose { ceilings[key] = min(ceilings[key] ?? Self.levels, l) }
                            break
                        }
                        solution = result
                        level = l
                        l += 1
                    }
                    if solution == nil { solution = try attempt(level) }
                } else {
                    level = top
                    while level >= 0 {
                        solution = try attempt(level)
                        if solution?.termination != .infeasible { break }
                        if loose { ceilings[key] = min(ceilings[key] ?? Self.levels, level) }
                        level -= 1
                    }
                }
            }
            if level < Self.levels, solution?.hasFeasiblePoint == true {
                notes.append("each session covers \(level * 100 / Self.levels)% of every cause's minimum, the most (in steps of 5%) the week's rules allow in \(clock(spec.sessionBudget)): time per session, strengthening share, rest for each muscle group, days per exercise, new exercises; more minutes would cover each fully")
            }
        }
        // RELIEF_TRACE=1: each week's solve time on standard error (benchmarks/README.md); 2 adds
        // each coverage level tried.
        if ProcessInfo.processInfo.environment["RELIEF_TRACE"] != nil {
            FileHandle.standardError.write("week \(w): \(solution.map { "\($0.termination)" } ?? "infeasible") in \(ContinuousClock.now - clockStart)\n".data(using: .utf8)!)
        }
        try observe?(w, model)
        let minimums = Dictionary(uniqueKeysWithValues: catalogue.causes.enumerated().map { ($1.id, spec.sessionMinimums[$0]) })
        guard let solution, let values = solution.allValues else {
            let why = solution.map { $0.termination == .infeasible } ?? true
                ? "no week of \(spec.pattern.count) \(spec.phase.rawValue) sessions of at most \(clock(spec.sessionBudget)) keeps every rule: try more minutes (--minutes, --maintenance-minutes), fewer days, or a higher --max-days-per-exercise"
                : "the solver stopped (\(solution!.termination)) before finding any week; try a longer --time-limit"
            return ProgrammeWeek(number: w, phase: spec.phase, status: .infeasible,
                                 days: dates.map { ProgrammeDay(date: $0, session: [], walkMinutes: 0, walkID: nil, sessionName: nil) },
                                 totalSeconds: 0, coverage: [:], sessionMinimums: minimums, binding: [], ladders: ladders,
                                 notes: notes + [why])
        }
        var days: [ProgrammeDay] = []
        var coverage: [String: Double] = [:]
        var sessionOf: [Int: Int] = [:]
        for p in spec.pattern { sessionOf[p.day] = p.session }
        let sessions = model.sessions.map { block -> [PlannedExercise] in
            var chosen: [(Int, Double)] = []
            for (k, e) in block.members.enumerated() where values[block.y[k].index] > 0.5 {
                chosen.append((e, values[block.x[k].index]))
            }
            return catalogue.session(chosen, conditions: request.conditions)
        }
        for (d, date) in dates.enumerated() {
            let session = sessionOf[d].map { sessions[$0] } ?? []
            for p in session { for (cause, points) in p.coverage { coverage[cause, default: 0] += points } }
            days.append(ProgrammeDay(date: date, session: session, walkMinutes: walks[d], walkID: walks[d] > 0 ? walkID : nil,
                                     sessionName: sessionOf[d].map { WeekModel.names[$0] }))
        }
        for (c, cause) in catalogue.causes.enumerated() where spec.walkCoverage[c] > 0 {
            coverage[cause.id, default: 0] += spec.walkCoverage[c]
        }
        let proven = solution.termination == .optimal
        if !proven {
            notes.append("not proven shortest: the solver stopped (\(solution.termination))")
        }
        return ProgrammeWeek(number: w, phase: spec.phase, status: proven ? .optimal : .feasible, days: days,
                             totalSeconds: model.sessionSeconds(values) + spec.walkSeconds, coverage: coverage, sessionMinimums: minimums,
                             binding: model.binding(values), ladders: ladders, notes: notes)
    }
}
